//! SARIF 2.1.0, for code scanning (GitHub uploads it with `github/codeql-action/upload-sarif`).
//! Every finding is a result; the rules are the codes used, with their documentation.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::Gate;
use crate::settings::Level;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    /// Findings the baseline holds are accepted: code scanning shows them as dismissed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
        Level::Off => "none",
    }
}

/// Code scanning rejects a result without a location: findings about the whole project point at
/// the analyzed folder.
pub fn render(g: &Gate) -> String {
    let mut rule_index: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    let mut codes: Vec<&'static str> = g.findings.iter().map(|f| f.finding.code).collect();
    codes.sort();
    codes.dedup();
    for code in codes {
        let Some(info) = crate::diagnostics::codes::find(code) else { continue };
        rule_index.insert(info.code, rules.len());
        let default = if crate::report::migration::is_item_code(info.code) {
            "warning"
        } else {
            match info.severity {
                crate::diagnostics::Severity::Error => "error",
                crate::diagnostics::Severity::Warning => "warning",
                crate::diagnostics::Severity::Info => "note",
            }
        };
        rules.push(Rule {
            id: info.code,
            name: info.name,
            short_description: Text { text: info.summary.to_string() },
            full_description: Text { text: info.summary.to_string() },
            help: Help { text: info.doc.to_string(), markdown: info.doc.to_string() },
            default_configuration: Configuration { level: default },
        });
    }
    let with_baseline = g.baseline.is_some();
    let results = g
        .findings
        .iter()
        .map(|f| {
            let text = match &f.finding.help {
                Some(h) => format!("{}. {h}", f.finding.message),
                None => f.finding.message.clone(),
            };
            let path = if f.path.is_empty() { format!("{}/", g.root.trim_end_matches('/')) } else { f.path.clone() };
            let locations = {
                vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: crate::report::links::encode(&path) },
                        region: (f.finding.line > 0).then(|| Region {
                            start_line: f.finding.line,
                            start_column: (f.finding.column > 0).then_some(f.finding.column),
                        }),
                    },
                }]
            };
            SarifResult {
                rule_id: f.finding.code,
                rule_index: rule_index.get(f.finding.code).copied().unwrap_or(0),
                level: level(f.finding.level),
                message: Text { text },
                locations,
                partial_fingerprints: BTreeMap::from([("flask2django/v1", f.finding.key.clone())]),
                baseline_state: with_baseline.then_some(if f.baselined { "unchanged" } else { "new" }),
                suppressions: if f.baselined {
                    vec![Suppression { kind: "external", justification: "held by the flask2django baseline" }]
                } else {
                    vec![]
                },
            }
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "flask2django",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    s.push('\n');
    s
}
