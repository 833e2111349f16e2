//! Django apps: one per blueprint, named after it, and `core` for the rest.

use std::collections::{BTreeMap, BTreeSet};

use super::models::{AppAssignment, CORE_APP};
use super::py::identifier;
use crate::inventory::model::Inventory;

/// Top-level names a Django app package must not take: the standard library modules an app
/// would shadow, Django's own apps, and the names the project itself uses.
const RESERVED: &[&str] = &[
    "abc",
    "admin",
    "array",
    "ast",
    "asyncio",
    "auth",
    "base64",
    "calendar",
    "code",
    "collections",
    "config",
    "contenttypes",
    "copy",
    "csv",
    "dataclasses",
    "datetime",
    "decimal",
    "django",
    "email",
    "enum",
    "functools",
    "glob",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "importlib",
    "inspect",
    "io",
    "json",
    "locale",
    "logging",
    "math",
    "messages",
    "mimetypes",
    "operator",
    "os",
    "pathlib",
    "pickle",
    "platform",
    "profile",
    "queue",
    "random",
    "re",
    "secrets",
    "select",
    "selectors",
    "sessions",
    "shutil",
    "signal",
    "site",
    "socket",
    "sqlite3",
    "ssl",
    "stat",
    "staticfiles",
    "string",
    "struct",
    "subprocess",
    "sys",
    "tempfile",
    "test",
    "tests",
    "threading",
    "time",
    "token",
    "tokenize",
    "types",
    "typing",
    "unittest",
    "urllib",
    "uuid",
    "warnings",
    "weakref",
    "xml",
    "zipfile",
    "manage",
    "templates",
    "static",
];

/// The app label for a blueprint's registered name (`api.v1` → `api_v1`).
pub fn app_label(blueprint: &str) -> String {
    let mut label = identifier(&blueprint.to_lowercase().replace('.', "_"), "app");
    while label.contains("__") {
        label = label.replace("__", "_");
    }
    let label = label.trim_matches('_').to_string();
    let label = if label.is_empty() { "app".to_string() } else { label };
    if RESERVED.contains(&label.as_str()) || super::py::is_keyword(&label) {
        format!("{label}_app")
    } else {
        label
    }
}

/// Labels for every blueprint, unique, never `core` unless it is the blueprint's own name, never
/// the project package, and never a top-level module or package of the Flask project: the app
/// package would hide it from the ported code (dtale's blueprint `dtale` and `import dtale.utils`),
/// so it takes the `_app` suffix, as a reserved name does.
pub fn blueprint_labels(inv: &Inventory, project: &str) -> BTreeMap<String, String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for b in &inv.blueprints {
        names.insert(b.name.clone());
    }
    for r in &inv.routes {
        if let Some(b) = &r.blueprint {
            names.insert(b.clone());
        }
    }
    let mut taken: BTreeSet<String> = [CORE_APP.to_string(), project.to_string()].into_iter().collect();
    let mut out = BTreeMap::new();
    for n in names {
        let mut base = app_label(&n);
        if inv.top_level_modules.contains(&base) {
            base.push_str("_app");
        }
        let mut label = base.clone();
        let mut i = 2;
        while taken.contains(&label) || inv.top_level_modules.contains(&label) {
            label = format!("{base}_{i}");
            i += 1;
        }
        taken.insert(label.clone());
        out.insert(n, label);
    }
    out
}

/// Each model goes to the app of the blueprint whose views mention it most; a tie, or no use by
/// any blueprint, sends it to `core`. Inheritance children follow their root parent.
pub fn assign_models(inv: &Inventory, labels: &BTreeMap<String, String>) -> AppAssignment {
    let mut out = AppAssignment::new();
    for m in &inv.models {
        let best = m.used_by.values().copied().max().unwrap_or(0);
        let winners: Vec<&std::sync::Arc<str>> =
            m.used_by.iter().filter(|(_, n)| **n == best && best > 0).map(|(b, _)| b).collect();
        let app = match winners.as_slice() {
            [one] => labels.get(&***one).cloned().unwrap_or_else(|| CORE_APP.to_string()),
            _ => CORE_APP.to_string(),
        };
        out.insert(m.path.clone(), app);
    }
    for m in &inv.models {
        let mut root = m;
        for _ in 0..64 {
            match root.inheritance.as_ref().and_then(|i| inv.models.iter().find(|p| p.path == i.parent)) {
                Some(p) => root = p,
                None => break,
            }
        }
        if root.path != m.path {
            let app = out[&root.path].clone();
            out.insert(m.path.clone(), app);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_safe_packages() {
        assert_eq!(app_label("api.v1"), "api_v1");
        assert_eq!(app_label("auth"), "auth_app");
        assert_eq!(app_label("email"), "email_app");
        assert_eq!(app_label("Blog-Posts"), "blog_posts");
        assert_eq!(app_label("1st"), "app_1st");
        assert_eq!(app_label("import"), "import_app");
        assert_eq!(app_label("_class_"), "class_app");
    }

    /// An app never takes the name of a top-level module or package of the project.
    #[test]
    fn labels_do_not_hide_the_projects_modules() {
        use crate::inventory::model::Blueprint;
        let inv = Inventory {
            blueprints: ["dtale", "views", "other"]
                .iter()
                .map(|n| Blueprint { name: n.to_string(), ..Default::default() })
                .collect(),
            top_level_modules: ["dtale", "views", "views_app"].iter().map(|m| m.to_string()).collect(),
            ..Default::default()
        };
        let labels = blueprint_labels(&inv, "config");
        assert_eq!(labels["dtale"], "dtale_app");
        assert_eq!(labels["views"], "views_app_2");
        assert_eq!(labels["other"], "other");
    }
}
