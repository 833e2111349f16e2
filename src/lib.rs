//! flask2django: read a Flask repository statically and plan its move to Django.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`discover`] (walk the repo) → [`parse`] (Python and Jinja to syntax trees) → [`inventory`]
//! (the typed model of the Flask project) → [`mapping`] (Django equivalents from `mappings/`) →
//! [`emit`] (the Django project's files) → [`report`] (human and machine output). [`cli`] only parses arguments and calls [`run`].

pub mod cli;
pub mod diagnostics;
pub mod discover;
pub mod emit;
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
            let opts = inventory_options(&args.path, &args.app, &args.exclude, args.threads, args.quiet);
            let inv = inventory::build(&opts).with_context(|| format!("cannot inventory {}", args.path.display()))?;
            match (&args.output, args.format) {
                (Some(path), InventoryFormat::Json) => {
                    let mut f = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
                    report::write_inventory_json(&inv, &mut f).with_context(|| format!("cannot write {}", path.display()))?;
                }
                (None, InventoryFormat::Json) => report::write_inventory_json(&inv, out)?,
                (Some(path), InventoryFormat::Text) => std::fs::write(path, report::text::render_inventory(&inv))
                    .with_context(|| format!("cannot write {}", path.display()))?,
                (None, InventoryFormat::Text) => out.write_all(report::text::render_inventory(&inv).as_bytes())?,
            }
            Ok(Outcome::Success)
        }
        Command::Convert(args) => convert(&args, out),
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

fn convert(args: &cli::ConvertArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let project = mapping::py::identifier(&args.project, "project");
    if project != args.project || matches!(project.as_str(), "django" | "test" | "core") {
        anyhow::bail!("--project {:?} is not a valid Django project package name", args.project);
    }
    let opts = inventory_options(&args.path, &args.app, &args.exclude, args.threads, args.quiet);
    let inv = inventory::build(&opts).with_context(|| format!("cannot inventory {}", args.path.display()))?;
    let types = mapping::types::TypeTable::builtin()?;
    let labels = mapping::apps::blueprint_labels(&inv, &project);
    let assignment = mapping::apps::assign_models(&inv, &labels);
    let models = mapping::models::plan(&inv, &types, &assignment);
    let urls = mapping::urls::plan(&inv, &project)?;
    // The folder's name, not the path given: the output must not depend on where it ran from.
    let source = std::fs::canonicalize(&args.path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| args.path.display().to_string());
    let root = args.path.clone();
    let read = move |rel: &str| -> Option<Vec<u8>> {
        // Only files inside the analyzed root, by their inventory paths.
        let rel = emit::write::safe_relative(rel).ok()?;
        std::fs::read(root.join(rel)).ok()
    };
    let files = emit::project(&inv, &models, &urls, &emit::ProjectOptions { project: project.clone(), source }, &read)?;

    if args.diff {
        let mut differ = false;
        for f in &files {
            let target = args.out.join(emit::write::safe_relative(&f.path)?);
            let current = std::fs::read_to_string(&target).unwrap_or_default();
            if current != f.contents {
                differ = true;
                let diff = similar::TextDiff::from_lines(&current, &f.contents);
                let a = format!("a/{}", f.path);
                let b = format!("b/{}", f.path);
                write!(out, "{}", diff.unified_diff().context_radius(3).header(&a, &b))?;
            }
        }
        return Ok(if differ { Outcome::Failure } else { Outcome::Success });
    }
    if !args.dry_run {
        std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    }
    let planned = emit::write::plan(&args.out, &files, args.force)?;
    if args.dry_run {
        for p in &planned {
            let what = match p.action {
                emit::write::Action::Create => "create",
                emit::write::Action::Update => "update",
                emit::write::Action::Unchanged => "unchanged",
            };
            writeln!(out, "{what:9} {}", p.path)?;
        }
        return Ok(Outcome::Success);
    }
    emit::write::write(&args.out, &files, &planned)?;
    let changed = planned.iter().filter(|p| p.action != emit::write::Action::Unchanged).count();
    let manual = models.items.iter().filter(|i| i.status == "manual").count();
    let review = models.items.iter().filter(|i| i.status == "review").count();
    writeln!(
        out,
        "wrote {changed} of {} files to {} ({} models; {review} items to review, {manual} to port by hand: see MIGRATION.md)",
        files.len(),
        args.out.display(),
        models.apps.iter().map(|a| a.models.len()).sum::<usize>()
    )?;
    Ok(Outcome::Success)
}

/// A progress bar on standard error, only when it is a terminal and not `--quiet`.
fn progress_bar(quiet: bool) -> Option<inventory::Progress> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} {wide_bar} {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("parsing");
    Some(std::sync::Arc::new(move |stage: &'static str, done: usize, total: usize| {
        if stage == "parsing" {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        } else {
            bar.finish_and_clear();
        }
    }))
}

fn inventory_options(
    path: &std::path::Path,
    app: &Option<String>,
    exclude: &[String],
    threads: usize,
    quiet: bool,
) -> inventory::InventoryOptions {
    inventory::InventoryOptions {
        root: path.to_path_buf(),
        app: app.clone(),
        excludes: exclude.to_vec(),
        threads,
        progress: progress_bar(quiet),
    }
}
