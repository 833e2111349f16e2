//! Diagnostics: what the tool found wrong or unresolvable in the analyzed code.
//!
//! Consumes nothing; every stage produces [`Diagnostic`] values. Problems in the analyzed code are
//! never `Err`: they are collected, sorted and rendered. Each code is one row of [`codes::CODES`].

pub mod codes;

use serde::Serialize;

pub use codes::{Code, CodeInfo};

/// How much a diagnostic matters to the person running the tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One finding, with a stable code and a location relative to the analyzed root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Relative `/`-separated path; empty for findings about the whole project.
    pub file: String,
    /// 1-based line, 0 when the finding has no line.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// Diagnostics collected while code runs, each kept once: a loop or a function called many times
/// reports the same finding once, and memory stays bounded by the distinct findings.
#[derive(Debug, Default)]
pub struct DiagnosticLog {
    list: Vec<Diagnostic>,
    seen: std::collections::HashSet<Diagnostic>,
}

impl DiagnosticLog {
    pub fn push(&mut self, d: Diagnostic) {
        if !self.seen.contains(&d) {
            self.seen.insert(d.clone());
            self.list.push(d);
        }
    }

    /// The diagnostics, in the order first seen; the log is left empty.
    pub fn take(&mut self) -> Vec<Diagnostic> {
        self.seen.clear();
        std::mem::take(&mut self.list)
    }
}

impl Diagnostic {
    pub fn new(code: Code, file: impl AsRef<str>, line: u32, message: impl Into<String>) -> Self {
        let info = code.info();
        Diagnostic {
            file: file.as_ref().to_string(),
            line,
            column: 0,
            code: info.code,
            name: info.name,
            severity: info.severity,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_column(mut self, column: u32) -> Self {
        self.column = column;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col: CODE message` — the one-line form used by the text renderers.
    pub fn location(&self) -> String {
        match (self.file.is_empty(), self.line, self.column) {
            (true, _, _) => "<project>".to_string(),
            (false, 0, _) => self.file.clone(),
            (false, l, 0) => format!("{}:{}", self.file, l),
            (false, l, c) => format!("{}:{}:{}", self.file, l, c),
        }
    }
}
