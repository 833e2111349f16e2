//! A small, owned syntax tree of a Python module: the part of Python the inventory interprets.
//!
//! The parser's own tree is lowered to this one in [`super::python`] and then dropped, so no later
//! stage depends on the parser crates. Expressions the inventory never needs to evaluate (lambdas,
//! comprehensions, comparisons, ...) are kept as [`Expr::Other`] with their source text.

use std::fmt;
use std::sync::Arc;

/// The strings of the tree (identifiers, string literals, source snippets): most are short and
/// kept inline, without an allocation each (the trees of a large project hold millions).
pub type SmallStr = compact_str::CompactString;

/// A parsed module.
#[derive(Debug, Clone, Default)]
pub struct Module {
    pub body: Vec<Stmt>,
    /// Number of lines in the file.
    pub lines: u32,
    /// The names the module's code mentions, counted when it is parsed (before any function
    /// body is left out of the tree), for model usage.
    pub names: NameCounts,
}

/// Distinct names with how many times each occurs, as [`for_each_name_in`] walks them: the
/// names sorted and joined by `'\n'`, one count per name.
#[derive(Debug, Clone, Default)]
pub struct NameCounts {
    names: Box<str>,
    counts: Box<[u32]>,
}

impl NameCounts {
    pub fn of(body: &[Stmt]) -> Self {
        let mut seen: rustc_hash::FxHashMap<&str, u32> = Default::default();
        for_each_name_in(body, &mut |n, k| *seen.entry(n).or_default() += k);
        let mut counts: Vec<(&str, u32)> = seen.into_iter().collect();
        counts.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut names = String::with_capacity(counts.iter().map(|(n, _)| n.len() + 1).sum());
        for (i, (n, _)) in counts.iter().enumerate() {
            if i > 0 {
                names.push('\n');
            }
            names.push_str(n);
        }
        NameCounts { names: names.into_boxed_str(), counts: counts.iter().map(|(_, c)| *c).collect() }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        let names = if self.counts.is_empty() { None } else { Some(self.names.split('\n')) };
        names.into_iter().flatten().zip(self.counts.iter().copied())
    }
}

#[derive(Debug, Clone)]
pub struct Alias {
    pub name: SmallStr,
    pub asname: Option<SmallStr>,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: SmallStr,
    /// Boxed: most parameters have none, and signatures are kept for the whole run.
    pub default: Option<Box<Expr>>,
    pub kind: ParamKind,
    /// The annotation, when it names a scalar type a URL variable can take.
    pub hint: Option<ScalarHint>,
}

/// A parameter annotated `str`, `int`, `float` or `UUID` (`uuid.UUID`): libraries that build
/// URL rules from a method's signature (Flask-Classful) pick the variable's converter by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarHint {
    Str,
    Int,
    Float,
    Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Positional,
    VarArgs,
    KeywordOnly,
    VarKeywords,
}

#[derive(Debug, Clone)]
pub struct FunctionDef {
    pub name: SmallStr,
    pub params: Vec<Param>,
    /// Outermost first, as written.
    pub decorators: Vec<Expr>,
    pub body: Vec<Stmt>,
    pub line: u32,
    /// First line of the definition, decorators included, and its last line.
    pub start_line: u32,
    pub end_line: u32,
    pub is_async: bool,
    /// Byte offsets in the module's source of the definition's text: from the start of the
    /// line it begins on (decorators included) to its end. None when the line has other code.
    pub text_range: Option<(u32, u32)>,
    /// Set when `body` was left out of the tree to save memory: what is needed to lower it
    /// again when the function is called, and the facts later stages read from it.
    pub elided: Option<Box<ElidedBody>>,
}

/// Where the text of a module's elided bodies is found again, shared by each of them.
#[derive(Debug)]
pub enum ModuleText {
    /// Read again from the file, if it still holds the text parsed (same length and hash):
    /// few elided bodies are ever lowered again, so the text is not kept.
    /// `rel` is the file's path in the project, for diagnostics.
    File { path: std::path::PathBuf, rel: String, len: usize, hash: u64 },
    /// Kept, for a source that is not a file.
    Kept(Arc<str>),
}

impl ModuleText {
    /// The hash a [`ModuleText::File`] holds of its text.
    pub fn hash_of(text: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        h.finish()
    }

