//! Leaving out of the kept syntax trees what later stages do not read: function bodies right
//! after parsing, and module and class bodies once they have run.
//!
//! Most of a project's code is in function bodies the interpreter never runs: views, services,
//! methods. Right after a file is parsed (on the worker thread), each body but those [`keep`]
//! keeps is replaced by what later stages read from it without running it — the skeleton the
//! template stage walks ([`super::templates::render_skeleton`]); the names model usage counts
//! are counted for the whole module before ([`crate::parse::ast::Module::names`]) — plus where
//! its text is, so that the interpreter lowers it again, once, if the function is ever called.
//!
//! Once a module has run, its tree is freed: the interpreter keeps what the template stage reads
//! of it ([`module_after_run`]), and each class's value its definition as read after running
//! ([`class_after_run`]).

use std::sync::Arc;

use crate::parse::ast::{ClassDef, ElidedBody, Expr, FunctionDef, Module, ModuleText, Stmt};

/// Whether a body is kept as it is: the route inventory reads a view whose body is one
/// `return` of a call with one literal positional argument and literal keyword arguments, after
/// an optional docstring (`return render_template("home.html", title="Home")`), directly (see
/// `simple_render` in [`super::flask`]). Any other body is elided: it is lowered again if the
/// interpreter calls the function.
fn keep(body: &[Stmt]) -> bool {
    let body = match body {
        [Stmt::Expr { value: Expr::Str(_), .. }, rest @ ..] => rest,
        _ => body,
    };
    match body {
        [] => true,
        [Stmt::Return { value: Some(Expr::Call(c)), .. }] => {
            matches!(&c.args[..], [Expr::Str(_)])
                && c.keywords.iter().all(|k| k.arg.is_some() && k.value.literal_json().is_some())
        }
        _ => false,
    }
}

/// Elides the long function bodies of a module parsed without errors; `text` says (called
/// once, if any body is elided) where to find the module's text again.
pub(crate) fn elide_module(module: &mut Module, text: &dyn Fn() -> ModuleText) {
    let mut shared: Option<Arc<ModuleText>> = None;
    walk(&mut module.body, text, &mut shared);
}

fn walk(body: &mut [Stmt], text: &dyn Fn() -> ModuleText, shared: &mut Option<Arc<ModuleText>>) {
    for s in body.iter_mut() {
        match s {
            Stmt::FunctionDef(d) => {
                if let Some(d) = Arc::get_mut(d) {
                    walk(&mut d.body, text, shared);
                    elide(d, text, shared);
                }
            }
            Stmt::ClassDef(c) => {
                if let Some(c) = Arc::get_mut(c) {
                    walk(&mut c.body, text, shared);
                }
            }
            Stmt::For { body, orelse, .. } | Stmt::While { body, orelse, .. } => {
                walk(body, text, shared);
                walk(orelse, text, shared);
            }
            Stmt::If { branches, .. } => branches.iter_mut().for_each(|(_, b)| walk(b, text, shared)),
            Stmt::With { body, .. } => walk(body, text, shared),
            Stmt::Try { body, handlers, orelse, finalbody, .. } => {
                walk(body, text, shared);
                handlers.iter_mut().for_each(|h| walk(h, text, shared));
                walk(orelse, text, shared);
                walk(finalbody, text, shared);
            }
            Stmt::Match { cases, .. } => cases.iter_mut().for_each(|c| walk(c, text, shared)),
            _ => {}
        }
    }
}

fn elide(d: &mut FunctionDef, text: &dyn Fn() -> ModuleText, shared: &mut Option<Arc<ModuleText>>) {
    if keep(&d.body) || d.text_range.is_none() {
        return;
    }
    let skeleton = super::templates::render_skeleton(&d.body);
    d.body = Vec::new();
    d.elided = Some(Box::new(ElidedBody { source: shared.get_or_insert_with(|| Arc::new(text())).clone(), skeleton }));
}

/// A class definition as the stages after the interpreter read it once its body has run: the
/// class's value holds this rather than the body, whose column and field definitions (most of
/// a model's or a form's text) are then values in the class's scope. Kept of the body, in order:
/// its function definitions, its nested classes (each as kept after running), each assignment
/// and bare annotation without its value (targets, annotation and line: the attribute order,
/// annotations and definition lines of [`crate::inventory::models`]), and the template-rendering
/// calls and definitions of the rest ([`super::templates::skeleton_items`]), under an
/// `else`-only `if` so that they add no names at the top of the body. Walking it for template
/// references records the same ones as walking the body.
pub(crate) fn class_after_run(def: &Arc<ClassDef>) -> Arc<ClassDef> {
    def.after_run.get_or_init(|| Arc::new(compact_class(def))).clone()
}

/// What the template stage reads of a module's top-level code once it has run: its function
/// definitions, its classes as kept after running ([`class_after_run`]), and the
/// template-rendering calls and definitions of the rest ([`super::templates::skeleton_items`]).
/// Walking it for template references records the same ones as walking the module.
pub(crate) fn module_after_run(body: &[Stmt]) -> Vec<Stmt> {
    let mut out = Vec::new();
    for s in body {
        match s {
            Stmt::FunctionDef(_) => out.push(s.clone()),
            Stmt::ClassDef(c) => out.push(Stmt::ClassDef(class_after_run(c))),
            _ => super::templates::skeleton_items(std::slice::from_ref(s), &mut out),
        }
    }
    out.shrink_to_fit();
    out
}

