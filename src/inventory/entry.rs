//! Finding the application the way `flask --app` does: the `--app` value, `FLASK_APP` in
//! `.env`/`.flaskenv`, then `wsgi.py` and `app.py`; a module's `app`/`application` attribute, its
//! only Flask instance, or its `create_app`/`make_app` factory.

use std::collections::BTreeMap;

use crate::inventory::values::Value;
use crate::parse::ast::{Expr, Stmt};

/// A parsed `--app` value.
#[derive(Debug, Clone)]
pub struct AppSpec {
    /// Dotted module name, or a path ending in `.py` (resolved against discovered files).
    pub module: String,
    pub attr: Option<String>,
    /// Literal arguments when the attribute is called: `create_app('dev', debug=True)`.
    pub call: Option<SpecCall>,
}

/// The literal arguments of `--app "pkg:create_app('dev', debug=True)"`.
#[derive(Debug, Clone, Default)]
pub struct SpecCall {
    pub args: Vec<Value>,
    pub kwargs: Vec<(String, Value)>,
    /// The call as written after the name, for the application's id: `('dev', debug=True)`.
    pub text: String,
}

/// Splits and reads an `--app` value as `flask.cli` does: the module is everything before the
/// first `:` that is not followed by a path separator, and the rest is a name or a call of a
/// name whose arguments are Python literals (`ast.literal_eval`). Errors are Flask's.
pub fn parse_app_spec(s: &str) -> Result<AppSpec, String> {
    let s = s.trim();
    let split = s.char_indices().find(|&(i, c)| c == ':' && !s[i + 1..].starts_with(['/', '\\']));
    let Some((colon, _)) = split else {
        return Ok(AppSpec { module: s.to_string(), attr: None, call: None });
    };
    let module = s[..colon].to_string();
    let text = s[colon + 1..].trim();
    let parsed = crate::parse::python::parse_python(text);
    let expr = match &parsed.module.body[..] {
        [Stmt::Expr { value, .. }] if parsed.errors.is_empty() => value,
        _ => return Err(format!("Failed to parse '{text}' as an attribute name or function call.")),
    };
    let (attr, call) = match expr {
        Expr::Name(n) => (n.to_string(), None),
        Expr::Call(c) => {
            let Expr::Name(name) = &c.func else {
                return Err(format!("Function reference must be a simple name: '{text}'."));
            };
            let literal_error = || format!("Failed to parse arguments as literal values: '{text}'.");
            let args = c.args.iter().map(literal_value).collect::<Option<Vec<_>>>().ok_or_else(literal_error)?;
            let mut kwargs = Vec::new();
            for k in c.keywords.iter() {
                // `**x` is left out by Flask before anything is evaluated.
                if let Some(arg) = &k.arg {
                    kwargs.push((arg.to_string(), literal_value(&k.value).ok_or_else(literal_error)?));
                }
            }
            let text = text[text.find('(').unwrap_or(0)..].to_string();
            (name.to_string(), Some(SpecCall { args, kwargs, text }))
        }
        _ => return Err(format!("Failed to parse '{text}' as an attribute name or function call.")),
    };
    Ok(AppSpec { module, attr: Some(attr), call })
}

/// The value of a Python literal as `ast.literal_eval` reads it, or None for anything else.
fn literal_value(e: &Expr) -> Option<Value> {
    use std::rc::Rc;
    let items = |xs: &[Expr]| xs.iter().map(literal_value).collect::<Option<Vec<_>>>().map(Rc::new);
    Some(match e {
        Expr::Str(s) => Value::str(s),
        Expr::Int(i) => Value::Int(*i),
        Expr::Float(f) => Value::Float(*f),
        Expr::Bool(b) => Value::Bool(*b),
        Expr::NoneLit => Value::NoneV,
        Expr::Neg(x) => match literal_value(x)? {
            Value::Int(i) => Value::Int(i.checked_neg()?),
            Value::Float(f) => Value::Float(-f),
            _ => return None,
        },
        Expr::List(xs) => Value::List(items(xs)?),
        Expr::Tuple(xs) => Value::Tuple(items(xs)?),
        Expr::Dict(pairs) => Value::Dict(Rc::new(
            pairs
                .iter()
                .map(|(k, v)| Some((literal_value(k.as_ref()?)?, literal_value(v)?)))
                .collect::<Option<Vec<_>>>()?,
        )),
        // Bytes, sets, `set()` and complex numbers are literals too, but no application factory
        // the analysis follows could tell them apart: an unknown value keeps the call going.
        Expr::Bytes | Expr::Set(_) => Value::Unknown,
        _ => return None,
    })
}

