//! Dotted module names from root-relative paths.

/// Module name of a root-relative `/`-separated Python path, and whether it is a package
/// (`__init__.py`).
///
/// Source roots are the analyzed root and, when `src_layout` is set, `src/` (files under it are
/// named relative to it). Folders without `__init__.py` still form dotted names (PEP 420
/// namespace packages). The name is None when a component is not an identifier or is a keyword,
/// or for an `__init__.py` directly in a source root.
pub(crate) fn module_name(rel: &str, src_layout: bool) -> (Option<String>, bool) {
    let Some(without_ext) = rel.strip_suffix(".py") else {
        return (None, false);
    };
    let in_root = match without_ext.strip_prefix("src/") {
        Some(inner) if src_layout => inner,
        _ => without_ext,
    };
    let mut parts: Vec<&str> = in_root.split('/').collect();
    let is_package = parts.last() == Some(&"__init__");
    if is_package {
        parts.pop();
    }
    let valid = !parts.is_empty() && parts.iter().all(|p| is_identifier(p) && !is_keyword(p));
    (valid.then(|| parts.join(".")), is_package)
}

/// Python identifier: a letter or `_`, then letters, digits or `_`. Non-ASCII letters and digits
/// are accepted by their Unicode alphabetic and numeric properties, close to Python's
/// XID_Start/XID_Continue rule.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || first.is_alphabetic()) && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// Hard keywords only: soft keywords (`match`, `case`, `type`, `_`) are valid module names.
fn is_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ];
    KEYWORDS.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        // (path, src layout, module, is_package)
        let cases: &[(&str, bool, Option<&str>, bool)] = &[
            // Must not get a name.
            ("my-scripts/x.py", false, None, false),
            ("2fa.py", false, None, false),
            ("pkg/class.py", false, None, false),
            ("import/x.py", false, None, false),
            ("pkg/my module.py", false, None, false),
            ("__init__.py", false, None, true),
            ("templates/index.html", false, None, false),
            ("pkg/x.pyi", false, None, false),
            // Named.
            ("app.py", false, Some("app"), false),
            ("setup.py", true, Some("setup"), false),
            ("pkg/__init__.py", false, Some("pkg"), true),
            ("pkg/sub/mod.py", false, Some("pkg.sub.mod"), false),
            ("nspkg/inner/mod.py", false, Some("nspkg.inner.mod"), false),
            ("pkg/match.py", false, Some("pkg.match"), false),
            ("_private/__main__.py", false, Some("_private.__main__"), false),
            ("café/menu.py", false, Some("café.menu"), false),
            // src layout, or `src` as a package.
            ("src/pkg/mod.py", true, Some("pkg.mod"), false),
            ("src/pkg/__init__.py", true, Some("pkg"), true),
            ("src/tool.py", true, Some("tool"), false),
            ("src/pkg/mod.py", false, Some("src.pkg.mod"), false),
            ("src/__init__.py", false, Some("src"), true),
        ];
        for (rel, src_layout, module, is_package) in cases {
            let got = module_name(rel, *src_layout);
            assert_eq!(got, (module.map(str::to_string), *is_package), "{rel} (src layout: {src_layout})");
        }
    }
}
