//! Reading one Jinja template with minijinja's parser; produces a [`TemplateScan`] summary.
//!
//! **Consumes** the text of one template and its name (used in error messages only).
//! **Produces** a [`TemplateScan`]: the literal names the template refers to (`extends`,
//! `include`, `import`, `url_for` endpoints, filters, macros, blocks) and a count of every
//! construct that matters for a port to the Django template language (DTL). A template that
//! does not parse yields a [`TemplateSyntaxError`] with its 1-based line.
//! **Must not** render or evaluate anything, load other templates, panic, or recurse without
//! bound: the syntax tree is walked with an explicit stack, and expressions nested too deeply to
//! analyse are cut off before parsing (see "Limits").
//!
//! Only literal names are collected. A computed name (`{% extends layout %}`,
//! `url_for(endpoint)`) is counted as a `*_dynamic` construct instead.
//!
//! # Jinja2 syntax that minijinja does not parse
//!
//! Flask apps commonly load the `i18n`, `do` and `loopcontrols` extensions, and Jinja2 accepts a
//! few forms minijinja rejects. Before parsing, those tags are rewritten in a copy of the source
//! to forms minijinja reads. Every rewrite keeps the byte length and the line breaks, so error
//! lines and offsets stay those of the original, and names are read back from the original text.
//!
//! | Jinja2                                   | parsed as                          | counted as |
//! |------------------------------------------|------------------------------------|------------|
//! | `{% trans a=x, count %}`…`{% endtrans %}`| `{% with a=x %}`…`{% endwith %}`   | `trans`    |
//! | `{% pluralize %}` inside `trans`         | a comment                          |            |
//! | `{% do expr %}`, `{% print expr %}`      | `{{ expr }}`                       | `do`, `print` |
//! | `{% break %}`, `{% continue %}`          | `{{ break }}`, `{{ continue }}`    | `break`, `continue` |
//! | `{% assets %}`…`{% endassets %}` (Flask-Assets), `{% cache %}`…`{% endcache %}` (Flask-Caching), matched in order | comments around the body | `extension:assets`, `extension:cache` |
//! | non-ASCII identifiers (`{{ café }}`)     | `_` bytes in their place           |            |
//! | `loop` or `self` as an assigned name     | renamed in place, then re-parsed   |            |
//! | `{#` or `{% raw %}` left open at the very end | blanked (Jinja2 ignores them)  |            |
//!
//! What Jinja2 refuses and minijinja would accept is checked here, and reported like a parse
//! error: inside `{% trans %}` only `{{ name }}`, one `{% pluralize [name] %}` and raw blocks,
//! the block closed, `pluralize` with a variable to count, no name defined twice; `break` and
//! `continue` directly inside a `for` body (not in its `else`, a macro, block or `call`);
//! `extends` at the top level or inside `if` only; `loop` not assigned by a `for` target or a
//! `set` inside a `for`; no `+}}` marker. An unclosed comment, raw block or string is reported at
//! its start, as Jinja2 does. `pluralize` or `endtrans` outside a `trans` block stay unknown tags.
//!
//! The templates of the tests below were compiled with Jinja2 3.1 (with `i18n`, `do`,
//! `loopcontrols`, webassets' and Flask-Caching's extensions) to confirm which are valid. Unknown
//! filters and tests are not errors here, since the app may register them.
//!
//! # Construct names
//!
//! | name | counted for |
//! |------|-------------|
//! | `set` | `{% set x = … %}` and block `{% set x %}…{% endset %}` |
//! | `with` | `{% with %}` blocks |
//! | `macro` | `{% macro %}` definitions (names in [`TemplateScan::macros`]) |
//! | `call` | `{% call %}` blocks |
//! | `filter_block` | `{% filter %}` blocks (their filters are in [`TemplateScan::filters`]) |
//! | `autoescape` | `{% autoescape %}` blocks |
//! | `raw` | `{% raw %}` blocks |
//! | `for_else` | a `{% for %}` with a non-empty `{% else %}` body |
//! | `for_recursive` | `{% for … recursive %}` |
//! | `loop.<attr>` | any attribute of `loop` inside a `for` body: `loop.index`, `loop.index0`, `loop.revindex`, `loop.revindex0`, `loop.first`, `loop.last`, `loop.length`, `loop.cycle`, `loop.depth`, `loop.depth0`, `loop.previtem`, `loop.nextitem`, `loop.changed` |
//! | `include_ignore_missing` | `{% include … ignore missing %}` |
//! | `if_expr` | inline `a if b else c` |
//! | `concat` | the `~` operator |
//! | `math` | `+ - * / // % **` and unary minus |
//! | `test:<name>` | each test, e.g. `test:defined` for `x is defined`, `test:odd` |
//! | `method_call_with_args` | a call on an attribute with arguments, e.g. `user.get_pages(3)`, `form.name(class_="x")` (DTL cannot pass arguments) |
//! | `config`, `session`, `g`, `request`, `current_user`, `get_flashed_messages` | any use of that global name |
//! | `csrf_token` | `csrf_token()` or `form.csrf_token` |
//! | `hidden_tag` | `form.hidden_tag()` |
//! | `super`, `range`, `namespace`, `dict`, `cycler`, `joiner`, `lipsum` | calls of these Jinja globals |
//! | `gettext` | calls of `_`, `gettext`, `ngettext`, `pgettext`, `npgettext` |
//! | `trans`, `do`, `print`, `break`, `continue`, `extension:<tag>` | the extension tags above |
//! | `whitespace_control` | each `{%-`, `-%}`, `{{-`, `-}}`, `{#-`, `-#}` marker (read from the source text) |
//! | `extends_dynamic`, `include_dynamic`, `import_dynamic`, `url_for_dynamic` | a computed template name or endpoint |
//! | `too_deep` | a `{{ … }}` expression nested beyond the analysis limit, skipped |
//!
//! Names are not resolved: a global shadowed by a local variable of the same name is still
//! counted, and `loop` is only counted inside a `for` body.
//!
//! # Limits
//!
//! minijinja refuses statements or brackets nested more than about 150 deep ("template exceeds
//! maximum recursion limits"), which is reported as a syntax error. Operator, filter and
//! attribute chains (`a ~ b ~ c …`) are not limited by minijinja and freeing a very deep tree
//! overflows the stack, so the nesting of each tag is estimated from its text first
//! ([`MAX_EXPR_DEPTH`]): a `{{ … }}` over the limit is skipped and counted as `too_deep`, a
//! `{% … %}` over the limit is a syntax error. Parsing at minijinja's limit takes about 1.3 MB of
//! stack in a debug build and 0.5 MB optimised, within a spawned thread's default 2 MB. Line
//! statements (`line_statement_prefix`) are off in Jinja2 by default and are not read.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use minijinja::machinery::ast::{self, BinOpKind, CallArg, Expr, Stmt, UnaryOpKind};
use minijinja::machinery::{parse, WhitespaceConfig};
use minijinja::syntax::SyntaxConfig;

/// What a template contains that matters for the inventory and a Django port.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateScan {
    /// Literal template names in `{% extends %}`; computed ones are counted in constructs as `extends_dynamic`.
    pub extends: Vec<String>,
    /// Literal names in `{% include %}`, each name of a list literal (`{% include ['a', 'b'] %}`) too.
    pub includes: Vec<String>,
    /// `{% import "x" as y %}` and `{% from "x" import y %}`.
    pub imports: Vec<String>,
    /// Literal endpoints of `url_for('...')` calls, in order of appearance, deduplicated.
    pub url_for: Vec<String>,
    /// Filter names used (`|safe`, `|tojson`), sorted, deduplicated.
    pub filters: Vec<String>,
    /// Names of `{% macro %}` definitions.
    pub macros: Vec<String>,
    /// Names of `{% block %}`s.
    pub blocks: Vec<String>,
    /// Construct name -> count. See the module docs for the names.
    pub constructs: BTreeMap<String, u32>,
}

/// A template that Jinja2 would refuse, or one beyond the analysis limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSyntaxError {
    /// 1-based line of the error.
    pub line: u32,
    pub message: String,
}

impl fmt::Display for TemplateSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for TemplateSyntaxError {}

/// Estimated nesting of one tag's expression above which the tag is not parsed.
pub const MAX_EXPR_DEPTH: usize = 1000;

/// How many times a `loop`/`self` assignment is renamed before the error is reported.
const MAX_RENAMES: usize = 32;

/// Scan one template. `name` is handed to minijinja's parser; error messages do not repeat it.
///
/// # Errors
///
/// A [`TemplateSyntaxError`] when Jinja2 would refuse the template, or when a tag is nested
/// beyond the analysis limits (see the module docs).
pub fn scan_template(source: &str, name: &str) -> Result<TemplateScan, TemplateSyntaxError> {
    scan_template_with(source, name, &[])
}

