//! GitHub Actions workflow commands: one annotation per finding not held by the baseline.
//! <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>

use std::fmt::Write as _;

use crate::check::Gate;
use crate::settings::Level;

/// Escapes the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(g: &Gate) -> String {
    let mut s = String::new();
    for f in g.findings.iter().filter(|f| !f.baselined) {
        let command = match f.finding.level {
            Level::Error => "error",
            Level::Warning => "warning",
            _ => "notice",
        };
        let mut props = Vec::new();
        if !f.path.is_empty() {
            props.push(format!("file={}", escape_property(&f.path)));
            if f.finding.line > 0 {
                props.push(format!("line={}", f.finding.line));
            }
            if f.finding.column > 0 {
                props.push(format!("col={}", f.finding.column));
            }
        }
        props.push(format!("title={}", escape_property(&format!("{} {}", f.finding.code, f.finding.name))));
        let message = match &f.finding.help {
            Some(h) => format!("{}\n{h}", f.finding.message),
            None => f.finding.message.clone(),
        };
        let _ = writeln!(s, "::{command} {}::{}", props.join(","), escape_data(&message));
    }
    if !g.coverage.passed {
        let _ = writeln!(
            s,
            "::error title=coverage::{}",
            escape_data(&format!(
                "coverage {:.1}% is under --fail-under {:.1}%",
                g.coverage.coverage,
                g.coverage.fail_under.unwrap_or_default()
            ))
        );
    }
    let _ = writeln!(
        s,
        "flask2django check {}: coverage {:.1}%, {} failing findings",
        if g.passed { "passed" } else { "failed" },
        g.coverage.coverage,
        g.findings.iter().filter(|f| f.fails).count()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50%\na"), "50%25%0Aa");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
