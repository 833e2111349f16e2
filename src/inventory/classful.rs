//! Flask-Classful (0.16): `SomeView.register(app_or_blueprint, ...)` adds a rule for each
//! routable method of a `FlaskView` subclass, built from the class's name or `route_base`, the
//! method's name and its signature. What `FlaskView.register` and `build_rule` compute, here
//! from the class's definition.

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic};
use crate::inventory::flask::{add_url_rule, view_info};
use crate::inventory::interp::{class_attr, mro, Call, Interp};
use crate::inventory::values::{Class, ClassfulMark, Func, Join, Obj, Value, ViewObj};
use crate::parse::ast::{ParamKind, ScalarHint};

/// Names `FlaskView` itself defines: never routed (`get_interesting_members` leaves out what
/// `dir(FlaskView)` lists).
const FLASK_VIEW_MEMBERS: &[&str] = &[
    "base_args",
    "build_route_name",
    "build_rule",
    "decorators",
    "default_route_base",
    "excluded_methods",
    "get_route_base",
    "make_proxy_method",
    "method_dashified",
    "parse_options",
    "register",
    "representations",
    "route_base",
    "route_prefix",
    "special_methods",
    "trailing_slash",
    "type_hints",
];

/// `FlaskView.special_methods`: these methods answer on the class's base rule.
const SPECIAL_METHODS: &[(&str, &str)] =
    &[("delete", "DELETE"), ("get", "GET"), ("index", "GET"), ("patch", "PATCH"), ("post", "POST"), ("put", "PUT")];

/// The keyword parameters of `register` before `**rule_options`.
const REGISTER_PARAMS: &[&str] = &[
    "app",
    "route_base",
    "subdomain",
    "route_prefix",
    "trailing_slash",
    "method_dashified",
    "base_class",
    "init_argument",
];

