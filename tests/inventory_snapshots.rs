//! Regression guards: the JSON inventory of every fixture and of the example, as insta snapshots.
//! The proof of correctness is `real_flask`; these only show what changed.

use std::process::Command;

fn inventory_json(dir: &std::path::Path, threads: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_flask2django"))
        .args(["inventory", "--format", "json", "--threads", threads])
        .arg(dir)
        .output()
        .expect("run flask2django");
    assert_eq!(out.status.code(), Some(0), "{}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn fixture_inventories() {
    insta::glob!("../fixtures", "*/README.md", |readme| {
        let dir = readme.parent().expect("fixture dir");
        if dir.ends_with("bad") {
            return;
        }
        insta::assert_snapshot!(inventory_json(dir, "2"));
    });
}

#[test]
fn example_inventory() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/flask_shop");
    insta::assert_snapshot!(inventory_json(&dir, "2"));
}

#[test]
fn inventory_is_identical_across_runs_and_thread_counts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [
        root.join("examples/flask_shop"),
        root.join("fixtures/app_factory_blueprints"),
        root.join("fixtures/templates_inheritance"),
    ] {
        let one = inventory_json(&dir, "1");
        let two = inventory_json(&dir, "2");
        let again = inventory_json(&dir, "2");
        assert_eq!(one, two, "{}: output differs between 1 and 2 threads", dir.display());
        assert_eq!(two, again, "{}: output differs between runs", dir.display());
    }
}
