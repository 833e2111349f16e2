//! Inventory: from parsed sources to the typed model of a Flask project ([`model::Inventory`]).
//!
//! Consumes the discovered files; parses Python files in parallel (each under `catch_unwind`, on
//! large worker stacks) keeping only our small syntax tree; meanwhile, from the start, follows the
//! project's own code from the application's entry point with a small interpreter ([`interp`])
//! that knows Flask's registration APIs ([`flask`]), parsing itself a module it needs before the
//! parsers reach it ([`sources`]). Produces a sorted, serializable inventory. Never imports or runs
//! the analyzed code, and never writes anything.

pub mod classful;
pub mod elide;
pub mod entry;
pub mod finalize;
pub mod flask;
pub mod interp;
pub mod model;
pub mod models;
pub mod plugins;
pub mod rules;
mod single;
mod sources;
pub mod sqla;
pub mod templates;
pub mod values;

pub use single::from_single_source;

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic};
use crate::discover::{self, DiscoverOptions, FileKind, SourceFile};
use crate::mapping::tables::ExtensionTable;
use crate::parse;
use crate::parse::ast::ModuleText;

use interp::{Interp, ModuleSrc};
use model::Inventory;
use sources::SourceCell;
use values::{Obj, ObjId, Value};

/// Worker stack size: deep expressions recurse in the parser and when its tree is freed.
const STACK_SIZE: usize = 256 * 1024 * 1024;

#[derive(Clone, Default)]
pub struct InventoryOptions {
    pub root: PathBuf,
    /// `--app`, with `flask --app`'s meaning.
    pub app: Option<String>,
    pub excludes: Vec<String>,
    /// Worker threads (parsers, template scanners); 0 lets rayon decide (`RAYON_NUM_THREADS`,
    /// else the core count). The interpreter runs on one more thread beside them.
    pub threads: usize,
    /// Told how far the run is: `(stage, done, total)`. The library never prints.
    pub progress: Option<Progress>,
    /// Rows added to the extensions table (`[[tool.flask2django.extension]]`).
    pub extensions: Vec<crate::mapping::tables::ExtensionRow>,
}

/// A progress callback: `(stage, done, total)`, called from worker threads.
pub type Progress = std::sync::Arc<dyn Fn(&'static str, usize, usize) + Send + Sync>;

impl std::fmt::Debug for InventoryOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InventoryOptions")
            .field("root", &self.root)
            .field("app", &self.app)
            .field("excludes", &self.excludes)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    #[error(transparent)]
    Table(#[from] crate::mapping::tables::TableError),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

/// One Python file after parsing: its tree (until the interpreter takes it), line count,
/// diagnostics and suppression comments.
#[derive(Default)]
pub(crate) struct ParsedFile {
    rel: String,
    tree: Option<Arc<parse::ast::Module>>,
    lines: usize,
    diagnostics: Vec<Diagnostic>,
    suppressions: Vec<parse::suppress::Suppression>,
}

/// Runs `f` on a new thread with the workers' large stack and returns what it returns (a panic
/// goes on in the caller). The interpreter runs this way: it lowers elided function bodies again
/// when they are called, which recurses as deeply as parsing does.
pub(crate) fn on_large_stack<R: Send>(f: impl FnOnce() -> R + Send) -> std::io::Result<R> {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new().stack_size(STACK_SIZE).spawn_scoped(s, f)?;
        Ok(handle.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })
}

/// Builds the inventory on a thread with the workers' large stack ([`on_large_stack`]'s reason),
/// which hands the inventory over as soon as it is built, then frees the interpreter's state (a
/// tenth of a second on a large project) while the caller goes on with the inventory.
pub fn build(opts: &InventoryOptions) -> Result<Inventory, InventoryError> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let opts = opts.clone();
    let thread = std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || {
            if let Err(e) = build_here(&opts, &tx) {
                let _ = tx.send(Err(e));
            }
        })
        .map_err(|e| InventoryError::Threads(e.to_string()))?;
    match rx.recv() {
        Ok(result) => result,
        // The thread ended without a result: it panicked.
        Err(_) => match thread.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => Err(InventoryError::Threads("the inventory thread ended without a result".into())),
        },
    }
}