/// `cls.register(app, route_base=None, subdomain=None, route_prefix=None, trailing_slash=None,
/// method_dashified=None, base_class=None, init_argument=None, **rule_options)`.
pub fn register(interp: &mut Interp, cls: &Rc<Class>, call: Call<'_>) {
    let loc = call.loc();
    let owner = match call.arg(0, "app") {
        Some(Value::Obj(id)) if matches!(interp.objs[*id], Obj::App(_) | Obj::Blueprint(_)) => *id,
        _ => {
            let what = format!(
                "registers on an app or blueprint that could not be followed: the routes of `{}` are not in the inventory",
                cls.path()
            );
            not_followed(interp, &call, cls, &what);
            return;
        }
    };
    // A truthy argument overrides the class's attribute for this registration only.
    let arg = |i: usize, name: &str| call.arg(i, name).filter(|v| !matches!(v, Value::NoneV)).cloned();
    let setting = |i: usize, name: &str| {
        arg(i, name).filter(|v| v.truth() != Some(false)).or_else(|| class_attr(cls, name)).unwrap_or(Value::NoneV)
    };
    let route_base = setting(1, "route_base");
    let route_prefix = setting(3, "route_prefix");
    let flag = |i: usize, name: &str, default: bool| {
        arg(i, name).or_else(|| class_attr(cls, name)).map_or(Some(default), |v| v.truth())
    };
    let trailing_slash = flag(4, "trailing_slash", true);
    let method_dashified = flag(5, "method_dashified", false);
    let mut subdomain =
        arg(2, "subdomain").filter(|v| v.truth() == Some(true)).or_else(|| class_attr(cls, "subdomain"));
    let rule_options: Vec<(String, Value)> =
        call.kwargs.iter().filter(|(k, _)| !REGISTER_PARAMS.contains(&k.as_str())).cloned().collect();

    let mut excluded: BTreeSet<String> = FLASK_VIEW_MEMBERS.iter().map(|s| s.to_string()).collect();
    if let Some(Value::Class(base)) = arg(6, "base_class") {
        for k in mro(&base) {
            excluded.extend(k.attrs().iter().map(|(name, _)| name.to_string()));
        }
    }
    if let Some(items) = class_attr(cls, "excluded_methods").and_then(|v| v.elements()) {
        excluded.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)));
    }
    let special: Vec<(String, Vec<Value>)> = match class_attr(cls, "special_methods") {
        Some(Value::Dict(d)) => d
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.elements().unwrap_or_else(|| vec![Value::Unknown]))))
            .collect(),
        _ => SPECIAL_METHODS.iter().map(|(n, m)| (n.to_string(), vec![Value::str(m)])).collect(),
    };
    let default_methods =
        class_attr(cls, "default_methods").unwrap_or_else(|| Value::List(Rc::new(vec![Value::str("GET")])));
    let inspect_args = class_attr(cls, "inspect_args").map_or(Some(true), |v| v.truth());
    let decorators: Vec<String> = class_attr(cls, "decorators")
        .and_then(|v| v.elements())
        .map(|items| items.iter().map(|i| value_text(i).unwrap_or_else(|| "<decorator>".into())).collect())
        .unwrap_or_default();
    let hooks: Vec<String> = ["before_request", "after_request"]
        .iter()
        .filter(|h| matches!(class_attr(cls, h), Some(Value::Function(_))))
        .map(|h| format!("{}.{h}", cls.def.name))
        .collect();

    let mut builder = RuleBuilder {
        cls,
        route_prefix,
        route_base,
        inspect_args,
        own_base_args: class_attr(cls, "base_args")
            .map(|v| v.elements().unwrap_or_default().iter().filter_map(|a| a.as_str().map(str::to_string)).collect()),
        dynamic: false,
    };
    for (name, func) in members(cls, &excluded) {
        let route_name = format!("{}:{name}", cls.def.name);
        let marks = interp.classful_marks.get(&(Arc::as_ptr(&func.def) as usize)).cloned().unwrap_or_default();
        let routes: Vec<(&Value, &Vec<(String, Value)>)> = marks
            .iter()
            .filter_map(|m| match m {
                ClassfulMark::Route { rule, options } => Some((rule, options)),
                ClassfulMark::Method(_) => None,
            })
            .collect();
        let mut view = view_info(interp, &Value::Function(func.clone())).expect("a function has a view");
        view.decorators.splice(0..0, decorators.iter().cloned());
        view.decorators.extend(
            hooks.iter().cloned().chain(
                [format!("before_{name}"), format!("after_{name}")]
                    .into_iter()
                    .filter(|h| matches!(class_attr(cls, h), Some(Value::Function(_))))
                    .map(|h| format!("{}.{h}", cls.def.name)),
            ),
        );
        view.name = Some(name.clone());
        let view = Value::Obj(interp.new_obj(Obj::View(ViewObj { info: view })));
        let add = |interp: &mut Interp, rule: Option<String>, endpoint: String, options: Vec<(String, Value)>| {
            let (rule, text) = match rule {
                Some(r) => (Value::str(&r), crate::parse::ast::py_repr(&r)),
                None => (Value::Unknown, format!("{}.{name} (Flask-Classful)", cls.path())),
            };
            add_url_rule(
                interp,
                owner,
                rule,
                text,
                Some(Value::str(&endpoint)),
                Some(view.clone()),
                &options,
                "add_url_rule",
                loc.clone(),
                Join::Flask,
            );
        };
        if !routes.is_empty() {
            let n = routes.len();
            for (idx, (rule, options)) in routes.into_iter().enumerate() {
                let mut options: Vec<(String, Value)> =
                    options.iter().filter(|(k, _)| !rule_options.iter().any(|(r, _)| r == k)).cloned().collect();
                options.extend(rule_options.iter().cloned());
                let sub = take(&mut options, "subdomain");
                let ep = take(&mut options, "endpoint");
                if subdomain.as_ref().and_then(|s| s.truth()) != Some(true)
                    && sub.as_ref().and_then(|s| s.truth()) == Some(true)
                {
                    subdomain = sub;
                }
                let endpoint = match ep.as_ref().and_then(|e| e.as_str()) {
                    Some(e) => e.to_string(),
                    None if n == 1 => route_name.clone(),
                    None => format!("{route_name}_{idx}"),
                };
                let rule = rule.as_str().and_then(|r| builder.build(interp, r, None));
                options.extend(subdomain.clone().map(|s| ("subdomain".to_string(), s)));
                add(interp, rule, endpoint, options);
            }
        } else if let Some((_, methods)) = special.iter().find(|(n, _)| *n == name) {
            let rule = builder.build(interp, "/", Some(&func)).map(|r| trail(r, trailing_slash));
            let mut options = vec![("methods".to_string(), Value::List(Rc::new(methods.clone())))];
            options.extend(subdomain.clone().map(|s| ("subdomain".to_string(), s)));
            options.extend(rule_options.iter().cloned());
            add(interp, rule, route_name, options);
        } else {
            let http_methods: Vec<Value> = marks
                .iter()
                .filter_map(|m| match m {
                    ClassfulMark::Method(v) => Some(v.clone()),
                    ClassfulMark::Route { .. } => None,
                })
                .collect();
            let methods =
                if http_methods.is_empty() { default_methods.clone() } else { Value::List(Rc::new(http_methods)) };
            let segment = match method_dashified {
                Some(true) => name.replace('_', "-"),
                _ => name.clone(),
            };
            let route = match trailing_slash {
                Some(false) => format!("/{segment}"),
                _ => format!("/{segment}/"),
            };
            let rule = builder.build(interp, &route, Some(&func)).map(|r| match trailing_slash {
                Some(true) if !r.ends_with('/') => format!("{r}/"),
                _ => r,
            });
            let mut options = vec![("methods".to_string(), methods)];
            options.extend(subdomain.clone().map(|s| ("subdomain".to_string(), s)));
            options.extend(rule_options.iter().cloned());
            add(interp, rule, route_name, options);
        }
    }
    if builder.dynamic {
        not_followed(
            interp,
            &call,
            cls,
            "the class's route base or prefix is computed at run time, so its rules are not known",
        );
    }
}

