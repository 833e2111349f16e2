//! Command-line arguments (clap derive). Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Read a Flask project statically and plan its move to Django.
///
/// Exit codes: 0 when the command completed (whatever it found, diagnostics included), 1 when a
/// gate failed, 2 on a usage or internal error.
#[derive(Debug, Parser)]
#[command(name = "flask2django", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List what Flask would register — apps, blueprints, routes, hooks, extensions, config,
    /// templates — with file:line for each, without running the code.
    Inventory(InventoryArgs),
    /// Write a Django 5.2 project for the Flask project: settings, apps, models that keep the
    /// existing database, admin, and a migration plan.
    Convert(ConvertArgs),
    /// Print the documentation of a diagnostic code (`FD102` or `dynamic-route`).
    Explain(ExplainArgs),
    /// Print the table of diagnostic codes (Markdown).
    Codes,
}

#[derive(Debug, clap::Args)]
pub struct InventoryArgs {
    /// The Flask project's root folder.
    pub path: PathBuf,
    /// The application, as for `flask --app`: `pkg.module:name`, `pkg:create_app()` or a file.
    #[arg(long)]
    pub app: Option<String>,
    /// Skip paths matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Text)]
    pub format: InventoryFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (0: one per core, or RAYON_NUM_THREADS).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress bar (it is only shown when standard error is a terminal).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A code (`FD102`) or its name (`dynamic-route`).
    pub code: String,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The Flask project's root folder.
    pub path: PathBuf,
    /// The folder to write the Django project into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The Django project package name.
    #[arg(long, default_value = "config")]
    pub project: String,
    /// The application, as for `flask --app`: `pkg.module:name`, `pkg:create_app()` or a file.
    #[arg(long)]
    pub app: Option<String>,
    /// Skip paths matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// List what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print unified diffs against the files in DIR and write nothing; exit 1 when they differ.
    #[arg(long, conflicts_with = "dry_run")]
    pub diff: bool,
    /// Overwrite files in DIR that flask2django did not generate.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (0: one per core, or RAYON_NUM_THREADS).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress bar (it is only shown when standard error is a terminal).
    #[arg(short, long)]
    pub quiet: bool,
}
