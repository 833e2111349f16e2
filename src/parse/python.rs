//! Lowering `ruff_python_parser`'s tree to [`super::ast`]. The only file that knows that crate.

use ruff_python_ast as py;
use ruff_python_parser::{parse_module, ParseError};
use ruff_source_file::LineIndex;
use ruff_text_size::{Ranged, TextSize};

use super::ast::*;

/// Nesting deeper than this is lowered to [`Expr::Other`]; keeps every later walk shallow.
const MAX_DEPTH: u32 = 200;

/// A syntax error with a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The result of parsing one file: the lowered module (what was recovered, on errors too).
#[derive(Debug, Default)]
pub struct ParsedPython {
    pub module: Module,
    pub errors: Vec<SyntaxError>,
    /// True when some nesting was cut at [`MAX_DEPTH`].
    pub too_deep: Option<u32>,
}

pub fn parse_python(source: &str) -> ParsedPython {
    let index = LineIndex::from_source_text(source);
    let (suite, errors) = match parse_module(source) {
        Ok(parsed) => (parsed.into_syntax().body, Vec::new()),
        Err(_) => {
            // Re-parse in recovering mode to keep whatever parsed.
            let parsed = ruff_python_parser::parse_unchecked_source(source, py::PySourceType::Python);
            let errors = parsed.errors().iter().map(|e| syntax_error(e, &index, source)).collect();
            (parsed.into_syntax().body, errors)
        }
    };
    // `from __future__ import annotations`: every annotation is a string, which libraries that
    // read parameter types (Flask-Classful's converters) see as no type.
    let string_annotations = suite.iter().any(|s| {
        matches!(s, py::Stmt::ImportFrom(i) if i.module.as_deref() == Some("__future__")
            && i.names.iter().any(|n| n.name.as_str() == "annotations"))
    });
    let mut lower = Lower { index: &index, source, too_deep: None, depth: 0, offset: 0, string_annotations };
    let body = lower.suite(&suite);
    let lines = index.line_count() as u32;
    // Drop the parser's tree on this (large) stack: freeing a deep tree recurses.
    drop(suite);
    let names = NameCounts::of(&body);
    ParsedPython { module: Module { body, lines, names }, errors, too_deep: lower.too_deep }
}

/// Lowers again the body of a function whose body was left out of its module's tree
/// ([`FunctionDef::text_range`] in `source`, beginning on line `first_line`): the text is
/// parsed alone, at the same line numbers, under an `if 1:` when it is indented. None when
/// that text does not parse as one function definition without error or nesting cut.
pub fn lower_function_body(source: &str, range: (u32, u32), first_line: u32) -> Option<Vec<Stmt>> {
    let text = source.get(range.0 as usize..range.1 as usize)?;
    let indented = text.starts_with([' ', '\t']);
    let blank_lines = first_line.checked_sub(if indented { 2 } else { 1 })? as usize;
    let mut fragment = String::with_capacity(blank_lines + 6 + text.len());
    fragment.extend(std::iter::repeat('\n').take(blank_lines));
    if indented {
        fragment.push_str("if 1:\n");
    }
    fragment.push_str(text);
    let suite = parse_module(&fragment).ok()?.into_syntax().body;
    let def = match suite.as_slice() {
        [py::Stmt::If(i)] if indented => match i.body.as_slice() {
            [def @ py::Stmt::FunctionDef(_)] => def,
            _ => return None,
        },
        [def @ py::Stmt::FunctionDef(_)] if !indented => def,
        _ => return None,
    };
    let index = LineIndex::from_source_text(&fragment);
    // Offsets in the fragment, moved back to the module's source.
    let offset = i64::from(range.0) - (fragment.len() - text.len()) as i64;
    let string_annotations = future_annotations(source);
    let mut lower = Lower { index: &index, source: &fragment, too_deep: None, depth: 0, offset, string_annotations };
    let lowered = lower.stmt(def);
    if lower.too_deep.is_some() {
        return None;
    }
    let out = match lowered {
        Some(Stmt::FunctionDef(mut f)) => std::sync::Arc::get_mut(&mut f).map(|f| std::mem::take(&mut f.body)),
        _ => None,
    };
    drop(suite);
    out
}

/// Whether a module's text imports `annotations` from `__future__` (at the start of a line, as
/// a future import must be at the top level).
fn future_annotations(source: &str) -> bool {
    source.lines().any(|l| l.starts_with("from __future__ import") && l.contains("annotations"))
}

