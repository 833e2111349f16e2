//! The command line as a user meets it: exit codes, formats, errors.

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_flask2django"))
}

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn inventory_text_lists_routes_with_locations() {
    let out = bin().arg("inventory").arg(root().join("examples/flask_shop")).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("App shop:create_app()"), "{text}");
    assert!(text.contains("catalog.product"), "{text}");
    assert!(text.contains("shop/catalog/routes.py:"), "{text}");
}

#[test]
fn inventory_json_has_the_documented_top_level_keys() {
    let out = bin().args(["inventory", "--format", "json"]).arg(root().join("fixtures/single_file")).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in
        ["schema_version", "apps", "blueprints", "routes", "hooks", "extensions", "config", "templates", "diagnostics"]
    {
        assert!(v.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inv.json");
    let out = bin()
        .args(["inventory", "--format", "json", "-o"])
        .arg(&path)
        .arg(root().join("fixtures/single_file"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(v["routes"].as_array().is_some_and(|r| !r.is_empty()));
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = bin().args(["inventory", "/nonexistent/flask2django-test"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = bin().args(["inventory", "--no-such-flag", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn app_flag_selects_the_app() {
    let out = bin()
        .args(["inventory", "--format", "json", "--app", "admin_app:app"])
        .arg(root().join("fixtures/multiple_apps"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["apps"][0]["id"], "admin_app:app");
    assert_eq!(v["apps"][0]["discovered_by"], "--app");
}

#[test]
fn exclude_skips_files() {
    let out = bin()
        .args(["inventory", "--format", "json", "--exclude", "admin_app.py"])
        .arg(root().join("fixtures/multiple_apps"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["apps"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["public_app:app"]);
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    for extra in [&[][..], &["--quiet"][..]] {
        let out = bin().arg("inventory").arg(root().join("examples/flask_shop")).args(extra).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// An app kept in a subfolder runs with that folder on `sys.path`, so its modules import their
/// siblings by top-level name (`from api.items import ItemApi` in `backend/main.py`).
#[test]
fn subfolder_apps_import_their_siblings() {
    let dir = tempfile::tempdir().unwrap();
    let backend = dir.path().join("backend");
    std::fs::create_dir_all(backend.join("api")).unwrap();
    std::fs::write(
        backend.join("main.py"),
        "from flask import Flask\nfrom api.items import bp\n\napp = Flask(__name__)\napp.register_blueprint(bp)\n",
    )
    .unwrap();
    std::fs::write(
        backend.join("api/items.py"),
        "from flask import Blueprint\n\nbp = Blueprint(\"items\", __name__, url_prefix=\"/items\")\n\n\n@bp.get(\"/<int:item_id>\")\ndef item(item_id):\n    return str(item_id)\n",
    )
    .unwrap();
    let out = bin().args(["inventory", "--format", "json"]).arg(dir.path()).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let routes = v["routes"].as_array().unwrap();
    assert!(
        routes
            .iter()
            .any(|r| r["endpoint"] == "items.item" && r["rule"] == "/items/<int:item_id>" && r["status"] == "resolved"),
        "{routes:#?}"
    );
}

/// A file inside the app's template folder and a blueprint's is found under both names.
#[test]
fn a_template_in_two_folders_has_both_names() {
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join("shop");
    std::fs::create_dir_all(shop.join("templates/shop")).unwrap();
    std::fs::write(shop.join("templates/shop/home.html"), "<p>home</p>\n").unwrap();
    std::fs::write(
        shop.join("__init__.py"),
        "from flask import Blueprint, Flask, render_template\n\n\
         bp = Blueprint(\"catalog\", __name__, template_folder=\"templates/shop\")\n\n\n\
         @bp.route(\"/\")\ndef home():\n    return render_template(\"home.html\")\n\n\n\
         app = Flask(__name__)\napp.register_blueprint(bp)\n",
    )
    .unwrap();
    let out = bin().args(["inventory", "--format", "json"]).arg(dir.path()).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["templates"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, vec!["home.html", "shop/home.html"], "{v:#}");
    let codes: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(!codes.contains(&"FD202") && !codes.contains(&"FD203"), "{codes:?}");
}
