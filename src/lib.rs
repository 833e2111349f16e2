//! flask2django: read a Flask repository statically and plan its move to Django.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`discover`] (walk the repo) → [`parse`] (Python and Jinja to syntax trees) → [`inventory`]
//! (the typed model of the Flask project) → [`mapping`] (Django equivalents from `mappings/`) →
//! [`emit`] (the Django project's files) → [`report`] (human and machine output). [`cli`] only parses arguments and calls [`run`].

pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod discover;
pub mod emit;
pub mod inventory;
pub mod mapping;
pub mod parse;
pub mod report;
pub mod settings;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use cli::{Cli, Command, InventoryFormat, SourceArgs};

/// How a run ended; `main` turns it into the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The command completed (whatever it found).
    Success,
    /// A gate failed or output differs (`check`, `convert --diff`).
    Failure,
}

/// Frees `value` on a thread of its own: the inventory of a large project takes a tenth of a
/// second to free, which the run's result need not wait for (a process that exits first
/// leaves it to the system).
fn free_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().name("free".into()).spawn(move || drop(value));
}

pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Inventory(args) => {
            let config = load_config(&args.source)?;
            let opts = inventory_options(&args.source, &config);
            let inv =
                inventory::build(&opts).with_context(|| format!("cannot inventory {}", args.source.path.display()))?;
            match (&args.output, args.format) {
                (Some(path), InventoryFormat::Json) => {
                    let mut f =
                        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
                    report::write_inventory_json(&inv, &mut f, opts.threads)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                }
                (None, InventoryFormat::Json) => report::write_inventory_json(&inv, out, opts.threads)?,
                (Some(path), InventoryFormat::Text) => std::fs::write(path, report::text::render_inventory(&inv))
                    .with_context(|| format!("cannot write {}", path.display()))?,
                (None, InventoryFormat::Text) => out.write_all(report::text::render_inventory(&inv).as_bytes())?,
            }
            free_in_background(inv);
            Ok(Outcome::Success)
        }
        Command::Convert(args) => convert(&args, out),
        Command::Report(args) => {
            let analysis = analyze(&args.source, args.project.as_deref())?;
            let report = analysis.report()?;
            let link = report::links::Links::new(args.link.as_deref(), &args.source.path, args.output.as_deref());
            let text = match args.format {
                cli::ReportFormat::Md => report::markdown::render(&report, &link),
                cli::ReportFormat::Json => report::json(&report),
                cli::ReportFormat::Html => report::html::render(&report, &link),
            };
            write_output(args.output.as_deref(), &text, out)?;
            Ok(Outcome::Success)
        }
        Command::Check(args) => check::run(&args, out),
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

/// Writes to the file named, or to standard output.
pub(crate) fn write_output(path: Option<&Path>, text: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    match path {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => Ok(out.write_all(text.as_bytes())?),
    }
}

/// The project's configuration: `--config FILE`, else its own files, unless `--no-config`.
pub(crate) fn load_config(src: &SourceArgs) -> anyhow::Result<settings::ProjectConfig> {
    if src.no_config {
        return Ok(settings::ProjectConfig::default());
    }
    if let Some(file) = &src.config {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let in_pyproject = file.file_name().is_some_and(|n| n == "pyproject.toml");
        return settings::parse(&text, in_pyproject).map_err(|m| anyhow::anyhow!("{}: {m}", file.display()));
    }
    Ok(settings::load(&src.path)?.0)
}

/// Everything one run derives from a Flask project: the inventory, the plans and the items.
pub struct Analysis {
    pub root: PathBuf,
    pub config: settings::ProjectConfig,
    pub inv: inventory::model::Inventory,
    pub extensions: mapping::tables::ExtensionTable,
    pub settings: Vec<mapping::config::SettingRow>,
    /// The Django project package.
    pub project: String,
    /// The analyzed folder's name (not the path given: output must not depend on where it ran).
    pub source: String,
    pub models: mapping::models::ModelsPlan,
    pub urls: mapping::urls::UrlsPlan,
    pub items: Vec<mapping::items::Item>,
}

