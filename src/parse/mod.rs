//! Parse: Python and Jinja sources to syntax trees. The only stage that knows the parser crates.
//!
//! Consumes file bytes; produces [`ast::Module`] (our own small tree, lowered from
//! `ruff_python_parser`'s), syntax errors with locations, and [`jinja::TemplateScan`]s. Holds no
//! state between files and never evaluates anything.

pub mod ast;
pub mod jinja;
pub mod python;
pub mod source;
pub mod suppress;

pub use python::{parse_python, ParsedPython, SyntaxError};
