//! `mappings/config.toml`: Flask configuration keys to Django settings.

use super::py::{from_json, quote};

const TEXT: &str = include_str!("../../mappings/config.toml");

#[derive(Debug, Clone, serde::Deserialize)]
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

pub fn table() -> Result<Vec<SettingRow>, super::tables::TableError> {
    let f: SettingFile = toml::from_str(TEXT)
        .map_err(|e| super::tables::TableError::Parse { file: "config.toml", message: e.to_string() })?;
    for r in &f.setting {
        if !matches!(r.kind.as_str(), "value" | "env" | "seconds") {
            return Err(super::tables::TableError::Parse {
                file: "config.toml",
                message: format!("setting `{}`: unknown kind `{}`", r.flask, r.kind),
            });
        }
    }
    Ok(f.setting)
}

/// The settings line for a Flask key, when the table has it and the value can be written.
pub fn setting_line(table: &[SettingRow], key: &str, value: Option<&serde_json::Value>) -> Option<String> {
    let row = table.iter().find(|r| r.flask == key)?;
    let line = match row.kind.as_str() {
        "env" => format!("{} = os.environ.get({}, \"\")", row.django, quote(&row.django)),
        "seconds" => {
            let n = value?.as_f64()?;
            format!("{} = {}", row.django, n as i64)
        }
        _ => format!("{} = {}", row.django, from_json(value?)?.flat()),
    };
    Some(match &row.note {
        Some(n) => format!("# {key}: {n}\n{line}"),
        None => line,
    })
}