/// [`scan_template`] for an environment that also loads extensions defining `custom_tags`
/// (the `tags` of a project's own `jinja2.ext.Extension`): each such tag, and an `end` tag of
/// the same name, is read as a comment, its body as the template's, and counted as
/// `extension:<tag>`.
///
/// # Errors
///
/// As [`scan_template`].
pub fn scan_template_with(
    source: &str,
    name: &str,
    custom_tags: &[String],
) -> Result<TemplateScan, TemplateSyntaxError> {
    if u32::try_from(source.len()).is_err() {
        return Err(TemplateSyntaxError {
            line: 1,
            message: "template is too large to analyse (over 4 GiB)".to_string(),
        });
    }
    let lexed = lex_tags(source);
    let prepared = prepare(source, &lexed, custom_tags)?;
    let mut text = prepared.text;
    let mut renames = 0;
    loop {
        // Jinja2's defaults: `{{ }}`/`{% %}`/`{# #}`, no line statements, no trimming.
        #[allow(clippy::default_constructed_unit_structs)] // a unit struct without `custom_syntax`
        let syntax = SyntaxConfig::default();
        let parsed = parse(&text, name, syntax, WhitespaceConfig::default());
        let err = match parsed {
            Ok(tree) => {
                let mut walk = Walk::new(source, &text, &prepared.synthetic);
                walk.scan.constructs = prepared.constructs;
                walk.run(&tree);
                for name in &prepared.synthetic.custom_includes {
                    if !walk.scan.includes.contains(name) {
                        walk.scan.includes.push(name.clone());
                    }
                }
                return match earliest(prepared.problem, walk.problem.take()) {
                    Some(problem) => Err(problem.into_error(source)),
                    None => Ok(walk.finish()),
                };
            }
            Err(err) => err,
        };
        let offset = err.range().map(|r| r.start).filter(|&s| s <= source.len());
        if renames < MAX_RENAMES {
            if let Some(range) = reserved_assignment(&err, &text, source, &lexed.tags) {
                // `loop`/`self` are assignable in Jinja2; rename in place (same length) and retry.
                text.replace_range(range.start + 1..range.start + 2, "_");
                renames += 1;
                continue;
            }
        }
        if let Some(problem) = prepared.problem {
            if offset.map_or(true, |o| problem.offset <= o) {
                return Err(problem.into_error(source));
            }
        }
        let line = match (offset, err.line()) {
            (Some(o), _) => line_at(source, o),
            (None, Some(l)) => u32::try_from(l).unwrap_or(u32::MAX),
            (None, None) => 1,
        };
        let message = err.detail().map_or_else(|| err.to_string(), str::to_string);
        return Err(TemplateSyntaxError { line, message });
    }
}

/// The byte range of `loop`/`self` when minijinja refused it as an assignment target and
/// Jinja2 would not: Jinja2 refuses `loop` only as a `for` target or in a `{% set %}` inside a `for`.
fn reserved_assignment(
    err: &minijinja::Error,
    text: &str,
    source: &str,
    tags: &[Tag],
) -> Option<std::ops::Range<usize>> {
    let detail = err.detail()?;
    if !detail.starts_with("cannot assign to reserved variable name") {
        return None;
    }
    let range = err.range()?;
    let name = text.get(range.clone())?;
    let index = tags.partition_point(|t| t.end <= range.start);
    let keyword = tags.get(index)?.keyword(source).map(|(_, k)| k);
    let for_depth = tags[..index].iter().fold(0i64, |depth, tag| match tag.keyword(source) {
        Some((_, "for")) => depth + 1,
        Some((_, "endfor")) => depth - 1,
        _ => depth,
    });
    let refused = keyword == Some("for") || (keyword == Some("set") && for_depth > 0);
    match name {
        "self" => Some(range),
        "loop" if !refused => Some(range),
        _ => None,
    }
}

/// 1-based line of a byte offset; `\n`, `\r\n` and a lone `\r` each end a line, as in Jinja2.
fn line_at(source: &str, offset: usize) -> u32 {
    let before = &source.as_bytes()[..offset.min(source.len())];
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && source.as_bytes().get(i + 1) != Some(&b'\n')))
        .count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// Lexical pass: where the tags are, as Jinja2's lexer sees them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    /// `{{ … }}`
    Variable,
    /// `{% … %}`
    Block,
    /// `{# … #}`
    Comment,
}

#[derive(Debug, Clone, Copy)]
struct Tag {
    kind: TagKind,
    /// Byte offset of the opening `{`.
    start: usize,
    /// Byte offset just past the closing `}`.
    end: usize,
    /// Byte range of the code between the delimiters and their whitespace markers.
    code_start: usize,
    code_end: usize,
    /// Number of `-` whitespace-control markers (0 to 2).
    strip_markers: u32,
}

impl Tag {
    /// The first word of a block tag (`for`, `trans`, …), and its offset.
    fn keyword<'s>(&self, source: &'s str) -> Option<(usize, &'s str)> {
        if self.kind != TagKind::Block {
            return None;
        }
        let bytes = source.as_bytes();
        let mut i = self.code_start;
        while i < self.code_end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < self.code_end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        (i > start).then(|| (start, &source[start..i]))
    }
}

/// The tags of a template, and what stopped the lexer early.
#[derive(Debug, Default)]
struct Lexed {
    /// Every tag in order, `{% raw %}` contents skipped.
    tags: Vec<Tag>,
    /// A comment, raw block or string that is not closed, where Jinja2 reports it (at its start),
    /// or a `+}}` marker. Any other unclosed tag is left to the parser.
    problem: Option<Problem>,
    /// Jinja2 accepts a `{#` or `{% raw %}` that ends the file with nothing but a line break
    /// after it: the offset from which the text is blanked so that minijinja accepts it too.
    open_at_end: Option<usize>,
}

/// Find the tags as Jinja2's lexer does; stops at the first tag that is not closed.
fn lex_tags(source: &str) -> Lexed {
    let bytes = source.as_bytes();
    let mut lexed = Lexed::default();
    let mut pos = 0;
    while let Some(start) = find_tag_start(bytes, pos) {
        let kind = match bytes[start + 1] {
            b'{' => TagKind::Variable,
            b'%' => TagKind::Block,
            _ => TagKind::Comment,
        };
        let mut code_start = start + 2;
        let mut strip_markers = 0;
        match bytes.get(code_start) {
            Some(b'-') => {
                strip_markers += 1;
                code_start += 1;
            }
            Some(b'+') => code_start += 1,
            _ => {}
        }
        let tag = if kind == TagKind::Comment {
            let Some(close) = find(bytes, code_start, b"#}") else {
                if only_final_newline(&bytes[code_start..]) {
                    lexed.open_at_end = Some(start);
                } else {
                    lexed.problem.get_or_insert(Problem::new(start, "missing end of comment tag"));
                }
                break;
            };
            let mut code_end = close;
            if close > code_start && bytes[close - 1] == b'-' {
                strip_markers += 1;
                code_end -= 1;
            }
            Tag { kind, start, end: close + 2, code_start, code_end, strip_markers }
        } else {
            let close = if kind == TagKind::Variable { b'}' } else { b'%' };
            let (code_end, end, stripped) = match find_code_end(bytes, code_start, close) {
                CodeEnd::Found { code_end, end, stripped } => {
                    if kind == TagKind::Variable && bytes[code_end] == b'+' {
                        // minijinja reads `+}}` as a marker; Jinja2 has `+` markers for blocks only.
                        lexed.problem.get_or_insert(Problem::new(code_end, "unexpected 'end of print statement'"));
                    }
                    (code_end, end, stripped)
                }
                CodeEnd::OpenString(at) => {
                    lexed.problem.get_or_insert(Problem::new(at, "unterminated string"));
                    break;
                }
                CodeEnd::Missing => break,
            };
            Tag { kind, start, end, code_start, code_end, strip_markers: strip_markers + u32::from(stripped) }
        };
        lexed.tags.push(tag);
        pos = tag.end;
        if tag.keyword(source).is_some_and(|(_, k)| k == "raw") {
            let Some(end_raw) = find_end_raw(bytes, pos) else {
                if only_final_newline(&bytes[pos..]) {
                    lexed.open_at_end = Some(tag.start);
                } else {
                    lexed.problem.get_or_insert(Problem::new(tag.start, "missing end of raw directive"));
                }
                break;
            };
            pos = end_raw.end;
            lexed.tags.push(end_raw);
        }
    }
    lexed
}

/// Jinja2 drops one final line break before reading a template.
fn only_final_newline(rest: &[u8]) -> bool {
    matches!(rest, b"" | b"\n" | b"\r\n" | b"\r")
}

fn find_tag_start(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && matches!(bytes[i + 1], b'{' | b'%' | b'#') {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// Offset just past a string literal opening at `at`, or `None` if it is not closed.
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    let quote = bytes[at];
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

enum CodeEnd {
    /// The code ends at `code_end` and the tag at `end`; `stripped` if a `-` marker precedes the
    /// closing delimiter.
    Found {
        code_end: usize,
        end: usize,
        stripped: bool,
    },
    /// A string opened at this offset is not closed.
    OpenString(usize),
    Missing,
}

/// End of the code of a `{{`/`{%` tag. Strings are skipped and the closing delimiter only
/// counts outside brackets, as in Jinja2's lexer.
fn find_code_end(bytes: &[u8], from: usize, close: u8) -> CodeEnd {
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\'' || b == b'"' {
            match skip_string(bytes, i) {
                Some(next) => i = next,
                None => return CodeEnd::OpenString(i),
            }
            continue;
        }
        if depth == 0 {
            let at = |k: usize| bytes.get(i + k).copied();
            if (b == b'-' || b == b'+') && at(1) == Some(close) && at(2) == Some(b'}') {
                return CodeEnd::Found { code_end: i, end: i + 3, stripped: b == b'-' };
            }
            if b == close && at(1) == Some(b'}') {
                return CodeEnd::Found { code_end: i, end: i + 2, stripped: false };
            }
        }
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    CodeEnd::Missing
}

/// The `{% endraw %}` tag after `from` (`{%-`/`-%}` markers and spaces allowed).
fn find_end_raw(bytes: &[u8], from: usize) -> Option<Tag> {
    let mut pos = from;
    while let Some(start) = find(bytes, pos, b"{%") {
        pos = start + 2;
        let mut i = start + 2;
        let mut strip_markers = 0;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            strip_markers += u32::from(bytes[i] == b'-');
            i += 1;
        }
        let code_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if !bytes[i.min(bytes.len())..].starts_with(b"endraw") {
            continue;
        }
        i += b"endraw".len();
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let code_end = i;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            strip_markers += u32::from(bytes[i] == b'-');
            i += 1;
        }
        if bytes[i.min(bytes.len())..].starts_with(b"%}") {
            let kind = TagKind::Block;
            return Some(Tag { kind, start, end: i + 2, code_start, code_end, strip_markers });
        }
    }
    None
}

