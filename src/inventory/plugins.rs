//! Plugin hooks (pluggy, as FlaskBB and its plugins use it): `pm.hook.NAME(app=app)` calls every
//! implementation of the hook `NAME`, a function of that name marked with a
//! `pluggy.HookimplMarker` (`@impl`, `@impl(tryfirst=True)`). Blueprints, routes and handlers
//! that an app registers from its hook implementations are found by calling, at the hook call,
//! the implementations in the project modules imported by then (pluggy's plugins are the modules
//! the app registers, in FlaskBB every module of the package it has imported).

use std::rc::Rc;

use crate::inventory::interp::{Call, Interp};
use crate::inventory::values::{Func, Value};
use crate::parse::ast::Expr;

/// The value of `pluggy.HookimplMarker(project)`: the marker its hook implementations wear.
pub const HOOKIMPL_MARKER: &str = "pluggy.HookimplMarker()";

/// `<plugin manager>.hook.NAME(**kwargs)` with a callee nothing else knows: calls each
/// implementation with the keyword arguments it takes, as pluggy does, and returns the list of
/// their results that are not `None`. `None` when the call is not a hook call or the hook has
/// no implementation in the project.
pub fn call_hook(interp: &mut Interp, call: &Call<'_>) -> Option<Value> {
    let Expr::Call(c) = call.expr else {
        return None;
    };
    let func = &c.func;
    let Expr::Attribute(a) = func else {
        return None;
    };
    let (value, name) = (&a.value, &a.attr);
    if !matches!(value, Expr::Attribute(inner) if inner.attr == "hook") || !call.args.is_empty() {
        return None;
    }
    let impls = implementations(interp, name);
    if impls.is_empty() {
        return None;
    }
    let mut results = Vec::new();
    for f in impls {
        let kwargs: Vec<(String, Value)> =
            call.kwargs.iter().filter(|(k, _)| f.def.params.iter().any(|p| p.name == k)).cloned().collect();
        match interp.call_function(&f, &[], &kwargs) {
            Value::NoneV => {}
            r => results.push(r),
        }
    }
    Some(Value::List(Rc::new(results)))
}

/// Module-level functions called `name` marked as hook implementations, in the modules loaded so
/// far, by module name.
fn implementations(interp: &Interp, name: &str) -> Vec<Rc<Func>> {
    let mut modules: Vec<&String> = interp.loaded.keys().collect();
    modules.sort();
    modules
        .into_iter()
        .filter_map(|m| match interp.loaded[m].vars.borrow().get(name) {
            Some(Value::Function(f)) if f.module.as_ref() == m.as_str() && is_hookimpl(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

/// Whether a decorator of `f` is a hook implementation marker, bare or called.
fn is_hookimpl(f: &Func) -> bool {
    f.def.decorators.iter().any(|d| {
        let marker = match d {
            Expr::Call(c) => &c.func,
            d => d,
        };
        matches!(marker, Expr::Name(n) if matches!(f.scope.lookup(n), Some(Value::External(p)) if p.as_ref() == HOOKIMPL_MARKER))
    })
}