pub(crate) fn analyze(src: &SourceArgs, project_flag: Option<&str>) -> anyhow::Result<Analysis> {
    let config = load_config(src)?;
    let requested =
        project_flag.map(str::to_string).or_else(|| config.project.clone()).unwrap_or_else(|| "config".into());
    let project = mapping::py::identifier(&requested, "project");
    if project != requested || matches!(project.as_str(), "django" | "test" | "core") {
        anyhow::bail!("--project {requested:?} is not a valid Django project package name");
    }
    let opts = inventory_options(src, &config);
    let inv = inventory::build(&opts).with_context(|| format!("cannot inventory {}", src.path.display()))?;
    let extensions = mapping::tables::ExtensionTable::with_extra(&config.extension)?;
    let types = mapping::types::TypeTable::builtin()?;
    let labels = mapping::apps::blueprint_labels(&inv, &project);
    let assignment = mapping::apps::assign_models(&inv, &labels);
    let models = mapping::models::plan(&inv, &types, &assignment);
    let urls = mapping::urls::plan(&inv, &project)?;
    let settings = mapping::config::table_with(&config.setting)?;
    let items = mapping::items::items(&inv, &models, &urls, &extensions, &settings)?;
    let source = std::fs::canonicalize(&src.path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| src.path.display().to_string());
    Ok(Analysis { root: src.path.clone(), config, inv, extensions, settings, project, source, models, urls, items })
}

impl Analysis {
    /// The files `convert` writes into `out` (the static folders' paths are relative to it).
    pub fn files(&self, out: &Path) -> anyhow::Result<Vec<emit::OutFile>> {
        let root = self.root.clone();
        let read = move |rel: &str| -> Option<Vec<u8>> {
            // Only files inside the analyzed root, by their inventory paths.
            let rel = emit::write::safe_relative(rel).ok()?;
            std::fs::read(root.join(rel)).ok()
        };
        let opts = emit::ProjectOptions {
            project: self.project.clone(),
            source: self.source.clone(),
            extensions: self.extensions.clone(),
            settings: self.settings.clone(),
            static_dirs: self.static_dirs(out),
        };
        emit::project(&self.inv, &self.models, &self.urls, &opts, &read)
    }

    /// The static folders of the primary app and of its blueprints that exist, each with its
    /// blueprint's name (None for the app's) and its path from `out`, `/`-separated.
    fn static_dirs(&self, out: &Path) -> Vec<(Option<String>, String)> {
        let Some(app) = self.inv.apps.first() else { return Vec::new() };
        let mut folders = vec![(None, app.static_folder.clone())];
        for bp in self.inv.blueprints.iter().filter(|b| b.app.as_ref() == Some(&app.id)) {
            folders.push((Some(bp.name.clone()), bp.static_folder.clone()));
        }
        let (Ok(root), Ok(out)) = (std::path::absolute(&self.root), std::path::absolute(out)) else {
            return Vec::new();
        };
        let mut dirs = Vec::new();
        for (name, folder) in folders {
            let Some(folder) = folder.filter(|f| !f.is_empty()) else { continue };
            let Ok(rel) = emit::write::safe_relative(&folder) else { continue };
            if !root.join(&rel).is_dir() || dirs.iter().any(|(_, f): &(Option<String>, String)| *f == folder) {
                continue;
            }
            if let Some(path) = relative_path(&out, &root.join(&rel)) {
                dirs.push((name, path));
            }
        }
        dirs
    }

    /// The migration report.
    pub fn report(&self) -> anyhow::Result<report::migration::Report> {
        report::migration::build(report::migration::ReportInput {
            inv: &self.inv,
            items: self.items.clone(),
            extensions: &self.extensions,
            config: &self.config,
            project: self.source.clone(),
        })
        .map_err(anyhow::Error::msg)
    }
}

/// `to` from `from` (both absolute), lexically: `../shop/static`; None when they share no root.
fn relative_path(from: &Path, to: &Path) -> Option<String> {
    use std::path::Component;
    let norm = |p: &Path| -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => parts.push(c.as_os_str().to_string_lossy().into_owned()),
            }
        }
        parts
    };
    let (from, to) = (norm(from), norm(to));
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(to[common..].iter().map(String::as_str));
    Some(parts.join("/"))
}