/// FD102 for a registration whose rules are not known: `Cls.register(...)` and why.
fn not_followed(interp: &mut Interp, call: &Call<'_>, cls: &Class, why: &str) {
    interp.diags.push(
        Diagnostic::new(
            Code::DynamicRoute,
            &*call.file,
            call.line,
            format!("Flask-Classful's `{}.register(...)`: {why}", cls.def.name),
        )
        .with_help("check this view class's routes by hand"),
    );
}

/// The routable methods, by name as `inspect.getmembers` lists them (sorted): plain functions
/// of the class and its project bases, the first definition in the MRO winning, except
/// `FlaskView`'s own names, private ones, `before_*`/`after_*` hooks and `excluded_methods`.
fn members(cls: &Rc<Class>, excluded: &BTreeSet<String>) -> Vec<(String, Rc<Func>)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for k in mro(cls) {
        for (name, v) in k.attrs().iter() {
            if !seen.insert(name.to_string()) {
                continue;
            }
            let Value::Function(f) = v else { continue };
            let routable = !name.starts_with('_')
                && !name.starts_with("before_")
                && !name.starts_with("after_")
                && !excluded.contains(name.as_str())
                && !f.def.decorators.iter().any(|d| {
                    let d = d.to_string();
                    matches!(d.as_str(), "classmethod" | "property" | "functools.cached_property" | "cached_property")
                        || d.ends_with(".setter")
                        || d.ends_with(".getter")
                        || d.ends_with(".deleter")
                });
            if routable {
                out.push((name.to_string(), f.clone()));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `FlaskView.build_rule`: the prefix, the route base, the rule, then a variable for each
/// required positional parameter of the method that is not `self` or a base argument.
struct RuleBuilder<'c> {
    cls: &'c Rc<Class>,
    route_prefix: Value,
    route_base: Value,
    inspect_args: Option<bool>,
    /// The class's own `base_args`; without, `FlaskView.base_args`, one list shared by every
    /// class, to which each route base registered adds its variables.
    own_base_args: Option<Vec<String>>,
    /// Set when a route base or prefix is not known.
    dynamic: bool,
}

impl RuleBuilder<'_> {
    fn build(&mut self, interp: &mut Interp, rule: &str, method: Option<&Rc<Func>>) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        match &self.route_prefix {
            Value::Str(p) if !p.is_empty() => parts.push(p.to_string()),
            Value::Str(_) | Value::NoneV => {}
            _ => {
                self.dynamic = true;
                return None;
            }
        }
        let base = match &self.route_base {
            Value::Str(b) => {
                let b = if b.starts_with('/') { b.to_string() } else { format!("/{b}") };
                let args = rule_arguments(&b);
                self.base_args(interp).extend(args);
                b
            }
            Value::NoneV => default_route_base(&self.cls.def.name),
            _ => {
                self.dynamic = true;
                return None;
            }
        };
        let base = base.trim_matches('/');
        if !base.is_empty() {
            parts.push(base.to_string());
        }
        if !rule.is_empty() {
            parts.push(rule.to_string());
        }
        if let (Some(f), Some(true)) = (method, self.inspect_args) {
            let mut ignored: Vec<String> = vec!["self".into()];
            ignored.extend(self.base_args(interp).iter().cloned());
            let args: Vec<_> = f.def.params.iter().filter(|p| p.kind == ParamKind::Positional).collect();
            let optional = args.iter().filter(|p| p.default.is_some()).count();
            for (i, p) in args.iter().enumerate() {
                if ignored.iter().any(|x| x == p.name.as_str()) || (optional > 0 && args.len() - i <= optional) {
                    continue;
                }
                parts.push(match p.hint {
                    Some(h) => format!("<{}:{}>", converter(h), p.name),
                    None => format!("<{}>", p.name),
                });
            }
        }
        let joined = format!("/{}", parts.join("/"));
        let mut out = String::with_capacity(joined.len());
        for c in joined.chars() {
            if !(c == '/' && out.ends_with('/')) {
                out.push(c);
            }
        }
        Some(out)
    }

    fn base_args<'a>(&'a mut self, interp: &'a mut Interp) -> &'a mut Vec<String> {
        match &mut self.own_base_args {
            Some(own) => own,
            None => &mut interp.classful_base_args,
        }
    }
}