fn syntax_error(e: &ParseError, index: &LineIndex, source: &str) -> SyntaxError {
    let lc = index.line_column(e.location.start(), source);
    SyntaxError { line: lc.line.get() as u32, column: lc.column.get() as u32, message: e.error.to_string() }
}

struct Lower<'a> {
    index: &'a LineIndex,
    source: &'a str,
    too_deep: Option<u32>,
    depth: u32,
    /// Added to offsets in `source` to give offsets in the module's source.
    offset: i64,
    /// The module imports `annotations` from `__future__`: parameters get no type hint.
    string_annotations: bool,
}

impl Lower<'_> {
    fn line(&self, offset: TextSize) -> u32 {
        self.index.line_index(offset).get() as u32
    }

    fn text(&self, node: &impl Ranged) -> String {
        let r = node.range();
        let s = &self.source[r.start().to_usize()..r.end().to_usize()];
        if s.len() > 200 {
            let mut end = 200;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}...", &s[..end])
        } else {
            s.to_string()
        }
    }

    /// The definition's text, from the start of the line it begins on (its first decorator's)
    /// to its end; None when something other than indentation precedes it on that line.
    fn def_text_range(&self, f: &py::StmtFunctionDef) -> Option<(u32, u32)> {
        let start = f.range.start().to_usize();
        let line_start = self.source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        if !self.source[line_start..start].bytes().all(|b| b == b' ' || b == b'\t') {
            return None;
        }
        let in_module = |at: usize| u32::try_from(at as i64 + self.offset).ok();
        Some((in_module(line_start)?, in_module(f.range.end().to_usize())?))
    }

    fn suite(&mut self, stmts: &[py::Stmt]) -> Vec<Stmt> {
        // Sized exactly: every module's tree is kept until the module runs.
        let mut out = Vec::with_capacity(stmts.len());
        out.extend(stmts.iter().filter_map(|s| self.stmt(s)));
        out
    }

    fn enter(&mut self, offset: TextSize) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            if self.too_deep.is_none() {
                self.too_deep = Some(self.line(offset));
            }
            return false;
        }
        true
    }

    fn stmt(&mut self, s: &py::Stmt) -> Option<Stmt> {
        if !self.enter(s.start()) {
            self.depth -= 1;
            return None;
        }
        let out = self.stmt_inner(s);
        self.depth -= 1;
        out
    }

    fn stmt_inner(&mut self, s: &py::Stmt) -> Option<Stmt> {
        let line = self.line(s.start());
        Some(match s {
            py::Stmt::Import(i) => Stmt::Import { names: i.names.iter().map(alias).collect(), line },
            py::Stmt::ImportFrom(i) => Stmt::ImportFrom {
                module: i.module.as_ref().map(|m| m.as_str().into()),
                level: i.level,
                names: i.names.iter().map(alias).collect(),
                line,
            },
            py::Stmt::Assign(a) => Stmt::Assign {
                targets: a.targets.iter().map(|t| self.expr(t)).collect(),
                value: self.expr(&a.value),
                annotation: None,
                line,
            },
            py::Stmt::AnnAssign(a) => match &a.value {
                Some(v) => Stmt::Assign {
                    targets: vec![self.expr(&a.target)],
                    value: self.expr(v),
                    annotation: Some(Box::new(self.expr(&a.annotation))),
                    line,
                },
                None => Stmt::Annotated {
                    target: self.expr(&a.target),
                    annotation: Box::new(self.expr(&a.annotation)),
                    line,
                },
            },
            py::Stmt::AugAssign(a) => Stmt::AugAssign {
                target: Box::new(self.expr(&a.target)),
                op: binop(a.op),
                value: self.expr(&a.value),
                line,
            },
            py::Stmt::Expr(e) => Stmt::Expr { value: self.expr(&e.value), line },
            py::Stmt::FunctionDef(f) => {
                let decorators: Vec<Expr> = f.decorator_list.iter().map(|d| self.expr(&d.expression)).collect();
                // The def line is the `def` keyword's line, as Python reports it (after decorators).
                let def_line = self.line(f.name.start());
                let p = &f.parameters;
                // Sized exactly: signatures are kept for the whole run.
                let mut params = Vec::with_capacity(
                    p.posonlyargs.len()
                        + p.args.len()
                        + p.kwonlyargs.len()
                        + usize::from(p.vararg.is_some())
                        + usize::from(p.kwarg.is_some()),
                );
                for a in p.posonlyargs.iter().chain(p.args.iter()) {
                    params.push(Param {
                        name: a.parameter.name.as_str().into(),
                        default: a.default.as_ref().map(|d| Box::new(self.expr(d))),
                        kind: ParamKind::Positional,
                        hint: a
                            .parameter
                            .annotation
                            .as_deref()
                            .filter(|_| !self.string_annotations)
                            .and_then(scalar_hint),
                    });
                }
                if let Some(v) = &p.vararg {
                    params.push(Param {
                        name: v.name.as_str().into(),
                        default: None,
                        kind: ParamKind::VarArgs,
                        hint: None,
                    });
                }
                for a in p.kwonlyargs.iter() {
                    params.push(Param {
                        name: a.parameter.name.as_str().into(),
                        default: a.default.as_ref().map(|d| Box::new(self.expr(d))),
                        kind: ParamKind::KeywordOnly,
                        hint: None,
                    });
                }
                if let Some(v) = &p.kwarg {
                    params.push(Param {
                        name: v.name.as_str().into(),
                        default: None,
                        kind: ParamKind::VarKeywords,
                        hint: None,
                    });
                }
                Stmt::FunctionDef(std::sync::Arc::new(FunctionDef {
                    name: f.name.as_str().into(),
                    params,
                    decorators,
                    body: self.suite(&f.body),
                    line: def_line,
                    start_line: line,
                    end_line: self.line(f.range.end()),
                    is_async: f.is_async,
                    text_range: self.def_text_range(f),
                    elided: None,
                }))
            }
            py::Stmt::ClassDef(c) => {
                let (bases, keywords) = match &c.arguments {
                    Some(a) => (
                        a.args.iter().map(|e| self.expr(e)).collect(),
                        a.keywords.iter().map(|k| self.keyword(k)).collect(),
                    ),
                    None => (Vec::new(), Vec::new()),
                };
                Stmt::ClassDef(std::sync::Arc::new(ClassDef {
                    after_run: Default::default(),
                    name: c.name.as_str().into(),
                    bases,
                    keywords,
                    decorators: c.decorator_list.iter().map(|d| self.expr(&d.expression)).collect(),
                    body: self.suite(&c.body),
                    line: self.line(c.name.start()),
                    start_line: line,
                    end_line: self.line(c.range.end()),
                }))
            }
            py::Stmt::Return(r) => Stmt::Return { value: r.value.as_ref().map(|v| self.expr(v)), line },
            py::Stmt::For(f) => Stmt::For {
                target: Box::new(self.expr(&f.target)),
                iter: Box::new(self.expr(&f.iter)),
                body: self.suite(&f.body),
                orelse: self.suite(&f.orelse),
                line,
            },
            py::Stmt::While(w) => Stmt::While {
                test: Box::new(self.expr(&w.test)),
                body: self.suite(&w.body),
                orelse: self.suite(&w.orelse),
                line,
            },
            py::Stmt::If(i) => {
                let mut branches = vec![(Some(self.expr(&i.test)), self.suite(&i.body))];
                for c in &i.elif_else_clauses {
                    branches.push((c.test.as_ref().map(|t| self.expr(t)), self.suite(&c.body)));
                }
                Stmt::If { branches, line }
            }
            py::Stmt::With(w) => Stmt::With {
                items: w
                    .items
                    .iter()
                    .map(|i| (self.expr(&i.context_expr), i.optional_vars.as_ref().map(|v| self.expr(v))))
                    .collect(),
                body: self.suite(&w.body),
                line,
            },
            py::Stmt::Try(t) => Stmt::Try {
                body: self.suite(&t.body).into_boxed_slice(),
                handlers: t
                    .handlers
                    .iter()
                    .map(|h| match h {
                        py::ExceptHandler::ExceptHandler(h) => self.suite(&h.body),
                    })
                    .collect(),
                orelse: self.suite(&t.orelse).into_boxed_slice(),
                finalbody: self.suite(&t.finalbody).into_boxed_slice(),
                line,
            },
            py::Stmt::Match(m) => Stmt::Match { cases: m.cases.iter().map(|c| self.suite(&c.body)).collect(), line },
            py::Stmt::Global(g) => Stmt::Global { names: g.names.iter().map(|n| n.as_str().into()).collect(), line },
            py::Stmt::Delete(_) => Stmt::Delete { line },
            py::Stmt::Raise(_) => Stmt::Raise { line },
            _ => Stmt::Pass,
        })
    }

    fn keyword(&mut self, k: &py::Keyword) -> Keyword {
        Keyword { arg: k.arg.as_ref().map(|a| a.as_str().into()), value: self.expr(&k.value) }
    }

    fn exprs(&mut self, es: &[py::Expr]) -> Vec<Expr> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    fn comp(&mut self, kind: CompKind, elt: &py::Expr, value: Option<&py::Expr>, gens: &[py::Comprehension]) -> Expr {
        Expr::Comp(Box::new(CompExpr {
            kind,
            elt: self.expr(elt),
            value: value.map(|v| self.expr(v)),
            generators: gens
                .iter()
                .map(|g| Comprehension {
                    target: self.expr(&g.target),
                    iter: self.expr(&g.iter),
                    ifs: self.exprs(&g.ifs).into_boxed_slice(),
                })
                .collect(),
        }))
    }

    fn expr(&mut self, e: &py::Expr) -> Expr {
        if !self.enter(e.start()) {
            self.depth -= 1;
            return Expr::Other("<too deep>".into());
        }
        let out = self.expr_inner(e);
        self.depth -= 1;
        out
    }

    fn expr_inner(&mut self, e: &py::Expr) -> Expr {
        match e {
            py::Expr::StringLiteral(s) => Expr::Str(s.value.to_str().into()),
            py::Expr::BytesLiteral(_) => Expr::Bytes,
            py::Expr::NumberLiteral(n) => match &n.value {
                py::Number::Int(i) => match i.as_i64() {
                    Some(v) => Expr::Int(v),
                    None => Expr::Other(self.text(e).into()),
                },
                py::Number::Float(f) => Expr::Float(*f),
                py::Number::Complex { .. } => Expr::Other(self.text(e).into()),
            },
            py::Expr::BooleanLiteral(b) => Expr::Bool(b.value),
            py::Expr::NoneLiteral(_) => Expr::NoneLit,
            py::Expr::EllipsisLiteral(_) => Expr::Ellipsis,
            py::Expr::Name(n) => Expr::Name(n.id.as_str().into()),
            py::Expr::Attribute(a) => {
                Expr::Attribute(Box::new(AttributeExpr { value: self.expr(&a.value), attr: a.attr.as_str().into() }))
            }
            py::Expr::Call(c) => Expr::Call(Box::new(CallExpr {
                func: self.expr(&c.func),
                args: self.exprs(&c.arguments.args).into_boxed_slice(),
                keywords: c.arguments.keywords.iter().map(|k| self.keyword(k)).collect(),
                line: self.line(c.start()),
            })),
            py::Expr::List(l) => Expr::List(self.exprs(&l.elts)),
            py::Expr::Tuple(t) => Expr::Tuple(self.exprs(&t.elts)),
            py::Expr::Set(s) => Expr::Set(self.exprs(&s.elts)),
            py::Expr::Dict(d) => Expr::Dict(
                d.items.iter().map(|i| (i.key.as_ref().map(|k| self.expr(k)), self.expr(&i.value))).collect(),
            ),
            py::Expr::FString(f) => {
                let mut parts = Vec::new();
                for part in f.value.iter() {
                    match part {
                        py::FStringPart::Literal(l) => parts.push(FPart::Lit(SmallStr::from(&*l.value))),
                        py::FStringPart::FString(fs) => {
                            for el in fs.elements.iter() {
                                match el {
                                    py::InterpolatedStringElement::Literal(l) => {
                                        parts.push(FPart::Lit(SmallStr::from(&*l.value)))
                                    }
                                    py::InterpolatedStringElement::Interpolation(i) => parts.push(FPart::Expr {
                                        value: self.expr(&i.expression),
                                        spec: (i.format_spec.is_some()
                                            || i.conversion != py::ConversionFlag::None
                                            || i.debug_text.is_some())
                                        .then(|| {
                                            let after = i.expression.range().end().to_usize();
                                            let end = i.range().end().to_usize().saturating_sub(1);
                                            Box::from(self.source.get(after..end).unwrap_or(""))
                                        }),
                                    }),
                                }
                            }
                        }
                    }
                }
                {
                    parts.shrink_to_fit();
                    Expr::FString(parts)
                }
            }
            py::Expr::BinOp(b) => Expr::BinOp {
                left: Box::new(self.expr(&b.left)),
                op: binop(b.op),
                right: Box::new(self.expr(&b.right)),
            },
            py::Expr::BoolOp(b) => Expr::BoolOp {
                op: if b.op == py::BoolOp::And { BoolOp::And } else { BoolOp::Or },
                values: self.exprs(&b.values),
            },
            py::Expr::UnaryOp(u) => match u.op {
                py::UnaryOp::Not => Expr::Not(Box::new(self.expr(&u.operand))),
                py::UnaryOp::USub => Expr::Neg(Box::new(self.expr(&u.operand))),
                _ => Expr::Other(self.text(e).into()),
            },
            py::Expr::If(i) => Expr::IfExp {
                test: Box::new(self.expr(&i.test)),
                body: Box::new(self.expr(&i.body)),
                orelse: Box::new(self.expr(&i.orelse)),
            },
            py::Expr::Compare(c) => Expr::Compare(Box::new(CompareExpr {
                left: self.expr(&c.left),
                ops: c
                    .ops
                    .iter()
                    .map(|op| match op {
                        py::CmpOp::Eq => CmpOp::Eq,
                        py::CmpOp::NotEq => CmpOp::NotEq,
                        py::CmpOp::Is => CmpOp::Is,
                        py::CmpOp::IsNot => CmpOp::IsNot,
                        py::CmpOp::In => CmpOp::In,
                        py::CmpOp::NotIn => CmpOp::NotIn,
                        py::CmpOp::Lt => CmpOp::Lt,
                        py::CmpOp::LtE => CmpOp::LtE,
                        py::CmpOp::Gt => CmpOp::Gt,
                        py::CmpOp::GtE => CmpOp::GtE,
                    })
                    .collect(),
                comparators: self.exprs(&c.comparators).into_boxed_slice(),
            })),
            py::Expr::Subscript(s) => {
                Expr::Subscript { value: Box::new(self.expr(&s.value)), index: Box::new(self.expr(&s.slice)) }
            }
            py::Expr::Starred(s) => Expr::Starred(Box::new(self.expr(&s.value))),
            py::Expr::ListComp(c) => self.comp(CompKind::List, &c.elt, None, &c.generators),
            py::Expr::SetComp(c) => self.comp(CompKind::Set, &c.elt, None, &c.generators),
            py::Expr::Generator(c) => self.comp(CompKind::Generator, &c.elt, None, &c.generators),
            py::Expr::DictComp(c) => match c.key.as_deref() {
                Some(key) => self.comp(CompKind::Dict, key, Some(&c.value), &c.generators),
                None => Expr::Other(self.text(e).into()),
            },
            py::Expr::Named(n) => self.expr(&n.value),
            py::Expr::Await(a) => self.expr(&a.value),
            _ => Expr::Other(self.text(e).into()),
        }
    }
}

