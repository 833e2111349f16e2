//! The gate for a terminal or a CI log: failing findings one per line, then the decision.

use std::fmt::Write as _;

use crate::check::Gate;
use crate::settings::Level;

pub fn render(g: &Gate) -> String {
    let mut s = String::new();
    for f in g.findings.iter().filter(|f| f.fails) {
        let loc = match (f.path.is_empty(), f.finding.line) {
            (true, _) => "<project>".to_string(),
            (false, 0) => f.path.clone(),
            (false, l) => format!("{}:{l}", f.path),
        };
        let _ = writeln!(s, "{loc}: {} {} {}", f.finding.level.as_str(), f.finding.code, f.finding.message);
        if let Some(h) = &f.finding.help {
            let _ = writeln!(s, "  help: {h}");
        }
    }
    for d in &g.drift {
        s.push_str(&d.diff);
    }
    if !s.is_empty() {
        s.push('\n');
    }
    let c = &g.coverage;
    let _ = match c.fail_under {
        Some(t) => writeln!(
            s,
            "coverage: {:.1}% of items generated (fail-under {t:.1}%): {}",
            c.coverage,
            if c.passed { "passed" } else { "FAILED" }
        ),
        None => writeln!(s, "coverage: {:.1}% of items generated", c.coverage),
    };
    let count = |l: Level| g.findings.iter().filter(|f| f.finding.level == l).count();
    let errors = count(Level::Error) - g.drift.len();
    let failing = g.findings.iter().filter(|f| f.fails).count() - g.drift.len();
    let _ = match &g.baseline {
        Some(b) if b.written => writeln!(s, "baseline: wrote {} error findings to {}", b.known, b.file),
        Some(b) => writeln!(
            s,
            "errors: {errors} ({} in the baseline {}, {} new){}",
            b.known,
            b.file,
            b.new,
            if b.fixed > 0 {
                format!("; {} baseline entries are gone: --write-baseline tightens it", b.fixed)
            } else {
                String::new()
            }
        ),
        None => writeln!(s, "errors: {errors} ({failing} failing; --write-baseline accepts the current ones)"),
    };
    let _ =
        writeln!(s, "warnings: {}, notes: {} (they do not fail the gate)", count(Level::Warning), count(Level::Note));
    if !g.drift.is_empty() {
        let _ = writeln!(s, "drift: {} generated files differ from the committed ones", g.drift.len());
    }
    let _ = writeln!(s, "{}", if g.passed { "check passed" } else { "check FAILED" });
    s
}