/// The names `s` binds in a class body, as placeholders ([`crate::inventory::values::Class::body_names`]
/// reads them), those under an `if`, `try` or `with` included.
fn bindings(s: &Stmt, body: &mut Vec<Stmt>) {
    match s {
        Stmt::Assign { targets, annotation, line, .. } => body.push(Stmt::Assign {
            targets: targets.clone(),
            value: Expr::NoneLit,
            annotation: annotation.clone(),
            line: *line,
        }),
        Stmt::Annotated { .. } => body.push(s.clone()),
        Stmt::If { branches, .. } => branches.iter().flat_map(|(_, b)| b).for_each(|s| bindings(s, body)),
        Stmt::Try { body: b, orelse, finalbody, .. } => {
            b.iter().chain(orelse.iter()).chain(finalbody.iter()).for_each(|s| bindings(s, body))
        }
        Stmt::With { body: b, .. } => b.iter().for_each(|s| bindings(s, body)),
        _ => {}
    }
}

fn compact_class(def: &ClassDef) -> ClassDef {
    let mut body = Vec::with_capacity(def.body.len());
    for s in &def.body {
        match s {
            Stmt::FunctionDef(_) => body.push(s.clone()),
            Stmt::ClassDef(inner) => body.push(Stmt::ClassDef(class_after_run(inner))),
            _ => {
                let mut items = Vec::new();
                super::templates::skeleton_items(std::slice::from_ref(s), &mut items);
                if !items.is_empty() {
                    body.push(Stmt::If { branches: vec![(None, items)], line: 0 });
                }
                bindings(s, &mut body);
            }
        }
    }
    body.shrink_to_fit();
    ClassDef {
        name: def.name.clone(),
        bases: def.bases.clone(),
        keywords: def.keywords.clone(),
        decorators: def.decorators.clone(),
        body,
        line: def.line,
        start_line: def.start_line,
        end_line: def.end_line,
        after_run: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::parse::ast::{FunctionDef, Stmt};
    use crate::parse::python::lower_function_body;

    /// Every function definition of a tree, nested ones included.
    fn defs<'t>(body: &'t [Stmt], out: &mut Vec<&'t FunctionDef>) {
        for s in body {
            match s {
                Stmt::FunctionDef(d) => {
                    out.push(d);
                    defs(&d.body, out);
                }
                Stmt::ClassDef(c) => defs(&c.body, out),
                Stmt::For { body, orelse, .. } | Stmt::While { body, orelse, .. } => {
                    defs(body, out);
                    defs(orelse, out);
                }
                Stmt::If { branches, .. } => branches.iter().for_each(|(_, b)| defs(b, out)),
                Stmt::With { body, .. } => defs(body, out),
                Stmt::Try { body, handlers, orelse, finalbody, .. } => {
                    defs(body, out);
                    handlers.iter().for_each(|h| defs(h, out));
                    defs(orelse, out);
                    defs(finalbody, out);
                }
                Stmt::Match { cases, .. } => cases.iter().for_each(|c| defs(c, out)),
                _ => {}
            }
        }
    }

    /// Lowering a function's text again gives the body the whole file's lowering gave, for
    /// every function of every fixture (and of the tree in `F2D_ELIDE_CHECK_ROOT`, if set).
    #[test]
    fn bodies_lower_again_the_same() {
        // Parsing deep fixtures needs the workers' large stack.
        std::thread::Builder::new()
            .stack_size(super::super::STACK_SIZE)
            .spawn(check_every_function)
            .unwrap()
            .join()
            .unwrap();
    }

    fn check_every_function() {
        let mut roots = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        if let Some(extra) = std::env::var_os("F2D_ELIDE_CHECK_ROOT") {
            roots.push(extra.into());
        }
        let mut checked = 0;
        for root in roots {
            for entry in ignore::WalkBuilder::new(&root).standard_filters(false).build().flatten() {
                let path = entry.path();
                if path.extension().and_then(|e| e.to_str()) != Some("py") {
                    continue;
                }
                let Ok(bytes) = std::fs::read(path) else { continue };
                let Ok(text) = crate::parse::source::decode_python(&bytes) else { continue };
                let parsed = crate::parse::parse_python(&text);
                if !parsed.errors.is_empty() || parsed.too_deep.is_some() {
                    continue;
                }
                let mut all = Vec::new();
                defs(&parsed.module.body, &mut all);
                for d in all {
                    let Some(range) = d.text_range else { continue };
                    let again = lower_function_body(&text, range, d.start_line);
                    assert_eq!(
                        format!("{:?}", again.as_deref()),
                        format!("{:?}", Some(d.body.as_slice())),
                        "{}: {} at line {}",
                        path.display(),
                        d.name,
                        d.line
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
