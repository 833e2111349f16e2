//! Report: render an inventory for people (text) and machines (JSON).
//!
//! Consumes the [`crate::inventory::model::Inventory`] only; never re-reads sources.

pub mod text;

use crate::inventory::model::Inventory;

/// The JSON form: stable key order, sorted collections, a trailing newline.
pub fn inventory_json(inv: &Inventory) -> String {
    let mut s = serde_json::to_string_pretty(inv).expect("inventory serializes");
    s.push('\n');
    s
}
