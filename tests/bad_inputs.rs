//! The bad-input corpus, `fixtures/bad/`: inputs that must never stop a run.
//!
//! Each case is a folder with a `README.md` saying what is wrong with it. Its test runs
//! `flask2django inventory DIR --format json` on a temporary copy and checks that the run completes
//! with exit code 0, that the expected diagnostic is there with its file (and line where one makes
//! sense), and that nothing was written: not in the project, the working folder, `HOME` or
//! `TMPDIR`. What cannot be committed (a 50 MB module, symbolic links, permissions, a 200 KB
//! template) is added to the copy by the test.
//!
//! `whole_corpus_at_once` runs the whole folder in place: one run covers every case, and its output
//! must be byte-identical across runs and thread counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::process;

const TIMEOUT: Duration = Duration::from_secs(120);
/// The 50 MB case takes a few seconds in a debug build; leave room for a loaded machine.
const LARGE_TIMEOUT: Duration = Duration::from_secs(600);

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bad")
}

// ---------------------------------------------------------------------------------------------
// Harness

/// A finished `inventory --format json` run.
struct Inventory {
    stdout: String,
    json: Value,
}

impl Inventory {
    fn diagnostics(&self) -> &[Value] {
        self.json["diagnostics"].as_array().map_or(&[], Vec::as_slice)
    }

    fn routes(&self) -> &[Value] {
        self.json["routes"].as_array().map_or(&[], Vec::as_slice)
    }

    /// Every diagnostic as `file:line:column CODE message`, for failure messages.
    fn shown(&self) -> String {
        let mut out = String::new();
        for d in self.diagnostics() {
            let _ = writeln!(out, "  {}:{}:{} {} {}", d["file"], d["line"], d["column"], d["code"], d["message"]);
        }
        if out.is_empty() {
            out.push_str("  (no diagnostics)\n");
        }
        for r in self.routes() {
            let _ = writeln!(out, "  route {} at {}:{} ({})", r["rule"], r["file"], r["line"], r["status"]);
        }
        out
    }

    /// The diagnostics of `file` with one of `codes`.
    fn find(&self, codes: &[&str], file: &str) -> Vec<&Value> {
        self.diagnostics()
            .iter()
            .filter(|d| codes.contains(&d["code"].as_str().unwrap_or_default()) && d["file"] == file)
            .collect()
    }

    /// The one diagnostic with one of `codes` in `file`, on `line` when given. It must have a name
    /// and a severity, as every rendered diagnostic does.
    fn expect(&self, codes: &[&str], file: &str, line: Option<u64>) -> &Value {
        let found: Vec<&Value> =
            self.find(codes, file).into_iter().filter(|d| line.map_or(true, |l| d["line"] == l)).collect();
        let at = line.map_or(String::new(), |l| format!(", line {l}"));
        assert_eq!(found.len(), 1, "expected one {codes:?} in {file}{at}, got:\n{}", self.shown());
        let d = found[0];
        for key in ["name", "severity", "message"] {
            assert!(d[key].as_str().is_some_and(|s| !s.is_empty()), "{key} missing from {d}");
        }
        d
    }

    fn expect_no_diagnostics(&self) {
        assert!(self.diagnostics().is_empty(), "expected no diagnostics, got:\n{}", self.shown());
    }

    /// The one route with this rule; `line` is where it is registered.
    fn route(&self, rule: &str, file: &str, line: u64) -> &Value {
        let found: Vec<&Value> = self.routes().iter().filter(|r| r["rule"] == rule).collect();
        assert_eq!(found.len(), 1, "expected one route {rule}, got:\n{}", self.shown());
        let r = found[0];
        assert_eq!((r["file"].as_str(), r["line"].as_u64()), (Some(file), Some(line)), "{rule}:\n{}", self.shown());
        r
    }

    fn has_rule(&self, rule: &str) -> bool {
        self.routes().iter().any(|r| r["rule"] == rule)
    }
}

