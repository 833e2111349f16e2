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
    /// Size the migration: what is automatic, what needs review, what is manual, the order of
    /// work and an effort estimate (Markdown, HTML or JSON).
    Report(ReportArgs),
    /// Gate a migration in CI: coverage threshold, no new manual items beyond a baseline, no
    /// drift between the Flask code and the committed Django output.
    ///
    /// Exit codes: 0 the gate passed, 1 it failed, 2 usage or internal error.
    Check(CheckArgs),
    /// Print the documentation of a diagnostic code (`FD102` or `dynamic-route`).
    Explain(ExplainArgs),
    /// Print the table of diagnostic codes (Markdown).
    Codes,
}

#[derive(Debug, clap::Args)]
pub struct InventoryArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Text)]
    pub format: InventoryFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What to analyze: the options every command that reads a project shares. Flags override the
/// project's `[tool.flask2django]` (in its `pyproject.toml`) or `flask2django.toml`.
#[derive(Debug, Clone, clap::Args)]
pub struct SourceArgs {
    /// The Flask project's root folder.
    pub path: PathBuf,
    /// The application, as for `flask --app`: `pkg.module:name`, `pkg:create_app()` or a file.
    #[arg(long)]
    pub app: Option<String>,
    /// Skip paths matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Read settings from this file (a `flask2django.toml`, or a `pyproject.toml` with a
    /// `[tool.flask2django]` table) instead of the project's own.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore the project's `[tool.flask2django]` and `flask2django.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Worker threads for parsing and scanning (0: one per core, or RAYON_NUM_THREADS); the
    /// project's code is followed on one more thread beside them.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress bar (it is only shown when standard error is a terminal).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Link items to their source with this template: `{path}` and `{line}` are replaced
    /// (`https://github.com/org/repo/blob/main/{path}#L{line}`). By default the HTML report
    /// links to the files relative to where it is written.
    #[arg(long, value_name = "TEMPLATE")]
    pub link: Option<String>,
    /// The Django project package name, as for `convert`.
    #[arg(long)]
    pub project: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
    Html,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Fail when the coverage (items generated, in percent) is under PCT.
    #[arg(long, value_name = "PCT")]
    pub fail_under: Option<f64>,
    /// Fail only on error findings that this baseline does not hold.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current error findings to FILE as a baseline, and pass.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Fail when the Django project committed in DIR differs from what `convert` would write now
    /// (the diff is printed with the text format).
    #[arg(long, value_name = "DIR")]
    pub against: Option<PathBuf>,
    /// The Django project package name, as for `convert` (with `--against`).
    #[arg(long)]
    pub project: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
    Github,
    Junit,
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
    #[command(flatten)]
    pub source: SourceArgs,
    /// The folder to write the Django project into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The Django project package name (default `config`).
    #[arg(long)]
    pub project: Option<String>,
    /// List what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print unified diffs against the files in DIR and write nothing; exit 1 when they differ.
    #[arg(long, conflicts_with = "dry_run")]
    pub diff: bool,
    /// Overwrite files in DIR that flask2django did not generate.
    #[arg(long)]
    pub force: bool,
}
