//! One renderer per output format of `check`, chosen by one `match` in [`super::run`].

pub mod github;
pub mod junit;
pub mod sarif;
pub mod text;

/// The gate as JSON (`docs/check.schema.json`).
pub fn json(gate: &super::Gate) -> String {
    let mut s = serde_json::to_string_pretty(gate).expect("the gate serializes");
    s.push('\n');
    s
}
