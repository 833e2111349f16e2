//! The documentation matches the code: `docs/inventory-schema.md` names every key the JSON has,
//! the README carries the current code table, and every diagnostic code has its documentation and
//! a fixture that triggers it (or a stated reason why none can).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::support::process::{self, Finished};

/// Codes that no fixture triggers, each with the reason. Keep this list short and true: the test
/// fails when a listed code is triggered after all.
const NOT_TRIGGERED: &[(&str, &str)] = &[
    ("FD003", "git stores no permissions: tests/bad_inputs.rs chmods a copy of fixtures/bad/unreadable_file"),
    ("FD004", "links are not committed: tests/bad_inputs.rs adds them to copies of fixtures/bad/symlink_*"),
    ("FD005", "internal-error fires only when flask2django itself has a bug"),
    ("FD601", "drift needs a committed Django project: tests/gate.rs edits one"),
];

/// Keys whose value is a free-form map: their own keys are data, not schema.
const FREE_FORM: &[&str] =
    &["defaults", "constructs", "kwargs", "options", "used_by", "value", "polymorphic_identity", "context", "settings"];

const SCHEMA_DOC: &str = "docs/inventory-schema.md";
const CODES_START: &str = "<!-- codes:start -->";
const CODES_END: &str = "<!-- codes:end -->";
const TIMEOUT: Duration = Duration::from_secs(120);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn flask2django(args: &[&str]) -> Finished {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flask2django"));
    cmd.args(args).current_dir(root());
    process::run(&mut cmd, TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
}

/// `flask2django inventory DIR --format json`, which must complete with exit code 0.
fn inventory(dir: &Path) -> Value {
    let dir_s = dir.to_str().expect("fixture paths are UTF-8");
    let out = flask2django(&["inventory", dir_s, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "`flask2django inventory {dir_s} --format json` must exit 0; stderr:\n{}",
        process::tail(&out.stderr, 40)
    );
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{dir_s}: the output is not JSON: {e}"))
}

/// The sub-directories of `dir`, sorted.
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect(),
        Err(_) => Vec::new(),
    };
    dirs.sort();
    dirs
}

/// Every fixture project and example; with `bad`, also each case of `fixtures/bad/` on its own
/// (or the folder as a whole while it has no cases).
fn projects(bad: bool) -> Vec<PathBuf> {
    let bad_dir = root().join("fixtures/bad");
    let mut out: Vec<PathBuf> = subdirs(&root().join("fixtures")).into_iter().filter(|d| d != &bad_dir).collect();
    out.extend(subdirs(&root().join("examples")));
    if bad && bad_dir.is_dir() {
        let cases = subdirs(&bad_dir);
        if cases.is_empty() {
            out.push(bad_dir);
        } else {
            out.extend(cases);
        }
    }
    assert!(!out.is_empty(), "no fixture projects found under {}", root().display());
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// Records every object key in `v` with the first project it appears in, skipping free-form maps.
/// `parent` is the key whose value `v` is (array elements inherit it).
fn collect_keys(v: &Value, parent: Option<&str>, project: &str, keys: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                keys.entry(k.clone()).or_insert_with(|| project.to_string());
                let free_form = FREE_FORM.contains(&k.as_str()) || (k == "value" && parent == Some("config"));
                if !free_form {
                    collect_keys(child, Some(k), project, keys);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_keys(i, parent, project, keys)),
        _ => {}
    }
}

/// The values of closed sets the schema page must list: `status`, route `kind`, `severity`.
fn collect_enum_values(inv: &Value, project: &str, values: &mut BTreeMap<String, String>) {
    let Some(top) = inv.as_object() else { return };
    for (section, items) in top {
        for item in items.as_array().into_iter().flatten() {
            let mut add = |key: &str| {
                if let Some(s) = item.get(key).and_then(Value::as_str) {
                    values.entry(format!("{section}.{key} = {s}")).or_insert_with(|| project.to_string());
                }
            };
            add("status");
            if section == "routes" {
                add("kind");
            }
            if section == "diagnostics" {
                add("severity");
            }
        }
    }
}

#[test]
fn schema_doc_covers_every_key() {
    let doc =
        std::fs::read_to_string(root().join(SCHEMA_DOC)).unwrap_or_else(|e| panic!("cannot read {SCHEMA_DOC}: {e}"));
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for dir in projects(false) {
        let inv = inventory(&dir);
        let project = rel(&dir);
        let version = inv["schema_version"].as_u64().unwrap_or_else(|| panic!("{project}: no schema_version"));
        assert!(
            doc.contains(&format!("(`schema_version` {version})")),
            "{project} prints schema_version {version}, but {SCHEMA_DOC} does not document it in its title"
        );
        collect_keys(&inv, None, &project, &mut keys);
        collect_enum_values(&inv, &project, &mut values);
    }
    let missing: Vec<String> = keys
        .iter()
        .filter(|(k, _)| !doc.contains(&format!("`{k}`")))
        .map(|(k, project)| format!("  `{k}` (first seen in {project})"))
        .collect();
    assert!(missing.is_empty(), "{SCHEMA_DOC} does not document these JSON keys:\n{}", missing.join("\n"));
    let undocumented: Vec<String> = values
        .iter()
        .filter(|(v, _)| !doc.contains(&format!("`{}`", v.rsplit(" = ").next().unwrap_or(v))))
        .map(|(v, project)| format!("  {v} (first seen in {project})"))
        .collect();
    assert!(undocumented.is_empty(), "{SCHEMA_DOC} does not document these values:\n{}", undocumented.join("\n"));
}