/// Sends the inventory on `result` once built (an error is returned instead), then frees the
/// rest of the run's state as it returns.
fn build_here(
    opts: &InventoryOptions,
    result: &std::sync::mpsc::SyncSender<Result<Inventory, InventoryError>>,
) -> Result<(), InventoryError> {
    let discovery = discover::discover(&DiscoverOptions { root: opts.root.clone(), excludes: opts.excludes.clone() })?;
    let tables = ExtensionTable::with_extra(&opts.extensions)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .stack_size(STACK_SIZE)
        .build()
        .map_err(|e| InventoryError::Threads(e.to_string()))?;

    let py_files: Vec<&SourceFile> = discovery.files.iter().filter(|f| f.kind == FileKind::Python).collect();
    let sources: Vec<Arc<SourceCell>> = py_files.iter().map(|f| Arc::new(SourceCell::new((*f).clone()))).collect();
    let mut modules: HashMap<String, ModuleSrc> = HashMap::new();
    let mut modules_by_rel: BTreeMap<String, String> = BTreeMap::new();
    for (f, source) in py_files.iter().zip(&sources) {
        if let Some(m) = &f.module {
            modules_by_rel.insert(f.rel.clone(), m.clone());
            // A package wins over a module of the same name beside it (`app/` over `app.py`), as
            // in Python's import system.
            match modules.get(m) {
                Some(existing) if existing.is_package || !f.is_package => {}
                _ => {
                    modules.insert(m.clone(), ModuleSrc::new(m.clone(), f.rel.clone(), f.is_package, source.clone()));
                }
            }
        }
    }
    // A top-level script a package of the same name hides (`cps.py` beside `cps/`) still runs
    // as `python cps.py`: it is read under a name no import can give.
    for (f, source) in py_files.iter().zip(&sources) {
        if let Some(m) = f.module.as_ref().filter(|m| !m.contains('.') && !f.is_package) {
            if modules.get(m).is_some_and(|x| x.rel != f.rel) {
                let script = format!("__main__:{m}");
                modules_by_rel.insert(f.rel.clone(), script.clone());
                modules.insert(script.clone(), ModuleSrc::new(script, f.rel.clone(), false, source.clone()));
            }
        }
    }

    // Small text files the entry-point search reads.
    let env_files: Vec<(String, String)> = discovery
        .files
        .iter()
        .filter(|f| f.rel == ".env" || f.rel == ".flaskenv")
        .filter_map(|f| std::fs::read(&f.path).ok().map(|b| (f.rel.clone(), String::from_utf8_lossy(&b).into_owned())))
        .collect();

    let mut diagnostics = discovery.diagnostics.clone();
    let mut interp = Interp::new(&modules, &tables);
    // The interpreter runs on this thread from the start. Meanwhile the parsers parse every
    // file in order (the interpreter parses a module it needs first itself), then go on to scan
    // the template files they can guess ([`templates::Ahead`]): by then this thread is in the
    // application and model stages, which use one core, so the scans take no time of their own.
    let total = sources.len();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    if total == 0 {
        if let Some(progress) = &opts.progress {
            progress("analyzing", 0, 0);
        }
    }
    let ahead = templates::Ahead::new(&discovery.files);
    let parser = || loop {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Some(source) = sources.get(i) else {
            ahead.work();
            break;
        };
        source.parse();
        if let Some(progress) = &opts.progress {
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress("parsing", n, total);
            if n == total {
                progress("analyzing", 0, 0);
            }
        }
    };
    let (mut inv, refs) = std::thread::scope(|s| {
        for _ in 0..pool.current_num_threads().min(total) {
            std::thread::Builder::new()
                .stack_size(STACK_SIZE)
                .spawn_scoped(s, parser)
                .map_err(|e| InventoryError::Threads(e.to_string()))?;
        }
        let located = locate_apps(&mut interp, opts, &env_files, &modules_by_rel, &mut diagnostics);
        interp.new_budget();
        let mut inv = finalize::finalize(&mut interp, &located);
        // Before the model stage, which allocates more than this frees.
        interp.new_budget();
        let refs = templates::render_refs(&mut interp, &modules);
        interp.new_budget();
        let scan = models::collect(&mut interp, &opts.root, &mut diagnostics);
        inv.models = scan.models;
        inv.tables = scan.tables;
        inv.orm = scan.orm;
        inv.alembic = scan.alembic;
        sqla::forget(&mut interp);
        Ok::<_, InventoryError>((inv, refs))
    })?;
    let mut lines = 0usize;
    let mut suppressions = Vec::new();
    for source in &sources {
        let p = source.finish();
        lines += p.lines;
        suppressions.extend(p.suppressions.into_iter().map(|s| model::SuppressionComment {
            file: p.rel.clone(),
            line: s.line,
            codes: s.codes,
            own_line: s.own_line,
        }));
        diagnostics.extend(p.diagnostics);
    }
    diagnostics.extend(interp.diags.take());

    // Model usage reads only the names counted when parsing: it runs on another thread beside
    // the template stage.
    let query = models::usage_query(&inv.models, &inv.routes);
    interp.new_budget();
    let counts = std::thread::scope(|s| {
        let counts = s.spawn(|| models::usage_counts(&query, &modules));
        templates::collect(&mut inv, &mut interp, &discovery.files, &pool, Some(&ahead), refs, &mut diagnostics);
        counts.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
    });
    drop(ahead);
    models::apply_usage(&mut inv.models, counts);
    inv.top_level_modules = modules
        .keys()
        .filter(|m| !m.starts_with("__main__:"))
        .filter_map(|m| m.split('.').next())
        .map(str::to_string)
        .collect();

    inv.suppressions.extend(suppressions);
    inv.suppressions.sort();
    inv.suppressions.dedup();
    inv.stats.python_files = py_files.len();
    inv.stats.lines = lines;
    diagnostics.extend(std::mem::take(&mut inv.diagnostics));
    diagnostics.sort();
    diagnostics.dedup();
    inv.diagnostics = diagnostics;
    let _ = result.send(Ok(inv));
    Ok(())
}

