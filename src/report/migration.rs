//! The migration report's model: items and diagnostics turned into findings, counted per
//! category, weighed into an effort estimate and ordered into phases of work.
//!
//! Consumes the inventory (diagnostics, suppressions, extensions), the items of
//! [`crate::mapping::items`] and the project's configuration; produces [`Report`], which the
//! Markdown, HTML and JSON renderers and `check` read. Never re-reads sources.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::inventory::model::{Inventory, SuppressionComment};
use crate::mapping::items::{Item, ItemStatus};
use crate::mapping::tables::ExtensionTable;
use crate::settings::{Level, ProjectConfig};

const EFFORT_TOML: &str = include_str!("../../mappings/effort.toml");

/// Version of the JSON form ([`Report`]); bumped when a key changes meaning or goes away.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub phase: u8,
    pub auto: f64,
    pub review: f64,
    pub manual: f64,
}

impl Weights {
    fn hours(&self, status: ItemStatus) -> f64 {
        match status {
            ItemStatus::Auto => self.auto,
            ItemStatus::Review => self.review,
            ItemStatus::Manual => self.manual,
        }
    }
}

/// `mappings/effort.toml`, with the project's overrides applied.
pub fn effort_table(config: &ProjectConfig) -> Result<BTreeMap<String, Weights>, String> {
    let mut table: BTreeMap<String, Weights> =
        toml::from_str(EFFORT_TOML).map_err(|e| format!("mappings/effort.toml: {}", e.message()))?;
    for info in crate::diagnostics::codes::CODES.iter().filter(|c| is_item_code(c.code)) {
        if !table.contains_key(info.name) {
            return Err(format!("mappings/effort.toml: no weights for category `{}`", info.name));
        }
    }
    for (category, o) in &config.effort {
        let Some(w) = table.get_mut(category) else {
            return Err(format!("[tool.flask2django.effort]: unknown category `{category}`"));
        };
        w.auto = o.auto.unwrap_or(w.auto);
        w.review = o.review.unwrap_or(w.review);
        w.manual = o.manual.unwrap_or(w.manual);
    }
    Ok(table)
}

/// FD5xx codes name migration items.
pub fn is_item_code(code: &str) -> bool {
    code.starts_with("FD5")
}