/// The files of `dir` that differ from `files`, with their unified diff: each file that would be
/// written differently, then each file flask2django generated there that it would no longer
/// write ([`emit::write::stale`]), whose diff removes it.
pub(crate) fn diff_against(dir: &Path, files: &[emit::OutFile]) -> anyhow::Result<Vec<DriftFile>> {
    let mut out = Vec::new();
    for f in files {
        let target = dir.join(emit::write::safe_relative(&f.path)?);
        let current = std::fs::read_to_string(&target).unwrap_or_default();
        if current != f.contents {
            let diff = similar::TextDiff::from_lines(&current, &f.contents);
            let a = format!("a/{}", f.path);
            let b = format!("b/{}", f.path);
            let diff = diff.unified_diff().context_radius(3).header(&a, &b).to_string();
            out.push(DriftFile { path: f.path.clone(), diff, removed: false });
        }
    }
    for rel in emit::write::stale(dir, files) {
        let current = String::from_utf8_lossy(&std::fs::read(dir.join(&rel)).unwrap_or_default()).into_owned();
        let diff = similar::TextDiff::from_lines(current.as_str(), "");
        let diff = diff.unified_diff().context_radius(3).header(&format!("a/{rel}"), "/dev/null").to_string();
        out.push(DriftFile { path: rel, diff, removed: true });
    }
    Ok(out)
}

/// A file of a committed Django project that differs from what `convert` would write now.
pub(crate) struct DriftFile {
    pub path: String,
    pub diff: String,
    /// flask2django generated it, and would no longer write it.
    pub removed: bool,
}

fn convert(args: &cli::ConvertArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let analysis = analyze(&args.source, args.project.as_deref())?;
    let files = analysis.files(&args.out)?;

    if args.diff {
        let diffs = diff_against(&args.out, &files)?;
        for d in &diffs {
            write!(out, "{}", d.diff)?;
        }
        return Ok(if diffs.is_empty() { Outcome::Success } else { Outcome::Failure });
    }
    if !args.dry_run {
        std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    }
    let planned = emit::write::plan(&args.out, &files, args.force)?;
    let stale = emit::write::stale(&args.out, &files);
    if args.dry_run {
        for p in &planned {
            let what = match p.action {
                emit::write::Action::Create => "create",
                emit::write::Action::Update => "update",
                emit::write::Action::Unchanged => "unchanged",
            };
            writeln!(out, "{what:9} {}", p.path)?;
        }
        for rel in &stale {
            writeln!(out, "{:9} {rel}", "delete")?;
        }
        return Ok(Outcome::Success);
    }
    emit::write::write(&args.out, &files, &planned, args.source.threads)?;
    emit::write::remove_stale(&args.out, &stale)?;
    for rel in &stale {
        writeln!(out, "deleted {rel}: generated by an earlier run, no longer generated")?;
    }
    let changed = planned.iter().filter(|p| p.action != emit::write::Action::Unchanged).count();
    let count = |s: mapping::items::ItemStatus| analysis.items.iter().filter(|i| i.status == s).count();
    writeln!(
        out,
        "wrote {changed} of {} files to {}: {} items, {} generated as equivalent, {} to review, {} to port by hand (MIGRATION.md; `flask2django report` sizes the rest)",
        files.len(),
        args.out.display(),
        analysis.items.len(),
        count(mapping::items::ItemStatus::Auto),
        count(mapping::items::ItemStatus::Review),
        count(mapping::items::ItemStatus::Manual),
    )?;
    let no_app = emit::no_app_messages(&analysis.inv);
    if !no_app.is_empty() {
        writeln!(
            out,
            "no Flask application was found, so the project has no routes (MIGRATION.md):\n  {}",
            no_app.join("\n  ")
        )?;
    }
    if let [primary, others @ ..] = &analysis.inv.apps[..] {
        if !others.is_empty() {
            let ids: Vec<String> = others.iter().map(|a| format!("`{}`", a.id)).collect();
            writeln!(
                out,
                "{} apps found: this project converts `{}`; convert {} with `--app` into another folder (MIGRATION.md)",
                others.len() + 1,
                primary.id,
                ids.join(", "),
            )?;
        }
    }
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

fn inventory_options(src: &SourceArgs, config: &settings::ProjectConfig) -> inventory::InventoryOptions {
    let mut excludes = config.exclude.clone();
    excludes.extend(src.exclude.iter().cloned());
    inventory::InventoryOptions {
        root: src.path.clone(),
        app: src.app.clone().or_else(|| config.app.clone()),
        excludes,
        threads: src.threads,
        progress: progress_bar(src.quiet),
        extensions: config.extension.clone(),
    }
}