fn parse_file(f: &SourceFile) -> ParsedFile {
    let mut out = ParsedFile { rel: f.rel.clone(), tree: None, lines: 0, diagnostics: vec![], suppressions: vec![] };
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            out.diagnostics.push(Diagnostic::new(
                Code::UnreadableFile,
                f.rel.clone(),
                0,
                format!("cannot read the file: {e}"),
            ));
            return out;
        }
    };
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| parse_bytes(&f.rel, &bytes, Some(&f.path))));
    match result {
        Ok((tree, lines, diags, suppressions)) => {
            out.suppressions = suppressions;
            out.tree = tree;
            out.lines = lines;
            out.diagnostics = diags;
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            out.diagnostics.push(Diagnostic::new(
                Code::InternalError,
                f.rel.clone(),
                0,
                format!("internal error while reading this file: {msg}"),
            ));
        }
    }
    out
}

type Parsed = (Option<Arc<parse::ast::Module>>, usize, Vec<Diagnostic>, Vec<parse::suppress::Suppression>);

/// Parses one file's bytes; `path`, when the bytes are that file's, is where the text of elided
/// function bodies is read again (without it, the text is kept).
fn parse_bytes(rel: &str, bytes: &[u8], path: Option<&Path>) -> Parsed {
    let mut diags = Vec::new();
    let text = match parse::source::decode_python(bytes) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::new(Code::UndecodableSource, rel, e.line, e.message));
            return (None, 0, diags, vec![]);
        }
    };
    let suppressions = parse::suppress::suppressions(&text);
    let mut parsed = parse::parse_python(&text);
    if parsed.errors.is_empty() && parsed.too_deep.is_none() {
        elide::elide_module(&mut parsed.module, &|| match path {
            Some(p) => ModuleText::for_file(p, rel, &text),
            None => ModuleText::Kept(Arc::from(text.as_ref())),
        });
    }
    if let Some(first) = parsed.errors.first() {
        let py2 = looks_like_python2(&text);
        let mut d =
            Diagnostic::new(Code::SyntaxError, rel, first.line, first.message.clone()).with_column(first.column);
        d = if py2 {
            d.with_help("this looks like Python 2 code; the inventory keeps what could be parsed")
        } else if parsed.errors.len() > 1 {
            d.with_help(format!(
                "{} more syntax errors in this file; the inventory keeps what could be parsed",
                parsed.errors.len() - 1
            ))
        } else {
            d.with_help("the inventory keeps what could be parsed")
        };
        diags.push(d);
    }
    if let Some(line) = parsed.too_deep {
        diags.push(Diagnostic::new(
            Code::ExpressionTooDeep,
            rel,
            line,
            "code nested too deeply to follow; its contents are treated as unknown",
        ));
    }
    let lines = parsed.module.lines as usize;
    (Some(Arc::new(parsed.module)), lines, diags, suppressions)
}