    pub fn for_file(path: &std::path::Path, rel: &str, text: &str) -> Self {
        ModuleText::File { path: path.to_path_buf(), rel: rel.to_string(), len: text.len(), hash: Self::hash_of(text) }
    }
}

/// A function body left out of the tree (`FunctionDef::body` is then empty).
#[derive(Debug, Clone)]
pub struct ElidedBody {
    /// Where the module's text is, shared by every elided function of the module.
    pub source: Arc<ModuleText>,
    /// What the template stage reads: the body's template-rendering calls, in the order a
    /// walk of the body meets them, its nested definitions (with their own skeletons), and one
    /// assignment to every name the body binds.
    pub skeleton: Vec<Stmt>,
}

impl FunctionDef {
    /// The statements the template stage walks: the body, or the skeleton of an elided one.
    pub fn render_body(&self) -> &[Stmt] {
        match &self.elided {
            Some(e) => &e.skeleton,
            None => &self.body,
        }
    }
}

/// The calls whose template names the template stage collects.
pub const RENDER_CALLS: [&str; 6] = [
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
    "get_template_attribute",
    "get_template",
];

#[derive(Debug, Clone)]
pub struct ClassDef {
    pub name: SmallStr,
    pub bases: Vec<Expr>,
    pub keywords: Vec<Keyword>,
    pub decorators: Vec<Expr>,
    pub body: Vec<Stmt>,
    pub line: u32,
    pub start_line: u32,
    pub end_line: u32,
    /// The definition as kept once its body has run (see `inventory::elide::class_after_run`),
    /// made once and shared by every run of it.
    pub after_run: std::sync::OnceLock<Arc<ClassDef>>,
}

/// Rare or large parts of statements are boxed to keep every statement small (72 bytes): the
/// parsers run ahead of the interpreter, so most of a project's trees are alive at once.
#[derive(Debug, Clone)]
pub enum Stmt {
    Import {
        names: Vec<Alias>,
        line: u32,
    },
    ImportFrom {
        module: Option<SmallStr>,
        level: u32,
        names: Vec<Alias>,
        line: u32,
    },
    /// `a = b = value` and annotated assignments (`a: T = value`, with its annotation).
    Assign {
        targets: Vec<Expr>,
        value: Expr,
        annotation: Option<Box<Expr>>,
        line: u32,
    },
    /// `a: T` without a value.
    Annotated {
        target: Expr,
        annotation: Box<Expr>,
        line: u32,
    },
    AugAssign {
        target: Box<Expr>,
        op: BinOp,
        value: Expr,
        line: u32,
    },
    Expr {
        value: Expr,
        line: u32,
    },
    FunctionDef(Arc<FunctionDef>),
    ClassDef(Arc<ClassDef>),
    Return {
        value: Option<Expr>,
        line: u32,
    },
    For {
        target: Box<Expr>,
        iter: Box<Expr>,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        line: u32,
    },
    While {
        test: Box<Expr>,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        line: u32,
    },
    /// `if`/`elif`/`else`: branches in order, the `else` with `test == None`.
    If {
        branches: Vec<(Option<Expr>, Vec<Stmt>)>,
        line: u32,
    },
    With {
        items: Vec<(Expr, Option<Expr>)>,
        body: Vec<Stmt>,
        line: u32,
    },
    Try {
        body: Box<[Stmt]>,
        handlers: Box<[Vec<Stmt>]>,
        orelse: Box<[Stmt]>,
        finalbody: Box<[Stmt]>,
        line: u32,
    },
    /// `match`: the case bodies, each taken as conditional.
    Match {
        cases: Vec<Vec<Stmt>>,
        line: u32,
    },
    Global {
        names: Vec<SmallStr>,
        line: u32,
    },
    Delete {
        line: u32,
    },
    Raise {
        line: u32,
    },
    Pass,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mod,
    Mult,
    BitOr,
    Div,
    FloorDiv,
    Pow,
    MatMult,
    BitAnd,
    BitXor,
    LShift,
    RShift,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Is,
    IsNot,
    In,
    NotIn,
    Lt,
    LtE,
    Gt,
    GtE,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Debug, Clone)]
