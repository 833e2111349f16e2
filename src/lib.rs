//! flask2django: read a Flask repository statically and plan its move to Django.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`discover`] (walk the repo) → [`parse`] (Python and Jinja to syntax trees) → [`inventory`]
//! (the typed model of the Flask project) → [`mapping`] (Django equivalents from `mappings/`) →
//! [`report`] (human and machine output). [`cli`] only parses arguments and calls [`run`].

pub mod cli;
pub mod diagnostics;
pub mod discover;
pub mod inventory;
pub mod mapping;
pub mod parse;
pub mod report;

use std::io::Write;

use anyhow::Context;

use cli::{Cli, Command, InventoryFormat};

/// How a run ended; `main` turns it into the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The command completed (whatever it found).
    Success,
    /// A gate failed or output differs (reserved for `check` / `--diff`).
    Failure,
}

pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Inventory(args) => {
            let opts = inventory::InventoryOptions {
                root: args.path.clone(),
                app: args.app.clone(),
                excludes: args.exclude.clone(),
                threads: args.threads,
            };
            let inv = inventory::build(&opts).with_context(|| format!("cannot inventory {}", args.path.display()))?;
            let text = match args.format {
                InventoryFormat::Json => report::inventory_json(&inv),
                InventoryFormat::Text => report::text::render_inventory(&inv),
            };
            match &args.output {
                Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?,
                None => out.write_all(text.as_bytes())?,
            }
            Ok(Outcome::Success)
        }
        Command::Explain(args) => {
            match diagnostics::codes::find(&args.code) {
                Some(info) => writeln!(out, "# {} ({})\n\n{}\n\n{}", info.code, info.name, info.summary, info.doc)?,
                None => anyhow::bail!("unknown code {:?}; `flask2django codes` lists them", args.code),
            }
            Ok(Outcome::Success)
        }
        Command::Codes => {
            out.write_all(report::text::render_code_table().as_bytes())?;
            Ok(Outcome::Success)
        }
    }
}