/// The output of `flask2django codes`.
fn code_table() -> String {
    let out = flask2django(&["codes"]);
    assert_eq!(out.status.code(), Some(0), "`flask2django codes` failed:\n{}", out.stderr);
    out.stdout
}

/// The code of each row of the table (`FD102`), in table order.
fn table_codes(table: &str) -> Vec<String> {
    let codes: Vec<String> = table
        .lines()
        .filter_map(|l| l.trim().strip_prefix('|'))
        .filter_map(|l| l.split('|').next())
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "Code" && !c.starts_with("---"))
        .map(str::to_string)
        .collect();
    assert!(!codes.is_empty(), "`flask2django codes` printed no rows:\n{table}");
    codes
}

#[test]
fn readme_code_table_is_current() {
    let table = code_table();
    let how = format!(
        "paste the output of `flask2django codes` between the markers `{CODES_START}` and `{CODES_END}` in README.md"
    );
    let path = root().join("README.md");
    let readme = match std::fs::read_to_string(&path) {
        Ok(t) => t.replace("\r\n", "\n"),
        Err(e) => panic!("README.md cannot be read ({e}); create it and {how}"),
    };
    let Some(start) = readme.find(CODES_START) else {
        panic!("README.md has no code table marker `{CODES_START}`; {how}");
    };
    let after = &readme[start + CODES_START.len()..];
    let Some(end) = after.find(CODES_END) else {
        panic!("README.md has `{CODES_START}` but no `{CODES_END}` after it; {how}");
    };
    let current = after[..end].trim();
    if current != table.trim() {
        panic!(
            "the code table in README.md is stale; {how}\n\n--- README.md\n{current}\n\n+++ flask2django codes\n{}",
            table.trim()
        );
    }
}

#[test]
fn explain_works_for_every_code() {
    for code in table_codes(&code_table()) {
        let out = flask2django(&["explain", &code]);
        assert_eq!(out.status.code(), Some(0), "`flask2django explain {code}` failed:\n{}", out.stderr);
        for heading in ["## What it means", "## Example", "## What to do"] {
            assert!(
                out.stdout.lines().any(|l| l.trim_end() == heading),
                "`flask2django explain {code}` lacks the heading `{heading}`:\n{}",
                out.stdout
            );
        }
    }
    let out = flask2django(&["explain", "NOPE"]);
    assert_eq!(out.status.code(), Some(2), "`flask2django explain NOPE` must exit 2; stdout:\n{}", out.stdout);
}

#[test]
fn every_code_has_a_triggering_fixture_or_is_listed() {
    let table = table_codes(&code_table());
    let mut triggered: BTreeMap<String, String> = BTreeMap::new();
    for dir in projects(true) {
        let inv = inventory(&dir);
        for d in inv["diagnostics"].as_array().into_iter().flatten() {
            if let Some(code) = d["code"].as_str() {
                triggered.entry(code.to_string()).or_insert_with(|| rel(&dir));
            }
        }
        // Item codes (FD5xx) are carried by the report's items.
        let dir_s = dir.to_str().expect("fixture paths are UTF-8");
        let out = flask2django(&["report", dir_s, "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "report {dir_s}: {}", process::tail(&out.stderr, 40));
        let report: Value = serde_json::from_str(&out.stdout).expect("the report is JSON");
        for i in report["items"].as_array().into_iter().flatten() {
            if let Some(code) = i["code"].as_str() {
                triggered.entry(code.to_string()).or_insert_with(|| rel(&dir));
            }
        }
    }
    let listed: BTreeMap<&str, &str> = NOT_TRIGGERED.iter().copied().collect();
    let mut problems = Vec::new();
    for code in &table {
        match (triggered.get(code), listed.get(code.as_str())) {
            (None, None) => problems.push(format!(
                "  {code}: no fixture triggers it; add a fixture (fixtures/bad/<case>/ for bad input), \
                 or list it in NOT_TRIGGERED with the reason"
            )),
            (Some(project), Some(_)) => problems
                .push(format!("  {code}: triggered by {project}, so remove it from NOT_TRIGGERED in tests/docs.rs")),
            _ => {}
        }
    }
    let table_set: BTreeSet<&str> = table.iter().map(String::as_str).collect();
    for code in listed.keys().filter(|c| !table_set.contains(*c)) {
        problems.push(format!("  {code}: listed in NOT_TRIGGERED but not in `flask2django codes`"));
    }
    for (code, project) in triggered.iter().filter(|(c, _)| !table_set.contains(c.as_str())) {
        problems.push(format!("  {code}: emitted by {project} but not in `flask2django codes`"));
    }
    for (code, reason) in NOT_TRIGGERED {
        eprintln!("not triggered by any fixture: {code} ({reason})");
    }
    assert!(problems.is_empty(), "diagnostic codes and fixtures disagree:\n{}", problems.join("\n"));
}
