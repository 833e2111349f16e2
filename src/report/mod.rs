//! Report: render the inventory and the migration report for people (text, Markdown, HTML) and
//! machines (JSON).
//!
//! Consumes the [`crate::inventory::model::Inventory`] and the items of
//! [`crate::mapping::items`]; never re-reads sources.

pub mod html;
pub mod inventory_json;
pub mod links;
pub mod markdown;
pub mod migration;
pub mod text;

use crate::inventory::model::Inventory;

/// Writes the JSON inventory ([`inventory_json`]'s bytes) without building it in memory first
/// (it is large on a monorepo), rendering its long lists on `threads` threads.
pub fn write_inventory_json(inv: &Inventory, out: &mut dyn std::io::Write, threads: usize) -> std::io::Result<()> {
    inventory_json::write_inventory(inv, out, threads)
}

/// The JSON form: stable key order, sorted collections, a trailing newline.
pub fn inventory_json(inv: &Inventory) -> String {
    let mut s = serde_json::to_string_pretty(inv).expect("inventory serializes");
    s.push('\n');
    s
}

/// Text for HTML or XML content or a quoted attribute value. Control characters XML 1.0 cannot
/// hold become U+FFFD.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The migration report as JSON (`docs/report.schema.json`).
pub fn json(report: &migration::Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("report serializes");
    s.push('\n');
    s
}
