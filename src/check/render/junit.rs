//! JUnit XML, for CI systems that show test reports: one test case per gate (coverage, drift)
//! and per error finding; a finding held by the baseline is skipped, a new one fails.

use std::fmt::Write as _;

use crate::check::Gate;
use crate::settings::Level;

use crate::report::escape_markup as escape;

struct Case {
    class: String,
    name: String,
    failure: Option<(String, String, String)>,
    skipped: Option<String>,
}

fn suite(s: &mut String, name: &str, cases: &[Case]) {
    let failures = cases.iter().filter(|c| c.failure.is_some()).count();
    let skipped = cases.iter().filter(|c| c.skipped.is_some()).count();
    let _ = writeln!(
        s,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
        escape(name),
        cases.len()
    );
    for c in cases {
        let _ = write!(s, "    <testcase classname=\"{}\" name=\"{}\"", escape(&c.class), escape(&c.name));
        match (&c.failure, &c.skipped) {
            (Some((message, kind, text)), _) => {
                let _ = writeln!(s, ">");
                let _ = writeln!(
                    s,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(message),
                    escape(kind),
                    escape(text)
                );
                let _ = writeln!(s, "    </testcase>");
            }
            (None, Some(why)) => {
                let _ = writeln!(s, ">");
                let _ = writeln!(s, "      <skipped message=\"{}\"/>", escape(why));
                let _ = writeln!(s, "    </testcase>");
            }
            (None, None) => {
                let _ = writeln!(s, "/>");
            }
        }
    }
    let _ = writeln!(s, "  </testsuite>");
}

pub fn render(g: &Gate) -> String {
    let mut gate = vec![Case {
        class: "flask2django.gate".into(),
        name: "coverage".into(),
        failure: (!g.coverage.passed).then(|| {
            let m = format!(
                "coverage {:.1}% is under --fail-under {:.1}%",
                g.coverage.coverage,
                g.coverage.fail_under.unwrap_or_default()
            );
            (m.clone(), "coverage".into(), m)
        }),
        skipped: None,
    }];
    for d in &g.drift {
        gate.push(Case {
            class: "flask2django.drift".into(),
            name: d.path.clone(),
            failure: Some((format!("{} differs from what convert writes now", d.path), "FD601".into(), d.diff.clone())),
            skipped: None,
        });
    }
    let findings: Vec<Case> = g
        .findings
        .iter()
        .filter(|f| f.finding.level == Level::Error && f.finding.code != "FD601")
        .map(|f| {
            let loc = match f.finding.line {
                0 => f.path.clone(),
                l => format!("{}:{l}", f.path),
            };
            let text = match &f.finding.help {
                Some(h) => format!("{loc}\n{}\n{h}", f.finding.message),
                None => format!("{loc}\n{}", f.finding.message),
            };
            Case {
                class: if f.path.is_empty() { "<project>".into() } else { f.path.clone() },
                name: f.finding.key.clone(),
                failure: f.fails.then(|| (f.finding.message.clone(), f.finding.code.to_string(), text)),
                skipped: f.baselined.then(|| "held by the baseline".to_string()),
            }
        })
        .collect();
    let all = gate.len() + findings.len();
    let failures = gate.iter().chain(&findings).filter(|c| c.failure.is_some()).count();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(s, "<testsuites name=\"flask2django check\" tests=\"{all}\" failures=\"{failures}\">");
    suite(&mut s, "gate", &gate);
    suite(&mut s, "findings", &findings);
    s.push_str("</testsuites>\n");
    s
}
