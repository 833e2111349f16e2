//! Links from a report to the analyzed sources: a `--link` template (`{path}`, `{line}`), or a
//! path relative to where the report is written.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Links {
    template: Option<String>,
    /// Relative (or absolute) folder of the analyzed root, seen from the report's folder, with a
    /// trailing `/` unless empty.
    base: String,
}

impl Links {
    pub fn new(template: Option<&str>, root: &Path, output: Option<&Path>) -> Self {
        let base = match output {
            Some(out) => {
                let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                match (absolute(dir), absolute(root)) {
                    (Some(from), Some(to)) => relative(&from, &to),
                    _ => root.to_path_buf(),
                }
            }
            None => root.to_path_buf(),
        };
        let mut base = base.to_string_lossy().replace('\\', "/");
        if base == "." {
            base.clear();
        }
        if !base.is_empty() && !base.ends_with('/') {
            base.push('/');
        }
        Links { template: template.map(str::to_string), base }
    }

    /// A link for a template that needs no folder (tests, JSON).
    pub fn none() -> Self {
        Links { template: None, base: String::new() }
    }

    /// Where a file (and line) of the analyzed project is, for an `href`.
    pub fn href(&self, file: &str, line: u32) -> Option<String> {
        if file.is_empty() {
            return None;
        }
        Some(match &self.template {
            Some(t) => t.replace("{path}", &encode(file)).replace("{line}", &line.max(1).to_string()),
            None if line > 0 => format!("{}{}#L{line}", encode(&self.base), encode(file)),
            None => format!("{}{}", encode(&self.base), encode(file)),
        })
    }
}

/// The canonical form of a folder, or of its nearest existing parent joined with the rest.
fn absolute(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let parent = p.parent()?;
    let name = p.file_name()?;
    Some(absolute(if parent.as_os_str().is_empty() { Path::new(".") } else { parent })?.join(name))
}

fn relative(from: &Path, to: &Path) -> PathBuf {
    let f: Vec<Component<'_>> = from.components().collect();
    let t: Vec<Component<'_>> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// Percent-encodes what would break a URL path (a relative URI reference stays relative).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_relative_links() {
        let l = Links::new(Some("https://example.com/blob/main/{path}#L{line}"), Path::new("x"), None);
        assert_eq!(l.href("a b.py", 3).unwrap(), "https://example.com/blob/main/a%20b.py#L3");
        let l = Links::new(None, Path::new("examples/shop"), None);
        assert_eq!(l.href("app.py", 0).unwrap(), "examples/shop/app.py");
        assert_eq!(relative(Path::new("/a/b/c"), Path::new("/a/d")), PathBuf::from("../../d"));
    }
}
