//! Python expressions the plan holds for generated code, and their formatting.
//!
//! Generated files must pass `ruff format --check`, so calls and lists are laid out the way
//! ruff (and black) lay them out: on one line when it fits in 88 columns; else the contents on
//! one indented line between the brackets when that fits; else one item per line with a
//! trailing comma, each item laid out by the same rule (a single item gets no trailing comma,
//! a one-tuple keeps its own).

use serde::Serialize;

pub const LINE_LENGTH: usize = 88;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Py {
    /// Source as is: a name, a dotted path, a number, `True`, `None`.
    Raw(String),
    /// A string literal.
    Str(String),
    Call(String, Vec<Py>, Vec<(String, Py)>),
    List(Vec<Py>),
    /// A set display; `set()` when empty.
    Set(Vec<Py>),
    Tuple(Vec<Py>),
    Dict(Vec<(Py, Py)>),
}

impl Py {
    pub fn raw(s: impl Into<String>) -> Py {
        Py::Raw(s.into())
    }
    pub fn str(s: impl Into<String>) -> Py {
        Py::Str(s.into())
    }
    pub fn call(f: impl Into<String>, args: Vec<Py>, kwargs: Vec<(&str, Py)>) -> Py {
        Py::Call(f.into(), args, kwargs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// The expression on one line.
    pub fn flat(&self) -> String {
        match self {
            Py::Raw(s) => s.clone(),
            Py::Str(s) => quote(s),
            Py::Call(f, args, kwargs) => format!("{f}({})", items(args, kwargs).join(", ")),
            Py::List(v) => format!("[{}]", v.iter().map(Py::flat).collect::<Vec<_>>().join(", ")),
            Py::Set(v) if v.is_empty() => "set()".into(),
            Py::Set(v) => format!("{{{}}}", v.iter().map(Py::flat).collect::<Vec<_>>().join(", ")),
            Py::Tuple(v) if v.len() == 1 => format!("({},)", v[0].flat()),
            Py::Tuple(v) => format!("({})", v.iter().map(Py::flat).collect::<Vec<_>>().join(", ")),
            Py::Dict(v) => format!(
                "{{{}}}",
                v.iter().map(|(k, x)| format!("{}: {}", k.flat(), x.flat())).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    /// Lines of `prefix + self + suffix` at `indent` spaces, laid out as ruff would.
    pub fn lines(&self, indent: usize, prefix: &str, suffix: &str) -> Vec<String> {
        let pad = " ".repeat(indent);
        let one = format!("{pad}{prefix}{}{suffix}", self.flat());
        if one.chars().count() <= LINE_LENGTH {
            return vec![one];
        }
        let (open, close, parts): (String, &str, Vec<(String, &Py)>) = match self {
            Py::Call(f, args, kwargs) => {
                let mut parts: Vec<(String, &Py)> = args.iter().map(|a| (String::new(), a)).collect();
                parts.extend(kwargs.iter().map(|(k, v)| (format!("{k}="), v)));
                (format!("{f}("), ")", parts)
            }
            Py::List(v) => ("[".into(), "]", v.iter().map(|a| (String::new(), a)).collect()),
            Py::Set(v) => ("{".into(), "}", v.iter().map(|a| (String::new(), a)).collect()),
            Py::Tuple(v) => ("(".into(), ")", v.iter().map(|a| (String::new(), a)).collect()),
            Py::Dict(v) => ("{".into(), "}", v.iter().map(|(k, a)| (format!("{}: ", k.flat()), a)).collect()),
            _ => return vec![one],
        };
        if parts.is_empty() {
            return vec![one];
        }
        let inner = " ".repeat(indent + 4);
        let mut out = vec![format!("{pad}{prefix}{open}")];
        let joined: Vec<String> = parts.iter().map(|(k, v)| format!("{k}{}", v.flat())).collect();
        // A list or tuple display that does not fit is split one item per line (black's
        // `should_split_line` for atoms); only a call's arguments may stay together on one line.
        let is_call = matches!(self, Py::Call(..));
        let body = format!("{inner}{}", joined.join(", "));
        if body.chars().count() <= LINE_LENGTH && is_call {
            out.push(body);
        } else if parts.len() == 1 && !matches!(self, Py::Tuple(_)) {
            // One item has no comma to split at: it goes on its own lines, without a trailing
            // comma (a one-tuple's comma is part of it).
            out.extend(parts[0].1.lines(indent + 4, &parts[0].0, ""));
        } else {
            for (k, v) in &parts {
                out.extend(v.lines(indent + 4, k, ","));
            }
        }
        out.push(format!("{pad}{close}{suffix}"));
        out
    }
}

fn items(args: &[Py], kwargs: &[(String, Py)]) -> Vec<String> {
    let mut out: Vec<String> = args.iter().map(Py::flat).collect();
    out.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", v.flat())));
    out
}

/// A Python string literal, double-quoted unless that needs more escapes (ruff's preference).
pub fn quote(s: &str) -> String {
    let q = if s.contains('"') && !s.contains('\'') { '\'' } else { '"' };
    crate::parse::ast::py_string(s, q)
}

/// A Python literal for a JSON value (None when it has no literal form).
pub fn from_json(v: &serde_json::Value) -> Option<Py> {
    use serde_json::Value as J;
    Some(match v {
        J::Null => Py::raw("None"),
        J::Bool(true) => Py::raw("True"),
        J::Bool(false) => Py::raw("False"),
        J::Number(n) => Py::raw(n.to_string()),
        J::String(s) => Py::str(s.clone()),
        J::Array(a) => Py::List(a.iter().map(from_json).collect::<Option<_>>()?),
        J::Object(_) => return None,
    })
}

/// True for a valid Python identifier that is not a keyword.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let ok = match chars.next() {
        Some(c) => c == '_' || c.is_ascii_alphabetic(),
        None => false,
    } && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
    ok && !is_keyword(s)
}

pub fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// A valid identifier made of `s`: other characters become `_`, a leading digit gets a prefix.
pub fn identifier(s: &str, fallback: &str) -> String {
    let mut out: String = s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if out.is_empty() {
        out = fallback.to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out = format!("{fallback}_{out}");
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// `order_item` → `OrderItem`: each run of letters and digits, capitalized.
pub fn camel_case(s: &str) -> String {
    let mut out = String::new();
    for part in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = part.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out
}

/// `min=1, max=99` → `min_1_max_99`: lower-case letters and digits joined by single `_`.
pub fn name_part(s: &str) -> String {
    let lowered: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    lowered.split('_').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_calls_stay_on_one_line() {
        let c = Py::call("models.CharField", vec![], vec![("max_length", Py::raw("80"))]);
        assert_eq!(c.lines(4, "name = ", ""), vec!["    name = models.CharField(max_length=80)"]);
    }

    #[test]
    fn long_calls_hug_then_explode() {
        let kw: Vec<(&str, Py)> = vec![
            ("max_length", Py::raw("80")),
            ("null", Py::raw("True")),
            ("blank", Py::raw("True")),
            ("db_column", Py::str("a_rather_long_column_name")),
        ];
        let c = Py::call("models.CharField", vec![], kw);
        let lines = c.lines(4, "some_field_name = ", "");
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert!(lines[1].starts_with("        max_length=80, null=True"));
        let many: Vec<(&str, Py)> = (0..12).map(|_| ("db_comment", Py::str("a comment"))).collect();
        let lines = Py::call("models.X", vec![], many).lines(4, "f = ", "");
        assert_eq!(lines.len(), 14);
        assert!(lines.iter().skip(1).take(12).all(|l| l.ends_with(',')));
    }

    /// As `ruff format` lays them out: one item that does not fit gets no trailing comma, except
    /// a one-tuple's own.
    #[test]
    fn a_single_item_too_long_has_no_trailing_comma() {
        let long = Py::str("a".repeat(90));
        let call = Py::call("BASE_DIR.joinpath", vec![long.clone()], vec![]).lines(4, "", ",");
        assert_eq!(
            call,
            vec!["    BASE_DIR.joinpath(".to_string(), format!("        \"{}\"", "a".repeat(90)), "    ),".into()]
        );
        let list = Py::List(vec![Py::call("f", vec![long.clone()], vec![])]).lines(0, "x = ", "");
        assert_eq!(
            list,
            vec![
                "x = [".to_string(),
                "    f(".into(),
                format!("        \"{}\"", "a".repeat(90)),
                "    )".into(),
                "]".into()
            ]
        );
        let tuple = Py::Tuple(vec![long]).lines(0, "x = ", "");
        assert_eq!(tuple[1], format!("    \"{}\",", "a".repeat(90)));
    }

    #[test]
    fn quotes_like_ruff() {
        assert_eq!(quote("a"), "\"a\"");
        assert_eq!(quote("say \"hi\""), "'say \"hi\"'");
        assert_eq!(quote("it's \"x\""), "\"it's \\\"x\\\"\"");
    }
}
