//! The human-readable inventory: like `flask routes`, grouped by app and blueprint, with locations.

use std::fmt::Write;

use crate::diagnostics::codes::CODES;
use crate::inventory::model::{Inventory, Status};

pub fn render_inventory(inv: &Inventory) -> String {
    let mut s = String::new();
    let mut app_keys: Vec<Option<String>> = inv.apps.iter().map(|a| Some(a.id.clone())).collect();
    if inv.routes.iter().any(|r| r.app.is_none()) {
        app_keys.push(None);
    }
    for key in &app_keys {
        match key {
            Some(id) => {
                let app = inv.apps.iter().find(|a| &a.id == id).expect("app exists");
                let _ = writeln!(
                    s,
                    "App {id}  ({}:{}, found by {})",
                    app.location.file, app.location.line, app.discovered_by
                );
            }
            None => {
                let _ = writeln!(s, "Routes of blueprints no app registers");
            }
        }
        let routes: Vec<_> = inv.routes.iter().filter(|r| &r.app == key).collect();
        let w_ep = routes.iter().map(|r| r.endpoint.as_deref().unwrap_or("?").len()).max().unwrap_or(8).max(8);
        let w_m = routes.iter().map(|r| r.methods.join(", ").len()).max().unwrap_or(7).max(7);
        let w_rule = routes.iter().map(|r| r.rule.as_deref().unwrap_or("?").len()).max().unwrap_or(4).max(4);
        let _ = writeln!(s, "  {:<w_ep$}  {:<w_m$}  {:<w_rule$}  Location", "Endpoint", "Methods", "Rule");
        let _ = writeln!(s, "  {}  {}  {}  {}", "-".repeat(w_ep), "-".repeat(w_m), "-".repeat(w_rule), "-".repeat(8));
        let mut groups: Vec<Option<String>> = routes.iter().map(|r| r.blueprint.clone()).collect();
        groups.sort();
        groups.dedup();
        for g in &groups {
            if let Some(bp) = g {
                let _ = writeln!(s, "  [blueprint {bp}]");
            }
            for r in routes.iter().filter(|r| &r.blueprint == g) {
                let mark = match r.status {
                    Status::Resolved => "",
                    Status::Dynamic => "  (dynamic)",
                    Status::Unreachable => "  (unreachable)",
                };
                let _ = writeln!(
                    s,
                    "  {:<w_ep$}  {:<w_m$}  {:<w_rule$}  {}:{}{mark}",
                    r.endpoint.as_deref().unwrap_or("?"),
                    r.methods.join(", "),
                    r.rule.as_deref().unwrap_or("?"),
                    r.location.file,
                    r.location.line
                );
            }
        }
        let _ = writeln!(s);
    }
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        s,
        "{}, {}, {}, {}, {}, {}, {}, {}, {}",
        count(inv.apps.len(), "app"),
        count(inv.blueprints.len(), "blueprint"),
        count(inv.routes.len(), "route"),
        count(inv.hooks.len(), "hook"),
        count(inv.error_handlers.len(), "error handler"),
        count(inv.extensions.len(), "extension"),
        count(inv.config.len(), "config entry").replace("entrys", "entries"),
        count(inv.templates.len(), "template"),
        count(inv.cli_commands.len(), "CLI command"),
    );
    if !inv.extensions.is_empty() {
        let _ = writeln!(s, "\nExtensions");
        for e in &inv.extensions {
            let _ = writeln!(
                s,
                "  {:<40} -> {}  ({}:{})",
                e.class,
                e.django.as_deref().unwrap_or("(no known counterpart)"),
                e.location.file,
                e.location.line
            );
        }
    }
    if !inv.models.is_empty() || !inv.tables.is_empty() {
        let _ = writeln!(s, "\nModels");
        for m in &inv.models {
            let table = m.table.as_deref().unwrap_or("<run time>");
            let how = match &m.inheritance {
                Some(i) => {
                    format!(", {} inheritance from {}", i.kind, i.parent.rsplit('.').next().unwrap_or(&i.parent))
                }
                None => String::new(),
            };
            let _ = writeln!(
                s,
                "  {:<32} table {:<24} {} columns, {} relationships{how}  ({}:{})",
                m.name,
                table,
                m.columns.len(),
                m.relationships.len(),
                m.location.file,
                m.location.line
            );
        }
        for t in &inv.tables {
            let _ = writeln!(
                s,
                "  {:<32} table {:<24} {} columns  ({}:{})",
                "(Table)",
                t.name,
                t.columns.len(),
                t.location.file,
                t.location.line
            );
        }
    }
    if !inv.diagnostics.is_empty() {
        let _ = writeln!(s, "\nDiagnostics");
        for d in &inv.diagnostics {
            let _ = writeln!(s, "  {}: {} [{}] {}", d.location(), d.code, d.name, d.message);
        }
    }
    s
}

/// The Markdown table of codes, as in the README.
pub fn render_code_table() -> String {
    let mut s = String::from("| Code | Name | Severity | Summary |\n| --- | --- | --- | --- |\n");
    for c in CODES {
        // Item codes carry the item's status: manual items are errors, review items warnings.
        let sev = if crate::report::migration::is_item_code(c.code) {
            "item".to_string()
        } else {
            format!("{:?}", c.severity).to_lowercase()
        };
        let _ = writeln!(s, "| {} | {} | {} | {} |", c.code, c.name, sev, c.summary);
    }
    s
}
