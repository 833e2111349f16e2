//! The analyzed project's own configuration: `[tool.flask2django]` in its `pyproject.toml`, or
//! the top level of a `flask2django.toml` beside it (which wins when both exist).
//!
//! Consumes the file's text; produces [`ProjectConfig`]. Command-line flags override every key;
//! the binary's resolution is `flag, else file, else default`. Unknown keys are errors that name
//! the file and the key, so a typo never silently turns a gate off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::mapping::tables::ExtensionRow;

/// What `[tool.flask2django]` may hold.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectConfig {
    /// As `--app`.
    pub app: Option<String>,
    /// As `--exclude`, added to the command line's.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// As `convert --project`.
    pub project: Option<String>,
    /// As `check --fail-under`.
    pub fail_under: Option<f64>,
    /// As `check --baseline`, relative to the analyzed root.
    pub baseline: Option<PathBuf>,
    /// As `check --against`, relative to the analyzed root.
    pub against: Option<PathBuf>,
    /// Per-code level of findings: code or name → `error`, `warning`, `note` or `off`.
    #[serde(default)]
    pub severity: BTreeMap<String, Level>,
    /// Effort weights per category, over `mappings/effort.toml`.
    #[serde(default)]
    pub effort: BTreeMap<String, EffortOverride>,
    /// Extra rows for the extensions table; they win over the shipped rows.
    #[serde(default)]
    pub extension: Vec<ExtensionRow>,
    /// Extra rows for the configuration table (`mappings/config.toml`); they win too.
    #[serde(default)]
    pub setting: Vec<crate::mapping::config::SettingRow>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EffortOverride {
    pub auto: Option<f64>,
    pub review: Option<f64>,
    pub manual: Option<f64>,
}

/// How much a finding matters to the gate: `error` fails `check` unless baselined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
            Level::Off => "off",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// The configuration found at the analyzed root, and the file it came from.
pub fn load(root: &Path) -> Result<(ProjectConfig, Option<PathBuf>), ConfigError> {
    let own = root.join("flask2django.toml");
    if let Ok(text) = std::fs::read_to_string(&own) {
        return parse(&text, false)
            .map(|c| (c, Some(own.clone())))
            .map_err(|message| ConfigError::Invalid { path: own.display().to_string(), message });
    }
    let pyproject = root.join("pyproject.toml");
    if let Ok(text) = std::fs::read_to_string(&pyproject) {
        return match parse(&text, true) {
            Ok(c) if c == ProjectConfig::default() => Ok((c, None)),
            Ok(c) => Ok((c, Some(pyproject))),
            Err(message) => Err(ConfigError::Invalid { path: pyproject.display().to_string(), message }),
        };
    }
    Ok((ProjectConfig::default(), None))
}

/// Parses a `flask2django.toml` (`in_pyproject: false`) or the `[tool.flask2django]` table of a
/// `pyproject.toml`. A pyproject without the table is the default configuration.
pub fn parse(text: &str, in_pyproject: bool) -> Result<ProjectConfig, String> {
    let value: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let table = if in_pyproject {
        match value.get("tool").and_then(|t| t.get("flask2django")) {
            Some(t) => t.clone(),
            None => return Ok(ProjectConfig::default()),
        }
    } else {
        toml::Value::Table(value)
    };
    let prefix = if in_pyproject { "tool.flask2django" } else { "" };
    let config = ProjectConfig::deserialize(table).map_err(|e| {
        let m = e.message().to_string();
        if prefix.is_empty() {
            m
        } else {
            format!("[{prefix}]: {m}")
        }
    })?;
    for code in config.severity.keys() {
        if crate::diagnostics::codes::find(code).is_none() {
            return Err(format!("severity: unknown code `{code}` (`flask2django codes` lists them)"));
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tool_table_and_rejects_unknown_keys() {
        let c = parse(
            "[project]\nname='x'\n[tool.flask2django]\napp = 'shop:create_app()'\nfail-under = 60\nexclude = ['legacy/**']\n[tool.flask2django.severity]\nFD509 = 'off'\nview = 'warning'\n",
            true,
        )
        .unwrap();
        assert_eq!(c.app.as_deref(), Some("shop:create_app()"));
        assert_eq!(c.fail_under, Some(60.0));
        assert_eq!(c.severity.get("FD509"), Some(&Level::Off));
        assert_eq!(c.severity.get("view"), Some(&Level::Warning));
        assert!(parse("[tool.flask2django]\nfail_under = 60\n", true).unwrap_err().contains("fail_under"));
        assert!(parse("[severity]\nFD999 = 'off'\n", false).unwrap_err().contains("FD999"));
        assert_eq!(parse("[project]\nname='x'\n", true).unwrap(), ProjectConfig::default());
    }
}