/// Upper bound of the syntax-tree depth of one tag's code: each operator, filter, attribute,
/// test or keyword operator adds one level, each bracket adds the depth of its deepest element.
fn estimate_depth(code: &[u8]) -> usize {
    // Per open bracket: (depth of the element being read, deepest element so far).
    let mut levels: Vec<(usize, usize)> = vec![(0, 0)];
    let mut i = 0;
    while i < code.len() {
        let b = code[i];
        match b {
            b'\'' | b'"' => {
                i = skip_string(code, i).unwrap_or(code.len());
                continue;
            }
            b'(' | b'[' | b'{' => levels.push((0, 0)),
            b')' | b']' | b'}' if levels.len() > 1 => {
                let (current, deepest) = levels.pop().unwrap_or_default();
                let top = levels.last_mut().expect("the outermost level is never popped");
                top.0 += current.max(deepest) + 1;
            }
            b',' | b':' => {
                let top = levels.last_mut().expect("never empty");
                top.1 = top.1.max(top.0);
                top.0 = 0;
            }
            b'.' | b'|' | b'+' | b'-' | b'*' | b'/' | b'%' | b'~' | b'<' | b'>' | b'=' | b'!' => {
                levels.last_mut().expect("never empty").0 += 1;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < code.len() && (code[i].is_ascii_alphanumeric() || code[i] == b'_') {
                    i += 1;
                }
                if matches!(&code[start..i], b"is" | b"and" | b"or" | b"not" | b"in" | b"if" | b"else") {
                    levels.last_mut().expect("never empty").0 += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    levels.into_iter().map(|(current, deepest)| current.max(deepest)).sum()
}

// ---------------------------------------------------------------------------------------------
// Rewrites: Jinja2 extension tags to forms minijinja parses, same length, same lines.

/// A problem found outside minijinja's parser (an unclosed comment, raw block or string, the
/// rules of `{% trans %}`, a loop control outside a loop); the earliest one is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    offset: usize,
    message: String,
}

impl Problem {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        Problem { offset, message: message.into() }
    }

    fn into_error(self, source: &str) -> TemplateSyntaxError {
        TemplateSyntaxError { line: line_at(source, self.offset), message: self.message }
    }
}

/// Offsets of the keywords that the rewrites put in place of extension tags.
#[derive(Debug, Default)]
struct Synthetic {
    /// `with` keywords that stand for `trans`.
    with: BTreeSet<u32>,
    /// `{{ break }}`/`{{ continue }}` that stand for the loop-control tags.
    loop_controls: BTreeSet<u32>,
    /// Template names a tag of the app's own extension starts with (CKAN's
    /// `{% snippet "package/snippets/info.html", pkg=pkg %}` renders that template).
    custom_includes: Vec<String>,
}

struct Prepared {
    /// The source with extension tags rewritten; same length and line breaks.
    text: String,
    synthetic: Synthetic,
    /// Counts read from the text: markers and extension tags.
    constructs: BTreeMap<String, u32>,
    problem: Option<Problem>,
}

/// What a tag opened, for blocks inside macros ([`prepare`]).
#[derive(Debug, PartialEq)]
enum Body {
    Macro,
    Block { rewritten: bool },
}

/// A unary `+` (`{{ move(row, +1) }}`) becomes a space: Jinja2 reads it, minijinja does not, and
/// the names the expression reads are the same without it. Strings are left alone.
fn drop_unary_plus(code: &[u8], out: &mut [u8]) {
    if !code.contains(&b'+') {
        return;
    }
    let mut quote: Option<u8> = None;
    // The last significant byte outside strings, or the last word when it ended there.
    let mut prev: Option<u8> = None;
    let mut word_start = 0;
    let mut i = 0;
    while i < code.len() {
        let b = code[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
                prev = Some(b'"');
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'\'' => quote = Some(b),
            b'+' => {
                // After an operand (a name, a number, a closing bracket or a string) it is a
                // binary plus; after an operator, an opening bracket, a comma, a keyword or
                // nothing it is unary.
                let operand = match prev {
                    Some(p) if p.is_ascii_alphanumeric() || p == b'_' => {
                        let word = &code[word_start..i].trim_ascii_end();
                        !matches!(*word, b"in" | b"and" | b"or" | b"not" | b"if" | b"else" | b"is")
                    }
                    Some(b')' | b']' | b'}' | b'"') => true,
                    _ => false,
                };
                if !operand {
                    out[i] = b' ';
                }
                prev = Some(b'+');
            }
            b if b.is_ascii_whitespace() => {}
            b if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' && prev.is_some_and(|p| p.is_ascii_digit()) => {
                if !prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == b'_')
                    || i > 0 && code[i - 1].is_ascii_whitespace()
                {
                    word_start = i;
                }
                prev = Some(b);
            }
            _ => prev = Some(b),
        }
        i += 1;
    }
}

/// Block tags of Flask extensions that wrap a body and are read as their body alone.
const EXTENSION_BLOCK_TAGS: &[&str] = &["assets", "cache"];

fn prepare(source: &str, lexed: &Lexed, custom_tags: &[String]) -> Result<Prepared, TemplateSyntaxError> {
    let tags = &lexed.tags;
    let mut out = source.as_bytes().to_vec();
    let mut constructs = BTreeMap::new();
    let mut synthetic = Synthetic::default();
    // The first problem noted, in the order Jinja2 would meet them.
    let mut problem: Option<Problem> = None;
    let mut note = |offset: usize, message: String| {
        if problem.is_none() {
            problem = Some(Problem { offset, message });
        }
    };
    if let Some(at) = lexed.open_at_end {
        blank(&mut out[at..]);
    }

    let keywords: Vec<Option<(usize, &str)>> = tags.iter().map(|t| t.keyword(source)).collect();
    let extension_pairs = pair_extension_tags(&keywords);

    let mut trans: Option<Trans> = None;
    // Open `macro`/`call` bodies and the blocks inside them: Jinja2 lets a block stand in a
    // macro (`{% macro subject() %}{% block subject %}{% endblock %}{% endmacro %}`), minijinja
    // does not, so such a block is read as an `if` over its body.
    let mut bodies: Vec<Body> = Vec::new();
    for (index, (tag, keyword)) in tags.iter().zip(&keywords).enumerate() {
        bump(&mut constructs, "whitespace_control", tag.strip_markers);
        if tag.kind == TagKind::Comment {
            continue;
        }
        let code = &source.as_bytes()[tag.code_start..tag.code_end];
        if estimate_depth(code) > MAX_EXPR_DEPTH {
            if tag.kind == TagKind::Block {
                return Err(TemplateSyntaxError {
                    line: line_at(source, tag.start),
                    message: format!("expression nested more than {MAX_EXPR_DEPTH} levels deep; not analysed"),
                });
            }
            comment_out(&mut out, tag);
            bump(&mut constructs, "too_deep", 1);
            continue;
        }
        replace_non_ascii(source, &mut out, tag);
        drop_unary_plus(code, &mut out[tag.code_start..tag.code_end]);
        // `{{ a or b, }}`: Jinja2 reads a one-item tuple; minijinja refuses the trailing comma.
        // What the expression names is the same without it.
        if tag.kind == TagKind::Variable {
            if let Some(last) = code.iter().rposition(|b| !b.is_ascii_whitespace()) {
                if code[last] == b',' && code[..last].iter().any(|b| !b.is_ascii_whitespace()) {
                    out[tag.code_start + last] = b' ';
                }
            }
        }
        // Jinja2 skips one colon before the end of a tag that opens a body, "for Python
        // compatibility" (`{% if user: %}`, `{% for x in xs: %}`); minijinja does not.
        if let Some((_, k)) = keyword {
            let opens_body = matches!(
                *k,
                "if" | "elif" | "else" | "for" | "set" | "with" | "autoescape" | "block" | "call" | "filter" | "macro"
            );
            if opens_body && tag.kind == TagKind::Block {
                if let Some(last) = code.iter().rposition(|b| !b.is_ascii_whitespace()) {
                    if code[last] == b':' {
                        out[tag.code_start + last] = b' ';
                    }
                }
            }
        }
        if let Some(open) = trans.as_mut() {
            let word = keyword.map(|(_, k)| k);
            match (tag.kind, word) {
                (TagKind::Variable, _) => {
                    if !is_identifier(source[tag.code_start..tag.code_end].trim()) {
                        let message = "only simple variables like {{ name }} are allowed in translatable sections";
                        note(tag.start, message.to_string());
                    }
                    open.singular_names |= !open.pluralized;
                }
                (_, Some("endtrans")) => {
                    let (at, _) = keyword.expect("matched above");
                    out[at..at + 8].copy_from_slice(b"endwith ");
                    if open.pluralized && !open.plural_known && open.names.is_empty() && !open.singular_names {
                        note(open.start, "pluralize without variables".to_string());
                    }
                    trans = None;
                }
                (_, Some("pluralize")) if !open.pluralized => {
                    open.pluralized = true;
                    let (at, _) = keyword.expect("matched above");
                    let name = source[at + "pluralize".len()..tag.code_end].trim();
                    if !name.is_empty() {
                        open.plural_known = true;
                        if !open.names.iter().any(|n| n == name) {
                            note(tag.start, format!("unknown variable '{name}' for pluralization"));
                        }
                    }
                    comment_out(&mut out, tag);
                }
                (_, Some("pluralize")) => {
                    note(tag.start, "a translatable section can have only one pluralize section".to_string());
                }
                // A raw block is text to Jinja2's lexer, and text is what a translation holds.
                (_, Some("raw")) => bump(&mut constructs, "raw", 1),
                (_, Some("endraw")) => {}
                (_, Some("trans")) => {
                    note(tag.start, "trans blocks can't be nested; did you mean `endtrans`?".to_string());
                }
                (_, word) => {
                    let word = word.unwrap_or_default();
                    note(
                        tag.start,
                        format!("control structures in translatable sections are not allowed; saw `{word}`"),
                    );
                }
            }
            continue;
        }
        let Some((at, word)) = *keyword else { continue };
        match word {
            "macro" | "call" => bodies.push(Body::Macro),
            "endmacro" | "endcall" => while let Some(Body::Block { .. }) = bodies.pop() {},
            "block" => {
                let in_macro = bodies.contains(&Body::Macro);
                if in_macro {
                    // `block name [scoped] [required]` -> `if 1`, the rest blanked.
                    blank(&mut out[at..tag.code_end]);
                    out[at..at + 4].copy_from_slice(b"if 1");
                }
                bodies.push(Body::Block { rewritten: in_macro });
            }
            "endblock" => {
                if let Some(Body::Block { rewritten }) = bodies.last() {
                    if *rewritten {
                        blank(&mut out[at..tag.code_end]);
                        out[at..at + 5].copy_from_slice(b"endif");
                    }
                    bodies.pop();
                }
            }
            "trans" => {
                let names = rewrite_trans(source.as_bytes(), &mut out, at, tag.code_end, &mut note);
                synthetic.with.insert(offset_u32(at));
                trans = Some(Trans { start: tag.start, names, ..Trans::default() });
                bump(&mut constructs, word, 1);
            }
            "do" | "print" => {
                to_variable_tag(&mut out, tag);
                blank(&mut out[at..at + word.len()]);
                bump(&mut constructs, word, 1);
            }
            "raw" => bump(&mut constructs, word, 1),
            "break" | "continue" => {
                // Kept as a name, so that the walk can check it is inside a loop.
                to_variable_tag(&mut out, tag);
                synthetic.loop_controls.insert(offset_u32(at));
                bump(&mut constructs, word, 1);
            }
            _ if extension_pairs.contains(&index) => {
                comment_out(&mut out, tag);
                if !word.starts_with("end") {
                    bump(&mut constructs, &format!("extension:{word}"), 1);
                }
            }
            _ if custom_tags.iter().any(|t| t == word || word.strip_prefix("end") == Some(t.as_str())) => {
                if let Some(name) = leading_template_name(&source[at + word.len()..tag.code_end]) {
                    synthetic.custom_includes.push(name);
                }
                comment_out(&mut out, tag);
                if !word.starts_with("end") {
                    bump(&mut constructs, &format!("extension:{word}"), 1);
                }
            }
            _ => {}
        }
    }
    if trans.is_some() {
        // Jinja2 reports it where the template ends.
        note(source.len(), "unclosed translation block".to_string());
    }
    let text = String::from_utf8(out).expect("rewrites replace whole characters with ASCII");
    let problem = earliest(problem, lexed.problem.clone());
    Ok(Prepared { text, synthetic, constructs, problem })
}

