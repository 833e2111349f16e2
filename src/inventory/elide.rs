//! Leaving function bodies out of the syntax trees kept for the whole run.
//!
//! Most of a project's code is in function bodies the interpreter never runs: views, services,
//! methods. Right after a file is parsed (on the worker thread), each body but those [`keep`]
//! keeps is replaced by what later stages read from it without running it — the skeleton the
//! template stage walks ([`super::templates::render_skeleton`]); the names model usage counts
//! are counted for the whole module before ([`crate::parse::ast::Module::names`]) — plus where
//! its text is, so that the interpreter lowers it again, once, if the function is ever called.

use std::sync::Arc;

use crate::parse::ast::{ElidedBody, Expr, FunctionDef, Module, ModuleText, Stmt};

/// Whether a body is kept as it is: the route inventory reads bodies that are one `return`
/// of a call, after an optional docstring (`return render_template(...)`), directly.
fn keep(body: &[Stmt]) -> bool {
    let body = match body {
        [Stmt::Expr { value: Expr::Str(_), .. }, rest @ ..] => rest,
        _ => body,
    };
    matches!(body, [] | [Stmt::Return { value: Some(Expr::Call { .. }), .. }])
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
    d.elided = Some(Box::new(ElidedBody {
        source: shared.get_or_insert_with(|| Arc::new(text())).clone(),
        skeleton,
    }));
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
