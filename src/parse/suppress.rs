//! Inline suppression comments: `# flask2django: ignore[FD502, FD518]` in Python and
//! `{# flask2django: ignore[FD527] #}` in templates.
//!
//! A comment suppresses the findings on its own line; a comment alone on its line also suppresses
//! the findings on the next line. `ignore` without a list suppresses every code. Codes may be
//! written as codes (`FD502`) or names (`route`); they are kept as written and matched later.

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: u32,
    /// Codes or names as written; empty means every code.
    pub codes: Vec<String>,
    /// The comment is alone on its line, so it covers the next line too.
    pub own_line: bool,
}

const MARKER: &str = "flask2django:";

/// Every suppression comment in a source text. Cheap on files without the marker.
pub fn suppressions(text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    if !text.contains(MARKER) {
        return out;
    }
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else { continue };
        let before = &line[..at];
        let Some(hash) = before.rfind(['#']) else { continue };
        // `#` or `{#`, then only spaces up to the marker.
        if !before[hash + 1..].trim().is_empty() {
            continue;
        }
        let rest = line[at + MARKER.len()..].trim_start();
        let Some(rest) = rest.strip_prefix("ignore") else { continue };
        let codes = match rest.strip_prefix('[') {
            Some(list) => {
                let Some(end) = list.find(']') else { continue };
                list[..end].split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
            }
            None if rest.is_empty() || rest.starts_with(char::is_whitespace) || rest.starts_with("#}") => vec![],
            None => continue,
        };
        let lead = before[..hash].trim();
        let own_line = lead.is_empty() || lead == "{";
        out.push(Suppression { line: i as u32 + 1, codes, own_line });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_trailing_standalone_and_template_comments() {
        let s = suppressions(
            "x = 1  # flask2django: ignore[FD502, route]\n# flask2django: ignore\n\n{# flask2django: ignore[FD527] #}\ny = '# flask2django: ignored'\n",
        );
        assert_eq!(
            s,
            vec![
                Suppression { line: 1, codes: vec!["FD502".into(), "route".into()], own_line: false },
                Suppression { line: 2, codes: vec![], own_line: true },
                Suppression { line: 4, codes: vec!["FD527".into()], own_line: true },
            ]
        );
    }

    #[test]
    fn ignores_text_without_the_marker_or_with_other_words() {
        assert!(suppressions("x = 1  # noqa\n").is_empty());
        assert!(suppressions("# flask2django: keep\n").is_empty());
        assert!(suppressions("# flask2django: ignore[FD1\n").is_empty());
    }
}
