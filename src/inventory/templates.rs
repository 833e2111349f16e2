//! Templates: the files in each app's and blueprint's template folder, what they contain, the
//! `render_template` calls in Python code, and the edges between them (used, unused, missing).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::discover::SourceFile;
use crate::inventory::interp::{Frame, Interp, ModuleSrc};
use crate::inventory::model::*;
use crate::inventory::values::{Obj, Value};
use crate::parse::ast::{BinOp, CallExpr, ClassDef, CompareExpr, Expr, FPart, SmallStr, Stmt, RENDER_CALLS};
use crate::parse::jinja;

const RENDER_FUNCTIONS: [&str; 4] = [
    "flask.render_template",
    "flask.render_template_string",
    "flask.stream_template",
    "flask.templating.render_template",
];

pub fn collect(
    inv: &mut Inventory,
    interp: &mut Interp,
    files: &[SourceFile],
    pool: &rayon::ThreadPool,
    ahead: Option<&Ahead>,
    refs: Vec<TemplateRef>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Folders in Flask's search order: the app's, then each blueprint's in registration order.
    let mut folders: Vec<(String, String)> = Vec::new();
    for app in &inv.apps {
        if let Some(t) = &app.template_folder {
            folders.push((t.clone(), "app".into()));
        }
    }
    for bp in &inv.blueprints {
        if let Some(t) = &bp.template_folder {
            folders.push((t.clone(), bp.name.clone()));
        }
    }
    let mut seen_files = HashSet::new();
    let mut candidates: Vec<(String, &SourceFile, String)> = Vec::new();
    for (folder, provider) in &folders {
        let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
        for f in files {
            if let Some(name) = f.rel.strip_prefix(&prefix) {
                // A file inside two folders (the app's `templates/`, a blueprint's
                // `templates/shop`) is found by Flask under both names.
                if f.kind == crate::discover::FileKind::Other && seen_files.insert((f.rel.clone(), name.to_string())) {
                    candidates.push((name.to_string(), f, provider.clone()));
                }
            }
        }
    }
    // Tags of the app's own Jinja extensions: a template scanned ahead without them that fails
    // is scanned again with them.
    let custom_tags = extension_tags(inv, interp);
    let (templates, found): (Vec<Template>, Vec<_>) = pool.install(|| {
        candidates
            .par_iter()
            .map(|(name, f, provider)| {
                let (mut t, d, supp) = match ahead.and_then(|a| a.take(&f.rel, name)) {
                    Some(done) if custom_tags.is_empty() || !matches!(&done.1, Some(d) if d.code == "FD204") => *done,
                    _ => scan_one(name, f, &custom_tags),
                };
                t.provider = provider.clone();
                (t, (d, supp))
            })
            .unzip()
    });
    // A file of a static folder inside a template folder (a built front end: `dist/` holding
    // `index.html` and `dist/static/*.js`) is a static file unless some code or template names it.
    let within = |inner: &str, outer: &str| {
        outer.is_empty() || inner == outer || inner.strip_prefix(outer).is_some_and(|r| r.starts_with('/'))
    };
    let mut static_folders: Vec<String> = inv
        .apps
        .iter()
        .filter_map(|a| a.static_folder.as_ref())
        .chain(inv.blueprints.iter().filter_map(|b| b.static_folder.as_ref()))
        .filter(|s| folders.iter().any(|(t, _)| within(s, t)))
        .map(|f| if f.is_empty() { String::new() } else { format!("{f}/") })
        .collect();
    static_folders.sort();
    static_folders.dedup();
    let in_static = |t: &Template| static_folders.iter().any(|f| t.file.starts_with(f.as_str()));
    let named: HashSet<&str> = if static_folders.is_empty() {
        HashSet::new()
    } else {
        refs.iter()
            .filter_map(|r| r.name.as_deref())
            .chain(
                templates
                    .iter()
                    .filter(|t| !in_static(t))
                    .flat_map(|t| t.extends.iter().chain(&t.includes).chain(&t.imports).map(String::as_str)),
            )
            .collect()
    };
    // With a name nothing is known of, a markup file there may be the one it names.
    let unknown_name = refs.iter().any(|r| r.name.is_none() && r.pattern.is_none() && !r.function.ends_with("_string"));
    let markup = |n: &str| {
        n.rsplit_once('.')
            .is_some_and(|(_, ext)| matches!(ext, "html" | "htm" | "xml" | "txt" | "j2" | "jinja" | "jinja2"))
    };
    let keep: Vec<bool> = templates
        .iter()
        .map(|t| {
            !in_static(t)
                || named.contains(t.name.as_str())
                || refs.iter().any(|r| r.pattern.as_deref().is_some_and(|p| matches_pattern(p, &t.name)))
                || (unknown_name && markup(&t.name))
        })
        .collect();
    drop(named);
    let mut kept = Vec::with_capacity(templates.len());
    for ((t, (d, supp)), keep) in templates.into_iter().zip(found).zip(keep) {
        if !keep {
            continue;
        }
        diagnostics.extend(d);
        inv.suppressions.extend(supp.into_iter().map(|s| crate::inventory::model::SuppressionComment {
            file: t.file.clone(),
            line: s.line,
            codes: s.codes,
            own_line: s.own_line,
        }));
        kept.push(t);
    }
    let mut templates = kept;

    // Edges, use and missing templates. A template an extension of the project ships in its own
    // package (`bootstrap/base.html`) is not missing: `mappings/extensions.toml` lists them.
    let by_name: BTreeMap<String, usize> =
        templates.iter().enumerate().rev().map(|(i, t)| (t.name.clone(), i)).collect();
    let provided: Vec<&str> = inv
        .extensions
        .iter()
        .filter_map(|e| interp.tables.lookup(&e.class))
        .flat_map(|row| row.templates.iter().map(String::as_str))
        .collect();
    let exists = |n: &str| {
        by_name.contains_key(n) || provided.iter().any(|p| if p.ends_with('/') { n.starts_with(p) } else { n == *p })
    };
    // A loader of the project's own decides which file a name means at run time: missing and
    // unused templates are not reported, and each such loader says so once.
    let custom_loader = !interp.custom_loaders.is_empty();
    // So does a template folder computed at run time (FD201 says so where the app is made).
    let unknown_folder = custom_loader || interp.template_folder_unknown;
    let mut loaders = interp.custom_loaders.clone();
    loaders.sort();
    loaders.dedup();
    for (what, loc) in loaders {
        diagnostics.push(
            Diagnostic::new(
                Code::DynamicTemplate,
                loc.file.clone(),
                loc.line,
                format!("templates are loaded by the project's own loader {what}: which file a template name means is known only at run time"),
            )
            .with_help("missing (FD202) and unused (FD203) templates are not reported; check the loader's folders by hand"),
        );
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    for r in &refs {
        match &r.name {
            Some(n) => {
                used.insert(n.clone());
                if !exists(n)
                    && r.function != "render_template_string"
                    && r.function != OWN_JINJA_ENVIRONMENT
                    && !unknown_folder
                {
                    diagnostics.push(Diagnostic::new(
                        Code::MissingTemplate,
                        r.location.file.clone(),
                        r.location.line,
                        format!("template '{n}' is not in any template folder"),
                    ));
                }
            }
            None if r.function.ends_with("_string") => {}
            None => {
                // The templates whose names fit the known parts count as used.
                let matched: Vec<&str> = match &r.pattern {
                    Some(p) => templates.iter().map(|t| t.name.as_str()).filter(|n| matches_pattern(p, n)).collect(),
                    None => vec![],
                };
                used.extend(matched.iter().map(|n| n.to_string()));
                // A name computed for an environment of the project's own (a mail or config
                // renderer) is not one of the app's templates to check.
                if r.function == OWN_JINJA_ENVIRONMENT {
                    continue;
                }
                let message = match &r.pattern {
                    Some(p) => format!(
                        "the template name is computed at run time: `{p}`, which {}",
                        match matched.len() {
                            0 => "no template matches".to_string(),
                            1 => "1 template matches".to_string(),
                            n => format!("{n} templates match"),
                        }
                    ),
                    None => "the template name is computed at run time".to_string(),
                };
                diagnostics.push(
                    Diagnostic::new(Code::DynamicTemplate, r.location.file.clone(), r.location.line, message)
                        .with_help("check that every template it can name exists"),
                );
            }
        }
    }
    for t in &templates {
        for n in t.extends.iter().chain(&t.includes).chain(&t.imports) {
            used.insert(n.clone());
            if !exists(n) && !unknown_folder {
                diagnostics.push(Diagnostic::new(
                    Code::MissingTemplate,
                    t.file.clone(),
                    0,
                    format!("template '{n}' (named by '{}') is not in any template folder", t.name),
                ));
            }
        }
    }
    // Templates an extension renders by a name the configuration gives
    // (`SECURITY_LOGIN_USER_TEMPLATE = "admin/login_user.html"` for Flask-Security).
    for c in &inv.config {
        if let (Some(k), Some(serde_json::Value::String(v))) = (&c.key, &c.value) {
            if k.ends_with("_TEMPLATE") && jinja::TEMPLATE_EXTENSIONS.iter().any(|x| v.ends_with(x)) {
                used.insert(v.clone());
            }
        }
    }
    let dynamic_refs = refs.iter().any(|r| r.name.is_none() && r.pattern.is_none());
    // A project template named like one an extension ships (`security/login_user.html` with
    // Flask-Security) replaces it: the extension renders it.
    for t in &templates {
        if provided.iter().any(|p| if p.ends_with('/') { t.name.starts_with(p) } else { t.name == *p }) {
            used.insert(t.name.clone());
        }
    }
    let used_files: BTreeSet<String> =
        templates.iter().filter(|t| used.contains(&t.name)).map(|t| t.file.clone()).collect();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for t in &mut templates {
        t.used = used.contains(&t.name);
        if !used_files.contains(&t.file)
            && !custom_loader
            && t.status == Status::Resolved
            && reported.insert(t.file.clone())
        {
            let mut d = Diagnostic::new(
                Code::UnusedTemplate,
                t.file.clone(),
                0,
                format!("template '{}' is never referenced", t.name),
            );
            if dynamic_refs {
                d = d.with_help("some templates are named at run time; it may be one of them");
            }
            diagnostics.push(d);
        }
    }
    unknown_endpoints(inv, &templates, diagnostics);
    templates.sort_by(|a, b| (&a.name, &a.file).cmp(&(&b.name, &b.file)));
    inv.stats.template_files = templates.iter().map(|t| &t.file).collect::<BTreeSet<_>>().len();
    inv.templates = templates;
    inv.template_refs = refs;
}

/// The `render_template`-style calls in the project's code, sorted by location. Frees what the
/// interpreter kept of each module for this ([`Interp::after_run`]); the diagnostics the
/// interpreter gives meanwhile are not kept.
pub fn render_refs(interp: &mut Interp, modules: &HashMap<String, ModuleSrc>) -> Vec<TemplateRef> {
    let kept = std::mem::take(&mut interp.diags);
    let mut refs = Refs::default();
    let mut names: Vec<&String> = modules.keys().collect();
    names.sort();
    for m in names {
        let Some(scope) = interp.loaded.get(m.as_str()).cloned() else {
            continue;
        };
        let src = &modules[m];
        let frame = Frame::of_module(m, src, scope.clone());
        let body = interp.after_run.remove(m.as_str()).unwrap_or_default();
        find_render_calls(interp, &body, &frame, "", &mut refs);
    }
    // Calls of a function that passes its argument on as the template name name a template.
    let Refs { list: mut refs, wrappers, pending, .. } = refs;
    for (path, args, keywords, mut r) in pending {
        let Some((index, param, function)) = wrappers.get(&path) else { continue };
        let arg = args.get(*index).or_else(|| keywords.iter().find(|(k, _)| k == param).map(|(_, v)| v));
        if let Some(Value::Str(name)) = arg {
            r.name = Some(name.to_string());
            if function == OWN_JINJA_ENVIRONMENT {
                r.function = function.clone();
            }
            refs.push(r);
        }
    }
    for r in &mut refs {
        if let Some(n) = &mut r.name {
            loader_path(n);
        }
    }
    refs.sort_by(|a: &TemplateRef, b: &TemplateRef| (&a.location, &a.name).cmp(&(&b.location, &b.name)));
    interp.diags = kept;
    refs
}

/// A template name as Jinja's loaders read it (`split_template_path`): empty and `.` segments
/// are dropped, so `/pages/a.html` and `pages/./a.html` are `pages/a.html`.
fn loader_path(name: &mut String) {
    if name.starts_with('/') || name.contains("//") || name.split('/').any(|p| p == ".") {
        *name = name.split('/').filter(|p| !p.is_empty() && *p != ".").collect::<Vec<_>>().join("/");
    }
}

/// The tags of the Jinja extensions of the project's own that the first app loads: each
/// extension class's `tags` attribute (`tags = {"snippet"}`).
fn extension_tags(inv: &Inventory, interp: &Interp) -> Vec<String> {
    let mut out = Vec::new();
    for path in inv.apps.first().map(|a| &a.jinja_extensions[..]).unwrap_or_default() {
        let Some((module, name)) = path.rsplit_once('.') else { continue };
        let Some(scope) = interp.loaded.get(module) else { continue };
        let Some(Value::Class(k)) = scope.vars.borrow().get(name).cloned() else { continue };
        for tag in crate::inventory::interp::class_attr(&k, "tags").and_then(|v| v.elements()).unwrap_or_default() {
            if let Some(t) = tag.as_str() {
                if !out.iter().any(|x: &String| x == t) {
                    out.push(t.to_string());
                }
            }
        }
    }
    out
}

/// Reads and scans one template file under one name, with the tags of the app's own Jinja
/// extensions; the provider is left empty.
fn scan_one(name: &str, f: &SourceFile, custom_tags: &[String]) -> Scan {
    let mut t = Template { name: name.to_string(), file: f.rel.clone(), ..Default::default() };
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            return (
                t,
                Some(Diagnostic::new(Code::UnreadableFile, f.rel.clone(), 0, format!("cannot read the template: {e}"))),
                vec![],
            )
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        // Binary files in a template folder (images, fonts) are not templates.
        t.status = Status::Dynamic;
        return (t, None, vec![]);
    };
    let supp = crate::parse::suppress::suppressions(&text);
    let result = std::panic::catch_unwind(|| jinja::scan_template_with(&text, name, custom_tags));
    match result {
        Ok(Ok(scan)) => {
            t.extends = scan.extends;
            t.includes = scan.includes;
            t.imports = scan.imports;
            for n in t.extends.iter_mut().chain(&mut t.includes).chain(&mut t.imports) {
                loader_path(n);
            }
            t.url_for = scan.url_for;
            t.filters = scan.filters;
            t.macros = scan.macros;
            t.blocks = scan.blocks;
            t.constructs = scan.constructs.into();
            (t, None, supp)
        }
        Ok(Err(e)) => {
            t.status = Status::Dynamic;
            (t, Some(Diagnostic::new(Code::TemplateSyntaxError, f.rel.clone(), e.line, e.message)), supp)
        }
        Err(_) => (
            t,
            Some(Diagnostic::new(Code::InternalError, f.rel.clone(), 0, "internal error while reading this template")),
            supp,
        ),
    }
}

