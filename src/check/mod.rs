//! Check: the CI gate.
use std::io::Write;

pub fn run(_args: &crate::cli::CheckArgs, _out: &mut dyn Write) -> anyhow::Result<crate::Outcome> {
    anyhow::bail!("not yet")
}