/// A rule of a special method after `build_rule`: `trailing_slash = False` drops the final
/// slash, `True` adds one.
fn trail(rule: String, trailing_slash: Option<bool>) -> String {
    match trailing_slash {
        Some(false) if rule != "/" => rule.trim_end_matches('/').to_string(),
        Some(true) if !rule.ends_with('/') => format!("{rule}/"),
        _ => rule,
    }
}

fn converter(h: ScalarHint) -> &'static str {
    match h {
        ScalarHint::Str => "string",
        ScalarHint::Int => "int",
        ScalarHint::Float => "float",
        ScalarHint::Uuid => "uuid",
    }
}

/// The variables of a Werkzeug rule: `<name>`, `<conv:name>`, `<conv(args):name>`.
fn rule_arguments(rule: &str) -> Vec<String> {
    rule.split('<')
        .skip(1)
        .filter_map(|part| {
            part.split_once('>').map(|(inside, _)| inside.rsplit(':').next().unwrap_or(inside).trim().to_string())
        })
        .collect()
}

/// `FlaskView.default_route_base`: the class's name without a `View` suffix, dashed at each
/// capital (`_dashify_uppercase`: `re.sub('(.)([A-Z][a-z]+)', r'\1-\2')`, then
/// `re.sub('([a-z0-9])([A-Z])', r'\1-\2')`, then lower case).
pub fn default_route_base(class_name: &str) -> String {
    let name = class_name.strip_suffix("View").unwrap_or(class_name);
    let chars: Vec<char> = name.chars().collect();
    let mut first = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '\n'
            && chars.get(i + 1).is_some_and(char::is_ascii_uppercase)
            && chars.get(i + 2).is_some_and(char::is_ascii_lowercase)
        {
            first.push(c);
            first.push('-');
            first.push(chars[i + 1]);
            let mut j = i + 2;
            while j < chars.len() && chars[j].is_ascii_lowercase() {
                first.push(chars[j]);
                j += 1;
            }
            i = j;
        } else {
            first.push(c);
            i += 1;
        }
    }
    let chars: Vec<char> = first.chars().collect();
    let mut second = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c.is_ascii_lowercase() || c.is_ascii_digit()) && chars.get(i + 1).is_some_and(char::is_ascii_uppercase) {
            second.push(c);
            second.push('-');
            second.push(chars[i + 1]);
            i += 2;
        } else {
            second.push(c);
            i += 1;
        }
    }
    second.to_lowercase()
}

/// Removes `name` from keyword options and returns its value (`dict.pop`).
fn take(options: &mut Vec<(String, Value)>, name: &str) -> Option<Value> {
    let at = options.iter().rposition(|(k, _)| k == name)?;
    let v = options.remove(at).1;
    options.retain(|(k, _)| k != name);
    Some(v)
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Function(f) => Some(f.path()),
        Value::External(p) => Some(p.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_route_bases_are_flask_classfuls() {
        // Expected values from flask_classful._dashify_uppercase.
        assert_eq!(default_route_base("HostsView"), "hosts");
        assert_eq!(default_route_base("VulnerabilityWorkspacedView"), "vulnerability-workspaced");
        assert_eq!(default_route_base("ABCDef"), "abc-def");
        assert_eq!(default_route_base("AaBbCc"), "aa-bb-cc");
        assert_eq!(default_route_base("API2View"), "api2");
        assert_eq!(default_route_base("View"), "");
    }

    #[test]
    fn rule_variables() {
        assert_eq!(rule_arguments("/ws/<workspace_name>/x/<int(min=1):n>"), ["workspace_name", "n"]);
    }
}