pub struct Keyword {
    /// None for `**kwargs`.
    pub arg: Option<SmallStr>,
    pub value: Expr,
}

#[derive(Debug, Clone)]
pub enum FPart {
    Lit(SmallStr),
    /// An interpolation; `spec` is its source text after the expression when it has a
    /// conversion, a format spec or `=` (`!r:>10` in `{x!r:>10}`).
    Expr {
        value: Expr,
        spec: Option<Box<str>>,
    },
}

#[derive(Debug, Clone)]
pub enum Expr {
    Str(SmallStr),
    Bytes,
    Int(i64),
    Float(f64),
    Bool(bool),
    NoneLit,
    Ellipsis,
    Name(SmallStr),
    /// Boxed whole: every expression stays small (32 bytes).
    Attribute(Box<AttributeExpr>),
    /// Boxed whole, with its callee inline: a call is one allocation.
    Call(Box<CallExpr>),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    /// Keys are None for `**spread`.
    Dict(Vec<(Option<Expr>, Expr)>),
    FString(Vec<FPart>),
    BinOp {
        left: Box<Expr>,
        op: BinOp,
        right: Box<Expr>,
    },
    BoolOp {
        op: BoolOp,
        values: Vec<Expr>,
    },
    Not(Box<Expr>),
    Neg(Box<Expr>),
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Compare(Box<CompareExpr>),
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    Starred(Box<Expr>),
    /// A list, set or dict comprehension or a generator expression.
    Comp(Box<CompExpr>),
    /// Anything else, with its source text (truncated) for messages.
    Other(SmallStr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompKind {
    List,
    Set,
    Dict,
    Generator,
}

/// `[elt for target in iter if cond ...]`; a dict comprehension's `key: value` is `elt: value`.
#[derive(Debug, Clone)]
pub struct CompExpr {
    pub kind: CompKind,
    pub elt: Expr,
    pub value: Option<Expr>,
    pub generators: Box<[Comprehension]>,
}

#[derive(Debug, Clone)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Box<[Expr]>,
}

#[derive(Debug, Clone)]
pub struct AttributeExpr {
    pub value: Expr,
    pub attr: SmallStr,
}

#[derive(Debug, Clone)]
pub struct CallExpr {
    pub func: Expr,
    pub args: Box<[Expr]>,
    pub keywords: Box<[Keyword]>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct CompareExpr {
    pub left: Expr,
    pub ops: Box<[CmpOp]>,
    pub comparators: Box<[Expr]>,
}

impl Expr {
    /// `a.b.c` for a chain of names and attributes.
    pub fn dotted(&self) -> Option<String> {
        match self {
            Expr::Name(n) => Some(n.to_string()),
            Expr::Attribute(a) => a.value.dotted().map(|v| format!("{v}.{}", a.attr)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }
}

fn write_seq(f: &mut fmt::Formatter<'_>, items: &[Expr]) -> fmt::Result {
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{e}")?;
    }
    Ok(())
}

/// Python-like source form, used for decorators and config expressions in the inventory.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Str(s) => write!(f, "{}", py_repr(s)),
            Expr::Bytes => f.write_str("b'...'"),
            Expr::Int(i) => write!(f, "{i}"),
            Expr::Float(x) => write!(f, "{x:?}"),
            Expr::Bool(b) => f.write_str(if *b { "True" } else { "False" }),
            Expr::NoneLit => f.write_str("None"),
            Expr::Ellipsis => f.write_str("..."),
            Expr::Name(n) => f.write_str(n),
            Expr::Attribute(a) => write!(f, "{}.{}", a.value, a.attr),
            Expr::Call(c) => {
                let CallExpr { func, args, keywords, .. } = &**c;
                write!(f, "{func}(")?;
                write_seq(f, args)?;
                for (i, k) in keywords.iter().enumerate() {
                    if i > 0 || !args.is_empty() {
                        f.write_str(", ")?;
                    }
                    match &k.arg {
                        Some(a) => write!(f, "{a}={}", k.value)?,
                        None => write!(f, "**{}", k.value)?,
                    }
                }
                f.write_str(")")
            }
            Expr::List(items) => {
                f.write_str("[")?;
                write_seq(f, items)?;
                f.write_str("]")
            }
            Expr::Tuple(items) => {
                f.write_str("(")?;
                write_seq(f, items)?;
                if items.len() == 1 {
                    f.write_str(",")?;
                }
                f.write_str(")")
            }
            Expr::Set(items) => {
                f.write_str("{")?;
                write_seq(f, items)?;
                f.write_str("}")
            }
            Expr::Dict(items) => {
                f.write_str("{")?;
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match k {
                        Some(k) => write!(f, "{k}: {v}")?,
                        None => write!(f, "**{v}")?,
                    }
                }
                f.write_str("}")
            }
            Expr::FString(parts) => {
                // Quoted as `repr` quotes a str: single quotes unless the text holds one and no
                // double quote (an interpolation's own strings count, as they share the quotes
                // before Python 3.12).
                let exprs: Vec<String> = parts
                    .iter()
                    .filter_map(|p| match p {
                        FPart::Expr { value, .. } => Some(value.to_string()),
                        FPart::Lit(_) => None,
                    })
                    .collect();
                let has = |c: char| {
                    exprs.iter().any(|e| e.contains(c))
                        || parts.iter().any(|p| matches!(p, FPart::Lit(s) if s.contains(c)))
                };
                let quote = if has('\'') && !has('"') { '"' } else { '\'' };
                write!(f, "f{quote}")?;
                let mut exprs = exprs.iter();
                for p in parts {
                    match p {
                        FPart::Lit(s) => {
                            let lit = py_string(s, quote);
                            f.write_str(&lit[1..lit.len() - 1].replace('{', "{{").replace('}', "}}"))?
                        }
                        FPart::Expr { spec, .. } => write!(
                            f,
                            "{{{}{}}}",
                            exprs.next().map_or("", String::as_str),
                            spec.as_deref().unwrap_or("")
                        )?,
                    }
                }
                write!(f, "{quote}")
            }
            Expr::BinOp { left, op, right } => {
                let op = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mod => "%",
                    BinOp::Mult => "*",
                    BinOp::BitOr => "|",
                    BinOp::Div => "/",
                    BinOp::FloorDiv => "//",
                    BinOp::Pow => "**",
                    BinOp::MatMult => "@",
                    BinOp::BitAnd => "&",
                    BinOp::BitXor => "^",
                    BinOp::LShift => "<<",
                    BinOp::RShift => ">>",
                };
                write!(f, "{left} {op} {right}")
            }
            Expr::BoolOp { op, values } => {
                let op = if *op == BoolOp::And { " and " } else { " or " };
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(op)?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
            Expr::Not(v) => write!(f, "not {v}"),
            Expr::Neg(v) => write!(f, "-{v}"),
            Expr::IfExp { test, body, orelse } => write!(f, "{body} if {test} else {orelse}"),
            Expr::Compare(c) => {
                let CompareExpr { left, ops, comparators } = &**c;
                write!(f, "{left}")?;
                for (op, c) in ops.iter().zip(comparators) {
                    let op = match op {
                        CmpOp::Eq => "==",
                        CmpOp::NotEq => "!=",
                        CmpOp::Is => "is",
                        CmpOp::IsNot => "is not",
                        CmpOp::In => "in",
                        CmpOp::NotIn => "not in",
                        CmpOp::Lt => "<",
                        CmpOp::LtE => "<=",
                        CmpOp::Gt => ">",
                        CmpOp::GtE => ">=",
                    };
                    write!(f, " {op} {c}")?;
                }
                Ok(())
            }
            Expr::Subscript { value, index } => write!(f, "{value}[{index}]"),
            Expr::Starred(v) => write!(f, "*{v}"),
            Expr::Comp(c) => {
                let (open, close) = match c.kind {
                    CompKind::List => ("[", "]"),
                    CompKind::Set | CompKind::Dict => ("{", "}"),
                    CompKind::Generator => ("(", ")"),
                };
                write!(f, "{open}{}", c.elt)?;
                if let Some(v) = &c.value {
                    write!(f, ": {v}")?;
                }
                for g in c.generators.iter() {
                    write!(f, " for {} in {}", g.target, g.iter)?;
                    for cond in g.ifs.iter() {
                        write!(f, " if {cond}")?;
                    }
                }
                f.write_str(close)
            }
            Expr::Other(s) => f.write_str(&single_line(s)),
        }
    }
}

