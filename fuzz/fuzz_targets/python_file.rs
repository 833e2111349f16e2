//! Arbitrary bytes as the one Python file of a project: decoding (BOM, coding cookies, NUL
//! bytes), parsing, and the whole inventory (interpreter, routes, models, template references),
//! then both renderers. Any panic, hang or runaway allocation is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let inv = flask2django::inventory::from_single_source("app.py", data);
    let _ = flask2django::report::inventory_json(&inv);
    let _ = flask2django::report::text::render_inventory(&inv);
});
