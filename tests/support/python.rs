//! The Python virtual environment the differential tests run real Flask in.
//!
//! [`python()`] creates `<repo>/target/test-venv` on first use with `python3 -m venv` and installs
//! the pinned `tests/py/requirements.txt` into it. The interpreter that creates the venv is
//! `python3`, or whatever `FLASK2DJANGO_PYTHON` names. A hash of the requirements (and of that
//! interpreter choice) is kept in `target/test-venv/.requirements-hash`; when it no longer matches,
//! the venv is rebuilt from scratch.
//!
//! Tests of one process share the venv through a `OnceLock`; several test processes (for example
//! two `cargo test` runs) are kept apart by a lock file next to the venv.
//!
//! Anything that goes wrong here panics with an explanation: a test that needs real Python must
//! fail when Python is not there, never quietly skip.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, SystemTime};

use super::process;

/// Environment variable naming the interpreter used to create the venv.
pub const PYTHON_ENV_VAR: &str = "FLASK2DJANGO_PYTHON";

/// Bump to force every existing test venv to be rebuilt.
const LAYOUT_VERSION: &str = "1";

/// Oldest Python the pinned requirements install on.
const MIN_PYTHON: (u32, u32) = (3, 10);

const VENV_CREATE_TIMEOUT: Duration = Duration::from_secs(5 * 60);
const PIP_TIMEOUT: Duration = Duration::from_secs(20 * 60);
/// A lock file older than this is taken to be left over by a crashed run.
const LOCK_STALE_AFTER: Duration = Duration::from_secs(30 * 60);
/// How long to wait for another process that holds the lock.
const LOCK_WAIT: Duration = Duration::from_secs(35 * 60);

static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();

/// The repository root (where `Cargo.toml` is).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/py/` in the repository: the Python side of the tests.
pub fn py_dir() -> PathBuf {
    repo_root().join("tests").join("py")
}

/// Where the test venv lives.
pub fn venv_dir() -> PathBuf {
    repo_root().join("target").join("test-venv")
}

/// Path to the python executable of the test venv, created on first use.
pub fn python() -> &'static Path {
    match PYTHON.get_or_init(|| ensure_venv().map_err(|e| loud(&e))) {
        Ok(path) => path.as_path(),
        Err(message) => panic!("{message}"),
    }
}

/// A `Command` running `script` (relative to `tests/py/`) with the venv's python, with an
/// environment that keeps bytecode out of the analyzed trees and ignores the user's site packages.
pub fn script_command(script: &str) -> Command {
    let mut cmd = Command::new(python());
    cmd.arg(py_dir().join(script))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONNOUSERSITE", "1")
        .env("PYTHONIOENCODING", "utf-8")
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME");
    cmd
}

fn loud(message: &str) -> String {
    let bar = "=".repeat(78);
    format!(
        "\n{bar}\nTHE PYTHON TEST ENVIRONMENT COULD NOT BE SET UP\n{bar}\n{message}\n\n\
         These tests compare flask2django with real Flask and need Python 3 with the `venv` \
         module (Debian/Ubuntu: `apt-get install python3 python3-venv`) and access to the \
         package index for `pip install -r tests/py/requirements.txt`.\n\
         Set {PYTHON_ENV_VAR}=/path/to/python3 to choose another interpreter. The venv is \
         {venv}; delete it to start over.\n{bar}\n",
        venv = venv_dir().display()
    )
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

fn base_interpreter() -> String {
    std::env::var(PYTHON_ENV_VAR).ok().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "python3".to_string())
}