/// FD205 for each literal `url_for` endpoint of a template that no route of the project has: the
/// app's own (no dot) and those of the project's blueprints. Others (an extension's blueprint,
/// relative `.name`) are not checked, nor anything while some endpoint is only known at run time.
fn unknown_endpoints(inv: &Inventory, templates: &[Template], diagnostics: &mut Vec<Diagnostic>) {
    if inv.routes.iter().any(|r| r.endpoint.is_none()) || inv.apps.is_empty() {
        return;
    }
    let endpoints: BTreeSet<&str> = inv.routes.iter().filter_map(|r| r.endpoint.as_deref()).collect();
    let blueprints: BTreeSet<&str> = inv.blueprints.iter().map(|b| b.name.as_str()).collect();
    // Blueprint static endpoints exist when the blueprint has a static folder.
    let statics: BTreeSet<String> =
        inv.blueprints.iter().filter(|b| b.static_folder.is_some()).map(|b| format!("{}.static", b.name)).collect();
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for t in templates {
        for e in &t.url_for {
            let checked = match e.rsplit_once('.') {
                None => !e.is_empty(),
                Some((bp, _)) => !bp.is_empty() && blueprints.contains(bp),
            };
            if !checked || endpoints.contains(e.as_str()) || statics.contains(e) || e == "static" {
                continue;
            }
            if seen.insert((t.file.as_str(), e.as_str())) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownEndpoint,
                        t.file.clone(),
                        0,
                        format!("`url_for('{e}')` names an endpoint no route of the project has"),
                    )
                    .with_help("Flask raises BuildError when the template is rendered: fix the endpoint or the link"),
                );
            }
        }
    }
}