fn looks_like_python2(text: &str) -> bool {
    text.lines().take(2000).any(|l| {
        let t = l.trim_start();
        (t.starts_with("print ") && !t.starts_with("print ("))
            || (t.starts_with("except ") && t.contains(", ") && t.ends_with(':') && !t.contains('('))
            || t.starts_with("exec ")
    })
}

/// An application found, with how it was found.
pub struct LocatedApp {
    pub obj: ObjId,
    pub id: String,
    pub discovered_by: String,
}

fn is_test_module(rel: &str) -> bool {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    rel.split('/').any(|p| p == "tests" || p == "test" || p == "testing")
        || file.starts_with("test_")
        || file.ends_with("_test.py")
        || file == "conftest.py"
}

fn locate_apps(
    interp: &mut Interp,
    opts: &InventoryOptions,
    env_files: &[(String, String)],
    modules_by_rel: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<LocatedApp> {
    let mut found: Vec<LocatedApp> = Vec::new();
    let spec = match &opts.app {
        Some(a) => Some((a.clone(), "--app".to_string())),
        None => entry::flask_app_from_env_files(env_files).map(|(v, f)| (v, format!("FLASK_APP in {f}"))),
    };
    let mut primary = None;
    if let Some((spec_s, how)) = &spec {
        match entry::parse_app_spec(spec_s) {
            Ok(spec) => {
                let module = if interp.modules.contains_key(&spec.module) {
                    Some(spec.module.clone())
                } else {
                    entry::module_for_path(&spec.module, modules_by_rel)
                };
                match module {
                    Some(m) => {
                        interp.new_budget();
                        primary = locate_in_module(interp, &m, spec.attr.as_deref(), spec.call.as_ref())
                            .map(|(o, id)| (o, id, how.clone()))
                    }
                    None => diagnostics.push(Diagnostic::new(
                        Code::AppNotFound,
                        "",
                        0,
                        format!("{how} names `{spec_s}`, which is not a module of the project"),
                    )),
                }
            }
            Err(flask_says) => diagnostics.push(Diagnostic::new(
                Code::AppNotFound,
                "",
                0,
                format!("{how} `{spec_s}` cannot be read as Flask reads it: {flask_says}"),
            )),
        }
        if primary.is_none() {
            diagnostics.push(Diagnostic::new(
                Code::AppNotFound,
                "",
                0,
                format!("no Flask application found for {how} `{spec_s}`"),
            ));
        }
    } else {
        for (file, module) in [("wsgi.py", "wsgi"), ("app.py", "app")] {
            if modules_by_rel.contains_key(file) {
                interp.new_budget();
                if let Some((o, id)) = locate_in_module(interp, module, None, None) {
                    primary = Some((o, id, file.to_string()));
                    break;
                }
            }
        }
    }
    let primary_found = primary.is_some();
    if let Some((obj, id, how)) = primary {
        found.push(LocatedApp { obj, id, discovered_by: how });
    }

    // Every other module, so blueprints nobody registers and other apps are seen too.
    let mut names: Vec<(&String, &String)> = modules_by_rel.iter().collect();
    names.sort();
    for (rel, m) in &names {
        if is_test_module(rel) {
            continue;
        }
        interp.new_budget();
        interp.load_module(m);
    }
    // What `python script.py` runs: the `if __name__ == "__main__":` blocks of top-level
    // modules (`main()` wiring the app up), before factories nothing called.
    let mut blocks = std::mem::take(&mut interp.main_blocks);
    blocks.sort_by(|a, b| a.0.file.cmp(&b.0.file));
    for (frame, body) in blocks {
        if is_test_module(&frame.file) || &*frame.file == "setup.py" {
            continue;
        }
        interp.new_budget();
        interp.call_stack.clear();
        interp.exec_block(&body, &frame);
    }
    // Factories nothing called.
    for (rel, m) in &names {
        if is_test_module(rel) {
            continue;
        }
        let Some(scope) = interp.loaded.get(m.as_str()).cloned() else {
            continue;
        };
        for factory in ["create_app", "make_app"] {
            let v = scope.vars.borrow().get(factory).cloned();
            if let Some(Value::Function(f)) = v {
                if f.module.as_ref() != m.as_str() {
                    continue;
                }
                let path = f.path();
                // An app another module made with it and then added to is not what it makes.
                // The app `--app`, FLASK_APP, wsgi.py or app.py names may be such an instance: its
                // factory's own app is then a part of it, not another application.
                let mine: Vec<(usize, bool)> = interp
                    .objs
                    .iter()
                    .enumerate()
                    .filter_map(|(i, o)| match o {
                        Obj::App(a) if a.factory.as_deref() == Some(path.as_str()) => {
                            Some((i, a.extended_after_return()))
                        }
                        _ => None,
                    })
                    .collect();
                let made = mine.iter().any(|&(i, extended)| !extended || found.first().is_some_and(|p| p.obj == i));
                // A factory that needs arguments cannot be called by `flask --app` either: it is
                // a helper other factories call (`factory.create_app(__name__, __path__)`), read
                // as an app only when no app is found otherwise.
                let needs_arguments = f.def.params.iter().any(|p| {
                    p.default.is_none()
                        && matches!(p.kind, parse::ast::ParamKind::Positional | parse::ast::ParamKind::KeywordOnly)
                });
                let any_app = interp.objs.iter().any(|o| matches!(o, Obj::App(_)));
                let helper = needs_arguments && any_app;
                // A factory the project's own code already called, and that made no app of its
                // own, has registered what it registers on an app made elsewhere (a module-level
                // one it returns): a second call would register it twice.
                let called = interp.called.contains(&(Arc::as_ptr(&f.def) as usize)) && mine.is_empty();
                // `def create_app(app: Flask = app)`: it adds to an app made elsewhere, when a
                // caller asks (mlflow's `--app-name basic-auth`); `flask --app` on that app does
                // not call it, so neither does the inventory.
                let extends = f.def.params.iter().find_map(|p| match p.default.as_deref() {
                    Some(parse::ast::Expr::Name(n)) => match f.scope.lookup(n) {
                        Some(Value::Obj(id)) if matches!(interp.objs[id], Obj::App(_)) => Some(n.to_string()),
                        _ => None,
                    },
                    _ => None,
                });
                if let (Some(app), false) = (&extends, called) {
                    interp.diags.push(
                        Diagnostic::new(
                            Code::UnresolvedCall,
                            &*f.file,
                            f.def.line,
                            format!(
                                "`{}` adds to the app `{app}` it takes by default, and nothing in the project calls it: what it registers is not in the inventory",
                                f.def.name
                            ),
                        )
                        .with_help("if the application is served through it, name it with --app"),
                    );
                    continue;
                }
                if !made && !helper && !called {
                    interp.new_budget();
                    interp.call_stack.clear();
                    interp.call_function(&f, &[], &[]);
                }
            }
        }
    }
    // When nothing made an app yet: apps made when a class is instantiated, in its `__new__`
    // (pyload's `App(pycore)` returns one) or `__init__` (locust's `WebUI` keeps one in
    // `self.app`), by code the analysis does not follow. Each class of a module that mentions
    // `Flask` is instantiated once, its arguments unknown.
    if !interp.objs.iter().any(|o| matches!(o, Obj::App(_))) {
        for (rel, m) in &names {
            if is_test_module(rel)
                || !interp.modules.get(m.as_str()).is_some_and(|s| s.names().iter().any(|(n, _)| n == "Flask"))
            {
                continue;
            }
            let Some(scope) = interp.loaded.get(m.as_str()).cloned() else {
                continue;
            };
            let mut classes: Vec<Rc<values::Class>> = scope
                .vars
                .borrow()
                .iter()
                .filter_map(|(_, v)| match v {
                    Value::Class(c) if &*c.module == m.as_str() => Some(c.clone()),
                    _ => None,
                })
                .collect();
            classes.sort_by_key(|c| c.def.line);
            classes.dedup_by(|a, b| Rc::ptr_eq(a, b));
            for c in classes {
                if flask::derives_from(&c, "flask.Blueprint") {
                    continue;
                }
                // A subclass of Flask (Lektor's `WebUI(env)`): made as calling it makes it, its
                // `__init__` run with its arguments unknown.
                if flask::derives_from(&c, "flask.Flask") {
                    let Some(src) = interp.modules.get(m.as_str()) else { continue };
                    let frame = interp::Frame::of_module(m, src, scope.clone());
                    let expr = parse::ast::Expr::Name(c.def.name.clone());
                    let call = interp::Call {
                        args: vec![],
                        kwargs: vec![],
                        expr: &expr,
                        file: frame.file.clone(),
                        line: c.def.line,
                        partial_src: None,
                    };
                    interp.new_budget();
                    interp.call_stack.clear();
                    if let Value::Obj(_) = flask::instantiate(interp, &c, call, &frame) {
                        made_with_unknown_arguments(
                            interp,
                            &frame.file,
                            c.def.line,
                            format!(
                                "the app is a `{}`, and nothing the analysis follows makes one: it was made with its arguments unknown",
                                c.def.name
                            ),
                        );
                    }
                    continue;
                }
                for (method, receiver) in
                    [("__new__", Value::Class(c.clone())), ("__init__", Value::Instance(c.clone()))]
                {
                    let f = c.attrs().get(method).cloned();
                    if let Some(Value::Function(f)) = f {
                        let before = interp.objs.len();
                        interp.new_budget();
                        interp.call_stack.clear();
                        interp.call_function(&f, &[receiver], &[]);
                        if interp.objs[before..].iter().any(|o| matches!(o, Obj::App(_))) {
                            made_with_unknown_arguments(
                                interp,
                                &f.file,
                                f.def.line,
                                format!(
                                    "the app is made in `{}.{method}`, and nothing the analysis follows makes a `{}`: it was run with its arguments unknown",
                                    c.def.name, c.def.name
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
    // Apps created anywhere, one per construction site and factory.
    let mut seen_sites: Vec<String> = found.iter().filter_map(|l| app_site(interp, l.obj)).collect();
    for id in 0..interp.objs.len() {
        let Some(site) = app_site(interp, id) else {
            continue;
        };
        if seen_sites.contains(&site) {
            continue;
        }
        seen_sites.push(site);
        let (app_id, how) = app_id_for(interp, id);
        found.push(LocatedApp { obj: id, id: app_id, discovered_by: how });
    }
    // An app made by calling a helper factory directly comes after one whose factory wraps that
    // helper (lemur's `redis.py` calls `factory.create_app()`, which `lemur.create_app()` calls
    // with the blueprints): the wrapper is the application, whatever the order modules load in.
    let wrapped: Vec<bool> = found
        .iter()
        .map(|l| {
            let factory = match &interp.objs[l.obj] {
                Obj::App(a) => a.factory.clone(),
                _ => None,
            };
            // An instance extended after its factory returned comes after the factory's app too.
            let extended = matches!(&interp.objs[l.obj], Obj::App(a) if a.extended_after_return());
            extended
                || factory.is_some_and(|f| {
                    found.iter().any(|o| matches!(&interp.objs[o.obj], Obj::App(a) if a.inner_factories.contains(&f)))
                })
        })
        .collect();
    let mut rest: Vec<(bool, LocatedApp)> = wrapped.into_iter().zip(found.drain(..)).collect();
    // The app `--app`, FLASK_APP, wsgi.py or app.py names stays first.
    rest[usize::from(primary_found)..].sort_by_key(|(w, _)| *w);
    found.extend(rest.into_iter().map(|(_, l)| l));
    if found.is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::AppNotFound, "", 0, "no Flask application was found")
                .with_help("pass --app module:name or --app 'module:create_app()' as you would to `flask --app`"),
        );
    }
    found
}

/// FD110 for an app found by running a class's code with its arguments unknown.
fn made_with_unknown_arguments(interp: &mut Interp, file: &str, line: u32, message: String) {
    interp.diags.push(
        Diagnostic::new(Code::UnresolvedCall, file, line, message)
            .with_help("what depends on those arguments is listed as dynamic; check the app's routes by hand"),
    );
}

fn app_site(interp: &Interp, id: ObjId) -> Option<String> {
    match &interp.objs[id] {
        Obj::App(a) if a.throwaway => None,
        // An instance extended after its factory returned is an app of its own.
        Obj::App(a) if a.extended_after_return() => {
            Some(format!("{}|{}|{id}", a.site, a.factory.clone().unwrap_or_default()))
        }
        Obj::App(a) => Some(format!("{}|{}", a.site, a.factory.clone().unwrap_or_default())),
        _ => None,
    }
}

/// A `flask --app` value that loads this app: `module:factory()` or `module:variable`.
fn app_id_for(interp: &Interp, id: ObjId) -> (String, String) {
    let Obj::App(a) = &interp.objs[id] else {
        return (String::new(), String::new());
    };
    if let Some(f) = a.factory.as_ref().filter(|_| !a.extended_after_return()) {
        // A module's own function; a method (`webui.WebUI.__init__`) is no `--app` value.
        if let Some((m, name)) = f.rsplit_once('.') {
            if !name.contains('>') && interp.modules.contains_key(m) {
                return (format!("{m}:{name}()"), "factory".into());
            }
        }
    }
    // The variable holding it, `app` and `application` first: in the module that made it, else
    // (made by a factory) in another module.
    let holder = |scope: &std::rc::Rc<values::Scope>| -> Option<String> {
        let vars = scope.vars.borrow();
        vars.iter()
            .filter(|(_, v)| matches!(v, Value::Obj(o) if *o == id))
            .map(|(k, _)| k.to_string())
            .min_by(|x, y| (x != "app", x != "application", x).cmp(&(y != "app", y != "application", y)))
    };
    if let Some(n) = interp.loaded.get(&a.module).and_then(holder) {
        return (format!("{}:{}", a.module, n), "instance".into());
    }
    let elsewhere = interp.loaded.iter().filter_map(|(m, scope)| holder(scope).map(|n| (m.clone(), n))).min_by(
        |(xm, x), (ym, y)| (x != "app", x != "application", xm, x).cmp(&(y != "app", y != "application", ym, y)),
    );
    if let Some((m, n)) = elsewhere {
        return (format!("{m}:{n}"), "instance".into());
    }
    (format!("{}:{}", a.module, a.loc.line), "instance".into())
}

/// `flask.cli.locate_app` / `find_best_app` over the interpreter's view of a module.
fn locate_in_module(
    interp: &mut Interp,
    module: &str,
    attr: Option<&str>,
    call: Option<&entry::SpecCall>,
) -> Option<(ObjId, String)> {
    let scope = interp.load_module(module)?;
    let is_app = |interp: &Interp, v: &Value| matches!(v, Value::Obj(o) if matches!(interp.objs[*o], Obj::App(_)));
    let get = |name: &str| scope.vars.borrow().get(name).cloned();
    match attr {
        Some(name) => {
            let v = get(name)?;
            if let Value::Function(f) = &v {
                let call = call.cloned().unwrap_or_default();
                interp.call_stack.clear();
                let r = interp.call_function(f, &call.args, &call.kwargs);
                if let Value::Obj(o) = r {
                    if is_app(interp, &r) {
                        let args = if call.text.is_empty() { "()" } else { &call.text };
                        return Some((o, format!("{module}:{name}{args}")));
                    }
                }
                return None;
            }
            match v {
                Value::Obj(o) if is_app(interp, &v) => Some((o, format!("{module}:{name}"))),
                _ => None,
            }
        }
        None => {
            for name in ["app", "application"] {
                if let Some(v @ Value::Obj(o)) = get(name) {
                    if is_app(interp, &v) {
                        return Some((o, format!("{module}:{name}")));
                    }
                }
            }
            let mut apps: Vec<(String, ObjId)> = scope
                .vars
                .borrow()
                .iter()
                .filter_map(|(k, v)| match v {
                    Value::Obj(o) if matches!(interp.objs[*o], Obj::App(_)) => Some((k.to_string(), *o)),
                    _ => None,
                })
                .collect();
            apps.sort();
            apps.dedup_by_key(|a| a.1);
            if apps.len() == 1 {
                return Some((apps[0].1, format!("{module}:{}", apps[0].0)));
            }
            for name in ["create_app", "make_app"] {
                if let Some(Value::Function(f)) = get(name) {
                    interp.call_stack.clear();
                    let r = interp.call_function(&f, &[], &[]);
                    if let Value::Obj(o) = r {
                        if is_app(interp, &r) {
                            return Some((o, format!("{module}:{name}()")));
                        }
                    }
                }
            }
            None
        }
    }
}