/// FNV-1a, 64 bit: stable across Rust releases, unlike `DefaultHasher`.
fn fnv1a(parts: &[&[u8]]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in *part {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separate the parts so that ("ab", "c") and ("a", "bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn ensure_venv() -> Result<PathBuf, String> {
    let requirements = py_dir().join("requirements.txt");
    let req_bytes = fs::read(&requirements).map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let interpreter = base_interpreter();
    let wanted_hash = fnv1a(&[LAYOUT_VERSION.as_bytes(), interpreter.as_bytes(), &req_bytes]);

    let venv = venv_dir();
    let python = venv_python(&venv);
    let hash_file = venv.join(".requirements-hash");

    let up_to_date =
        || python.is_file() && fs::read_to_string(&hash_file).map(|h| h.trim() == wanted_hash).unwrap_or(false);

    // Fast path: someone (maybe an earlier run) already built it.
    if up_to_date() {
        return Ok(python);
    }

    let parent = venv.parent().expect("the venv has a parent folder");
    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let _lock = LockFile::acquire(&parent.join("test-venv.lock"))?;

    // Another process may have built it while we waited for the lock.
    if up_to_date() {
        return Ok(python);
    }

    check_interpreter(&interpreter)?;

    eprintln!(
        "[test-venv] creating {} with {interpreter} and installing {} (first run, or the \
         requirements changed) ...",
        venv.display(),
        requirements.display()
    );
    // Drop a stale hash first: if anything below fails, the next run starts over.
    let _ = fs::remove_file(&hash_file);

    let created =
        process::run(Command::new(&interpreter).arg("-m").arg("venv").arg("--clear").arg(&venv), VENV_CREATE_TIMEOUT)?;
    if !created.success() || !python.is_file() {
        return Err(format!(
            "`{interpreter} -m venv --clear {}` failed ({}).\nstdout:\n{}\nstderr:\n{}",
            venv.display(),
            created.status,
            process::tail(&created.stdout, 40),
            process::tail(&created.stderr, 40)
        ));
    }

    let installed = process::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--no-input"])
            .arg("-r")
            .arg(&requirements)
            .env("PIP_NO_INPUT", "1")
            .env("PYTHONNOUSERSITE", "1")
            .env_remove("PYTHONPATH")
            .env_remove("PYTHONHOME"),
        PIP_TIMEOUT,
    )?;
    if !installed.success() {
        return Err(format!(
            "`pip install -r {}` failed in {} ({}).\nstdout:\n{}\nstderr:\n{}",
            requirements.display(),
            venv.display(),
            installed.status,
            process::tail(&installed.stdout, 60),
            process::tail(&installed.stderr, 60)
        ));
    }

    // A last sanity check that the packages the tests need really import.
    let probe = process::run(
        Command::new(&python).args([
            "-c",
            "import flask, flask_restful, flask_restx, flask_sqlalchemy, django; print(flask.__version__)",
        ]),
        Duration::from_secs(120),
    )?;
    if !probe.success() {
        return Err(format!(
            "the test venv {} was installed but its packages do not import:\n{}",
            venv.display(),
            process::tail(&probe.stderr, 40)
        ));
    }

    fs::write(&hash_file, format!("{wanted_hash}\n"))
        .map_err(|e| format!("cannot write {}: {e}", hash_file.display()))?;
    eprintln!("[test-venv] ready: Flask {}", probe.stdout.trim());
    Ok(python)
}

/// Fails unless `interpreter` runs and is a recent enough Python 3.
fn check_interpreter(interpreter: &str) -> Result<(), String> {
    let probe = process::run(
        Command::new(interpreter).args(["-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"]),
        Duration::from_secs(60),
    )
    .map_err(|e| {
        format!(
            "cannot run the Python interpreter `{interpreter}` ({e}). Install Python 3 or set \
             {PYTHON_ENV_VAR}."
        )
    })?;
    if !probe.success() {
        return Err(format!(
            "`{interpreter}` does not work as Python 3 with the venv module ({}):\n{}",
            probe.status,
            process::tail(&probe.stderr, 20)
        ));
    }
    let version = probe.stdout.trim().to_string();
    let parsed = version
        .split_once('.')
        .and_then(|(major, minor)| Some((major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?)));
    match parsed {
        Some(v) if v >= MIN_PYTHON => Ok(()),
        _ => Err(format!(
            "`{interpreter}` is Python {version:?}; the test requirements need Python {}.{} or newer.",
            MIN_PYTHON.0, MIN_PYTHON.1
        )),
    }
}

/// A lock held by creating a file exclusively; removed again on drop.
struct LockFile {
    path: PathBuf,
}

impl LockFile {
    fn acquire(path: &Path) -> Result<LockFile, String> {
        let started = SystemTime::now();
        let mut announced = false;
        loop {
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut file) => {
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(LockFile { path: path.to_path_buf() });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    if let Some(owner) = stale_owner(path) {
                        // Only remove it if it is still the same stale lock we looked at.
                        if fs::read_to_string(path).ok().as_deref() == Some(owner.as_str()) {
                            let _ = fs::remove_file(path);
                        }
                        continue;
                    }
                    if started.elapsed().unwrap_or_default() > LOCK_WAIT {
                        return Err(format!(
                            "gave up waiting for {} after {}s; if no other test run is busy \
                             building the venv, delete that file.",
                            path.display(),
                            LOCK_WAIT.as_secs()
                        ));
                    }
                    if !announced {
                        eprintln!(
                            "[test-venv] waiting for another test process to finish building the \
                             venv (lock {}) ...",
                            path.display()
                        );
                        announced = true;
                    }
                    thread::sleep(Duration::from_millis(500));
                }
                Err(e) => return Err(format!("cannot create the lock file {}: {e}", path.display())),
            }
        }
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// If the lock at `path` was left by a process that is gone (or is very old), its contents.
fn stale_owner(path: &Path) -> Option<String> {
    let contents = fs::read_to_string(path).ok()?;
    let age = fs::metadata(path).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).unwrap_or_default();
    if age > LOCK_STALE_AFTER {
        return Some(contents);
    }
    match contents.trim().parse::<u32>() {
        // Where /proc exists, a lock whose process is gone is stale at once.
        Ok(pid) if Path::new("/proc/self").exists() => {
            (!Path::new(&format!("/proc/{pid}")).exists()).then_some(contents)
        }
        Ok(_) => None,
        // Empty or garbled: the owner may be between creating and writing it; give it a moment.
        Err(_) => (age > Duration::from_secs(10)).then_some(contents),
    }
}

