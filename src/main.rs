use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the inventory allocates millions of small tree nodes and strings from two threads;
/// glibc's allocator spends much of the run in malloc/free and keeps more memory than it uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match flask2django::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = flask2django::run(cli, &mut out).and_then(|o| {
        out.flush()?;
        Ok(o)
    });
    match result {
        Ok(flask2django::Outcome::Success) => ExitCode::SUCCESS,
        Ok(flask2django::Outcome::Failure) => ExitCode::from(1),
        Err(e) => {
            // A closed pipe (`| head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("flask2django: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