/// Run `inventory DIR --format json` (plus `extra` arguments) with a fresh working folder, `HOME`
/// and `TMPDIR`; assert exit code 0 and that neither those folders nor `dir` changed.
fn inventory_with(dir: &Path, extra: &[&str], timeout: Duration) -> Inventory {
    let before = tree(dir);
    let cwd = tempfile::tempdir().expect("temp dir");
    let home = tempfile::tempdir().expect("temp dir");
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flask2django"));
    cmd.args(["inventory", "--format", "json"])
        .args(extra)
        .arg(dir)
        .current_dir(cwd.path())
        .env("HOME", home.path())
        .env("TMPDIR", tmp.path())
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("FLASK_APP")
        .env_remove("RAYON_NUM_THREADS");
    let done = process::run(&mut cmd, timeout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}: exit status {}; stderr:\n{}",
        dir.display(),
        done.status,
        process::tail(&done.stderr, 40)
    );
    for (what, folder) in [("working folder", &cwd), ("HOME", &home), ("TMPDIR", &tmp)] {
        let left = tree(folder.path());
        assert!(left.is_empty(), "the run wrote into its {what}: {:?}", left.keys().collect::<Vec<_>>());
    }
    assert!(before == tree(dir), "the run changed {}", dir.display());
    let json = serde_json::from_str(&done.stdout).unwrap_or_else(|e| {
        panic!("{}: output is not JSON ({e}):\n{}", dir.display(), process::tail(&done.stdout, 20))
    });
    Inventory { stdout: done.stdout, json }
}

fn inventory(dir: &Path) -> Inventory {
    inventory_with(dir, &[], TIMEOUT)
}

