//! `mappings/config.toml`: Flask configuration keys to Django settings.

use super::py::{from_json, quote};

const TEXT: &str = include_str!("../../mappings/config.toml");

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingRow {
    pub flask: String,
    pub django: String,
    pub kind: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(serde::Deserialize)]
struct SettingFile {
    setting: Vec<SettingRow>,
}

/// The `kind`s a row may have (see the header of `mappings/config.toml`).
const KINDS: [&str; 6] = ["value", "env", "seconds", "language", "none", "template"];

pub fn table() -> Result<Vec<SettingRow>, super::tables::TableError> {
    let f: SettingFile = toml::from_str(TEXT)
        .map_err(|e| super::tables::TableError::Parse { file: "config.toml", message: e.to_string() })?;
    for r in &f.setting {
        if !KINDS.contains(&r.kind.as_str()) {
            return Err(super::tables::TableError::Parse {
                file: "config.toml",
                message: format!("setting `{}`: unknown kind `{}`", r.flask, r.kind),
            });
        }
    }
    Ok(f.setting)
}

/// The shipped table with the project's own rows in front; a project row replaces the shipped
/// row of the same Flask key.
pub fn table_with(extra: &[SettingRow]) -> Result<Vec<SettingRow>, super::tables::TableError> {
    for r in extra {
        if !KINDS.contains(&r.kind.as_str()) {
            return Err(super::tables::TableError::Parse {
                file: "the project's [[tool.flask2django.setting]] rows",
                message: format!("setting `{}`: unknown kind `{}`", r.flask, r.kind),
            });
        }
    }
    let mut rows = extra.to_vec();
    rows.extend(table()?.into_iter().filter(|r| !extra.iter().any(|e| e.flask == r.flask)));
    Ok(rows)
}

/// The primary app's configuration as it stands at run time: the last assignment of each key,
/// latest first.
pub fn effective(inv: &crate::inventory::model::Inventory) -> Vec<(&str, &crate::inventory::model::ConfigEntry)> {
    let primary = inv.apps.first().map(|a| a.id.clone());
    let mut seen = std::collections::BTreeSet::new();
    inv.config
        .iter()
        .rev()
        .filter(|c| c.app == primary)
        .filter_map(|c| c.key.as_deref().map(|k| (k, c)))
        .filter(|(k, _)| seen.insert(*k))
        .collect()
}

/// The settings line for a Flask key, when the table has it and the value can be written.
pub fn setting_line(table: &[SettingRow], key: &str, value: Option<&serde_json::Value>) -> Option<String> {
    let row = table.iter().find(|r| r.flask == key)?;
    let line = match row.kind.as_str() {
        "none" | "template" => return None,
        "env" => format!("{} = os.environ.get({}, \"\")", row.django, quote(&row.django)),
        "seconds" => {
            let n = value?.as_f64()?;
            format!("{} = {}", row.django, n as i64)
        }
        // A Babel locale (`en_GB`) as the language code Django reads (`en-gb`), the way
        // `django.utils.translation.to_language` turns one into the other.
        "language" => {
            let locale = value?.as_str()?;
            let code = match locale.split_once('_') {
                Some((lang, region)) => format!("{}-{}", lang.to_lowercase(), region.to_lowercase()),
                None => locale.to_lowercase(),
            };
            format!("{} = {}", row.django, quote(&code))
        }
        _ => format!("{} = {}", row.django, from_json(value?)?.flat()),
    };
    Some(match &row.note {
        Some(n) => format!("# {key}: {}\n{line}", crate::parse::ast::single_line(n)),
        None => line,
    })
}

/// What the extensions found ask of the Django project: third-party apps and middleware (left as
/// comments until their packages are installed) and pip requirements.
#[derive(Debug, Clone, Default)]
pub struct ExtensionNeeds {
    /// `(entry, extension)` for INSTALLED_APPS entries outside `django.contrib`.
    pub apps: Vec<(String, String)>,
    pub middleware: Vec<(String, String)>,
    pub packages: Vec<String>,
    /// Whether an extension of the app checks CSRF tokens on every request (its row lists
    /// [`CSRF_MIDDLEWARE`]): without one, Flask checks none, and neither does the Django project.
    pub csrf_middleware: bool,
}

/// Django's site-wide CSRF check.
pub const CSRF_MIDDLEWARE: &str = "django.middleware.csrf.CsrfViewMiddleware";

impl ExtensionNeeds {
    /// Whether the app serves unsafe methods (POST, PUT, PATCH, DELETE) without an extension
    /// that checks CSRF tokens on every request: the generated settings then leave out Django's
    /// check, and MIGRATION.md and the report say so ([`csrf_unchecked_note`]).
    pub fn unchecked_unsafe_requests(&self, inv: &crate::inventory::model::Inventory) -> bool {
        let primary = inv.apps.first().map(|a| a.id.clone());
        let unsafe_routes = inv
            .routes
            .iter()
            .filter(|r| r.app == primary)
            .any(|r| r.methods.iter().any(|m| matches!(m.as_str(), "POST" | "PUT" | "PATCH" | "DELETE")));
        unsafe_routes && !self.csrf_middleware
    }
}

/// Why the generated settings leave out Django's CSRF check, and what to do for forms.
pub fn csrf_unchecked_note() -> String {
    format!(
        "the Flask app checks no CSRF token on every request (no `CSRFProtect`), so `settings.py` leaves out `{CSRF_MIDDLEWARE}` and POST, PUT and DELETE requests are answered as in Flask. A Flask-WTF form checked its own token: add `@csrf_protect` (`django.views.decorators.csrf`) to the views that handle forms"
    )
}

pub fn extension_needs(
    inv: &crate::inventory::model::Inventory,
    table: &super::tables::ExtensionTable,
) -> ExtensionNeeds {
    let primary = inv.apps.first().map(|a| a.id.clone());
    let mut out = ExtensionNeeds::default();
    for e in inv.extensions.iter().filter(|e| e.app == primary || e.app.is_none()) {
        let Some(row) = table.lookup(&e.class) else { continue };
        for a in row.installed_apps.iter().filter(|a| !a.starts_with("django.contrib.")) {
            if !out.apps.iter().any(|(x, _)| x == a) {
                out.apps.push((a.clone(), row.extension.clone()));
            }
        }
        out.csrf_middleware |= row.middleware.iter().any(|m| m == CSRF_MIDDLEWARE);
        for m in row.middleware.iter().filter(|m| !m.starts_with("django.")) {
            if !out.middleware.iter().any(|(x, _)| x == m) {
                out.middleware.push((m.clone(), row.extension.clone()));
            }
        }
        for p in &row.packages {
            if !out.packages.contains(p) {
                out.packages.push(p.clone());
            }
        }
    }
    out.packages.sort();
    out
}