/// Source text on one line: each line break and the indentation around it become one space, or
/// nothing next to a bracket (`f(\n    x\n)` is `f(x)`). A form that fits in a comment or a
/// table cell; text without line breaks is returned as is.
pub fn single_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\n', '\r']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        let line = if i == 0 { line.trim_end() } else { line.trim() };
        if line.is_empty() {
            continue;
        }
        let glued = out.is_empty() || out.ends_with(['(', '[', '{']) || line.starts_with([')', ']', '}']);
        if !glued {
            out.push(' ');
        }
        out.push_str(line);
    }
    std::borrow::Cow::Owned(out)
}

/// Python's `repr()` of a str, single-quoted like CPython.
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    py_string(s, quote)
}

/// A Python string literal of `s` in the given quote character, escaped.
pub fn py_string(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Calls `f` with every name the statements mention (`User` in `User.query`, `models.User`, a
/// lambda's text), for usage counts: each name with how many times it occurs there, a name
/// possibly in several calls. Elided function bodies are not walked.
fn for_each_name_in<'t>(body: &'t [Stmt], f: &mut dyn FnMut(&'t str, u32)) {
    fn stmts<'t>(body: &'t [Stmt], f: &mut dyn FnMut(&'t str, u32)) {
        for s in body {
            stmt(s, f);
        }
    }
    fn stmt<'t>(s: &'t Stmt, f: &mut dyn FnMut(&'t str, u32)) {
        match s {
            Stmt::Import { .. } | Stmt::ImportFrom { .. } | Stmt::Global { .. } | Stmt::Delete { .. } => {}
            Stmt::Raise { .. } | Stmt::Pass => {}
            Stmt::Assign { targets, value, annotation, .. } => {
                targets.iter().for_each(|t| expr(t, f));
                expr(value, f);
                if let Some(a) = annotation {
                    expr(a, f);
                }
            }
            Stmt::Annotated { target, annotation, .. } => {
                expr(target, f);
                expr(annotation, f);
            }
            Stmt::AugAssign { target, value, .. } => {
                expr(target, f);
                expr(value, f);
            }
            Stmt::Expr { value, .. } => expr(value, f),
            Stmt::FunctionDef(d) => {
                d.decorators.iter().for_each(|e| expr(e, f));
                d.params.iter().filter_map(|p| p.default.as_ref()).for_each(|e| expr(e, f));
                // An elided body is not walked: [`Module::names`] is counted before eliding.
                stmts(&d.body, f);
            }
            Stmt::ClassDef(c) => {
                c.decorators.iter().chain(c.bases.iter()).for_each(|e| expr(e, f));
                stmts(&c.body, f);
            }
            Stmt::Return { value, .. } => {
                if let Some(v) = value {
                    expr(v, f);
                }
            }
            Stmt::For { target, iter, body, orelse, .. } => {
                expr(target, f);
                expr(iter, f);
                stmts(body, f);
                stmts(orelse, f);
            }
            Stmt::While { test, body, orelse, .. } => {
                expr(test, f);
                stmts(body, f);
                stmts(orelse, f);
            }
            Stmt::If { branches, .. } => {
                for (t, b) in branches {
                    if let Some(t) = t {
                        expr(t, f);
                    }
                    stmts(b, f);
                }
            }
            Stmt::With { items, body, .. } => {
                for (e, v) in items {
                    expr(e, f);
                    if let Some(v) = v {
                        expr(v, f);
                    }
                }
                stmts(body, f);
            }
            Stmt::Try { body, handlers, orelse, finalbody, .. } => {
                stmts(body, f);
                handlers.iter().for_each(|h| stmts(h, f));
                stmts(orelse, f);
                stmts(finalbody, f);
            }
            Stmt::Match { cases, .. } => cases.iter().for_each(|c| stmts(c, f)),
        }
    }
    fn expr<'t>(e: &'t Expr, f: &mut dyn FnMut(&'t str, u32)) {
        match e {
            Expr::Name(n) => f(n, 1),
            Expr::Attribute(a) => {
                expr(&a.value, f);
                f(&a.attr, 1);
            }
            Expr::Call(c) => {
                let CallExpr { func, args, keywords, .. } = &**c;
                expr(func, f);
                args.iter().for_each(|a| expr(a, f));
                keywords.iter().for_each(|k| expr(&k.value, f));
            }
            Expr::List(v) | Expr::Tuple(v) | Expr::Set(v) => v.iter().for_each(|a| expr(a, f)),
            Expr::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        expr(k, f);
                    }
                    expr(v, f);
                }
            }
            Expr::FString(parts) => {
                for p in parts {
                    if let FPart::Expr { value, .. } = p {
                        expr(value, f);
                    }
                }
            }
            Expr::BinOp { left, right, .. } => {
                expr(left, f);
                expr(right, f);
            }
            Expr::BoolOp { values, .. } => values.iter().for_each(|v| expr(v, f)),
            Expr::Not(v) | Expr::Neg(v) | Expr::Starred(v) => expr(v, f),
            Expr::Comp(c) => {
                expr(&c.elt, f);
                if let Some(v) = &c.value {
                    expr(v, f);
                }
                for g in c.generators.iter() {
                    expr(&g.iter, f);
                    g.ifs.iter().for_each(|x| expr(x, f));
                }
            }
            Expr::IfExp { test, body, orelse } => {
                expr(test, f);
                expr(body, f);
                expr(orelse, f);
            }
            Expr::Compare(c) => {
                let CompareExpr { left, comparators, .. } = &**c;
                expr(left, f);
                comparators.iter().for_each(|c| expr(c, f));
            }
            Expr::Subscript { value, index } => {
                expr(value, f);
                expr(index, f);
            }
            Expr::Other(text) => {
                for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                    if word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                        f(word, 1);
                    }
                }
            }
            Expr::Str(_)
            | Expr::Bytes
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Bool(_)
            | Expr::NoneLit
            | Expr::Ellipsis => {}
        }
    }
    stmts(body, f);
}