/// The file extensions of names taken to name a template (in Python code, in a tag's arguments).
pub const TEMPLATE_EXTENSIONS: [&str; 9] =
    [".html", ".htm", ".xml", ".txt", ".j2", ".jinja", ".jinja2", ".svg", ".xhtml"];

/// A string literal that starts a tag's arguments and names a template file
/// (`"package/snippets/info.html"`).
fn leading_template_name(args: &str) -> Option<String> {
    let args = args.trim_start();
    let quote = args.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &args[1..];
    let name = &rest[..rest.find(quote)?];
    let template_like = TEMPLATE_EXTENSIONS.iter().any(|x| name.ends_with(x));
    (template_like && !name.contains(['\\', '{', ' '])).then(|| name.to_string())
}

/// Indices of the extension tags that open and close a body, matched in order (an unmatched one
/// stays an unknown tag).
fn pair_extension_tags(keywords: &[Option<(usize, &str)>]) -> BTreeSet<usize> {
    let mut paired = BTreeSet::new();
    let mut open: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, keyword) in keywords.iter().enumerate() {
        let Some((_, word)) = *keyword else { continue };
        if EXTENSION_BLOCK_TAGS.contains(&word) {
            open.entry(word).or_default().push(index);
        } else if let Some(base) = word.strip_prefix("end").filter(|b| EXTENSION_BLOCK_TAGS.contains(b)) {
            if let Some(start) = open.get_mut(base).and_then(Vec::pop) {
                paired.extend([start, index]);
            }
        }
    }
    paired
}

/// An open `{% trans %}` block.
#[derive(Debug, Default)]
struct Trans {
    /// Offset of the `{% trans %}` tag.
    start: usize,
    /// Names defined by its arguments.
    names: Vec<String>,
    /// A `{{ name }}` before `{% pluralize %}`.
    singular_names: bool,
    pluralized: bool,
    /// `{% pluralize name %}` named the count.
    plural_known: bool,
}

fn earliest(a: Option<Problem>, b: Option<Problem>) -> Option<Problem> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.offset < a.offset { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn offset_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// `{% … %}` to `{{ … }}`.
fn to_variable_tag(out: &mut [u8], tag: &Tag) {
    out[tag.start..tag.start + 2].copy_from_slice(b"{{");
    out[tag.end - 2..tag.end].copy_from_slice(b"}}");
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Spaces in place of every byte but line breaks (ASCII, so the text stays UTF-8).
fn blank(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| !matches!(**b, b'\n' | b'\r')) {
        *b = b' ';
    }
}

/// `{% … %}` / `{{ … }}` to `{# … #}` with the code blanked.
fn comment_out(out: &mut [u8], tag: &Tag) {
    blank(&mut out[tag.start..tag.end]);
    out[tag.start..tag.start + 2].copy_from_slice(b"{#");
    out[tag.end - 2..tag.end].copy_from_slice(b"#}");
}

/// Outside strings, a non-ASCII space becomes spaces and any other non-ASCII character
/// underscores (Jinja2 reads Unicode identifiers; minijinja without its `unicode` feature does not).
fn replace_non_ascii(source: &str, out: &mut [u8], tag: &Tag) {
    let code = &source[tag.code_start..tag.code_end];
    if code.is_ascii() {
        return;
    }
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in code.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => quote = Some(c),
            None if !c.is_ascii() => {
                let fill = if c.is_whitespace() { b' ' } else { b'_' };
                let at = tag.code_start + i;
                out[at..at + c.len_utf8()].fill(fill);
            }
            None => {}
        }
    }
}