/// The titles of the phases of work, in order.
pub const PHASES: &[(u8, &str, &str)] = &[
    (1, "Models and data", "Generate the models, run `manage.py check_legacy_schema` against a copy of the database, then `migrate --fake-initial`; port model methods and validators."),
    (2, "Routes and views", "Port the view bodies behind the generated URLconfs; every Flask endpoint is already reversible under its Django name."),
    (3, "Templates", "Check the copied templates render on the Jinja2 backend; register the project's filters and globals in core/jinja2.py."),
    (4, "Auth, middleware, settings and commands", "Port request hooks to middleware, extensions to their Django counterparts, configuration to settings, CLI commands to management commands."),
    (5, "Tests", "Port the test suite: Flask's test_client becomes django.test.Client, app fixtures become TestCase setup; run it against both apps while they coexist."),
];

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// The analyzed folder's name.
    pub project: String,
    pub summary: Summary,
    pub categories: Vec<CategorySummary>,
    pub phases: Vec<Phase>,
    pub extensions: Vec<ExtensionEntry>,
    /// Non-`auto` items and diagnostics, minus suppressed ones and codes set to `off`.
    pub findings: Vec<Finding>,
    /// Every item, `auto` included.
    pub items: Vec<Item>,
    pub stats: Stats,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Summary {
    pub items: usize,
    pub auto: usize,
    pub review: usize,
    pub manual: usize,
    /// Percentage of items generated (`auto` + `review`), one decimal.
    pub coverage: f64,
    /// Percentage of items generated as equivalent (`auto`), one decimal.
    pub automatic: f64,
    /// Estimated hours of work, from `mappings/effort.toml`.
    pub effort_hours: f64,
    /// The same in days of six focused hours, one decimal.
    pub effort_days: f64,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Findings left out by inline comments or `off` levels.
    pub suppressed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategorySummary {
    pub category: &'static str,
    pub code: &'static str,
    pub summary: &'static str,
    pub phase: u8,
    pub auto: usize,
    pub review: usize,
    pub manual: usize,
    pub coverage: f64,
    pub effort_hours: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub phase: u8,
    pub title: &'static str,
    pub advice: &'static str,
    pub categories: Vec<&'static str>,
    /// Items of the phase to review or port.
    pub open: usize,
    pub effort_hours: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExtensionEntry {
    pub extension: String,
    pub variable: Option<String>,
    pub django: String,
    pub status: ItemStatus,
    pub note: String,
    pub file: String,
    pub line: u32,
}

/// Something for a person to act on: a non-`auto` item or a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub code: &'static str,
    /// The code's name (`view`, `dynamic-route`).
    pub name: &'static str,
    pub level: Level,
    /// The item's status; absent for diagnostics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ItemStatus>,
    /// One line: what it is.
    pub message: String,
    /// Why, or what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The generated Django counterpart, when there is one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// The baseline key: no file or line, so moving code keeps it.
    pub key: String,
    /// First line of the construct when it starts before `line` (decorators); 0 otherwise.
    #[serde(skip)]
    pub first_line: u32,
}

impl Finding {
    pub fn location(&self) -> String {
        match (self.file.is_empty(), self.line) {
            (true, _) => "<project>".into(),
            (false, 0) => self.file.clone(),
            (false, l) => format!("{}:{l}", self.file),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub python_files: usize,
    pub template_files: usize,
    pub lines: usize,
}

/// `1 note`, `2 notes`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

impl Report {
    /// The report's opening sentence, as what was read and what it came to (the part renderers
    /// emphasize).
    pub fn headline(&self) -> (String, String) {
        let m = &self.summary;
        (
            format!(
                "{} from {} ({}) and {}",
                count(m.items, "item"),
                count(self.stats.python_files, "Python file"),
                count(self.stats.lines, "line"),
                count(self.stats.template_files, "template"),
            ),
            format!("{} automatic, {} to review, {} to port by hand", m.auto, m.review, m.manual),
        )
    }
}

fn round1(x: f64) -> f64 {
    // `+ 0.0` turns a -0.0 into 0.0.
    (x * 10.0).round() / 10.0 + 0.0
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        round1(part as f64 * 100.0 / whole as f64)
    }
}

fn item_finding(i: &Item) -> Finding {
    let level = if i.status == ItemStatus::Manual { Level::Error } else { Level::Warning };
    let what = if i.status == ItemStatus::Manual { "to port by hand" } else { "to review" };
    Finding {
        file: i.file.clone(),
        line: i.line,
        column: 0,
        code: i.code,
        name: i.category,
        level,
        status: Some(i.status),
        message: format!("{} `{}` {what}", i.category, i.name),
        help: i.reason.clone(),
        target: i.target.clone(),
        key: i.key(),
        first_line: i.first_line,
    }
}

fn diagnostic_finding(d: &Diagnostic) -> Finding {
    Finding {
        file: d.file.clone(),
        line: d.line,
        column: d.column,
        code: d.code,
        name: d.name,
        level: match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Note,
        },
        status: None,
        message: d.message.clone(),
        help: d.help.clone(),
        target: String::new(),
        key: format!("{}:{}", d.code, d.message),
        first_line: 0,
    }
}

/// True when an inline comment covers the finding: same file, and on the finding's line (for a
/// decorated view, any line from its first decorator to its `def`), or alone on the line just
/// before; a finding about a whole file (line 0) is covered by a comment on its first line.
pub fn is_suppressed(f: &Finding, comments: &[SuppressionComment]) -> bool {
    let start = if f.first_line > 0 && f.first_line < f.line { f.first_line } else { f.line };
    comments.iter().any(|s| {
        s.file == f.file
            && ((start..=f.line).contains(&s.line)
                || (s.own_line && s.line + 1 == start)
                || (f.line == 0 && s.line == 1))
            && (s.codes.is_empty()
                || s.codes.iter().any(|c| c.eq_ignore_ascii_case(f.code) || c.eq_ignore_ascii_case(f.name)))
    })
}

/// The level configured for a code (by code or by name), if any.
pub fn configured_level(config: &ProjectConfig, code: &str, name: &str) -> Option<Level> {
    config.severity.iter().find(|(k, _)| k.eq_ignore_ascii_case(code) || k.eq_ignore_ascii_case(name)).map(|(_, l)| *l)
}

pub struct ReportInput<'a> {
    pub inv: &'a Inventory,
    pub items: Vec<Item>,
    pub extensions: &'a ExtensionTable,
    pub config: &'a ProjectConfig,
    pub project: String,
}

