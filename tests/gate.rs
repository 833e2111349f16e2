//! `report` and `check`: machine formats against their schemas (SARIF against the vendored
//! OASIS schema), baselines, suppression comments, configuration precedence and drift.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::support::files::copy_tree;
use crate::support::{process, python};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn f2d(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_flask2django"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run flask2django");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn repo() -> &'static Path {
    python::repo_root()
}

fn py(script: &str, args: &[&Path]) -> process::Finished {
    let mut cmd = python::script_command(script);
    cmd.args(args);
    process::run(&mut cmd, Duration::from_secs(120)).expect("python runs")
}

/// A small Flask app written for these tests: a blueprint in `views.py` with two views, a
/// request hook, and a module `more.py` that the app imports.
fn write_app(dir: &Path) {
    let files = [
        (
            "app.py",
            "from flask import Flask\n\nfrom views import bp\nimport more  # noqa: F401\n\napp = Flask(__name__)\napp.register_blueprint(bp)\n\n\n@app.before_request\ndef load_user():\n    pass\n",
        ),
        (
            "views.py",
            "from flask import Blueprint, request\n\nbp = Blueprint('shop', __name__)\n\n\n@bp.route('/')\ndef index():\n    return 'hi'\n\n\n@bp.route('/cart')\ndef cart():\n    return request.args.get('x', '')\n",
        ),
        ("more.py", "from views import bp\n"),
    ];
    fs::create_dir_all(dir).unwrap();
    for (name, text) in files {
        fs::write(dir.join(name), text).unwrap();
    }
}

fn temp_app() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    write_app(&app);
    (tmp, app)
}

fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "app"];
    args.extend_from_slice(extra);
    f2d(dir, &args)
}