/// What a folder holds, to tell whether a run changed it: every entry (links not followed) with
/// its kind, size, modification time and, for small readable files, contents.
fn tree(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            out.insert(rel(root, dir), "unreadable folder".into());
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = fs::symlink_metadata(&path) else { continue };
            let mtime = meta.modified().ok().and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
            let mut state = format!("{:?} {} {mtime:?}", meta.file_type(), meta.len());
            if meta.is_file() && meta.len() < 1 << 20 {
                if let Ok(bytes) = fs::read(&path) {
                    let _ = write!(state, " {bytes:?}");
                }
            }
            out.insert(rel(root, &path), state);
            if meta.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    fn rel(root: &Path, path: &Path) -> String {
        path.strip_prefix(root).unwrap_or(path).display().to_string()
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// A temporary copy of the case folder `fixtures/bad/NAME`.
fn copy_case(name: &str) -> TempDir {
    let source = corpus().join(name);
    assert!(source.join("README.md").is_file(), "{} has no README.md", source.display());
    let dir = tempfile::tempdir().expect("temp dir");
    crate::support::files::copy_tree(&source, dir.path());
    dir
}

/// Run the case on a temporary copy.
fn run_case(name: &str) -> Inventory {
    let dir = copy_case(name);
    inventory(dir.path())
}

/// The bytes of a committed case file, checked for a property a checkout could have lost (git
/// converting line endings, an editor dropping a BOM).
fn case_bytes(case: &str, file: &str) -> Vec<u8> {
    fs::read(corpus().join(case).join(file)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Python files that cannot be read as Python

#[test]
fn syntax_error() {
    let inv = run_case("syntax_error");
    let d = inv.expect(&["FD001"], "app.py", Some(11));
    assert_eq!(d["column"], 21, "{d}");
    assert_eq!(d["severity"], "error");
    inv.route("/", "app.py", 6);
}

#[test]
fn python2() {
    let inv = run_case("python2");
    let d = inv.expect(&["FD001"], "app.py", Some(8));
    let help = d["help"].as_str().unwrap_or_default();
    assert!(help.contains("Python 2"), "the help should say the file looks like Python 2: {d}");
    inv.route("/", "app.py", 6);
}

#[test]
fn latin1_cookie() {
    let bytes = case_bytes("latin1_cookie", "app.py");
    assert!(bytes.contains(&0xE9) && std::str::from_utf8(&bytes).is_err(), "app.py must stay Latin-1");
    let inv = run_case("latin1_cookie");
    inv.expect_no_diagnostics();
    inv.route("/café", "app.py", 8);
}

#[test]
fn invalid_cookie() {
    let inv = run_case("invalid_cookie");
    let d = inv.expect(&["FD002"], "app.py", Some(2));
    assert!(d["message"].as_str().unwrap_or_default().contains("klingon"), "{d}");
}

#[test]
fn undecodable_bytes() {
    let bytes = case_bytes("undecodable_bytes", "app.py");
    assert!(bytes.contains(&0xE9) && std::str::from_utf8(&bytes).is_err(), "app.py must hold a non-UTF-8 byte");
    run_case("undecodable_bytes").expect(&["FD002"], "app.py", Some(8));
}

#[test]
fn utf8_bom() {
    assert!(case_bytes("utf8_bom", "app.py").starts_with(b"\xEF\xBB\xBF"), "app.py lost its BOM");
    let inv = run_case("utf8_bom");
    inv.expect_no_diagnostics();
    inv.route("/", "app.py", 6);
    inv.route("/naïve", "app.py", 11);
}

#[test]
fn crlf_line_endings() {
    let bytes = case_bytes("crlf_line_endings", "app.py");
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    assert!(lf > 0 && lf == crlf, "app.py must end every line with CRLF (was it converted on checkout?)");
    let inv = run_case("crlf_line_endings");
    inv.expect_no_diagnostics();
    inv.route("/", "app.py", 6);
    inv.route("/about", "app.py", 14);
}

#[test]
fn nul_bytes() {
    assert!(case_bytes("nul_bytes", "app.py").contains(&0), "app.py lost its NUL byte");
    run_case("nul_bytes").expect(&["FD002"], "app.py", Some(8));
}

#[test]
fn empty_file() {
    assert!(case_bytes("empty_file", "empty.py").is_empty());
    let inv = run_case("empty_file");
    inv.expect_no_diagnostics();
    inv.route("/", "app.py", 8);
}

// ---------------------------------------------------------------------------------------------
// Sizes and depths

#[test]
fn large_file() {
    const SIZE: usize = 50 * 1024 * 1024;
    const LINE: usize = 512;
    let dir = copy_case("large_file");
    let mut out = BufWriter::new(fs::File::create(dir.path().join("generated.py")).unwrap());
    let (mut written, mut lines) = (0, 0u64);
    while written < SIZE {
        let mut line = format!("x_{lines} = {lines}  # ");
        line.push_str(&"-".repeat(LINE - 1 - line.len()));
        line.push('\n');
        out.write_all(line.as_bytes()).unwrap();
        written += line.len();
        lines += 1;
    }
    out.write_all(b"\n\nfrom app import app\n\n\n@app.route(\"/last\")\ndef last():\n    return \"last\"\n").unwrap();
    out.into_inner().unwrap().sync_all().unwrap();
    let last_line = lines + 6;

    let inv = inventory_with(dir.path(), &[], LARGE_TIMEOUT);
    inv.expect_no_diagnostics();
    inv.route("/", "app.py", 6);
    inv.route("/last", "generated.py", last_line);
}

#[test]
fn deep_nesting() {
    let dir = copy_case("deep_nesting");
    let depth = 10_000;
    fs::create_dir(dir.path().join("templates")).unwrap();
    let template = format!("{}x{}\n", "{% if a %}".repeat(depth), "{% endif %}".repeat(depth));
    fs::write(dir.path().join("templates/deep.html"), template).unwrap();

    let inv = inventory(dir.path());
    assert!(inv.diagnostics().iter().all(|d| d["code"] != "FD005"), "internal error:\n{}", inv.shown());
    for (file, line) in [("app.py", 11), ("calls.py", 4), ("sums.py", 4)] {
        inv.expect(&["FD006"], file, Some(line));
    }
    inv.expect(&["FD204"], "templates/deep.html", None);
    inv.route("/", "app.py", 6);
    inv.route("/after", "app.py", 14);
}

#[test]
fn wide_model() {
    let inv = run_case("wide_model");
    inv.expect_no_diagnostics();
    inv.route("/wide/<int:row_id>", "app.py", 1013);
    let models = inv.json["models"].as_array().cloned().unwrap_or_default();
    assert_eq!(models.len(), 1, "{}", inv.stdout);
    assert_eq!(models[0]["columns"].as_array().map(Vec::len), Some(1000), "every column of the model");
}

#[test]
fn dynamic_models() {
    let inv = run_case("dynamic_models");
    inv.expect(&["FD401"], "app.py", Some(11));
    inv.expect(&["FD403"], "app.py", Some(17));
    inv.expect(&["FD403"], "app.py", Some(31));
    inv.expect(&["FD403"], "app.py", Some(42));
    inv.expect(&["FD401"], "app.py", Some(61));
    let versioned = inv.expect(&["FD403"], "app.py", Some(72));
    assert!(versioned["message"].as_str().unwrap_or_default().contains("note_version"), "{versioned}");
    assert!(
        !inv.json["tables"].as_array().into_iter().flatten().any(|t| t["name"] == "alembic_version"),
        "a reflected table has no columns to list:\n{}",
        inv.stdout
    );
    let line = inv.json["models"].as_array().into_iter().flatten().find(|m| m["name"] == "OrderLine").cloned();
    let key = line.and_then(|m| m["columns"].as_array()?.iter().find(|c| c["name"] == "order_id").cloned());
    assert_eq!(key.map(|c| c["foreign_key"]["model"].clone()), Some(serde_json::json!("app.Order")), "{}", inv.stdout);
    let order = inv.json["models"].as_array().into_iter().flatten().find(|m| m["name"] == "Order").cloned();
    let order = order.unwrap_or_else(|| panic!("Order is missing:\n{}", inv.stdout));
    assert_eq!(order["status"], "dynamic");
    assert!(order["table"].is_null(), "{order}");
}

#[test]
fn external_model_base() {
    let inv = run_case("external_model_base");
    inv.expect(&["FD404"], "app.py", Some(12));
    inv.expect(&["FD404"], "app.py", Some(20));
    assert_eq!(inv.find(&["FD404"], "app.py").len(), 2, "{}", inv.shown());
    let names: Vec<&str> =
        inv.json["models"].as_array().into_iter().flatten().filter_map(|m| m["name"].as_str()).collect();
    assert_eq!(names, ["OAuth2Client", "Account", "Distro"], "{}", inv.stdout);
}

#[test]
fn removed_api() {
    let inv = run_case("removed_api");
    let found = inv.find(&["FD111"], "app.py");
    assert_eq!(found.len(), 5, "{}", inv.shown());
    // A name in a removed module: `from flask.ext.cache import Cache`.
    inv.expect(&["FD111"], "app.py", Some(3));
    inv.expect(&["FD111"], "app.py", Some(9));
    assert!(
        inv.json["routes"].as_array().into_iter().flatten().any(|r| r["rule"] == "/hello/<name>"),
        "{}",
        inv.stdout
    );
}

#[test]
fn blueprint_setup_state() {
    let inv = run_case("blueprint_setup_state");
    let found = inv.expect(&["FD110"], "app.py", Some(18));
    assert!(found["message"].as_str().unwrap_or_default().contains("make_setup_state"), "{found}");
    assert_eq!(inv.diagnostics().len(), 1, "{}", inv.shown());
}

#[test]
fn unfollowed_registration() {
    let inv = run_case("unfollowed_registration");
    let found = inv.expect(&["FD102"], "app.py", Some(19));
    assert!(found["message"].as_str().unwrap_or_default().contains("api.add_resource"), "{found}");
    assert_eq!(inv.find(&["FD102"], "app.py").len(), 1, "{}", inv.shown());
    inv.route("/", "app.py", 23);
}

#[test]
fn unmapped_extension() {
    let inv = run_case("unmapped_extension");
    inv.expect(&["FD301"], "app.py", Some(8));
    inv.expect(&["FD301"], "app.py", Some(10));
    assert_eq!(inv.find(&["FD301"], "app.py").len(), 2, "{}", inv.shown());
}

#[test]
fn unresolved_foreign_key() {
    let inv = run_case("unresolved_foreign_key");
    inv.expect(&["FD402"], "app.py", Some(15));
}

#[test]
fn circular_imports() {
    let inv = run_case("circular_imports");
    inv.expect_no_diagnostics();
    inv.route("/", "app.py", 8);
    inv.route("/views", "views.py", 8);
}

// ---------------------------------------------------------------------------------------------
// The file system

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let dir = copy_case("symlink_loop");
    std::os::unix::fs::symlink("..", dir.path().join("pkg/loop")).unwrap();
    let inv = inventory(dir.path());
    inv.expect(&["FD004"], "pkg/loop", None);
    inv.route("/", "app.py", 6);
}

#[cfg(unix)]
#[test]
fn symlink_outside() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir(outside.path().join("lib")).unwrap();
    fs::write(outside.path().join("lib/helpers.py"), "def helper():\n    return 1\n").unwrap();
    let extra = "from flask import Flask\n\nother = Flask(__name__)\n\n\n@other.route(\"/outside\")\ndef outside():\n    return \"outside\"\n";
    fs::write(outside.path().join("extra.py"), extra).unwrap();

    let dir = copy_case("symlink_outside");
    std::os::unix::fs::symlink(outside.path().join("lib"), dir.path().join("vendor")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("extra.py"), dir.path().join("extra.py")).unwrap();
    let inv = inventory(dir.path());
    inv.expect(&["FD004"], "vendor", None);
    inv.expect(&["FD004"], "extra.py", None);
    assert!(!inv.has_rule("/outside"), "a link out of the root was followed:\n{}", inv.shown());
    inv.route("/", "app.py", 6);
}

/// Gives permissions back when dropped, so the temporary folder can be removed.
#[cfg(unix)]
struct Locked(Vec<(PathBuf, u32)>);

#[cfg(unix)]
impl Locked {
    fn lock(paths: &[PathBuf]) -> Locked {
        use std::os::unix::fs::PermissionsExt;
        let mut locked = Locked(Vec::new());
        for path in paths {
            let mode = fs::metadata(path).unwrap().permissions().mode();
            fs::set_permissions(path, fs::Permissions::from_mode(0o000)).unwrap();
            locked.0.push((path.clone(), mode));
        }
        locked
    }
}

#[cfg(unix)]
impl Drop for Locked {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        for (path, mode) in &self.0 {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(*mode));
        }
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    let dir = copy_case("unreadable_file");
    let secret = dir.path().join("secret.py");
    let private = dir.path().join("private");
    let _locked = Locked::lock(&[secret.clone(), private.clone()]);
    // Root (or CAP_DAC_OVERRIDE) reads through `chmod 000`.
    let can_still_read = fs::read(&secret).is_ok() || fs::read_dir(&private).is_ok();

    let inv = inventory(dir.path());
    inv.route("/", "app.py", 6);
    if can_still_read {
        println!("note: unreadable_file: this process reads files despite chmod 000 (root?); FD003 not checked");
        return;
    }
    inv.expect(&["FD003"], "secret.py", None);
    inv.expect(&["FD003"], "private", None);
}

// ---------------------------------------------------------------------------------------------
// Templates

#[test]
fn broken_template() {
    let inv = run_case("broken_template");
    inv.expect(&["FD204"], "templates/index.html", Some(9));
    inv.route("/", "app.py", 6);
}

// ---------------------------------------------------------------------------------------------
// Inputs the fuzzer found (`fuzz/`): code that keeps the interpreter busy

#[test]
fn fuzz_object_loop() {
    let inv = run_case("fuzz_object_loop");
    inv.expect(&["FD001"], "app.py", Some(1));
    let stop = inv.expect(&["FD110"], "app.py", Some(74));
    assert!(stop["message"].as_str().unwrap_or_default().contains("budget"), "{stop}");
    for line in [90, 91, 92, 130, 131] {
        inv.expect(&["FD109"], "app.py", Some(line));
    }
    inv.expect(&["FD102"], "app.py", Some(121));
    // `item.qAuanti.route(...)`: a registration on an object not followed.
    inv.expect(&["FD102"], "app.py", Some(133));
    assert_eq!(inv.diagnostics().len(), 9, "{}", inv.shown());
}

#[test]
fn fuzz_long_string() {
    let inv = run_case("fuzz_long_string");
    inv.expect(&["FD001"], "app.py", Some(1));
    assert_eq!(inv.diagnostics().len(), 1, "{}", inv.shown());
    let models = inv.json["models"].as_array().cloned().unwrap_or_default();
    let wide = models.iter().find(|m| m["name"] == "Wide").unwrap_or_else(|| panic!("no model Wide: {}", inv.stdout));
    assert_eq!(wide["columns"].as_array().map(Vec::len), Some(27), "{wide}");
}

#[test]
fn fuzz_expression_loop() {
    let inv = run_case("fuzz_expression_loop");
    inv.expect(&["FD001"], "app.py", Some(1));
    inv.expect(&["FD110"], "app.py", Some(94));
    // The next module loaded gets a budget of its own.
    inv.route("/after", "views.py", 6);
    inv.expect(&["FD108"], "views.py", Some(3));
}

// ---------------------------------------------------------------------------------------------
// Registrations Flask refuses or cannot reach

#[test]
fn blueprint_registered_twice() {
    let inv = run_case("blueprint_registered_twice");
    inv.expect(&["FD106"], "app.py", Some(13));
    inv.route("/shop/cart", "app.py", 7);
    assert!(!inv.has_rule("/v2/shop/cart"), "the refused registration was kept:\n{}", inv.shown());
}

#[test]
fn duplicate_endpoint() {
    let inv = run_case("duplicate_endpoint");
    inv.expect(&["FD105"], "app.py", Some(15));
    assert_eq!(inv.find(&["FD105"], "app.py").len(), 1, "{}", inv.shown());
}

#[test]
fn duplicate_rule() {
    let inv = run_case("duplicate_rule");
    inv.expect(&["FD104"], "app.py", Some(11));
    let routes: Vec<(&str, &str)> = inv
        .routes()
        .iter()
        .filter(|r| r["rule"] == "/report")
        .map(|r| (r["endpoint"].as_str().unwrap_or_default(), r["status"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(routes.len(), 2, "{}", inv.shown());
    assert!(routes.contains(&("report", "resolved")), "{routes:?}");
    assert!(routes.contains(&("new_report", "unreachable")), "{routes:?}");
}

#[test]
fn invalid_rules() {
    let inv = run_case("invalid_rules");
    let unknown = inv.expect(&["FD107"], "app.py", Some(11));
    assert!(unknown["message"].as_str().unwrap_or_default().contains("unknown"), "{unknown}");
    inv.expect(&["FD107"], "app.py", Some(16));
    inv.route("/", "app.py", 6);
}

/// The rule `/user/<int:id` is a literal: nothing about it is computed at run time, so FD102
/// (`dynamic-route`) does not describe it; FD107 alone does.
#[test]
fn malformed_rule_is_not_dynamic() {
    let inv = run_case("invalid_rules");
    assert!(inv.find(&["FD102", "FD103"], "app.py").is_empty(), "{}", inv.shown());
}

#[test]
fn dynamic_loop() {
    let inv = run_case("dynamic_loop");
    inv.expect(&["FD102", "FD103"], "app.py", Some(16));
    let dynamic: Vec<&Value> = inv.routes().iter().filter(|r| r["line"] == 16).collect();
    assert_eq!(dynamic.len(), 1, "{}", inv.shown());
    assert_eq!(dynamic[0]["status"], "dynamic", "{}", dynamic[0]);
    assert!(dynamic[0]["rule"].is_null(), "a rule was guessed: {}", dynamic[0]);
    inv.route("/", "app.py", 19);
    inv.expect(&["FD102"], "app.py", Some(29));
    assert!(inv.find(&["FD108"], "app.py").is_empty(), "a registered blueprint is not unregistered: {}", inv.shown());
}

// ---------------------------------------------------------------------------------------------
// The whole corpus

/// What a run reports: `(code, file, line)`, where the code may name alternatives (`FD102|FD103`).
type Expected = (&'static str, &'static str, u64);

/// Per case folder, what one run over the whole corpus must report in it, and nothing else, with
/// files relative to the case. Every folder of the corpus is listed; an empty list means no
/// diagnostics at all. The cases the tests finish in a temporary copy are seen here without their
/// bad part.
const WHOLE_CORPUS: &[(&str, &[Expected])] = &[
    ("blueprint_registered_twice", &[("FD106", "app.py", 13)]),
    ("blueprint_setup_state", &[("FD110", "app.py", 18)]),
    ("broken_template", &[("FD204", "templates/index.html", 9)]),
    ("circular_imports", &[]),
    ("crlf_line_endings", &[]),
    ("deep_nesting", &[("FD006", "app.py", 11), ("FD006", "calls.py", 4), ("FD006", "sums.py", 4)]),
    ("duplicate_endpoint", &[("FD105", "app.py", 15)]),
    ("duplicate_rule", &[("FD104", "app.py", 11)]),
    ("dynamic_loop", &[("FD102|FD103", "app.py", 16), ("FD102", "app.py", 29)]),
    (
        "dynamic_models",
        &[
            ("FD401", "app.py", 11),
            ("FD403", "app.py", 17),
            ("FD403", "app.py", 31),
            ("FD403", "app.py", 42),
            ("FD401", "app.py", 61),
            ("FD403", "app.py", 72),
        ],
    ),
    ("empty_file", &[]),
    ("external_model_base", &[("FD404", "app.py", 12), ("FD404", "app.py", 20)]),
    ("fuzz_expression_loop", &[("FD001", "app.py", 1), ("FD110", "app.py", 94), ("FD108", "views.py", 3)]),
    ("fuzz_long_string", &[("FD001", "app.py", 1)]),
    (
        "fuzz_object_loop",
        &[
            ("FD001", "app.py", 1),
            ("FD109", "app.py", 90),
            ("FD109", "app.py", 91),
            ("FD109", "app.py", 92),
            ("FD102", "app.py", 121),
            ("FD102", "app.py", 133),
            ("FD110", "app.py", 74),
            ("FD109", "app.py", 130),
            ("FD109", "app.py", 131),
        ],
    ),
    ("invalid_cookie", &[("FD002", "app.py", 2)]),
    ("invalid_rules", &[("FD107", "app.py", 11), ("FD107", "app.py", 16)]),
    ("large_file", &[]),
    ("latin1_cookie", &[]),
    ("nul_bytes", &[("FD002", "app.py", 8)]),
    ("python2", &[("FD001", "app.py", 8)]),
    (
        "removed_api",
        &[
            ("FD111", "app.py", 1),
            ("FD111", "app.py", 1),
            ("FD111", "app.py", 2),
            ("FD111", "app.py", 3),
            ("FD111", "app.py", 9),
        ],
    ),
    ("symlink_loop", &[]),
    ("symlink_outside", &[]),
    ("syntax_error", &[("FD001", "app.py", 11)]),
    ("undecodable_bytes", &[("FD002", "app.py", 8)]),
    ("unfollowed_registration", &[("FD102", "app.py", 19)]),
    ("unmapped_extension", &[("FD301", "app.py", 8), ("FD301", "app.py", 10)]),
    ("unreadable_file", &[]),
    ("unresolved_foreign_key", &[("FD402", "app.py", 15)]),
    ("utf8_bom", &[]),
    ("wide_model", &[]),
];

/// Cases that may report more than [`WHOLE_CORPUS`] lists. `invalid_rules` also gets an FD102 for
/// its malformed rule (see `malformed_rule_is_not_dynamic`).
const OPEN_CASES: &[&str] = &[];

#[test]
fn every_case_is_listed() {
    let mut on_disk: Vec<String> = fs::read_dir(corpus())
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            e.file_type().ok()?.is_dir().then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = WHOLE_CORPUS.iter().map(|(case, _)| *case).collect();
    assert_eq!(on_disk, listed, "fixtures/bad and WHOLE_CORPUS disagree");
    for case in &on_disk {
        assert!(corpus().join(case).join("README.md").is_file(), "fixtures/bad/{case} has no README.md");
    }
}

#[test]
fn whole_corpus_at_once() {
    let root = corpus();
    let first = inventory_with(&root, &["--threads", "1"], TIMEOUT);
    let second = inventory_with(&root, &["--threads", "2"], TIMEOUT);
    let third = inventory_with(&root, &["--threads", "2"], TIMEOUT);
    assert!(first.stdout == second.stdout, "output differs between --threads 1 and --threads 2");
    assert!(second.stdout == third.stdout, "output differs between two runs");

    let mut problems = String::new();
    for (case, expected) in WHOLE_CORPUS {
        let prefix = format!("{case}/");
        let mut unexpected = Vec::new();
        let mut missing: Vec<&Expected> = expected.iter().collect();
        for d in first.diagnostics() {
            let Some(file) = d["file"].as_str().and_then(|f| f.strip_prefix(&prefix)) else { continue };
            let (code, line) = (d["code"].as_str().unwrap_or_default(), d["line"].as_u64().unwrap_or_default());
            let wanted = |w: &&Expected| w.0.split('|').any(|c| c == code) && w.1 == file && w.2 == line;
            match missing.iter().position(wanted) {
                Some(i) => {
                    missing.remove(i);
                }
                None if OPEN_CASES.contains(case) => {}
                None => unexpected.push(format!("{code} {file}:{line}")),
            }
        }
        if !missing.is_empty() || !unexpected.is_empty() {
            let _ = writeln!(problems, "{case}: missing {missing:?}, unexpected {unexpected:?}");
        }
    }
    assert!(problems.is_empty(), "{problems}all diagnostics:\n{}", first.shown());

    // The text renderer copes with the same inputs.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flask2django"));
    cmd.args(["inventory", "--format", "text"]).arg(&root);
    let text = process::run(&mut cmd, TIMEOUT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text.status.code(), Some(0), "--format text: {}", process::tail(&text.stderr, 40));
}