impl Expr {
    /// The JSON form of a literal (strings, numbers, booleans, None, and lists, tuples and
    /// dicts of them); None for anything computed.
    pub fn literal_json(&self) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match self {
            Expr::Str(s) => J::String(s.to_string()),
            Expr::Int(i) => J::from(*i),
            Expr::Float(f) => serde_json::Number::from_f64(*f).map(J::Number)?,
            Expr::Bool(b) => J::Bool(*b),
            Expr::NoneLit => J::Null,
            Expr::Neg(v) => match v.literal_json()? {
                J::Number(n) if n.is_i64() => J::from(-n.as_i64()?),
                J::Number(n) => serde_json::Number::from_f64(-n.as_f64()?).map(J::Number)?,
                _ => return None,
            },
            Expr::List(v) | Expr::Tuple(v) => J::Array(v.iter().map(Expr::literal_json).collect::<Option<_>>()?),
            Expr::Dict(items) => {
                let mut m = serde_json::Map::new();
                for (k, v) in items {
                    let Some(Expr::Str(k)) = k else { return None };
                    m.insert(k.to_string(), v.literal_json()?);
                }
                J::Object(m)
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    fn expr(source: &str) -> String {
        let parsed = crate::parse::python::parse_python(source);
        match &parsed.module.body[..] {
            [super::Stmt::Expr { value, .. }] => value.to_string(),
            other => panic!("{other:?}"),
        }
    }

    /// An f-string is written back as Python reads it: quoted as `repr` quotes, with its
    /// conversions and format specs.
    #[test]
    fn f_strings_are_written_back_as_python_reads_them() {
        assert_eq!(expr("f\"'{PREFIX}'\""), "f\"'{PREFIX}'\"");
        assert_eq!(expr("f'{a!r:>{w}} {{x}} {b=}'"), "f'{a!r:>{w}} {{x}} {b=}'");
        assert_eq!(expr("f\"{d['k']}\\n\""), "f\"{d['k']}\\n\"");
        assert_eq!(expr("f'it\\'s \"{x}\"'"), "f'it\\'s \"{x}\"'");
    }

    /// Statements stay small: every module's and class's body is kept for the whole run.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn statement_size() {
        assert!(std::mem::size_of::<super::Stmt>() <= 72, "{}", std::mem::size_of::<super::Stmt>());
        assert!(std::mem::size_of::<super::Expr>() <= 32, "{}", std::mem::size_of::<super::Expr>());
    }
}