#[test]
fn report_and_check_json_match_their_documented_schemas() {
    let tmp = tempfile::tempdir().unwrap();
    let mut reports = Vec::new();
    let mut checks = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(repo().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("README.md").is_file() && !p.ends_with("bad"))
        .collect();
    dirs.sort();
    dirs.push(repo().join("examples/flask_shop"));
    for (i, dir) in dirs.iter().enumerate() {
        let report = tmp.path().join(format!("report{i}.json"));
        let r = f2d(repo(), &["report", dir.to_str().unwrap(), "--format", "json", "-o", report.to_str().unwrap()]);
        assert_eq!(r.code, Some(0), "{}: {}", dir.display(), r.stderr);
        reports.push(report);
        let gate = tmp.path().join(format!("check{i}.json"));
        let r = f2d(repo(), &["check", dir.to_str().unwrap(), "--format", "json", "-o", gate.to_str().unwrap()]);
        assert!(matches!(r.code, Some(0 | 1)), "{}: {}", dir.display(), r.stderr);
        checks.push(gate);
    }
    for (schema, files) in [("docs/report.schema.json", &reports), ("docs/check.schema.json", &checks)] {
        let mut args: Vec<&Path> = vec![Path::new(schema)];
        args.extend(files.iter().map(PathBuf::as_path));
        let mut cmd = python::script_command("validate_json.py");
        cmd.current_dir(repo()).args(&args);
        let out = process::run(&mut cmd, Duration::from_secs(120)).unwrap();
        assert!(out.success(), "{schema}:\n{}{}", out.stdout, out.stderr);
    }
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let baseline = tmp.path().join("baseline.json");
    let sarif = tmp.path().join("out.sarif");
    let r = f2d(repo(), &["check", "examples/flask_shop", "--write-baseline", baseline.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // Drop one entry, so that the log holds both baseline states.
    let text = fs::read_to_string(&baseline).unwrap();
    let trimmed: Vec<&str> =
        text.lines().filter(|l| !l.contains("\"FD504:before_request:update_last_seen\"")).collect();
    fs::write(&baseline, trimmed.join("\n").replace(",\n  }", "\n  }")).unwrap();
    let r = f2d(
        repo(),
        &[
            "check",
            "examples/flask_shop",
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "sarif",
            "-o",
            sarif.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, Some(1), "one finding left the baseline: {}", r.stderr);
    let out = py("validate_json.py", &[&repo().join("tests/schemas/sarif-schema-2.1.0.json"), &sarif]);
    assert!(out.success(), "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Draft4Validator"), "{}", out.stdout);

    let log: serde_json::Value = serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    let new: Vec<&serde_json::Value> = results.iter().filter(|r| r["baselineState"] == "new").collect();
    assert!(
        results.iter().all(|r| r["locations"].as_array().is_some_and(|l| !l.is_empty())),
        "code scanning needs a location"
    );
    assert!(results
        .iter()
        .all(|r| (r["baselineState"] == "unchanged")
            == r.get("suppressions").is_some_and(|s| s[0]["kind"] == "external")));
    assert!(new.iter().any(|r| r["ruleId"] == "FD504" && r["level"] == "error"), "{new:?}");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        if let Some(loc) = r["locations"].get(0) {
            let uri = loc["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
            assert!(repo().join(uri).exists(), "{uri} is a path of the repository");
        }
    }
    assert!(rules.iter().all(|r| r["help"]["markdown"].as_str().unwrap().contains("## What to do")));
}

#[test]
fn github_annotations_are_workflow_commands() {
    let r = f2d(repo(), &["check", "examples/flask_shop", "--format", "github", "--fail-under", "99"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let (summary, annotations) = lines.split_last().unwrap();
    assert!(summary.starts_with("flask2django check failed: coverage "), "{summary}");
    assert!(annotations.len() > 50);
    for line in annotations {
        let (command, rest) = line.split_once(' ').unwrap();
        assert!(matches!(command, "::error" | "::warning" | "::notice"), "{line}");
        let (props, message) = rest.split_once("::").unwrap();
        assert!(!message.is_empty() && !message.contains('\n'), "{line}");
        for prop in props.split(',') {
            let (key, value) = prop.split_once('=').unwrap();
            assert!(matches!(key, "file" | "line" | "col" | "title"), "{line}");
            assert!(!value.contains(':'), "{line}");
            if key == "file" {
                assert!(repo().join(value).is_file(), "{value}");
            }
            if key == "line" {
                value.parse::<u32>().unwrap();
            }
        }
    }
    assert!(annotations
        .iter()
        .any(|l| l.starts_with("::error file=examples/flask_shop/shop/catalog/routes.py,line=23,title=FD502 view::")));
    assert!(annotations.iter().any(|l| l.starts_with("::error title=coverage::coverage ")));
}

#[test]
fn junit_parses_and_counts_add_up() {
    let tmp = tempfile::tempdir().unwrap();
    let baseline = tmp.path().join("baseline.json");
    let xml = tmp.path().join("junit.xml");
    assert_eq!(
        f2d(repo(), &["check", "examples/flask_shop", "--write-baseline", baseline.to_str().unwrap()]).code,
        Some(0)
    );
    let r = f2d(
        repo(),
        &[
            "check",
            "examples/flask_shop",
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            "junit",
            "-o",
            xml.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = py("junit_summary.py", &[&xml]);
    assert!(out.success(), "{}{}", out.stdout, out.stderr);
    let s: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(s["declared_tests"], s["tests"]);
    assert_eq!(s["declared_failures"], s["failures"]);
    assert_eq!(s["failures"], 0);
    assert_eq!(s["suites_consistent"], true);
    assert!(s["skipped"].as_u64().unwrap() > 50, "baselined findings are skipped: {s}");
}

#[test]
fn baseline_round_trip_new_items_fail_and_moves_do_not() {
    let (tmp, app) = temp_app();
    let dir = tmp.path();
    // Without a baseline, the manual items fail the gate.
    let r = check(dir, &[]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("app/views.py:12: error FD502 view `shop.cart` to port by hand"), "{}", r.stdout);

    assert_eq!(check(dir, &["--write-baseline", "baseline.json"]).code, Some(0));
    let baseline = fs::read_to_string(dir.join("baseline.json")).unwrap();
    assert!(baseline.contains("\"FD502:shop.cart\": 1"), "{baseline}");
    assert!(!baseline.contains("views.py"), "keys hold no paths: {baseline}");
    let r = check(dir, &["--baseline", "baseline.json"]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);

    // Moving `cart` to another module, and shifting every line of views.py, keeps the keys.
    let views = fs::read_to_string(app.join("views.py")).unwrap();
    let (head, cart) = views.split_at(views.find("@bp.route('/cart')").unwrap());
    fs::write(app.join("views.py"), format!("\"\"\"Views.\"\"\"\n\n\n{head}")).unwrap();
    fs::write(app.join("more.py"), format!("from flask import request\n\nfrom views import bp\n\n\n{cart}")).unwrap();
    let r = check(dir, &["--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    let gate: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let cart_view = gate["findings"].as_array().unwrap().iter().find(|f| f["key"] == "FD502:shop.cart").unwrap();
    assert_eq!(cart_view["file"], "more.py");
    assert_eq!(cart_view["baselined"], true);

    // A new view is a new manual item: the gate fails and names it.
    let more = fs::read_to_string(app.join("more.py")).unwrap();
    fs::write(app.join("more.py"), format!("{more}\n\n@bp.route('/checkout')\ndef checkout():\n    return 'ok'\n"))
        .unwrap();
    let r = check(dir, &["--baseline", "baseline.json"]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert!(r.stdout.contains("FD502 view `shop.checkout` to port by hand"), "{}", r.stdout);
    assert!(r.stdout.contains("1 new"), "{}", r.stdout);
    assert!(!r.stdout.contains("shop.cart`"), "baselined findings are not listed: {}", r.stdout);
}

#[test]
fn suppression_comments_cover_their_line_or_the_next() {
    let (tmp, app) = temp_app();
    let dir = tmp.path();
    let before = f2d(dir, &["report", "app", "--format", "json"]);
    let before: serde_json::Value = serde_json::from_str(&before.stdout).unwrap();
    let views = fs::read_to_string(app.join("views.py")).unwrap();
    let views = views
        .replace("def index():", "def index():  # flask2django: ignore[FD502]")
        .replace("@bp.route('/cart')", "# flask2django: ignore[view]\n@bp.route('/cart')");
    fs::write(app.join("views.py"), views).unwrap();
    let app_py = fs::read_to_string(app.join("app.py")).unwrap();
    // A comment naming another code leaves the finding alone.
    fs::write(
        app.join("app.py"),
        app_py.replace("def load_user():", "def load_user():  # flask2django: ignore[FD502]"),
    )
    .unwrap();
    let after = f2d(dir, &["report", "app", "--format", "json"]);
    let after: serde_json::Value = serde_json::from_str(&after.stdout).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v["findings"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap().to_string()).collect()
    };
    assert!(keys(&before).contains(&"FD502:shop.cart".to_string()));
    assert!(!keys(&after).contains(&"FD502:shop.cart".to_string()), "{:?}", keys(&after));
    assert!(keys(&after).contains(&"FD504:before_request:load_user".to_string()));
    // `index` returns a string, so its view is a stub too: the trailing comment hides it.
    assert!(!keys(&after).contains(&"FD502:shop.index".to_string()), "{:?}", keys(&after));
    assert_eq!(after["summary"]["suppressed"].as_u64().unwrap(), before["summary"]["suppressed"].as_u64().unwrap() + 2);
    // Items keep their status: a suppression hides a finding, it does not port the code.
    assert_eq!(after["summary"]["manual"], before["summary"]["manual"]);
}

#[test]
fn configuration_precedence_flags_over_files_and_own_file_over_pyproject() {
    let (tmp, app) = temp_app();
    let dir = tmp.path();
    fs::write(
        app.join("pyproject.toml"),
        "[project]\nname = 'shop'\n\n[tool.flask2django]\nfail-under = 99\nbaseline = 'baseline.json'\n\n[tool.flask2django.severity]\nrequest-hook = 'warning'\n",
    )
    .unwrap();
    // Writing a baseline accepts the findings; the threshold still applies.
    assert_eq!(f2d(dir, &["check", "app", "--write-baseline", "app/baseline.json"]).code, Some(1));
    assert!(app.join("baseline.json").is_file());
    // The file's threshold fails the gate; the file's baseline holds the findings.
    let r = check(dir, &[]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert!(r.stdout.contains("(fail-under 99.0%): FAILED"), "{}", r.stdout);
    assert!(r.stdout.contains("0 new"), "{}", r.stdout);
    // The flag wins over the file.
    let r = check(dir, &["--fail-under", "10"]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    // The level from the file: the hook is a warning, not an error.
    let r = f2d(dir, &["report", "app", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let hook = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "FD504").unwrap();
    assert_eq!(hook["level"], "warning");
    // --no-config ignores the file: no threshold, no baseline, the errors fail.
    let r = check(dir, &["--no-config"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.contains("coverage: ") && !r.stdout.contains("fail-under"), "{}", r.stdout);
    // flask2django.toml wins over pyproject.toml, whole: its keys are not merged with the
    // pyproject's, so the hook is an error again, beyond the baseline.
    fs::write(app.join("flask2django.toml"), "fail-under = 5\nbaseline = 'baseline.json'\n").unwrap();
    let r = check(dir, &[]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert!(r.stdout.contains("(fail-under 5.0%): passed"), "{}", r.stdout);
    assert!(r.stdout.contains("app/app.py:11: error FD504"), "{}", r.stdout);
    fs::write(app.join("flask2django.toml"), "fail-under = 5\nbaseline = 'baseline.json'\n[severity]\nFD504 = 'off'\n")
        .unwrap();
    let r = check(dir, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    // A misspelt key is a usage error naming it, never a silently open gate.
    fs::write(app.join("flask2django.toml"), "fail_under = 5\n").unwrap();
    let r = check(dir, &[]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("fail_under") && r.stderr.contains("flask2django.toml"), "{}", r.stderr);
}

#[test]
fn against_detects_drift_both_ways() {
    let (tmp, app) = temp_app();
    let dir = tmp.path();
    let r = f2d(dir, &["convert", "app", "--out", "django"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(check(dir, &["--write-baseline", "baseline.json"]).code, Some(0));
    // Freshly generated: no drift.
    let r = check(dir, &["--baseline", "baseline.json", "--against", "django"]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    assert!(!r.stdout.contains("drift"), "{}", r.stdout);
    // An edit to the committed output is drift, with its diff.
    let urls = dir.join("django/shop/urls.py");
    let text = fs::read_to_string(&urls).unwrap();
    fs::write(&urls, text.replace("name=\"cart\"", "name=\"basket\"")).unwrap();
    let r = check(dir, &["--baseline", "baseline.json", "--against", "django"]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert!(r.stdout.contains("--- a/shop/urls.py\n+++ b/shop/urls.py"), "{}", r.stdout);
    assert!(r.stdout.contains("-    path(\"cart\", views.cart, name=\"basket\"),"), "{}", r.stdout);
    assert!(r.stdout.contains("django/shop/urls.py: error FD601"), "{}", r.stdout);
    // Regenerating fixes it; a change to the Flask code is drift the other way.
    assert_eq!(f2d(dir, &["convert", "app", "--out", "django"]).code, Some(0));
    assert_eq!(check(dir, &["--baseline", "baseline.json", "--against", "django"]).code, Some(0));
    let views = fs::read_to_string(app.join("views.py")).unwrap();
    fs::write(app.join("views.py"), views.replace("'/cart'", "'/basket'")).unwrap();
    let r = check(dir, &["--baseline", "baseline.json", "--against", "django", "--format", "json"]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    let gate: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let drift: Vec<&str> = gate["drift"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert!(drift.contains(&"django/shop/urls.py"), "{drift:?}");
}

#[test]
fn files_no_longer_generated_are_drift_and_convert_deletes_them() {
    let (tmp, app) = temp_app();
    let dir = tmp.path();
    assert_eq!(f2d(dir, &["convert", "app", "--out", "django"]).code, Some(0));
    assert!(dir.join("django/shop/urls.py").is_file());
    fs::write(dir.join("django/shop/NOTES.txt"), "mine\n").unwrap();
    // The blueprint is renamed: the app generated for its old name is no longer generated.
    let views = fs::read_to_string(app.join("views.py")).unwrap();
    fs::write(app.join("views.py"), views.replace("Blueprint('shop'", "Blueprint('store'")).unwrap();
    let r = check(dir, &["--against", "django", "--format", "json"]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    let gate: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let removed: Vec<&str> = gate["drift"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["removed"] == true)
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    for file in ["urls.py", "views.py", "models.py", "apps.py", "migrations/__init__.py"] {
        assert!(removed.contains(&format!("django/shop/{file}").as_str()), "{file}: {removed:?}");
    }
    assert!(removed.iter().all(|p| p.starts_with("django/shop/") && !p.ends_with("NOTES.txt")), "{removed:?}");
    let r = check(dir, &["--against", "django"]);
    assert!(r.stdout.contains("--- a/shop/urls.py\n+++ /dev/null\n"), "{}", r.stdout);
    assert!(r.stdout.contains("django/shop/urls.py: error FD601 django/shop/urls.py was generated by flask2django and is no longer generated"), "{}", r.stdout);
    // `--diff` shows the removal; `--dry-run` lists it; neither touches the file.
    let r = f2d(dir, &["convert", "app", "--out", "django", "--diff"]);
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.contains("--- a/shop/views.py\n+++ /dev/null\n"), "{}", r.stdout);
    let r = f2d(dir, &["convert", "app", "--out", "django", "--dry-run"]);
    assert!(r.stdout.contains("delete    shop/urls.py\n"), "{}", r.stdout);
    assert!(dir.join("django/shop/urls.py").is_file());
    // A run deletes our files and the folders they leave empty, and keeps the user's.
    let r = f2d(dir, &["convert", "app", "--out", "django"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("deleted shop/urls.py: "), "{}", r.stdout);
    assert!(dir.join("django/store/urls.py").is_file());
    assert!(!dir.join("django/shop/urls.py").exists() && !dir.join("django/shop/migrations").exists());
    assert_eq!(fs::read_to_string(dir.join("django/shop/NOTES.txt")).unwrap(), "mine\n");
    let r = check(dir, &["--write-baseline", "baseline.json", "--against", "django"]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let (tmp, _app) = temp_app();
    let dir = tmp.path();
    assert_eq!(check(dir, &["--fail-under", "150"]).code, Some(2));
    assert_eq!(check(dir, &["--baseline", "missing.json"]).code, Some(2));
    assert_eq!(check(dir, &["--against", "missing"]).code, Some(2));
    assert_eq!(f2d(dir, &["check", "app", "--format", "xml"]).code, Some(2));
}

#[test]
fn explain_documents_every_item_code() {
    for code in ["FD501", "FD502", "FD509", "FD517", "FD601", "template-construct"] {
        let r = f2d(repo(), &["explain", code]);
        assert_eq!(r.code, Some(0));
        assert!(r.stdout.contains("## What to do"), "{code}: {}", r.stdout);
    }
}

#[test]
fn fixture_reports() {
    insta::glob!("../fixtures", "*/README.md", |readme| {
        let dir = readme.parent().expect("fixture dir");
        if dir.ends_with("bad") {
            return;
        }
        let rel = dir.strip_prefix(repo()).unwrap().to_str().unwrap().to_string();
        let r = f2d(repo(), &["report", &rel]);
        assert_eq!(r.code, Some(0), "{rel}: {}", r.stderr);
        insta::assert_snapshot!(r.stdout);
    });
}

#[test]
fn example_report() {
    let r = f2d(repo(), &["report", "examples/flask_shop"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    insta::assert_snapshot!("example_report_md", r.stdout);
    let r = f2d(repo(), &["report", "examples/flask_shop", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    insta::assert_snapshot!("example_report_json", r.stdout);
}

/// Splits a command line into words, honouring double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The example workflow's and the pre-commit hooks' commands, run as written on a copy of the
/// example set up as the workflow expects (Django output in `django/`, a committed baseline).
#[test]
fn example_workflow_and_pre_commit_hooks_run_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    copy_tree(&repo().join("examples/flask_shop"), &project);
    assert_eq!(f2d(&project, &["convert", ".", "--out", "django"]).code, Some(0));
    assert_eq!(f2d(&project, &["check", ".", "--write-baseline", "flask2django-baseline.json"]).code, Some(0));
    fs::write(project.join("flask2django.toml"), "baseline = \"flask2django-baseline.json\"\n").unwrap();

    let workflow = fs::read_to_string(repo().join("examples/github-workflow.yml")).unwrap();
    let mut commands: Vec<Vec<String>> = Vec::new();
    for line in workflow.lines() {
        let Some(cmd) = line.trim().strip_prefix("run: flask2django ") else { continue };
        let cmd = cmd.split(" || ").next().unwrap().split(" >> ").next().unwrap();
        let cmd = cmd
            .replace("$GITHUB_SERVER_URL", "https://github.com")
            .replace("$GITHUB_REPOSITORY", "org/shop")
            .replace("$GITHUB_SHA", "0123abc");
        commands.push(words(&cmd));
    }
    assert_eq!(commands.len(), 3, "{commands:?}");
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = f2d(&project, &args);
        assert_eq!(r.code, Some(0), "{args:?}: {}{}", r.stdout, r.stderr);
    }
    let sarif = project.join("flask2django.sarif");
    let out = py("validate_json.py", &[&repo().join("tests/schemas/sarif-schema-2.1.0.json"), &sarif]);
    assert!(out.success(), "{}", out.stdout);

    // pre-commit runs `entry` followed by `args`.
    let hooks = fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let mut ran = 0;
    let mut entry: Option<String> = None;
    for line in hooks.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let line = line.trim();
        if let Some(e) = line.strip_prefix("entry: flask2django ") {
            entry = Some(e.to_string());
        }
        if let Some(a) = line.strip_prefix("args: [").and_then(|a| a.strip_suffix(']')) {
            let mut args = words(entry.take().expect("entry before args").as_str());
            args.extend(a.split(", ").map(|w| w.trim_matches('"').to_string()));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = f2d(&project, &args);
            assert_eq!(r.code, Some(0), "{args:?}: {}{}", r.stdout, r.stderr);
            ran += 1;
        }
    }
    assert_eq!(ran, 2);
    // And a hook fails when it should: an edit to the generated project is drift.
    let urls = project.join("django/config/urls.py");
    fs::write(&urls, fs::read_to_string(&urls).unwrap() + "\n# edited\n").unwrap();
    let r = f2d(
        &project,
        &["check", ".", "--fail-under", "0", "--baseline", "flask2django-baseline.json", "--against", "django"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stdout);
}

#[test]
fn mapping_rows_from_configuration_teach_the_tool() {
    let (tmp, app) = temp_app();
    let dir = tmp.path();
    let app_py = fs::read_to_string(app.join("app.py")).unwrap();
    let app_py = app_py.replace(
        "app = Flask(__name__)\n",
        "from acme_flask import Audit\n\napp = Flask(__name__)\napp.config['FEATURE_X'] = True\naudit = Audit(app)\n",
    );
    fs::write(app.join("app.py"), app_py).unwrap();
    let items = |dir: &Path| -> Vec<serde_json::Value> {
        let r = f2d(dir, &["report", "app", "--format", "json"]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["items"].as_array().unwrap().clone()
    };
    let find = |items: &[serde_json::Value], code: &str| -> Option<serde_json::Value> {
        // The app has no CSRFProtect: the item that says so is not the extension looked for.
        items.iter().find(|i| i["code"] == code && i["name"] != "CSRF protection").cloned()
    };
    let before = items(dir);
    assert_eq!(find(&before, "FD509").unwrap()["status"], "manual");
    // A library class given the app is an extension: one nothing maps is to port by hand.
    let unknown = find(&before, "FD508").expect("a library class given the app is an extension");
    assert_ne!(unknown["target"], "acme_django.audit");

    fs::write(
        app.join("flask2django.toml"),
        "[[setting]]\nflask = 'FEATURE_X'\ndjango = 'FEATURE_X'\nkind = 'value'\n\n\
         [[extension]]\nclass = 'acme_flask.Audit'\nextension = 'Acme-Audit'\ndjango = 'acme_django.audit'\nnote = 'Middleware instead of the app hook.'\n",
    )
    .unwrap();
    let after = items(dir);
    let setting = find(&after, "FD509").unwrap();
    assert_eq!((setting["status"].as_str(), setting["target"].as_str()), (Some("auto"), Some("FEATURE_X")));
    let ext = find(&after, "FD508").expect("the row makes Audit an extension");
    assert_eq!(ext["status"], "review");
    assert_eq!(ext["target"], "acme_django.audit");
    let r = f2d(dir, &["convert", "app", "--out", "django"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let settings = fs::read_to_string(dir.join("django/config/settings.py")).unwrap();
    assert!(settings.contains("FEATURE_X = True"), "{settings}");
}

#[test]
fn reports_and_gates_are_identical_across_thread_counts() {
    for args in [
        vec!["report", "examples/flask_shop", "--format", "json"],
        vec!["report", "examples/flask_shop", "--format", "html"],
        vec!["check", "examples/flask_shop", "--format", "sarif"],
    ] {
        let outputs: Vec<String> = ["1", "2", "2"]
            .iter()
            .map(|t| {
                let mut a = args.clone();
                a.extend(["--threads", t]);
                f2d(repo(), &a).stdout
            })
            .collect();
        assert!(!outputs[0].is_empty());
        assert!(outputs.windows(2).all(|w| w[0] == w[1]), "{args:?} differs between runs");
    }
}

#[test]
fn project_level_findings_point_at_the_analyzed_folder_in_sarif() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("noapp");
    fs::create_dir_all(&project).unwrap();
    fs::write(project.join("util.py"), "def helper():\n    return 1\n").unwrap();
    let r = f2d(tmp.path(), &["check", "noapp", "--format", "sarif", "-o", "out.sarif"]);
    assert_eq!(r.code, Some(0), "FD101 is a warning: {}", r.stderr);
    let log: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("out.sarif")).unwrap()).unwrap();
    let result = log["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "FD101").expect("FD101");
    assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "noapp/");
    let out =
        py("validate_json.py", &[&repo().join("tests/schemas/sarif-schema-2.1.0.json"), &tmp.path().join("out.sarif")]);
    assert!(out.success(), "{}", out.stdout);
}
