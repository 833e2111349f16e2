//! Check: the CI gate. Fails (exit 1) when coverage is under the threshold, when error findings
//! are not in the baseline, or when the committed Django output drifted from what `convert`
//! would write now.
//!
//! Consumes the migration report and, with `--against`, the generated files and the committed
//! ones; produces a [`Gate`] that one renderer per format prints. Never writes outside the
//! baseline file it is asked to write.

pub mod baseline;
pub mod render;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::cli::{CheckArgs, CheckFormat};
use crate::diagnostics::Code;
use crate::report::migration::{Finding, Report};
use crate::settings::Level;
use crate::Outcome;

/// What the gate decided, and on what.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    pub schema_version: u32,
    pub passed: bool,
    /// The analyzed folder as given (`.`, `examples/flask_shop`).
    pub root: String,
    pub coverage: CoverageGate,
    /// Every finding, with paths as seen from where the command ran.
    pub findings: Vec<GateFinding>,
    /// Files of `--against DIR` that differ from what would be generated, with their diff.
    pub drift: Vec<Drift>,
    pub baseline: Option<BaselineGate>,
    /// Summary counts of the report.
    pub summary: crate::report::migration::Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageGate {
    pub coverage: f64,
    pub fail_under: Option<f64>,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BaselineGate {
    pub file: String,
    /// Error findings the baseline holds.
    pub known: usize,
    /// Error findings beyond it.
    pub new: usize,
    /// Baseline entries no longer found (the baseline can be tightened).
    pub fixed: usize,
    /// `--write-baseline` wrote the file.
    pub written: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GateFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// Path from where the command ran (`examples/flask_shop/shop/views.py`).
    pub path: String,
    /// The finding fails the gate: an error not held by the baseline.
    pub fails: bool,
    /// The baseline holds it.
    pub baselined: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Drift {
    pub path: String,
    pub diff: String,
    /// flask2django generated the file and would no longer write it (`convert` deletes it).
    pub removed: bool,
}

/// `root/rel` with `/` separators, without a leading `./`.
pub fn display_path(root: &Path, rel: &str) -> String {
    let r = root.to_string_lossy().replace('\\', "/");
    let r = r.trim_start_matches("./").trim_end_matches('/');
    if rel.is_empty() {
        return r.to_string();
    }
    if r.is_empty() || r == "." {
        rel.to_string()
    } else {
        format!("{r}/{rel}")
    }
}

pub fn run(args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let analysis = crate::analyze(&args.source, args.project.as_deref())?;
    let report = analysis.report()?;
    let root = &args.source.path;
    let config = &analysis.config;
    let fail_under = args.fail_under.or(config.fail_under);
    if let Some(p) = fail_under {
        if !(0.0..=100.0).contains(&p) {
            anyhow::bail!("--fail-under {p}: a percentage from 0 to 100");
        }
    }
    let baseline_file: Option<PathBuf> =
        args.baseline.clone().or_else(|| config.baseline.as_ref().map(|p| root.join(p)));
    let against: Option<PathBuf> = args.against.clone().or_else(|| config.against.as_ref().map(|p| root.join(p)));

    let drift = match &against {
        Some(dir) => {
            if !dir.is_dir() {
                anyhow::bail!("--against {}: not a folder", dir.display());
            }
            let files = analysis.files(dir)?;
            crate::diff_against(dir, &files)?
                .into_iter()
                .map(|d| Drift { path: display_path(dir, &d.path), diff: d.diff, removed: d.removed })
                .collect()
        }
        None => Vec::new(),
    };

    let gate = decide(&report, root, fail_under, drift, baseline_file.as_deref(), args.write_baseline.as_deref())?;
    let text = match args.format {
        CheckFormat::Text => render::text::render(&gate),
        CheckFormat::Json => render::json(&gate),
        CheckFormat::Sarif => render::sarif::render(&gate),
        CheckFormat::Github => render::github::render(&gate),
        CheckFormat::Junit => render::junit::render(&gate),
    };
    crate::write_output(args.output.as_deref(), &text, out)?;
    Ok(if gate.passed { Outcome::Success } else { Outcome::Failure })
}

/// The gate's decision from a report, a threshold, drift and a baseline.
pub fn decide(
    report: &Report,
    root: &Path,
    fail_under: Option<f64>,
    drift: Vec<Drift>,
    baseline_file: Option<&Path>,
    write_baseline: Option<&Path>,
) -> anyhow::Result<Gate> {
    let coverage = CoverageGate {
        coverage: report.summary.coverage,
        fail_under,
        passed: fail_under.map_or(true, |f| report.summary.coverage >= f),
    };
    let findings: Vec<Finding> = report.findings.clone();
    let gating = |f: &Finding| f.level == Level::Error;
    let current = baseline::Baseline::from_keys(findings.iter().filter(|f| gating(f)).map(|f| f.key.as_str()));
    let mut baseline_gate = None;
    let known = match (write_baseline, baseline_file) {
        (Some(path), _) => {
            std::fs::write(path, current.to_json()).with_context(|| format!("cannot write {}", path.display()))?;
            baseline_gate = Some(BaselineGate {
                file: path.display().to_string(),
                known: current.total(),
                new: 0,
                fixed: 0,
                written: true,
            });
            current.clone()
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the baseline {}", path.display()))?;
            baseline::Baseline::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        (None, None) => baseline::Baseline::default(),
    };

    // Each key's first `known` occurrences are baselined, in a stable order.
    let mut left = known.counts.clone();
    let mut out = Vec::new();
    for f in findings {
        let path = if f.file.is_empty() { String::new() } else { display_path(root, &f.file) };
        let mut baselined = false;
        if gating(&f) {
            if let Some(n) = left.get_mut(&f.key).filter(|n| **n > 0) {
                *n -= 1;
                baselined = true;
            }
        }
        let fails = f.level == Level::Error && !baselined;
        out.push(GateFinding { finding: f, path, fails, baselined });
    }
    let new = out.iter().filter(|g| g.fails).count();
    // Drift is never baselined: the committed output must match.
    for d in &drift {
        let info = Code::GeneratedDrift.info();
        out.push(GateFinding {
            finding: Finding {
                file: String::new(),
                line: 0,
                column: 0,
                code: info.code,
                name: info.name,
                level: Level::Error,
                status: None,
                message: if d.removed {
                    format!("{} was generated by flask2django and is no longer generated", d.path)
                } else {
                    format!("{} differs from what `flask2django convert` writes now", d.path)
                },
                help: Some(
                    "run `flask2django convert` and commit the result; `convert --diff` shows the change".into(),
                ),
                target: String::new(),
                key: format!("{}:{}", info.code, d.path),
                first_line: 0,
            },
            path: d.path.clone(),
            fails: true,
            baselined: false,
        });
    }
    if baseline_gate.is_none() {
        if let Some(path) = baseline_file {
            baseline_gate = Some(BaselineGate {
                file: path.display().to_string(),
                known: out.iter().filter(|g| g.baselined).count(),
                new,
                fixed: left.values().sum(),
                written: false,
            });
        }
    }
    let passed = coverage.passed && !out.iter().any(|g| g.fails);
    let root = display_path(root, "");
    Ok(Gate {
        schema_version: 1,
        passed,
        root: if root.is_empty() { ".".into() } else { root },
        coverage,
        findings: out,
        drift,
        baseline: baseline_gate,
        summary: report.summary.clone(),
    })
}
