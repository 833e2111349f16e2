//! Snapshots of generated Django trees: a regression guard on the exact output (the proof of
//! correctness is `real_models` and `real_urls`, against real Django). Accept changes with
//! `INSTA_UPDATE=always cargo test --test main convert_snapshots`.

use std::fs;
use std::path::Path;
use std::process::Command;

fn render_tree(dir: &Path) -> String {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, fs::read_to_string(&p).unwrap_or_else(|_| "<binary>".into())));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files.into_iter().map(|(p, c)| format!("=== {p}\n{c}")).collect::<Vec<_>>().join("\n")
}

fn snapshot(fixture: &str) {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(fixture);
    let out = Command::new(env!("CARGO_BIN_EXE_flask2django"))
        .arg("convert")
        .arg(&src)
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!(fixture, render_tree(dir.path()));
}

#[test]
fn single_file() {
    snapshot("single_file");
}

#[test]
fn nested_blueprints() {
    snapshot("nested_blueprints");
}

#[test]
fn models_relationships() {
    snapshot("models_relationships");
}

#[test]
fn converters() {
    snapshot("converters");
}