/// Runs `python manage.py ARGS` of a generated Django project with the venv's Python.
pub fn manage(project: &Path, args: &[&str], timeout: Duration) -> Result<process::Finished, String> {
    process::run(
        Command::new(python())
            .arg("manage.py")
            .args(args)
            .current_dir(project)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("DJANGO_SECRET_KEY", "test"),
        timeout,
    )
}

/// `ruff format --check --diff` over a folder with the venv's ruff: the diff, as the error,
/// when some file is not formatted as ruff formats it.
pub fn ruff_format_check(dir: &Path, timeout: Duration) -> Result<(), String> {
    let ruff = venv_dir().join("bin").join("ruff");
    let r = process::run(Command::new(&ruff).args(["format", "--check", "--diff"]).arg(dir), timeout)?;
    if r.success() {
        Ok(())
    } else {
        Err(r.stdout)
    }
}

/// Runs `code` in the generated Django project in `out`, once Django is set up with its
/// settings, and returns what it printed; panics with its output when it fails.
pub fn run_in_django(out: &Path, code: &str, timeout: Duration) -> String {
    let code =
        format!("import os, django\nos.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'\ndjango.setup()\n{code}");
    run_code(&code, out, &[("DJANGO_SECRET_KEY", "test")], timeout)
}

/// Runs `python -c CODE` with the venv's Python in `dir`, with `env` added to its environment,
/// and returns what it printed; panics with its output when it fails.
pub fn run_code(code: &str, dir: &Path, env: &[(&str, &str)], timeout: Duration) -> String {
    let mut cmd = Command::new(python());
    cmd.args(["-c", code]).current_dir(dir).env("PYTHONDONTWRITEBYTECODE", "1").envs(env.iter().copied());
    let r = process::run(&mut cmd, timeout).unwrap();
    assert!(r.success(), "{}\n{}", r.stdout, process::tail(&r.stderr, 30));
    r.stdout
}
