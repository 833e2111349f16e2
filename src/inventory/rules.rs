//! Werkzeug rule strings: variables, converters and their arguments, validation.

use crate::inventory::model::RuleArgument;

/// Converters Werkzeug's `Map` knows by default.
pub const BUILTIN_CONVERTERS: [&str; 7] = ["default", "string", "any", "path", "int", "float", "uuid"];

/// Parse the `<converter(args):name>` parts of a rule, as Werkzeug's `_rule_re` does.
pub fn parse_rule(rule: &str) -> Result<Vec<RuleArgument>, String> {
    let mut out: Vec<RuleArgument> = Vec::new();
    let mut rest = rule;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').ok_or_else(|| format!("malformed url rule: {rule:?} (unclosed '<')"))?;
        let inner = &after[..close];
        let (converter, args, name) = match inner.rsplit_once(':') {
            Some((conv, name)) => {
                let (c, a) = match conv.find('(') {
                    Some(p) if conv.ends_with(')') => {
                        (&conv[..p], Some(conv[p + 1..conv.len() - 1].trim().to_string()))
                    }
                    Some(_) => return Err(format!("malformed converter arguments in {rule:?}")),
                    None => (conv, None),
                };
                (c.trim().to_string(), a, name.trim().to_string())
            }
            None => ("default".to_string(), None, inner.trim().to_string()),
        };
        if !is_ident(&name) || !is_ident(&converter) {
            return Err(format!("malformed url rule: {rule:?}"));
        }
        if out.iter().any(|a| a.name == name) {
            return Err(format!("variable name {name:?} used twice in {rule:?}"));
        }
        out.push(RuleArgument { name, converter, args: args.filter(|a| !a.is_empty()) });
        rest = &after[close + 1..];
    }
    if rest.contains('>') && !rule.contains('<') {
        // Werkzeug treats a lone '>' as static text; nothing to do.
    }
    Ok(out)
}

fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch == '_' || ch.is_ascii_alphabetic())
        && c.all(|ch| ch == '_' || ch.is_ascii_alphanumeric())
}

/// Methods as Flask and Werkzeug compute them for a rule.
/// Whether Flask answers OPTIONS itself for a rule (`provide_automatic_options`): not when
/// OPTIONS is among the methods given, which leaves it to the view.
pub fn automatic_options(
    explicit: Option<&[String]>,
    view_methods: Option<&[String]>,
    provide_automatic_options: Option<bool>,
    app_default: bool,
) -> bool {
    provide_automatic_options.unwrap_or_else(|| {
        app_default && !explicit.or(view_methods).is_some_and(|m| m.iter().any(|x| x.eq_ignore_ascii_case("OPTIONS")))
    })
}

pub fn effective_methods(
    explicit: Option<&[String]>,
    view_methods: Option<&[String]>,
    provide_automatic_options: Option<bool>,
    app_default: bool,
) -> Vec<String> {
    let mut set: std::collections::BTreeSet<String> = match explicit.or(view_methods) {
        Some(m) => m.iter().map(|s| s.to_uppercase()).collect(),
        None => ["GET".to_string()].into_iter().collect(),
    };
    if automatic_options(explicit, view_methods, provide_automatic_options, app_default) {
        set.insert("OPTIONS".into());
    }
    if set.contains("GET") {
        set.insert("HEAD".into());
    }
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_converters() {
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str, Option<&'a str>)]);
        let cases: &[Case] = &[
            ("/", &[]),
            ("/user/<name>", &[("name", "default", None)]),
            ("/<int:a>-<int:b>", &[("a", "int", None), ("b", "int", None)]),
            ("/<string(length=2):c>", &[("c", "string", Some("length=2"))]),
            ("/<any(a, b):x>", &[("x", "any", Some("a, b"))]),
            ("/<path:p>", &[("p", "path", None)]),
        ];
        for (rule, want) in cases {
            let got = parse_rule(rule).unwrap();
            let got: Vec<(&str, &str, Option<&str>)> =
                got.iter().map(|a| (a.name.as_str(), a.converter.as_str(), a.args.as_deref())).collect();
            assert_eq!(&got, want, "{rule}");
        }
    }

    #[test]
    fn rejects_malformed() {
        for rule in ["/<int:a", "/<a>/<a>", "/<1x>"] {
            assert!(parse_rule(rule).is_err(), "{rule}");
        }
    }

    #[test]
    fn methods_like_flask() {
        assert_eq!(effective_methods(None, None, None, true), ["GET", "HEAD", "OPTIONS"]);
        assert_eq!(effective_methods(Some(&["post".into()]), None, None, true), ["OPTIONS", "POST"]);
        assert_eq!(
            effective_methods(Some(&["GET".into(), "OPTIONS".into()]), None, None, true),
            ["GET", "HEAD", "OPTIONS"]
        );
        assert_eq!(effective_methods(None, None, Some(false), true), ["GET", "HEAD"]);
    }
}