fn alias(a: &py::Alias) -> Alias {
    Alias { name: a.name.as_str().into(), asname: a.asname.as_ref().map(|n| n.as_str().into()) }
}

fn binop(op: py::Operator) -> BinOp {
    match op {
        py::Operator::Add => BinOp::Add,
        py::Operator::Sub => BinOp::Sub,
        py::Operator::Mod => BinOp::Mod,
        py::Operator::Mult => BinOp::Mult,
        py::Operator::BitOr => BinOp::BitOr,
        py::Operator::Div => BinOp::Div,
        py::Operator::FloorDiv => BinOp::FloorDiv,
        py::Operator::Pow => BinOp::Pow,
        py::Operator::MatMult => BinOp::MatMult,
        py::Operator::BitAnd => BinOp::BitAnd,
        py::Operator::BitXor => BinOp::BitXor,
        py::Operator::LShift => BinOp::LShift,
        py::Operator::RShift => BinOp::RShift,
    }
}

/// `str`, `int`, `float`, `UUID` or `uuid.UUID` as an annotation.
fn scalar_hint(e: &py::Expr) -> Option<ScalarHint> {
    let name = match e {
        py::Expr::Name(n) => n.id.as_str(),
        py::Expr::Attribute(a) if matches!(&*a.value, py::Expr::Name(m) if m.id.as_str() == "uuid") => a.attr.as_str(),
        _ => return None,
    };
    Some(match name {
        "str" => ScalarHint::Str,
        "int" => ScalarHint::Int,
        "float" => ScalarHint::Float,
        "UUID" => ScalarHint::Uuid,
        _ => return None,
    })
}