pub fn build(input: ReportInput<'_>) -> Result<Report, String> {
    let ReportInput { inv, items, extensions, config, project } = input;
    let weights = effort_table(config)?;

    // Findings: non-auto items and diagnostics, less what comments and levels turn off.
    let mut findings = Vec::new();
    let mut suppressed = 0;
    let candidates = items
        .iter()
        .filter(|i| i.status != ItemStatus::Auto)
        .map(item_finding)
        .chain(inv.diagnostics.iter().map(diagnostic_finding));
    for mut f in candidates {
        if let Some(level) = configured_level(config, f.code, f.name) {
            f.level = level;
        }
        if f.level == Level::Off || is_suppressed(&f, &inv.suppressions) {
            suppressed += 1;
            continue;
        }
        findings.push(f);
    }
    findings.sort();

    let mut categories = Vec::new();
    let mut total_hours = 0.0;
    for info in crate::diagnostics::codes::CODES.iter().filter(|c| is_item_code(c.code)) {
        let w = weights[info.name];
        let mine: Vec<&Item> = items.iter().filter(|i| i.category == info.name).collect();
        if mine.is_empty() {
            continue;
        }
        let count = |s: ItemStatus| mine.iter().filter(|i| i.status == s).count();
        let (auto, review, manual) = (count(ItemStatus::Auto), count(ItemStatus::Review), count(ItemStatus::Manual));
        // A fold from 0.0: an empty f64 sum is -0.0.
        let hours = mine.iter().fold(0.0, |acc, i| acc + w.hours(i.status));
        total_hours += hours;
        categories.push(CategorySummary {
            category: info.name,
            code: info.code,
            summary: info.summary,
            phase: w.phase,
            auto,
            review,
            manual,
            coverage: pct(auto + review, mine.len()),
            effort_hours: round1(hours),
        });
    }

    let phases = PHASES
        .iter()
        .map(|(n, title, advice)| {
            let cats: Vec<&CategorySummary> = categories.iter().filter(|c| c.phase == *n).collect();
            Phase {
                phase: *n,
                title,
                advice,
                categories: cats.iter().map(|c| c.category).collect(),
                open: cats.iter().map(|c| c.review + c.manual).sum(),
                effort_hours: round1(cats.iter().fold(0.0, |acc, c| acc + c.effort_hours)),
            }
        })
        .collect();

    let primary = inv.apps.first().map(|a| a.id.clone());
    let ext_items: BTreeMap<(&str, u32), &Item> =
        items.iter().filter(|i| i.category == "extension").map(|i| ((i.file.as_str(), i.line), i)).collect();
    let extensions = inv
        .extensions
        .iter()
        .filter(|e| e.app == primary || e.app.is_none())
        .map(|e| {
            let row = extensions.lookup(&e.class);
            let status =
                ext_items.get(&(&*e.location.file, e.location.line)).map(|i| i.status).unwrap_or(ItemStatus::Manual);
            ExtensionEntry {
                extension: row.map(|r| r.extension.clone()).unwrap_or_else(|| e.class.clone()),
                variable: e.variable.clone(),
                django: row.map(|r| r.django.clone()).unwrap_or_default(),
                status,
                note: row.map(|r| r.note.clone()).unwrap_or_else(|| "no Django counterpart is known".into()),
                file: e.location.file.to_string(),
                line: e.location.line,
            }
        })
        .collect();

    let count = |s: ItemStatus| items.iter().filter(|i| i.status == s).count();
    let (auto, review, manual) = (count(ItemStatus::Auto), count(ItemStatus::Review), count(ItemStatus::Manual));
    let level_count = |l: Level| findings.iter().filter(|f| f.level == l).count();
    let summary = Summary {
        items: items.len(),
        auto,
        review,
        manual,
        coverage: pct(auto + review, items.len()),
        automatic: pct(auto, items.len()),
        effort_hours: round1(total_hours),
        effort_days: round1(total_hours / 6.0),
        errors: level_count(Level::Error),
        warnings: level_count(Level::Warning),
        notes: level_count(Level::Note),
        suppressed,
    };
    Ok(Report {
        schema_version: REPORT_SCHEMA_VERSION,
        tool: Tool { name: "flask2django", version: env!("CARGO_PKG_VERSION") },
        project,
        summary,
        categories,
        phases,
        extensions,
        findings,
        items,
        stats: Stats {
            python_files: inv.stats.python_files,
            template_files: inv.stats.template_files,
            lines: inv.stats.lines,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: &str, line: u32) -> Finding {
        Finding {
            file: file.into(),
            line,
            column: 0,
            code: "FD502",
            name: "view",
            level: Level::Error,
            status: Some(ItemStatus::Manual),
            message: String::new(),
            help: None,
            target: String::new(),
            key: String::new(),
            first_line: 0,
        }
    }

    fn comment(line: u32, codes: &[&str], own_line: bool) -> SuppressionComment {
        SuppressionComment { file: "a.py".into(), line, codes: codes.iter().map(|c| c.to_string()).collect(), own_line }
    }

    #[test]
    fn comments_cover_their_line_the_next_one_and_named_codes() {
        assert!(is_suppressed(&finding("a.py", 3), &[comment(3, &[], false)]));
        assert!(is_suppressed(&finding("a.py", 3), &[comment(2, &["view"], true)]));
        assert!(!is_suppressed(&finding("a.py", 3), &[comment(2, &["view"], false)]));
        assert!(!is_suppressed(&finding("a.py", 3), &[comment(3, &["FD501"], false)]));
        assert!(!is_suppressed(&finding("b.py", 3), &[comment(3, &[], false)]));
        assert!(is_suppressed(&finding("a.py", 0), &[comment(1, &["fd502"], true)]));
        let view = Finding { first_line: 5, ..finding("a.py", 7) };
        assert!(is_suppressed(&view, &[comment(4, &[], true)]));
        assert!(is_suppressed(&view, &[comment(6, &[], false)]));
        assert!(!is_suppressed(&view, &[comment(3, &[], true)]));
    }

    #[test]
    fn the_effort_table_has_every_category() {
        let t = effort_table(&ProjectConfig::default()).unwrap();
        assert!(t.values().all(|w| (1..=4).contains(&w.phase)));
    }
}
