//! Finding the application the way `flask --app` does: the `--app` value, `FLASK_APP` in
//! `.env`/`.flaskenv`, then `wsgi.py` and `app.py`; a module's `app`/`application` attribute, its
//! only Flask instance, or its `create_app`/`make_app` factory.

use std::collections::BTreeMap;

/// A parsed `--app` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSpec {
    /// Dotted module name, or a path ending in `.py` (resolved against discovered files).
    pub module: String,
    pub attr: Option<String>,
    /// Literal arguments when the attribute is called: `create_app('dev')`.
    pub call_args: Option<Vec<String>>,
}

pub fn parse_app_spec(s: &str) -> AppSpec {
    let s = s.trim();
    // A Windows drive letter is not an attribute separator; we only split on the last ':'.
    let (module, attr) = match s.rsplit_once(':') {
        Some((m, a)) if !a.contains('/') => (m.to_string(), Some(a.trim().to_string())),
        _ => (s.to_string(), None),
    };
    let (attr, call_args) = match attr {
        Some(a) => match a.find('(') {
            Some(p) if a.ends_with(')') => {
                let inner = a[p + 1..a.len() - 1].trim();
                let args = if inner.is_empty() {
                    vec![]
                } else {
                    inner.split(',').map(|x| x.trim().trim_matches(|c| c == '"' || c == '\'').to_string()).collect()
                };
                (Some(a[..p].trim().to_string()), Some(args))
            }
            _ => (Some(a), None),
        },
        None => (None, None),
    };
    AppSpec { module, attr, call_args }
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
        let s = parse_app_spec("pkg.web:create_app('dev')");
        assert_eq!(s.module, "pkg.web");
        assert_eq!(s.attr.as_deref(), Some("create_app"));
        assert_eq!(s.call_args, Some(vec!["dev".to_string()]));
        let s = parse_app_spec("app.py");
        assert_eq!((s.module.as_str(), s.attr), ("app.py", None));
        let s = parse_app_spec("hello:app");
        assert_eq!((s.module.as_str(), s.attr.as_deref(), s.call_args), ("hello", Some("app"), None));
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