/// `trans "ctx" a=x, b, trimmed` → `with        a=x          `: the keyword becomes `with`; the
/// context string, bare names and the `trimmed`/`notrimmed` modifier are blanked with the commas
/// that separated them. Returns the names the arguments define; anything else in them is left
/// for the parser to refuse.
fn rewrite_trans(
    source: &[u8],
    out: &mut [u8],
    keyword_at: usize,
    code_end: usize,
    note: &mut impl FnMut(usize, String),
) -> Vec<String> {
    out[keyword_at..keyword_at + 5].copy_from_slice(b"with ");
    let mut args_start = skip_space(source, keyword_at + 5, code_end);
    if args_start < code_end && matches!(source[args_start], b'\'' | b'"') {
        // The message context of `pgettext`.
        let end = skip_string(source, args_start).unwrap_or(code_end).min(code_end);
        blank(&mut out[args_start..end]);
        args_start = end;
    }
    // Items split at top-level commas; `commas[i]` precedes `items[i + 1]`.
    let mut items = Vec::new();
    let mut commas = Vec::new();
    let mut depth = 0usize;
    let mut item_start = args_start;
    let mut i = args_start;
    while i < code_end {
        match source[i] {
            b'\'' | b'"' => {
                i = skip_string(source, i).unwrap_or(code_end).min(code_end);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                items.push((item_start, i));
                commas.push(i);
                item_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    items.push((item_start, code_end));

    let mut names: Vec<String> = Vec::new();
    let mut kept_any = false;
    let mut modifier_seen = false;
    for (index, &(start, end)) in items.iter().enumerate() {
        let comma_before = index.checked_sub(1).map(|c| commas[c]);
        let mut s = skip_space(source, start, end);
        let e = trim_space_end(source, s, end);
        let word_end = ident_end(source, s, e);
        let modifier = matches!(&source[s..word_end], b"trimmed" | b"notrimmed");
        if modifier && !modifier_seen && !is_assignment(source, word_end, e) {
            modifier_seen = true;
            blank(&mut out[s..word_end]);
            s = skip_space(source, word_end, e);
            if s == e {
                if let Some(comma) = comma_before {
                    out[comma] = b' ';
                }
                continue;
            }
        }
        let name_end = ident_end(source, s, e);
        if name_end == s {
            continue;
        }
        let name = String::from_utf8_lossy(&source[s..name_end]).into_owned();
        if names.contains(&name) {
            note(s, format!("translatable variable '{name}' defined twice."));
        }
        if is_assignment(source, name_end, e) {
            names.push(name);
            if !kept_any {
                if let Some(comma) = comma_before {
                    out[comma] = b' ';
                }
            }
            kept_any = true;
        } else if name_end == e {
            names.push(name);
            blank(&mut out[s..e]);
            if let Some(comma) = comma_before {
                out[comma] = b' ';
            }
        }
    }
    names
}

/// `=` (not `==`) after optional spaces.
fn is_assignment(bytes: &[u8], from: usize, end: usize) -> bool {
    let at = skip_space(bytes, from, end);
    at < end && bytes[at] == b'=' && bytes.get(at + 1) != Some(&b'=')
}

fn trim_space_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

fn skip_space(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// End of the identifier starting at `start` (`start` itself if there is none).
fn ident_end(bytes: &[u8], start: usize, end: usize) -> usize {
    if start < end && bytes[start].is_ascii_digit() {
        return start;
    }
    let mut i = start;
    while i < end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80) {
        i += 1;
    }
    i
}

fn bump(constructs: &mut BTreeMap<String, u32>, name: &str, by: u32) {
    if by > 0 {
        let count = constructs.entry(name.to_string()).or_insert(0);
        *count = count.saturating_add(by);
    }
}

// ---------------------------------------------------------------------------------------------
// Walk: the syntax tree to a TemplateScan, with an explicit stack.

/// Flask and Jinja globals counted under their own name wherever they are used.
const COUNTED_GLOBALS: &[&str] =
    &["config", "session", "g", "request", "current_user", "get_flashed_messages", "csrf_token"];

/// Jinja globals counted under their own name when called.
const COUNTED_CALLS: &[&str] = &["super", "range", "namespace", "dict", "cycler", "joiner", "lipsum"];

/// The gettext family of the i18n extension, counted as `gettext`.
const GETTEXT_CALLS: &[&str] = &["_", "gettext", "ngettext", "pgettext", "npgettext"];

/// What a node can see of its surroundings.
#[derive(Debug, Clone, Copy, Default)]
struct Scope {
    /// Inside the body of a `for`, where `loop` is the loop variable.
    in_for: bool,
    /// Directly inside a `for` body, where `{% break %}` and `{% continue %}` may stand: Jinja2
    /// compiles macros, blocks and `{% call %}` bodies to functions of their own.
    loop_controls: bool,
    /// Inside a statement other than `if`, where Jinja2 refuses `{% extends %}`.
    nested: bool,
}

impl Scope {
    const LOOP_BODY: Scope = Scope { in_for: true, loop_controls: true, nested: true };

    /// The body of a statement other than `if` and `for`.
    fn body(self) -> Scope {
        Scope { nested: true, ..self }
    }

    /// The body of a macro, `{% call %}` or block: a function of its own in Jinja2.
    fn function_body(self) -> Scope {
        Scope { loop_controls: false, nested: true, ..self }
    }
}

enum Node<'n, 's> {
    Stmt(&'n Stmt<'s>, Scope),
    Expr(&'n Expr<'s>, Scope),
}

struct Walk<'a> {
    source: &'a str,
    text: &'a str,
    synthetic: &'a Synthetic,
    scan: TemplateScan,
    /// The first construct Jinja2 refuses when compiling (`break` outside a loop, a nested
    /// `extends`).
    problem: Option<Problem>,
    filters: BTreeSet<String>,
    /// `(offset, endpoint)` of literal `url_for` calls.
    url_for: Vec<(u32, String)>,
}

impl<'a> Walk<'a> {
    fn new(source: &'a str, text: &'a str, synthetic: &'a Synthetic) -> Self {
        Walk {
            source,
            text,
            synthetic,
            scan: TemplateScan::default(),
            problem: None,
            filters: BTreeSet::new(),
            url_for: Vec::new(),
        }
    }

    fn finish(mut self) -> TemplateScan {
        self.scan.filters = self.filters.into_iter().collect();
        self.url_for.sort_by_key(|(offset, _)| *offset);
        let mut seen = BTreeSet::new();
        for (_, endpoint) in self.url_for {
            if seen.insert(endpoint.clone()) {
                self.scan.url_for.push(endpoint);
            }
        }
        self.scan
    }

    /// Note the first construct Jinja2 refuses (the walk goes in source order).
    fn refuse(&mut self, offset: u32, message: String) {
        self.problem.get_or_insert(Problem { offset: offset as usize, message });
    }

    fn count(&mut self, name: &str) {
        bump(&mut self.scan.constructs, name, 1);
    }

    /// A name borrowed from the parsed text, read back from the original source (the rewrites
    /// keep offsets but may have replaced non-ASCII characters).
    fn original(&self, s: &str) -> String {
        let base = self.text.as_ptr() as usize;
        let at = s.as_ptr() as usize;
        if at >= base && at + s.len() <= base + self.text.len() {
            if let Some(original) = self.source.get(at - base..at - base + s.len()) {
                return original.to_string();
            }
        }
        s.to_string()
    }

    fn run(&mut self, root: &Stmt<'_>) {
        let mut stack = vec![Node::Stmt(root, Scope::default())];
        while let Some(node) = stack.pop() {
            let mut children = Vec::new();
            match node {
                Node::Stmt(stmt, scope) => self.visit_stmt(stmt, scope, &mut children),
                Node::Expr(expr, scope) => self.visit_expr(expr, scope, &mut children),
            }
            // Reversed, so that children are visited in source order.
            stack.extend(children.into_iter().rev());
        }
    }

    fn visit_stmt<'n, 's>(&mut self, stmt: &'n Stmt<'s>, scope: Scope, out: &mut Vec<Node<'n, 's>>) {
        let stmts = |out: &mut Vec<Node<'n, 's>>, body: &'n [Stmt<'s>], scope: Scope| {
            out.extend(body.iter().map(|s| Node::Stmt(s, scope)));
        };
        match stmt {
            Stmt::Template(t) => stmts(out, &t.children, scope),
            Stmt::EmitExpr(e) => out.push(Node::Expr(&e.expr, scope)),
            Stmt::EmitRaw(_) => {}
            Stmt::ForLoop(f) => {
                if !f.else_body.is_empty() {
                    self.count("for_else");
                }
                if f.recursive {
                    self.count("for_recursive");
                }
                out.push(Node::Expr(&f.iter, scope));
                if let Some(filter) = &f.filter_expr {
                    out.push(Node::Expr(filter, Scope::LOOP_BODY));
                }
                stmts(out, &f.body, Scope::LOOP_BODY);
                stmts(out, &f.else_body, scope.body());
            }
            Stmt::IfCond(c) => {
                out.push(Node::Expr(&c.expr, scope));
                stmts(out, &c.true_body, scope);
                stmts(out, &c.false_body, scope);
            }
            Stmt::WithBlock(w) => {
                if !self.synthetic.with.contains(&w.span().start_offset) {
                    self.count("with");
                }
                out.extend(w.assignments.iter().map(|(_, value)| Node::Expr(value, scope)));
                stmts(out, &w.body, scope.body());
            }
            Stmt::Set(s) => {
                self.count("set");
                out.push(Node::Expr(&s.expr, scope));
            }
            Stmt::SetBlock(s) => {
                self.count("set");
                if let Some(filter) = &s.filter {
                    out.push(Node::Expr(filter, scope));
                }
                stmts(out, &s.body, scope.body());
            }
            Stmt::AutoEscape(a) => {
                self.count("autoescape");
                out.push(Node::Expr(&a.enabled, scope));
                stmts(out, &a.body, scope.body());
            }
            Stmt::FilterBlock(f) => {
                self.count("filter_block");
                out.push(Node::Expr(&f.filter, scope));
                stmts(out, &f.body, scope.body());
            }
            Stmt::Block(b) => {
                let name = self.original(b.name);
                self.scan.blocks.push(name);
                // A block is rendered on its own: the enclosing loop is not visible in it.
                stmts(out, &b.body, Scope::default().function_body());
            }
            Stmt::Import(i) => {
                self.template_names(&i.expr, "import_dynamic", Target::Imports);
                out.push(Node::Expr(&i.expr, scope));
            }
            Stmt::FromImport(i) => {
                self.template_names(&i.expr, "import_dynamic", Target::Imports);
                out.push(Node::Expr(&i.expr, scope));
            }
            Stmt::Extends(e) => {
                if scope.nested {
                    self.refuse(e.span().start_offset, "cannot use extend from a non top-level scope".to_string());
                }
                self.template_names(&e.name, "extends_dynamic", Target::Extends);
                out.push(Node::Expr(&e.name, scope));
            }
            Stmt::Include(i) => {
                if i.ignore_missing {
                    self.count("include_ignore_missing");
                }
                self.template_names(&i.name, "include_dynamic", Target::Includes);
                out.push(Node::Expr(&i.name, scope));
            }
            Stmt::Macro(m) => {
                self.count("macro");
                let name = self.original(m.name);
                self.scan.macros.push(name);
                out.extend(m.defaults.iter().map(|d| Node::Expr(d, scope)));
                stmts(out, &m.body, Scope::default().function_body());
            }
            Stmt::CallBlock(c) => {
                self.count("call");
                out.extend(c.macro_decl.defaults.iter().map(|d| Node::Expr(d, scope)));
                self.visit_call(&c.call, scope, out);
                stmts(out, &c.macro_decl.body, scope.function_body());
            }
            Stmt::Do(d) => self.visit_call(&d.call, scope, out),
            // `break`/`continue` exist when minijinja's `loop_controls` feature is on; they are
            // rewritten before parsing and counted there.
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    /// Record a literal template name (or each name of a list literal), or count `dynamic`.
    fn template_names(&mut self, expr: &Expr<'_>, dynamic: &str, target: Target) {
        let names: Option<Vec<String>> = match expr {
            Expr::Const(c) => c.value.as_str().map(|s| vec![s.to_string()]),
            Expr::List(l) if target == Target::Includes => l
                .items
                .iter()
                .map(|item| match item {
                    Expr::Const(c) => c.value.as_str().map(str::to_string),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        let Some(names) = names else {
            self.count(dynamic);
            return;
        };
        let list = match target {
            Target::Extends => &mut self.scan.extends,
            Target::Includes => &mut self.scan.includes,
            Target::Imports => &mut self.scan.imports,
        };
        list.extend(names);
    }

    fn visit_expr<'n, 's>(&mut self, expr: &'n Expr<'s>, scope: Scope, out: &mut Vec<Node<'n, 's>>) {
        let mut push = |e: &'n Expr<'s>| out.push(Node::Expr(e, scope));
        match expr {
            Expr::Var(v) => {
                if COUNTED_GLOBALS.contains(&v.id) {
                    self.count(v.id);
                }
                let offset = v.span().start_offset;
                if !scope.loop_controls && self.synthetic.loop_controls.contains(&offset) {
                    self.refuse(offset, format!("'{}' must be placed inside a loop", v.id));
                }
            }
            Expr::Const(_) => {}
            Expr::Slice(s) => {
                push(&s.expr);
                for part in [&s.start, &s.stop, &s.step].into_iter().flatten() {
                    push(part);
                }
            }
            Expr::UnaryOp(u) => {
                if matches!(u.op, UnaryOpKind::Neg) {
                    self.count("math");
                }
                push(&u.expr);
            }
            Expr::BinOp(b) => {
                match b.op {
                    BinOpKind::Concat => self.count("concat"),
                    BinOpKind::Add
                    | BinOpKind::Sub
                    | BinOpKind::Mul
                    | BinOpKind::Div
                    | BinOpKind::FloorDiv
                    | BinOpKind::Rem
                    | BinOpKind::Pow => self.count("math"),
                    _ => {}
                }
                push(&b.left);
                push(&b.right);
            }
            Expr::Compare(c) => {
                push(&c.expr);
                for op in &c.ops {
                    push(&op.expr);
                }
            }
            Expr::IfExpr(i) => {
                self.count("if_expr");
                push(&i.true_expr);
                push(&i.test_expr);
                if let Some(otherwise) = &i.false_expr {
                    push(otherwise);
                }
            }
            Expr::Filter(f) => {
                let name = self.original(f.name);
                self.filters.insert(name);
                if let Some(inner) = &f.expr {
                    push(inner);
                }
                Self::push_args(&f.args, scope, out);
            }
            Expr::Test(t) => {
                let name = self.original(t.name);
                self.count(&format!("test:{name}"));
                push(&t.expr);
                Self::push_args(&t.args, scope, out);
            }
            Expr::GetAttr(a) => {
                match (&a.expr, a.name) {
                    (Expr::Var(v), name) if v.id == "loop" && scope.in_for => {
                        self.count(&format!("loop.{name}"));
                    }
                    (_, "csrf_token") => self.count("csrf_token"),
                    (_, "hidden_tag") => self.count("hidden_tag"),
                    _ => {}
                }
                push(&a.expr);
            }
            Expr::GetItem(g) => {
                push(&g.expr);
                push(&g.subscript_expr);
            }
            Expr::Call(c) => self.visit_call(c, scope, out),
            Expr::List(l) => l.items.iter().for_each(push),
            Expr::Map(m) => {
                for (key, value) in m.keys.iter().zip(&m.values) {
                    push(key);
                    push(value);
                }
            }
        }
    }

    fn visit_call<'n, 's>(&mut self, call: &'n ast::Call<'s>, scope: Scope, out: &mut Vec<Node<'n, 's>>) {
        match &call.expr {
            Expr::Var(v) if v.id == "url_for" => self.url_for_call(call),
            Expr::Var(v) if COUNTED_CALLS.contains(&v.id) => self.count(v.id),
            Expr::Var(v) if GETTEXT_CALLS.contains(&v.id) => self.count("gettext"),
            Expr::GetAttr(a) if !call.args.is_empty() => {
                let on_loop = matches!(&a.expr, Expr::Var(v) if v.id == "loop");
                if !on_loop {
                    self.count("method_call_with_args");
                }
            }
            _ => {}
        }
        out.push(Node::Expr(&call.expr, scope));
        Self::push_args(&call.args, scope, out);
    }

    fn url_for_call(&mut self, call: &ast::Call<'_>) {
        let endpoint = match call.args.first() {
            Some(CallArg::Pos(e) | CallArg::Kwarg("endpoint", e)) => Some(e),
            _ => None,
        };
        match endpoint {
            Some(Expr::Const(c)) if c.value.as_str().is_some() => {
                let name = c.value.as_str().unwrap_or_default().to_string();
                self.url_for.push((c.span().start_offset, name));
            }
            _ => self.count("url_for_dynamic"),
        }
    }

    fn push_args<'n, 's>(args: &'n [CallArg<'s>], scope: Scope, out: &mut Vec<Node<'n, 's>>) {
        out.extend(args.iter().map(|arg| match arg {
            CallArg::Pos(e) | CallArg::Kwarg(_, e) | CallArg::PosSplat(e) | CallArg::KwargSplat(e) => {
                Node::Expr(e, scope)
            }
        }));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Extends,
    Includes,
    Imports,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(source: &str) -> TemplateScan {
        scan_template(source, "t.html").unwrap_or_else(|e| panic!("{source:?} does not scan: {e}"))
    }

    fn count(scan: &TemplateScan, name: &str) -> u32 {
        scan.constructs.get(name).copied().unwrap_or(0)
    }

    /// Must not count: (template, construct).
    const NOT_COUNTED: &[(&str, &str)] = &[
        ("{{ url_for(endpoint) }}", "url_for"),
        ("{{ loop.index }}", "loop.index"),
        ("{% set items = loop %}{{ loop.first }}", "loop.first"),
        ("{% macro m(loop) %}{{ loop.index }}{% endmacro %}", "loop.index"),
        ("{% for x in y %}{% macro m() %}{{ loop.index }}{% endmacro %}{% endfor %}", "loop.index"),
        ("{% for x in y %}{% block b %}{{ loop.last }}{% endblock %}{% endfor %}", "loop.last"),
        ("{% for x in y %}{{ loop.cycle('odd', 'even') }}{% endfor %}", "method_call_with_args"),
        ("{{ user.get_pages() }}", "method_call_with_args"),
        ("{{ get_pages(3) }}", "method_call_with_args"),
        ("{% for x in y %}{% endfor %}", "for_else"),
        ("{% for x in y %}{% endfor %}", "for_recursive"),
        ("{{ x|default('a') }}", "concat"),
        ("{{ x == -1 }}", "concat"),
        ("{{ a and b or not c }}", "math"),
        ("{% raw %}{{ config }}{%- if -%}{% endraw %}", "config"),
        ("{% raw %}{{ config }}{%- if -%}{% endraw %}", "whitespace_control"),
        ("{# {{ config }} #}", "config"),
        ("{{ '{{ config }}' }}", "config"),
        ("{{ my_config }}", "config"),
        ("{{ config_value }}", "config"),
        ("{% trans %}Hello{% endtrans %}", "with"),
        ("{% trans n=1 %}{{ n }}{% endtrans %}", "with"),
        ("{% include 'a.html' %}", "include_ignore_missing"),
        ("{% include 'a.html' %}", "include_dynamic"),
        ("{% include ['a.html', 'b.html'] %}", "include_dynamic"),
        ("{% extends 'base.html' %}", "extends_dynamic"),
        ("{% set x %}a{% endset %}", "with"),
        ("{% call m() %}x{% endcall %}", "macro"),
        ("{% for x in y %}{{ x.cycle }}{% endfor %}", "loop.cycle"),
        ("{{ a if b else c }}", "math"),
        ("{%+ if x +%}{% endif %}", "whitespace_control"),
        ("{{ x-1 }}", "whitespace_control"),
    ];

    /// Must count: (template, construct, count).
    const COUNTED: &[(&str, &str, u32)] = &[
        ("{% set x = 1 %}{% set y %}a{% endset %}", "set", 2),
        ("{% set a, b = 1, 2 %}", "set", 1),
        ("{% with a = 1 %}{{ a }}{% endwith %}", "with", 1),
        ("{% macro m(a, b=1) %}{{ a }}{% endmacro %}", "macro", 1),
        ("{% call m() %}x{% endcall %}{% call(u) n(1) %}{{ u }}{% endcall %}", "call", 2),
        ("{% for x in y %}{{ loop.index }}{{ loop.index }}{% endfor %}", "loop.index", 2),
        ("{% for x in y %}{{ loop.index0 }}{% endfor %}", "loop.index0", 1),
        ("{% for x in y %}{{ loop.revindex }}{% endfor %}", "loop.revindex", 1),
        ("{% for x in y %}{{ loop.revindex0 }}{% endfor %}", "loop.revindex0", 1),
        ("{% for x in y %}{% if loop.first %}{% endif %}{% endfor %}", "loop.first", 1),
        ("{% for x in y %}{% if not loop.last %},{% endif %}{% endfor %}", "loop.last", 1),
        ("{% for x in y %}{{ loop.length }}{% endfor %}", "loop.length", 1),
        ("{% for x in y %}{{ loop.cycle('odd', 'even') }}{% endfor %}", "loop.cycle", 1),
        ("{% for x in t recursive %}{{ loop.depth }}{{ loop(x.children) }}{% endfor %}", "loop.depth", 1),
        ("{% for x in y %}{{ loop.previtem }}{% endfor %}", "loop.previtem", 1),
        ("{% for x in y %}{{ loop.nextitem }}{% endfor %}", "loop.nextitem", 1),
        ("{% for x in y %}{{ loop.changed(x) }}{% endfor %}", "loop.changed", 1),
        ("{% for x in y %}{% for z in x %}{{ loop.index }}{% endfor %}{% endfor %}", "loop.index", 1),
        ("{% for x in y if loop.index > 1 %}{% endfor %}", "loop.index", 1),
        ("{% for x in y %}{% call m() %}{{ loop.index }}{% endcall %}{% endfor %}", "loop.index", 1),
        ("{% for x in y %}{{ x }}{% else %}none{% endfor %}", "for_else", 1),
        ("{% for x in t recursive %}{{ loop(x.children) }}{% endfor %}", "for_recursive", 1),
        ("{% for c, m in get_flashed_messages(with_categories=true) %}{% endfor %}", "get_flashed_messages", 1),
        ("{{ csrf_token() }}", "csrf_token", 1),
        ("{{ form.csrf_token }}", "csrf_token", 1),
        ("{{ form.hidden_tag() }}", "hidden_tag", 1),
        ("{{ config.DEBUG }}{% if config['X'] %}{% endif %}", "config", 2),
        ("{{ session.user_id }}", "session", 1),
        ("{{ g.user }}", "g", 1),
        ("{{ request.path }}", "request", 1),
        ("{% if current_user.is_authenticated %}{% endif %}", "current_user", 1),
        ("{% raw %}{{ x }}{% endraw %}{%- raw -%}{%- endraw -%}", "raw", 2),
        ("{%- if x -%}{{- y -}}{#- c -#}{% endif %}", "whitespace_control", 6),
        ("{% autoescape false %}{{ x }}{% endautoescape %}", "autoescape", 1),
        ("{% filter upper %}x{% endfilter %}", "filter_block", 1),
        ("{{ x is defined }}{% if y is not defined %}{% endif %}", "test:defined", 2),
        ("{{ x is odd }}", "test:odd", 1),
        ("{{ x is divisibleby 3 }}", "test:divisibleby", 1),
        ("{{ x is sameas none }}", "test:sameas", 1),
        ("{{ a ~ b ~ c }}", "concat", 2),
        ("{{ a + 1 }}{{ a - 1 }}{{ a * 2 }}{{ a / 2 }}{{ a // 2 }}{{ a % 2 }}{{ a ** 2 }}{{ -a }}", "math", 8),
        ("{{ '%s' % x }}", "math", 1),
        ("{{ user.get_pages(3) }}{{ form.name(class_='x') }}", "method_call_with_args", 2),
        ("{% include 'a.html' ignore missing %}", "include_ignore_missing", 1),
        ("{% include 'a.html' ignore missing with context %}", "include_ignore_missing", 1),
        ("{% do items.append(1) %}{% do 1 + 2 %}", "do", 2),
        ("{% trans %}a{% endtrans %}{% trans n=1 %}{{ n }}{% endtrans %}", "trans", 2),
        ("{{ _('Hello') }}{{ gettext('x') }}{{ ngettext('a', 'b', n) }}", "gettext", 3),
        ("{% print x %}", "print", 1),
        ("{% for x in y %}{% if x %}{% break %}{% endif %}{% continue %}{% endfor %}", "break", 1),
        ("{% for x in y %}{% if x %}{% break %}{% endif %}{% continue %}{% endfor %}", "continue", 1),
        ("{% extends layout %}", "extends_dynamic", 1),
        ("{% extends 'a.html' if x else 'b.html' %}", "extends_dynamic", 1),
        ("{% include 'parts/' ~ name %}", "include_dynamic", 1),
        ("{% include ['a.html', name] %}", "include_dynamic", 1),
        ("{% import theme ~ '/forms.html' as forms %}", "import_dynamic", 1),
        ("{% from theme import field %}", "import_dynamic", 1),
        ("{{ url_for(endpoint) }}{{ url_for(**kw) }}{{ url_for() }}", "url_for_dynamic", 3),
        ("{{ a if b else c }}{{ a if b }}", "if_expr", 2),
        ("{{ super() }}", "super", 1),
        ("{% for i in range(3) %}{% endfor %}", "range", 1),
        ("{% set ns = namespace(n=0) %}{% set ns.n = ns.n + 1 %}", "namespace", 1),
        ("{% assets 'js' %}<script src='{{ ASSET_URL }}'></script>{% endassets %}", "extension:assets", 1),
        ("{% cache 60 * 5 %}x{% endcache %}", "extension:cache", 1),
    ];

    #[test]
    fn does_not_count() {
        for (source, name) in NOT_COUNTED {
            let scan = scan(source);
            if *name == "url_for" {
                assert!(scan.url_for.is_empty(), "{source:?}: {:?}", scan.url_for);
            } else {
                assert_eq!(count(&scan, name), 0, "{name} in {source:?}: {:?}", scan.constructs);
            }
        }
    }

    #[test]
    fn counts_constructs() {
        for (source, name, expected) in COUNTED {
            let scan = scan(source);
            assert_eq!(count(&scan, name), *expected, "{name} in {source:?}: {:?}", scan.constructs);
        }
    }

    type Names = &'static [&'static str];

    /// (template, extends, includes, imports)
    const TEMPLATE_NAMES: &[(&str, Names, Names, Names)] = &[
        ("{% extends 'base.html' %}", &["base.html"], &[], &[]),
        ("{% extends layout %}", &[], &[], &[]),
        ("{% include 'a.html' %}{% include \"b.html\" ignore missing %}", &[], &["a.html", "b.html"], &[]),
        ("{% include ['a.html', 'b.html'] %}", &[], &["a.html", "b.html"], &[]),
        ("{% include x %}", &[], &[], &[]),
        (
            "{% import 'forms.html' as forms %}{% from 'macros.html' import a, b as c with context %}",
            &[],
            &[],
            &["forms.html", "macros.html"],
        ),
        ("{% if x %}{% include 'nested.html' %}{% endif %}", &[], &["nested.html"], &[]),
    ];

    #[test]
    fn collects_template_names() {
        for (source, extends, includes, imports) in TEMPLATE_NAMES {
            let scan = scan(source);
            assert_eq!(scan.extends, *extends, "extends in {source:?}");
            assert_eq!(scan.includes, *includes, "includes in {source:?}");
            assert_eq!(scan.imports, *imports, "imports in {source:?}");
        }
    }

    /// (template, url_for endpoints)
    const URL_FOR: &[(&str, &[&str])] = &[
        ("{{ url_for('index') }}", &["index"]),
        ("{{ url_for('static', filename='app.css') }}", &["static"]),
        ("{{ url_for(endpoint='auth.login') }}", &["auth.login"]),
        ("{{ url_for('.edit', id=1) }}", &[".edit"]),
        ("{{ url_for(name) }}{{ url_for(name ~ '.x') }}", &[]),
        ("{{ url_for('b') }}{{ url_for('a') }}{{ url_for('b') }}", &["b", "a"]),
        ("{% set u = url_for('set') %}", &["set"]),
        ("{% macro m() %}{{ url_for('in_macro') }}{% endmacro %}", &["in_macro"]),
        ("{{ x|default(url_for('filter_arg')) }}", &["filter_arg"]),
        ("{% if url_for('a') == x %}{% endif %}{{ f(url_for('b')) }}", &["a", "b"]),
        ("{{ url_for('a') if x else url_for('b') }}", &["a", "b"]),
        ("{% include url_for('x') %}", &["x"]),
        ("{% do links.append(url_for('do')) %}", &["do"]),
        ("{% trans link=url_for('trans') %}{{ link }}{% endtrans %}", &["trans"]),
        ("{% call m(url_for('call')) %}{{ url_for('body') }}{% endcall %}", &["call", "body"]),
        ("{% with u = url_for('with') %}{{ u }}{% endwith %}", &["with"]),
        ("{% for l in [url_for('a'), url_for('b')] %}{% endfor %}", &["a", "b"]),
        ("{{ {'k': url_for('map')} }}", &["map"]),
        ("{{ obj.url_for('method') }}", &[]),
    ];

    #[test]
    fn collects_url_for_endpoints() {
        for (source, expected) in URL_FOR {
            assert_eq!(scan(source).url_for, *expected, "{source:?}");
        }
    }

    #[test]
    fn collects_filters_macros_blocks() {
        let scan = scan(concat!(
            "{% extends 'base.html' %}\n",
            "{% block title %}{{ t|title|truncate(20) }}{% endblock %}\n",
            "{% block body %}{{ data|tojson|safe }}{{ x|default('-') }}{% endblock body %}\n",
            "{% macro field(f) %}{{ f.label }}{% endmacro %}\n",
            "{% macro button() %}{% filter upper|trim %}ok{% endfilter %}{% endmacro %}\n",
            "{% set s | striptags %}<b>x</b>{% endset %}\n",
        ));
        assert_eq!(scan.filters, ["default", "safe", "striptags", "title", "tojson", "trim", "truncate", "upper"]);
        assert_eq!(scan.macros, ["field", "button"]);
        assert_eq!(scan.blocks, ["title", "body"]);
    }

    /// Accepted by Jinja2 3.1 with the i18n, do and loopcontrols extensions (and webassets' and
    /// Flask-Caching's for `assets` and `cache`); minijinja alone refuses most of them.
    const JINJA2_ONLY: &[&str] = &[
        "{% trans %}Hello{% endtrans %}",
        "{%- trans -%}Hello{%- endtrans -%}",
        "{% trans user=user.name, count=n %}Hi {{ user }}{% pluralize %}Hi all {{ user }}{% endtrans %}",
        "{% trans trimmed count %}\n  {{ count }} item\n{% pluralize count %}\n  {{ count }} items\n{% endtrans %}",
        "{% trans a, trimmed, b=1 %}{{ a }}{{ b }}{% endtrans %}",
        "{% trans n=items|length %}{{ n }} {# note #}{% endtrans %}",
        "{% if x %}{% trans %}a{% endtrans %}{% else %}{% trans %}b{% endtrans %}{% endif %}",
        "{% do 1 + 2 %}",
        "{% do x.update({'a': 1}) %}",
        "{%- do items.append(1) -%}",
        "{% print x|e %}",
        "{% for x in y %}{% if x %}{% break %}{% endif %}{% continue %}{% endfor %}",
        "{% for x in y %}{% with a = 1 %}{% break %}{% endwith %}{% endfor %}",
        "{% for x in y %}{% set s %}{% continue %}{% endset %}{% filter upper %}{% break %}{% endfilter %}{% endfor %}",
        "{% set loop = 1 %}{{ loop }}",
        "{% macro m(loop, self) %}{{ loop }}{% endmacro %}{{ m(1, 2) }}",
        "{% for self in y %}{% endfor %}{% with loop = 1 %}{% endwith %}{% call(loop) m() %}{% endcall %}",
        "{{ café }}{% set naïve = 1 %}{{ x|e\u{a0}}}",
        "{{ x is sameas none }}",
        "{% trans 'menu' count=n %}{{ count }} item{% pluralize %}{{ count }} items{% endtrans %}",
        "{% trans trimmed=1, x=2 %}{{ trimmed }}{% endtrans %}",
        "{% trans %}{{ n }} item{% pluralize %}{{ n }} items{% endtrans %}",
        "{% trans n=1, m=2 %}{{ n }}{% pluralize m %}{{ m }}{% endtrans %}",
        "text{#",
        "text{% raw %}\n",
        "{{+ x }}{#+ x +#}",
        "{% if x %}{% extends 'a.html' %}{% endif %}",
        "{% for x in y %}{% with loop = 1 %}{% endwith %}{% macro m(loop) %}{% endmacro %}{% endfor %}",
        "{% trans %}{% raw %}{% if %}{% endraw %}{% endtrans %}",
        "{% cache 5 %}{% cache 6 %}{% endcache %}{% endcache %}",
        "{% assets 'all_js' %}<script src=\"{{ ASSET_URL }}\"></script>{% endassets %}",
        "{% cache 300, 'sidebar' %}{{ sidebar }}{% endcache %}",
        // A colon before the end of a tag that opens a body (privacyIDEA's documentation.rst).
        "{% if user: %}{{ user }}{% elif x : -%}x{% else: %}-{% endif %}{% for a in b:%}{{ a }}{% endfor %}",
        "{% macro m(x): %}{{ x }}{% endmacro %}{% block body: %}{% endblock %}{% set s: %}1{% endset %}",
    ];

    #[test]
    fn reads_jinja2_extension_syntax() {
        for source in JINJA2_ONLY {
            scan(source);
        }
    }

    #[test]
    fn reads_names_back_from_the_original_text() {
        let scan = scan("{% macro café() %}{% endmacro %}{% block naïve %}{% endblock %}");
        assert_eq!(scan.macros, ["café"]);
        assert_eq!(scan.blocks, ["naïve"]);
    }

    /// Refused by Jinja2 too: (template, line of the error).
    const SYNTAX_ERRORS: &[(&str, u32)] = &[
        ("{% if x %}\nhello\n", 1),
        ("a\n{{ x }\nb", 2),
        ("{% for x in y %}\n{% endif %}", 2),
        ("\n\n{% foo %}", 3),
        ("{% endif %}", 1),
        ("{{ .5 }}", 1),
        ("{{ f(a=1, 2) }}", 1),
        ("{% block a %}{% endblock %}\n{% block a %}{% endblock %}", 2),
        ("\n{% pluralize %}", 2),
        ("{% endtrans %}", 1),
        ("{% trans %}\n{{ user.name }}{% endtrans %}", 2),
        ("{% trans %}{% if x %}{% endif %}{% endtrans %}", 1),
        ("{% trans %}a{% pluralize %}b{% pluralize %}c{% endtrans %}", 1),
        ("x\n{% trans %}never closed", 2),
        ("{% set true = 1 %}", 1),
        ("a\n{# never closed\n{% if %}", 2),
        ("a\n{% raw %}\nnever closed", 2),
        ("a\n{{ 'never closed\n}}", 2),
        ("a\n{{ x +}}", 2),
        ("a\r\nb\rc\n{{ x }", 4),
        ("{% trans %}no names{% pluralize %}x{% endtrans %}", 1),
        ("{% trans %}{{ a }}\n{% pluralize b %}x{% endtrans %}", 2),
        ("{% trans a, a %}{% endtrans %}", 1),
        ("{% trans a b %}{% endtrans %}", 1),
        ("{% trans 1 %}{% endtrans %}", 1),
        ("{% trans a=1, %}{% endtrans %}", 1),
        ("{% trans %}\n{% trans %}{% endtrans %}", 2),
        ("{% set loop = 1 %}\n{% for x, loop in y %}{% endfor %}", 2),
        ("{% break %}", 1),
        ("{% for x in y %}\n{% extends 'a.html' %}{% endfor %}", 2),
        ("{% block b %}{% extends 'a.html' %}{% endblock %}", 1),
        ("{% with a = 1 %}{% extends 'a.html' %}{% endwith %}", 1),
        ("{% for x in y %}\n{% set loop = 1 %}{% endfor %}", 2),
        ("{% endcache %}{% cache 5 %}", 1),
        ("{% cache 5 %}{% assets %}{% endcache %}", 1),
        ("{% for x in y %}{% endfor %}\n{% continue %}", 2),
        ("{% for x in y %}{% else %}\n{% break %}{% endfor %}", 2),
        ("{% for x in y %}\n{% macro m() %}{% continue %}{% endmacro %}{% endfor %}", 2),
        ("{% for x in y %}{% call m() %}\n{% break %}{% endcall %}{% endfor %}", 2),
        ("{% for x in y %}{% block b %}{% break %}{% endblock %}{% endfor %}", 1),
        ("{% assets 'x' %}no end", 1),
        ("{{ x }\n{% trans %}{{ a.b }}{% endtrans %}", 1),
        ("{% trans %}{{ a.b }}{% endtrans %}\n{{ x }", 1),
    ];

    #[test]
    fn reports_syntax_errors_with_their_line() {
        for (source, line) in SYNTAX_ERRORS {
            match scan_template(source, "t.html") {
                Ok(scan) => panic!("{source:?} scanned: {scan:?}"),
                Err(e) => assert_eq!(e.line, *line, "{source:?}: {e}"),
            }
        }
    }

    #[test]
    fn reports_lines_past_65535() {
        let source = format!("{}{{{{ x }}\n", "\n".repeat(70_000));
        assert_eq!(scan_template(&source, "t.html").unwrap_err().line, 70_001);
    }

    #[test]
    fn survives_deep_nesting() {
        let ifs = format!("{}{}", "{% if x %}".repeat(10_000), "{% endif %}".repeat(10_000));
        assert!(scan_template(&ifs, "t.html").is_err());
        let parens = format!("{{{{ {}x{} }}}}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(scan_template(&parens, "t.html").is_ok_and(|s| count(&s, "too_deep") == 1));
        let lists = format!("{{% set x = {}{} %}}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(scan_template(&lists, "t.html").is_err());
    }

    #[test]
    fn survives_long_chains() {
        // Operator, filter and attribute chains build trees as deep as they are long.
        let terms = vec!["1"; 200_000].join(" + ");
        for source in [
            format!("{{{{ {terms} }}}}"),
            format!("{{{{ x{} }}}}", "|e".repeat(200_000)),
            format!("{{{{ x{} }}}}{{{{ url_for('after') }}}}", ".a".repeat(200_000)),
        ] {
            let scan = scan(&source);
            assert_eq!(count(&scan, "too_deep"), 1);
        }
        assert_eq!(scan("{{ x.a.a }}{{ x.a.a }}{{ url_for('after') }}").url_for, ["after"]);
        // Broken at the end: minijinja would free the whole chain while unwinding.
        assert!(scan_template(&format!("{{{{ {terms} + }}}}"), "t.html").is_ok());
        assert!(scan_template(&format!("{{% if {terms} %}}{{% endif %}}"), "t.html").is_err());
        // Just under the limit, inside the deepest statements minijinja allows.
        let chain = vec!["a"; MAX_EXPR_DEPTH / 2].join(" ~ ");
        let nested = format!("{}{{{{ {chain} }}}}{}", "{% if x %}".repeat(100), "{% endif %}".repeat(100));
        assert_eq!(count(&scan(&nested), "concat"), (MAX_EXPR_DEPTH / 2 - 1) as u32);
    }

    #[test]
    fn scans_large_templates() {
        let row = "<tr class=\"{{ loop.cycle('a', 'b') }}\"><td>{{ row.name|e }}</td><td>{{ url_for('row', id=row.id) }}</td></tr>\n";
        let source = format!("{{% for row in rows %}}\n{}{{% endfor %}}\n", row.repeat(50_000));
        let scan = scan(&source);
        assert_eq!(count(&scan, "loop.cycle"), 50_000);
        assert_eq!(scan.url_for, ["row"]);
    }

    #[test]
    fn never_panics_on_fragments() {
        let pieces = [
            "{{",
            "}}",
            "{%",
            "%}",
            "{#",
            "#}",
            "-",
            "+",
            "'",
            "\"",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "if",
            "for",
            "trans",
            "endtrans",
            "pluralize",
            "do",
            "raw",
            "endraw",
            "x",
            " ",
            "\n",
            "é",
            "\u{a0}",
            "|",
            ".",
            "=",
            ",",
            "loop",
            "self",
        ];
        // A fixed pseudo-random sequence of short templates made of these pieces.
        let mut state = 0x2545_f491_u32;
        for _ in 0..20_000 {
            let mut source = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                source.push_str(pieces[state as usize % pieces.len()]);
            }
            let _ = scan_template(&source, "t.html");
        }
    }

    /// Tags of the app's own extensions (CKAN's `snippet`): read as comments around their body,
    /// and a template name they start with is a template the tag renders.
    #[test]
    fn tags_of_the_apps_own_extensions() {
        let source = "{% snippet 'package/snippets/info.html', pkg=pkg %}\n{% shout %}{{ x }}{% endshout %}\n";
        assert!(scan_template(source, "t.html").is_err(), "unknown tags without the extensions");
        let tags = ["snippet".to_string(), "shout".to_string()];
        let scan = scan_template_with(source, "t.html", &tags).unwrap();
        assert_eq!(scan.includes, ["package/snippets/info.html"]);
        let counts: Vec<(&str, u32)> = scan.constructs.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert!(counts.contains(&("extension:snippet", 1)) && counts.contains(&("extension:shout", 1)), "{counts:?}");
    }

    /// `{{ x or y, }}` is a one-item tuple to Jinja2 (CKAN's `group/base_form_page.html`).
    #[test]
    fn a_trailing_comma_in_an_expression() {
        let scan = scan_template("{{ h.label('group') or _('Group Form'), }}", "t.html").unwrap();
        assert!(scan.constructs.is_empty() || !scan.constructs.contains_key("too_deep"));
        assert!(scan_template("{{ , }}", "t.html").is_err(), "a comma alone is not an expression");
    }

    /// A unary plus (bukuserver's `swap_rows_action('arrow-down', row.id, +1)`): Jinja2 3.1
    /// renders each of these; a binary plus and a plus in a string are left as they are.
    #[test]
    fn a_unary_plus() {
        for t in [
            "{{ f(a, +1) }}",
            "{{ +x }}",
            "{% set n = +1 %}{{ n }}",
            "{{ a if b else +1 }}",
            "{{ [+1, -1] }}",
            "{{ 1 + +2 }}",
            "{{ a + 'x+' + b }}",
        ] {
            assert!(scan_template(t, "t.html").is_ok(), "{t}");
        }
        let mut out = b"a + +b, '+c', x.y + 1".to_vec();
        super::drop_unary_plus(&out.clone(), &mut out);
        assert_eq!(std::str::from_utf8(&out).unwrap(), "a +  b, '+c', x.y + 1");
    }

    /// A block inside a macro (Indico's mail templates): Jinja2 parses and renders it; its body
    /// is read (the names it uses, its calls).
    #[test]
    fn a_block_inside_a_macro() {
        let t =
            "{% macro subject() -%}{%- block subject scoped %}Hi {{ user.name }}{% endblock subject -%}{%- endmacro %}\
                 {% call m() %}{% block b %}{% endblock %}{% endcall %}{% block page %}{{ subject() }}{% endblock %}";
        let scan = scan_template(t, "t.html").unwrap();
        assert_eq!(scan.blocks, vec!["page".to_string()], "only the top-level block is a block of the template");
    }
}