/// Module name for an `--app` path such as `src/pkg/app.py` or `pkg/app`.
pub fn module_for_path(spec_module: &str, modules_by_rel: &BTreeMap<String, String>) -> Option<String> {
    let p = spec_module.trim_start_matches("./");
    let candidates = if p.ends_with(".py") {
        vec![p.to_string()]
    } else if p.contains('/') {
        vec![format!("{p}.py"), format!("{p}/__init__.py")]
    } else {
        return None;
    };
    candidates.iter().find_map(|c| modules_by_rel.get(c).cloned())
}

/// `FLASK_APP` from `.env` or `.flaskenv` (`.env` wins, as `flask.cli.load_dotenv` loads it first).
pub fn flask_app_from_env_files(files: &[(String, String)]) -> Option<(String, String)> {
    for name in [".env", ".flaskenv"] {
        if let Some((_, text)) = files.iter().find(|(rel, _)| rel == name) {
            for line in text.lines() {
                let line = line.trim().trim_start_matches("export ").trim();
                if let Some(v) = line.strip_prefix("FLASK_APP") {
                    let v = v.trim_start();
                    if let Some(v) = v.strip_prefix('=') {
                        let v = v.split(" #").next().unwrap_or(v).trim().trim_matches(|c| c == '"' || c == '\'');
                        if !v.is_empty() {
                            return Some((v.to_string(), name.to_string()));
                        }
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_specs() {
        let s = parse_app_spec("pkg.web:create_app('dev', debug=True, n=-2)").unwrap();
        assert_eq!(s.module, "pkg.web");
        assert_eq!(s.attr.as_deref(), Some("create_app"));
        let call = s.call.unwrap();
        assert_eq!(
            format!("{:?} {:?}", call.args, call.kwargs),
            r#"[Str("dev")] [("debug", Bool(true)), ("n", Int(-2))]"#
        );
        assert_eq!(call.text, "('dev', debug=True, n=-2)");
        let s = parse_app_spec("app.py").unwrap();
        assert_eq!((s.module.as_str(), s.attr), ("app.py", None));
        let s = parse_app_spec("hello:app").unwrap();
        assert_eq!((s.module.as_str(), s.attr.as_deref(), s.call.is_none()), ("hello", Some("app"), true));
        // The first colon splits, unless a path follows it (`C:/x.py`); a colon in the
        // arguments stays in them.
        let s = parse_app_spec("pkg:make({'a': 1})").unwrap();
        assert_eq!(s.call.unwrap().args.len(), 1);
        assert_eq!(parse_app_spec("C:/src/app.py").unwrap().module, "C:/src/app.py");
        assert!(parse_app_spec("pkg:create_app(config)").unwrap_err().contains("literal values"));
        assert!(parse_app_spec("pkg:a.b()").unwrap_err().contains("simple name"));
        assert!(parse_app_spec("pkg:create_app(").unwrap_err().contains("Failed to parse"));
    }

    #[test]
    fn env_files() {
        let files = vec![(".flaskenv".to_string(), "# x\nFLASK_APP=pkg:create_app\n".to_string())];
        assert_eq!(flask_app_from_env_files(&files).unwrap().0, "pkg:create_app");
        let files = vec![
            (".env".to_string(), "export FLASK_APP=\"a:app\"".to_string()),
            (".flaskenv".to_string(), "FLASK_APP=b".to_string()),
        ];
        assert_eq!(flask_app_from_env_files(&files).unwrap().0, "a:app");
    }
}