/// A template file's scan under one name, the diagnostic it gave, and its suppression comments.
type Scan = (Template, Option<Diagnostic>, Vec<crate::parse::suppress::Suppression>);

/// Template files scanned ahead of [`collect`], by threads that would otherwise be idle (the
/// parsers, once every Python file is parsed, while the interpreter, the application and model
/// stages go on), before the template folders are known: every file under a folder named
/// `templates` (Flask's default template folder), under each name a `templates` folder on its
/// path gives it. [`collect`] takes the scans of the files it finds in the template folders the
/// project declares, and scans the others itself; a scan is the same wherever it is done.
pub struct Ahead<'f> {
    todo: Vec<(String, &'f SourceFile)>,
    next: std::sync::atomic::AtomicUsize,
    done: Vec<std::sync::Mutex<Option<Box<Scan>>>>,
    /// Where each (file, name) is in `todo`.
    index: HashMap<(&'f str, String), usize>,
}

impl<'f> Ahead<'f> {
    pub fn new(files: &'f [SourceFile]) -> Self {
        let mut todo: Vec<(String, &SourceFile)> = Vec::new();
        for f in files.iter().filter(|f| f.kind == crate::discover::FileKind::Other) {
            let mut rest = f.rel.as_str();
            while let Some((dir, tail)) = rest.split_once('/') {
                if dir == "templates" {
                    todo.push((tail.to_string(), f));
                }
                rest = tail;
            }
        }
        let index = todo.iter().enumerate().map(|(i, (name, f))| ((f.rel.as_str(), name.clone()), i)).collect();
        let done = todo.iter().map(|_| std::sync::Mutex::new(None)).collect();
        Ahead { todo, next: 0.into(), done, index }
    }

    /// Scans files not yet taken by another thread, until none is left.
    pub fn work(&self) {
        loop {
            let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((name, f)) = self.todo.get(i) else { break };
            let scan = Box::new(scan_one(name, f, &[]));
            *self.done[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(scan);
        }
    }

    fn take(&self, rel: &str, name: &str) -> Option<Box<Scan>> {
        let i = *self.index.get(&(rel, name.to_string()))?;
        self.done[i].lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// A call of a project function with a template-like first argument: the function's path, the
/// positional arguments, the keywords, and the reference it is if the function is a wrapper.
type PendingCall = (String, Vec<Value>, Vec<(String, Value)>, TemplateRef);

/// What the walk for template references gathers.
#[derive(Default)]
struct Refs {
    list: Vec<TemplateRef>,
    /// Functions that pass one of their parameters on as the template name
    /// (`def render_page(name, **kw): return render_template(name, **kw)`), by path: the
    /// position of that parameter, its name, and the function it is passed to.
    wrappers: HashMap<String, (usize, String, String)>,
    /// Calls of project functions with a literal template-like argument, resolved against
    /// `wrappers` once every module is walked: (function path, arguments, keywords, the reference).
    pending: Vec<PendingCall>,
    /// The function being walked, when it is a module-level function: its parameters.
    function: Option<std::sync::Arc<crate::parse::ast::FunctionDef>>,
    /// What the names in scope (`template`, `self.template`) are assigned that may name a
    /// template ([`template_assignment`]): the function's own assignments, its class's
    /// attributes and every method's `self.x = ...`.
    names: HashMap<String, Vec<Expr>>,
}

fn find_render_calls(interp: &mut Interp, body: &[Stmt], frame: &Frame, caller: &str, out: &mut Refs) {
    for s in body {
        match s {
            Stmt::FunctionDef(f) => {
                // An elided body whose skeleton holds only its bound names has no call to find.
                if f.elided
                    .as_ref()
                    .is_some_and(|e| e.skeleton.iter().all(|s| matches!(s, Stmt::Assign { value: Expr::NoneLit, .. })))
                {
                    continue;
                }
                let caller = if caller.is_empty() {
                    format!("{}.{}", frame.module, f.name)
                } else {
                    format!("{caller}.{}", f.name)
                };
                // Locals shadow module globals: names bound in the function are unknown here.
                let local = interp.new_scope(Some(frame.scope.clone()));
                for p in &f.params {
                    local.set(&p.name, Value::Unknown);
                }
                let body = f.render_body();
                shadow_assigned(body, &mut |n| local.set(n, Value::Unknown));
                let inner = Frame { scope: local, ..frame.clone() };
                let module_level = caller.matches('.').count() == frame.module.matches('.').count() + 1;
                let outer = std::mem::replace(&mut out.function, module_level.then(|| f.clone()));
                let mut names: HashMap<String, Vec<Expr>> = out
                    .names
                    .iter()
                    .filter(|(k, _)| k.starts_with("self."))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                template_assignments(body, &mut names);
                let outer_names = std::mem::replace(&mut out.names, names);
                find_render_calls(interp, body, &inner, &caller, out);
                out.function = outer;
                out.names = outer_names;
            }
            // A function's own `from flask import render_template`.
            Stmt::ImportFrom { module: Some(m), level: 0, names, .. } if is_flask_module(m) => {
                for a in names {
                    let name = a.asname.as_deref().unwrap_or(&a.name);
                    frame.scope.set(name, Value::External(format!("{m}.{}", a.name).as_str().into()));
                }
            }
            Stmt::ClassDef(c) => {
                let caller = if caller.is_empty() {
                    format!("{}.{}", frame.module, c.name)
                } else {
                    format!("{caller}.{}", c.name)
                };
                // `self.template` in a method: the class's attribute, or what a method assigns.
                let mut names: HashMap<String, Vec<Expr>> = HashMap::new();
                if let Some(Value::Class(cv)) = frame.scope.lookup(&c.name) {
                    for (k, v) in cv.attrs().iter() {
                        if let Value::Str(text) = v {
                            let e = Expr::Str(text.as_ref().into());
                            if template_like(&e) {
                                names.entry(format!("self.{k}")).or_default().push(e);
                            }
                        }
                    }
                }
                for m in &c.body {
                    if let Stmt::FunctionDef(d) = m {
                        let mut own = HashMap::new();
                        template_assignments(d.render_body(), &mut own);
                        for (k, v) in own.into_iter().filter(|(k, _)| k.starts_with("self.")) {
                            names.entry(k).or_default().extend(v);
                        }
                    }
                }
                // A subclass of a library's class naming templates the library renders:
                // Flask-Admin's `list_template = "list.html"` on a ModelView (sandman2's admin),
                // Flask-AppBuilder's `edit_template` on its ModelView.
                // The body has run: an attribute's value is the class's, its line the binding's.
                if let Some(Value::Class(cv)) = frame.scope.lookup(&c.name) {
                    let mut bases = Vec::new();
                    crate::inventory::interp::external_bases(&cv, &mut bases);
                    if let Some(base) = bases.first() {
                        for m in &c.body {
                            let Stmt::Assign { targets, line, .. } = m else { continue };
                            let [Expr::Name(n)] = &targets[..] else { continue };
                            if !n.ends_with("_template") {
                                continue;
                            }
                            let value = match cv.attrs().get(n.as_str()) {
                                Some(Value::Str(text)) => Expr::Str(text.as_ref().into()),
                                _ => continue,
                            };
                            library_template(&value, &format!("{base}.{n}"), frame, &caller, *line, out);
                        }
                    }
                }
                let outer_names = std::mem::replace(&mut out.names, names);
                find_render_calls(interp, &c.body, frame, &caller, out);
                out.names = outer_names;
            }
            other => {
                let mut exprs: Vec<&Expr> = Vec::new();
                let mut blocks: Vec<&[Stmt]> = Vec::new();
                for_each_expr(other, &mut |e| exprs.push(e), &mut |b| blocks.push(b));
                for e in exprs {
                    visit_expr(interp, e, frame, caller, out);
                }
                for b in blocks {
                    find_render_calls(interp, b, frame, caller, out);
                }
            }
        }
    }
}

/// Calls `set` with every name a function body binds (outside nested definitions).
fn shadow_assigned(body: &[Stmt], set: &mut dyn FnMut(&str)) {
    for s in body {
        match s {
            Stmt::Assign { targets, .. } => {
                for t in targets {
                    shadow_target(t, set);
                }
            }
            Stmt::AugAssign { target, .. } => shadow_target(target, set),
            Stmt::For { target, body, orelse, .. } => {
                shadow_target(target, set);
                shadow_assigned(body, set);
                shadow_assigned(orelse, set);
            }
            Stmt::If { branches, .. } => branches.iter().for_each(|(_, b)| shadow_assigned(b, set)),
            Stmt::While { body, orelse, .. } => {
                shadow_assigned(body, set);
                shadow_assigned(orelse, set);
            }
            Stmt::With { items, body, .. } => {
                for (_, v) in items {
                    if let Some(v) = v {
                        shadow_target(v, set);
                    }
                }
                shadow_assigned(body, set);
            }
            Stmt::Try { body, handlers, orelse, finalbody, .. } => {
                shadow_assigned(body, set);
                handlers.iter().for_each(|h| shadow_assigned(h, set));
                shadow_assigned(orelse, set);
                shadow_assigned(finalbody, set);
            }
            Stmt::Match { cases, .. } => cases.iter().for_each(|c| shadow_assigned(c, set)),
            Stmt::Import { names, .. } | Stmt::ImportFrom { names, .. } => {
                for a in names {
                    set(a.asname.as_deref().unwrap_or(a.name.split('.').next().unwrap_or(&a.name)));
                }
            }
            Stmt::FunctionDef(f) => set(&f.name),
            Stmt::ClassDef(c) => set(&c.name),
            _ => {}
        }
    }
}

fn shadow_target(t: &Expr, set: &mut dyn FnMut(&str)) {
    match t {
        Expr::Name(n) => set(n),
        Expr::Tuple(items) | Expr::List(items) => items.iter().for_each(|i| shadow_target(i, set)),
        Expr::Starred(i) => shadow_target(i, set),
        _ => {}
    }
}

/// What [`find_render_calls`] reads of a function body, for a body left out of the kept tree
/// ([`crate::parse::ast::ElidedBody::skeleton`]): one assignment to every name
/// [`shadow_assigned`] finds, then the template-rendering calls and nested definitions in the
/// order [`find_render_calls`] meets them; empty when there are no such calls or definitions.
/// Walking the skeleton records the same references.
pub(crate) fn render_skeleton(body: &[Stmt]) -> Vec<Stmt> {
    let mut items = Vec::new();
    skeleton_items(body, &mut items);
    // Without calls or definitions there is nothing to find, and the bound names are not needed.
    if items.is_empty() {
        return items;
    }
    let mut names: Vec<SmallStr> = Vec::new();
    shadow_assigned(body, &mut |n| names.push(n.into()));
    names.sort();
    names.dedup();
    let mut out = Vec::with_capacity(items.len() + 1);
    if !names.is_empty() {
        out.push(Stmt::Assign {
            targets: names.into_iter().map(Expr::Name).collect(),
            value: Expr::NoneLit,
            annotation: None,
            line: 0,
        });
    }
    out.append(&mut items);
    out
}

pub(crate) fn skeleton_items(body: &[Stmt], out: &mut Vec<Stmt>) {
    for s in body {
        match s {
            Stmt::FunctionDef(_) => out.push(s.clone()),
            // `from flask import render_template` inside the function.
            Stmt::ImportFrom { module: Some(m), level: 0, .. } if is_flask_module(m) => out.push(s.clone()),
            Stmt::ClassDef(c) => {
                let mut inner = Vec::new();
                skeleton_items(&c.body, &mut inner);
                out.push(Stmt::ClassDef(std::sync::Arc::new(ClassDef {
                    after_run: Default::default(),
                    name: c.name.clone(),
                    // Read by the model stage: a model class defined in a function not called.
                    bases: c.bases.clone(),
                    keywords: Vec::new(),
                    decorators: Vec::new(),
                    body: inner,
                    line: c.line,
                    start_line: c.start_line,
                    end_line: c.end_line,
                })));
            }
            other => {
                // Kept whole (a walk of it meets the calls in its value, as in the body).
                if template_assignment(other).is_some() {
                    out.push(other.clone());
                    continue;
                }
                let mut exprs: Vec<&Expr> = Vec::new();
                let mut blocks: Vec<&[Stmt]> = Vec::new();
                for_each_expr(other, &mut |e| exprs.push(e), &mut |b| blocks.push(b));
                for e in exprs {
                    skeleton_calls(e, out);
                }
                for b in blocks {
                    skeleton_items(b, out);
                }
            }
        }
    }
}

/// The template-rendering calls [`visit_expr`] would meet first in `e`, each as a statement
/// ([`visit_expr`] finds any nested in them when it visits them).
fn skeleton_calls(e: &Expr, out: &mut Vec<Stmt>) {
    match e {
        Expr::Call(c) => {
            let CallExpr { func, args, keywords, .. } = &**c;
            if render_call_name(func).is_some() {
                out.push(Stmt::Expr { value: e.clone(), line: 0 });
                return;
            }
            // A call that may be a wrapper of render_template's, with its literal template name.
            if passes_template_name(c) {
                out.push(Stmt::Expr { value: e.clone(), line: 0 });
                return;
            }
            skeleton_calls(func, out);
            args.iter().for_each(|a| skeleton_calls(a, out));
            keywords.iter().for_each(|k| skeleton_calls(&k.value, out));
        }
        Expr::Attribute(a) => skeleton_calls(&a.value, out),
        Expr::Not(value) | Expr::Neg(value) | Expr::Starred(value) => skeleton_calls(value, out),
        Expr::List(items) | Expr::Tuple(items) | Expr::Set(items) => items.iter().for_each(|i| skeleton_calls(i, out)),
        Expr::BoolOp { values, .. } => values.iter().for_each(|i| skeleton_calls(i, out)),
        Expr::Dict(items) => {
            for (k, v) in items {
                if let Some(k) = k {
                    skeleton_calls(k, out);
                }
                skeleton_calls(v, out);
            }
        }
        Expr::BinOp { left, right, .. } => {
            skeleton_calls(left, out);
            skeleton_calls(right, out);
        }
        Expr::IfExp { test, body, orelse } => {
            skeleton_calls(test, out);
            skeleton_calls(body, out);
            skeleton_calls(orelse, out);
        }
        Expr::Compare(c) => {
            let CompareExpr { left, comparators, .. } = &**c;
            skeleton_calls(left, out);
            comparators.iter().for_each(|c| skeleton_calls(c, out));
        }
        Expr::Subscript { value, index } => {
            skeleton_calls(value, out);
            skeleton_calls(index, out);
        }
        Expr::FString(parts) => {
            for p in parts {
                if let FPart::Expr { value, .. } = p {
                    skeleton_calls(value, out);
                }
            }
        }
        _ => {}
    }
}

/// The parameter an argument passes on unchanged, by position among the positional parameters
/// and name: `name` in `render_template(name, ...)` of `def render_page(name, **kw)`, `*args` in
/// `render_template(*args, **kwargs)` (its first item).
fn passed_parameter(arg: &Expr, params: Option<&[crate::parse::ast::Param]>) -> Option<(usize, String)> {
    use crate::parse::ast::ParamKind;
    let params = params?;
    let positional = || params.iter().filter(|p| p.kind == ParamKind::Positional);
    match arg {
        Expr::Name(n) => positional()
            .position(|p| p.name == *n)
            .map(|i| (i, n.to_string()))
            .filter(|(i, _)| !(*i == 0 && matches!(n.as_str(), "self" | "cls"))),
        Expr::Starred(inner) => match inner.as_ref() {
            Expr::Name(n) if params.iter().any(|p| p.kind == ParamKind::VarArgs && p.name == *n) => {
                Some((positional().count(), String::new()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Whether a call passes a literal that looks like a template name, in any place (pygeoapi's
/// `render_j2_template(config, tpl_config, "landing_page.html", data)`).
fn passes_template_name(c: &CallExpr) -> bool {
    c.args.iter().chain(c.keywords.iter().map(|k| &k.value)).any(template_like)
}

/// A literal that looks like a template name: `"books/list.html"`.
fn template_like(e: &Expr) -> bool {
    matches!(e, Expr::Str(s) if jinja::TEMPLATE_EXTENSIONS.iter().any(|x| s.ends_with(x)) && !s.contains(' '))
}

fn is_flask_module(m: &str) -> bool {
    m == "flask" || m.starts_with("flask.")
}

/// `render_template` in `render_template(...)` or `flask.render_template(...)`, when the
/// called name ends with one of [`RENDER_CALLS`]: an import alias such as
/// `flask_render_template` too. Whether it is Flask's is for the caller to find out.
fn render_call_name(func: &Expr) -> Option<&str> {
    let last = match func {
        Expr::Name(n) => n.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return None,
    };
    RENDER_CALLS.iter().any(|c| last.ends_with(c)).then_some(last)
}

/// Call `f` on each expression of a statement and `block` on each nested block.
pub(crate) fn for_each_expr<'s>(s: &'s Stmt, f: &mut dyn FnMut(&'s Expr), block: &mut dyn FnMut(&'s [Stmt])) {
    match s {
        Stmt::Assign { targets, value, .. } => {
            targets.iter().for_each(&mut *f);
            f(value);
        }
        Stmt::AugAssign { value, .. } => f(value),
        Stmt::Expr { value, .. } => f(value),
        Stmt::Return { value: Some(v), .. } => f(v),
        Stmt::For { iter, body, orelse, .. } => {
            f(iter);
            block(body);
            block(orelse);
        }
        Stmt::While { test, body, orelse, .. } => {
            f(test);
            block(body);
            block(orelse);
        }
        Stmt::If { branches, .. } => {
            for (t, b) in branches {
                if let Some(t) = t {
                    f(t);
                }
                block(b);
            }
        }
        Stmt::With { items, body, .. } => {
            for (e, _) in items {
                f(e);
            }
            block(body);
        }
        Stmt::Try { body, handlers, orelse, finalbody, .. } => {
            block(body);
            for h in handlers {
                block(h);
            }
            block(orelse);
            block(finalbody);
        }
        Stmt::Match { cases, .. } => cases.iter().for_each(|c| block(c)),
        _ => {}
    }
}

/// The known parts of a template name computed at run time, `*` for each unknown part: the
/// literal text of `%` formatting, `str.format`, f-strings and `+` (`*` for a placeholder).
fn name_pattern(interp: &mut Interp, e: &Expr, frame: &Frame) -> String {
    let mut out = match e {
        Expr::BinOp { left, op: BinOp::Add, right } => {
            format!("{}{}", name_pattern(interp, left, frame), name_pattern(interp, right, frame))
        }
        Expr::BinOp { left, op: BinOp::Mod, .. } => match interp.eval(left, frame) {
            Value::Str(s) => printf_pattern(&s),
            _ => "*".into(),
        },
        Expr::FString(parts) => parts
            .iter()
            .map(|p| match p {
                FPart::Lit(l) => l.to_string(),
                FPart::Expr { value, spec } => match (interp.eval(value, frame), spec) {
                    (Value::Str(s), None) => s.to_string(),
                    _ => "*".into(),
                },
            })
            .collect(),
        Expr::Call(c) => match &c.func {
            Expr::Attribute(a) if a.attr.as_str() == "format" => match interp.eval(&a.value, frame) {
                Value::Str(s) => format_pattern(&s),
                _ => "*".into(),
            },
            _ => "*".into(),
        },
        _ => match interp.eval(e, frame) {
            Value::Str(s) => s.to_string(),
            _ => "*".into(),
        },
    };
    while out.contains("**") {
        out = out.replace("**", "*");
    }
    out
}

/// `errors/%s.html` → `errors/*.html`; `%%` is a `%`.
fn printf_pattern(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        // `%(name)s`, flags, width, precision, then the conversion letter.
        if chars.peek() == Some(&'(') {
            for c in chars.by_ref() {
                if c == ')' {
                    break;
                }
            }
        }
        for c in chars.by_ref() {
            if c.is_ascii_alphabetic() {
                break;
            }
        }
        out.push('*');
    }
    out
}

/// `mail/{}.txt` → `mail/*.txt`; `{{` and `}}` are braces.
fn format_pattern(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
                out.push('*');
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether a template name matches a pattern of [`name_pattern`] (`*`: any text, `/` too).
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = parts.split_first().unwrap();
    let Some(mut tail) = name.strip_prefix(first) else { return false };
    let Some((last, middle)) = rest.split_last() else { return tail.is_empty() };
    for part in middle {
        match tail.find(part) {
            Some(i) => tail = &tail[i + part.len()..],
            None => return false,
        }
    }
    tail.len() >= last.len() && tail.ends_with(last)
}

/// An assignment that may name a template: one target (a name, or `self.x`) and a value with a
/// template-like literal among its branches (`"a.html"`, `name or "index.html"`,
/// `"a.html" if wide else "b.html"`). Its key is the target as written.
fn template_assignment(s: &Stmt) -> Option<(String, &Expr)> {
    let Stmt::Assign { targets, value, .. } = s else { return None };
    let [target] = &targets[..] else { return None };
    let key = match target {
        Expr::Name(n) => n.to_string(),
        Expr::Attribute(a) if matches!(&a.value, Expr::Name(s) if s == "self") => format!("self.{}", a.attr),
        _ => return None,
    };
    fn literal(e: &Expr) -> bool {
        match e {
            Expr::BoolOp { values, .. } => values.iter().any(literal),
            Expr::IfExp { body, orelse, .. } => literal(body) || literal(orelse),
            // A computed name whose known parts look like a template's (`f"pages/{name}.html"`,
            // `"errors/%s.html" % code`, `"{}.html".format(page)`, `page + ".html"`).
            Expr::FString(parts) => parts.iter().any(|p| matches!(p, FPart::Lit(l) if names_template(l))),
            Expr::BinOp { left, op: BinOp::Mod, .. } => matches!(&**left, Expr::Str(l) if names_template(l)),
            Expr::BinOp { left, op: BinOp::Add, right } => {
                [left, right].iter().any(|x| literal(x) || matches!(&***x, Expr::Str(l) if names_template(l)))
            }
            Expr::Call(c) => matches!(&c.func, Expr::Attribute(a)
                if a.attr.as_str() == "format" && matches!(&a.value, Expr::Str(l) if names_template(l))),
            e => template_like(e),
        }
    }
    literal(value).then_some((key, value))
}

/// A literal part of a computed name that holds a template's extension.
fn names_template(part: &str) -> bool {
    [".html", ".htm", ".xml", ".txt", ".j2", ".jinja"].iter().any(|x| part.contains(x))
}

/// The template assignments of a body ([`template_assignment`]), nested blocks included and
/// nested definitions left out.
fn template_assignments(body: &[Stmt], out: &mut HashMap<String, Vec<Expr>>) {
    for s in body {
        match s {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            other => {
                if let Some((key, value)) = template_assignment(other) {
                    out.entry(key).or_default().push(value.clone());
                }
                let mut blocks: Vec<&[Stmt]> = Vec::new();
                for_each_expr(other, &mut |_| {}, &mut |b| blocks.push(b));
                for b in blocks {
                    template_assignments(b, out);
                }
            }
        }
    }
}

/// One template name an expression may give: a literal, or one computed at run time with the
/// pattern of its known parts (`errors/*.html`), if any.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Alternative {
    Name(String),
    Computed(Option<String>),
}

/// The template names an expression may give when its value is not known: the literal branches
/// of `name or "index.html"` and `"a.html" if wide else "b.html"`, and one `None` for the
/// branches only known at run time. `value` is the expression's value when the caller has
/// already evaluated it (evaluating calls a function again).
fn alternatives(
    interp: &mut Interp,
    e: &Expr,
    value: Option<Value>,
    frame: &Frame,
    names: &HashMap<String, Vec<Expr>>,
    depth: usize,
) -> Vec<Alternative> {
    if depth > 8 {
        return vec![Alternative::Computed(None)];
    }
    let mut out: Vec<Alternative> = match e {
        Expr::BoolOp { op: crate::parse::ast::BoolOp::Or, values } => {
            values.iter().flat_map(|v| alternatives(interp, v, None, frame, names, depth + 1)).collect()
        }
        Expr::IfExp { body, orelse, .. } => {
            let mut v = alternatives(interp, body, None, frame, names, depth + 1);
            v.extend(alternatives(interp, orelse, None, frame, names, depth + 1));
            v
        }
        _ => match value.unwrap_or_else(|| interp.eval(e, frame)) {
            Value::Str(s) => vec![Alternative::Name(s.to_string())],
            _ => match e.dotted().and_then(|k| names.get(&k)) {
                // A name (or `self.x`) the function or class assigns template names to.
                Some(assigned) => {
                    assigned.iter().flat_map(|a| alternatives(interp, a, None, frame, names, depth + 1)).collect()
                }
                None => {
                    vec![Alternative::Computed(
                        Some(name_pattern(interp, e, frame)).filter(|p| p.chars().any(|c| c != '*')),
                    )]
                }
            },
        },
    };
    let mut seen = HashSet::new();
    out.retain(|n| seen.insert(n.clone()));
    out
}

/// A template a library renders by the name a setting of it gives (`setting`, as
/// `flask_admin.Admin.base_template`), when the value is a literal template name.
fn library_template(value: &Expr, setting: &str, frame: &Frame, caller: &str, line: u32, out: &mut Refs) {
    let Expr::Str(name) = value else { return };
    if !template_like(value) {
        return;
    }
    out.list.push(TemplateRef {
        pattern: None,
        name: Some(name.to_string()),
        function: setting.to_string(),
        caller: if caller.is_empty() { None } else { Some(caller.to_string()) },
        location: Location { file: frame.file.clone(), line },
        status: Status::Resolved,
    });
}

/// A call of the project function `fv` with a literal template name first: a template reference
/// once every module is walked, if the function passes it on to Flask's `render_template`.
fn pending_wrapper_call(interp: &mut Interp, fv: &Value, c: &CallExpr, frame: &Frame, caller: &str, out: &mut Refs) {
    let Value::Function(f) = fv else { return };
    let argv: Vec<Value> =
        c.args.iter().take_while(|a| !matches!(a, Expr::Starred(_))).map(|a| interp.eval(a, frame)).collect();
    let kw: Vec<(String, Value)> = c
        .keywords
        .iter()
        .filter_map(|k| k.arg.as_ref().map(|n| (n.to_string(), interp.eval(&k.value, frame))))
        .collect();
    let r = TemplateRef {
        pattern: None,
        name: None,
        function: "render_template".into(),
        caller: if caller.is_empty() { None } else { Some(caller.to_string()) },
        location: Location { file: frame.file.clone(), line: c.line },
        status: Status::Resolved,
    };
    out.pending.push((f.path(), argv, kw, r));
}

fn visit_expr(interp: &mut Interp, e: &Expr, frame: &Frame, caller: &str, out: &mut Refs) {
    match e {
        Expr::Call(c) => {
            let CallExpr { func, args, keywords, line } = &**c;
            if render_call_name(func).is_some() {
                let fv = interp.eval(func, frame);
                let flask_function = match &fv {
                    Value::External(p)
                        if RENDER_FUNCTIONS.contains(&p.as_ref())
                            || matches!(
                                p.as_ref(),
                                "flask.stream_template_string" | "flask.get_template_attribute"
                            ) =>
                    {
                        // The function's own name, whatever name it was imported under.
                        Some(p.rsplit('.').next().unwrap_or_default().to_string())
                    }
                    // `app.jinja_env.get_template(name)`: a template of the app's environment.
                    Value::Method(m)
                        if m.1.as_str() == "get_template"
                            && matches!(m.0, Value::Obj(id) if matches!(&interp.objs[id], Obj::Jinja(_, k) if k.is_empty())) =>
                    {
                        Some("get_template".to_string())
                    }
                    // `env.get_template(name)` on a Jinja environment of the project's own
                    // (pygeoapi's, errbot's): the template is used, wherever its loader looks.
                    Value::Unknown | Value::External(_) if matches!(func, Expr::Attribute(a) if a.attr.as_str() == "get_template") => {
                        Some(OWN_JINJA_ENVIRONMENT.to_string())
                    }
                    _ => None,
                };
                if let Some(last) = flask_function {
                    let first = args.first().or_else(|| {
                        keywords
                            .iter()
                            .find(|k| matches!(k.arg.as_deref(), Some("template_name_or_list" | "source")))
                            .map(|k| &k.value)
                    });
                    // A parameter passed on as the template name: the function is a wrapper,
                    // and its callers name the templates.
                    if !last.ends_with("_string") {
                        if let Some((index, param)) =
                            first.and_then(|a| passed_parameter(a, out.function.as_deref().map(|f| &f.params[..])))
                        {
                            out.wrappers.insert(caller.to_string(), (index, param, last.clone()));
                            return;
                        }
                    }
                    let names: Vec<Alternative> = if last.ends_with("_string") {
                        vec![Alternative::Computed(None)]
                    } else {
                        match first.map(|a| (a, interp.eval(a, frame))) {
                            Some((_, Value::Str(s))) => vec![Alternative::Name(s.to_string())],
                            Some((_, v @ (Value::List(_) | Value::Tuple(_)))) => v
                                .elements()
                                .unwrap_or_default()
                                .iter()
                                .map(|x| match x.as_str() {
                                    Some(n) => Alternative::Name(n.to_string()),
                                    None => Alternative::Computed(None),
                                })
                                .collect(),
                            Some((a, v)) => alternatives(interp, a, Some(v), frame, &out.names, 0),
                            None => vec![Alternative::Computed(None)],
                        }
                    };
                    for alt in names {
                        let (n, pattern) = match alt {
                            Alternative::Name(n) => (Some(n), None),
                            Alternative::Computed(p) => (None, p),
                        };
                        // Through an environment of the project's own, a name nothing is known
                        // of says nothing about the app's templates.
                        if last == OWN_JINJA_ENVIRONMENT && n.is_none() && pattern.is_none() {
                            continue;
                        }
                        let status = if n.is_some() { Status::Resolved } else { Status::Dynamic };
                        out.list.push(TemplateRef {
                            pattern,
                            name: if last.ends_with("_string") { None } else { n },
                            function: last.clone(),
                            caller: if caller.is_empty() { None } else { Some(caller.to_string()) },
                            location: Location { file: frame.file.clone(), line: *line },
                            status: if last.ends_with("_string") { Status::Resolved } else { status },
                        });
                    }
                } else if matches!(fv, Value::Function(_)) && passes_template_name(c) {
                    // The project's own function named like Flask's (FlaskBB's
                    // `helpers.render_template`): perhaps a wrapper of Flask's.
                    pending_wrapper_call(interp, &fv, c, frame, caller, out);
                } else if let (Expr::Attribute(a), Some(Expr::Str(name))) = (func, args.first()) {
                    // A library view class's `self.render_template("page.html")` (Flask-AppBuilder's
                    // BaseView) renders a template of the app's environment by its literal name.
                    if a.attr.as_str() == "render_template"
                        && !matches!(fv, Value::Function(_))
                        && template_like(&args[0])
                    {
                        out.list.push(TemplateRef {
                            pattern: None,
                            name: Some(name.to_string()),
                            function: "render_template".into(),
                            caller: if caller.is_empty() { None } else { Some(caller.to_string()) },
                            location: Location { file: frame.file.clone(), line: *line },
                            status: Status::Resolved,
                        });
                    }
                }
            } else if passes_template_name(c) {
                // Perhaps a wrapper of render_template (known once every module is walked).
                let fv = interp.eval(func, frame);
                if let Value::External(class) = &fv {
                    // A library's setting naming a template it renders: Flask-Admin's
                    // `Admin(app, base_template="layout.html")` (sandman2).
                    for k in keywords {
                        if let Some(setting) = k.arg.as_deref().filter(|a| a.ends_with("_template")) {
                            library_template(&k.value, &format!("{class}.{setting}"), frame, caller, *line, out);
                        }
                    }
                }
                pending_wrapper_call(interp, &fv, c, frame, caller, out);
            }
            visit_expr(interp, func, frame, caller, out);
            for a in args {
                visit_expr(interp, a, frame, caller, out);
            }
            for k in keywords {
                visit_expr(interp, &k.value, frame, caller, out);
            }
        }
        Expr::Attribute(a) => visit_expr(interp, &a.value, frame, caller, out),
        Expr::Not(value) | Expr::Neg(value) | Expr::Starred(value) => visit_expr(interp, value, frame, caller, out),
        Expr::List(items) | Expr::Tuple(items) | Expr::Set(items) => {
            items.iter().for_each(|i| visit_expr(interp, i, frame, caller, out))
        }
        Expr::BoolOp { values, .. } => values.iter().for_each(|i| visit_expr(interp, i, frame, caller, out)),
        Expr::Dict(items) => {
            for (k, v) in items {
                if let Some(k) = k {
                    visit_expr(interp, k, frame, caller, out);
                }
                visit_expr(interp, v, frame, caller, out);
            }
        }
        Expr::BinOp { left, right, .. } => {
            visit_expr(interp, left, frame, caller, out);
            visit_expr(interp, right, frame, caller, out);
        }
        Expr::IfExp { test, body, orelse } => {
            visit_expr(interp, test, frame, caller, out);
            visit_expr(interp, body, frame, caller, out);
            visit_expr(interp, orelse, frame, caller, out);
        }
        Expr::Compare(c) => {
            let CompareExpr { left, comparators, .. } = &**c;
            visit_expr(interp, left, frame, caller, out);
            comparators.iter().for_each(|c| visit_expr(interp, c, frame, caller, out));
        }
        Expr::Subscript { value, index } => {
            visit_expr(interp, value, frame, caller, out);
            visit_expr(interp, index, frame, caller, out);
        }
        Expr::FString(parts) => {
            for p in parts {
                if let FPart::Expr { value, .. } = p {
                    visit_expr(interp, value, frame, caller, out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_parts_of_computed_names() {
        assert_eq!(printf_pattern("errors/%s.html"), "errors/*.html");
        assert_eq!(printf_pattern("mail/%(lang)s/%03d%%.txt"), "mail/*/*%.txt");
        assert_eq!(format_pattern("mail/{}.{lang!r:>3}.j2"), "mail/*.*.j2");
        assert_eq!(format_pattern("{{literal}}/{0}.html"), "{literal}/*.html");
    }

    #[test]
    fn patterns_match_as_globs() {
        assert!(matches_pattern("errors/*.html", "errors/404.html"));
        assert!(matches_pattern("errors/*.html", "errors/http/500.html"));
        assert!(!matches_pattern("errors/*.html", "errors/404.txt"));
        assert!(!matches_pattern("errors/*.html", "base.html"));
        assert!(matches_pattern("*.html", "a.html"));
        assert!(matches_pattern("a*b*c", "abc"));
        assert!(!matches_pattern("a*bc*c", "abc"));
        assert!(matches_pattern("exact.html", "exact.html"));
        assert!(!matches_pattern("exact.html", "exact.html.bak"));
        // The prefix and the suffix do not overlap.
        assert!(!matches_pattern("ab*ba", "aba"));
    }
}
