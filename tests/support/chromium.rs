//! Headless Chromium for the tests that look at the HTML report as a browser shows it.
//!
//! [`chromium()`] is Debian's `/usr/bin/chromium` (or what `FLASK2DJANGO_CHROMIUM` names). When
//! it is missing, as on a clean CI machine, it is installed once with `apt-get` (the machine runs
//! as root and reaches Debian's package registry); tests of one process share that through a
//! `OnceLock`, several test processes are kept apart by a lock file under `target/`. Anything
//! that goes wrong panics with an explanation: a test that needs a browser fails without one,
//! never quietly skips.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use super::process;

/// Environment variable naming a Chromium executable to use instead of Debian's.
pub const CHROMIUM_ENV_VAR: &str = "FLASK2DJANGO_CHROMIUM";

const DEBIAN_CHROMIUM: &str = "/usr/bin/chromium";
const APT_UPDATE_TIMEOUT: Duration = Duration::from_secs(5 * 60);
const APT_INSTALL_TIMEOUT: Duration = Duration::from_secs(20 * 60);
const LOCK_WAIT: Duration = Duration::from_secs(30 * 60);
/// One page load, screenshot or DOM dump.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(120);

static CHROMIUM: OnceLock<Result<PathBuf, String>> = OnceLock::new();

/// The Chromium executable, installed with `apt-get` on first use when it is missing.
pub fn chromium() -> PathBuf {
    match CHROMIUM.get_or_init(ensure) {
        Ok(path) => path.clone(),
        Err(message) => {
            let bar = "=".repeat(78);
            panic!("\n{bar}\nheadless Chromium is needed for this test and is not available:\n{message}\n{bar}\n")
        }
    }
}

fn ensure() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(CHROMIUM_ENV_VAR).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("{CHROMIUM_ENV_VAR}={} names no file", path.display()))
        };
    }
    let path = PathBuf::from(DEBIAN_CHROMIUM);
    if path.is_file() {
        return Ok(path);
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    fs::create_dir_all(&target).map_err(|e| format!("cannot create {}: {e}", target.display()))?;
    let _lock = Lock::acquire(&target.join("chromium-install.lock"))?;
    // Another test process may have installed it while we waited.
    if path.is_file() {
        return Ok(path);
    }
    let started = Instant::now();
    eprintln!("[chromium] {DEBIAN_CHROMIUM} is missing; installing Debian's chromium package with apt-get ...");
    apt(&["update"], APT_UPDATE_TIMEOUT)?;
    apt(&["install", "-y", "--no-install-recommends", "chromium"], APT_INSTALL_TIMEOUT)?;
    if !path.is_file() {
        return Err(format!("`apt-get install chromium` succeeded but {DEBIAN_CHROMIUM} is still missing"));
    }
    eprintln!("[chromium] installed in {:.0}s", started.elapsed().as_secs_f64());
    Ok(path)
}

fn apt(args: &[&str], timeout: Duration) -> Result<(), String> {
    let done = process::run(
        Command::new("apt-get").args(args).env("DEBIAN_FRONTEND", "noninteractive"),
        timeout,
    )
    .map_err(|e| format!("{e}\n(apt-get is needed to install Chromium; install the `chromium` package by hand, or set {CHROMIUM_ENV_VAR})"))?;
    if !done.success() {
        return Err(format!(
            "`apt-get {}` failed ({}); it needs root and Debian's package registry. Its output:\n{}\n{}",
            args.join(" "),
            done.status,
            process::tail(&done.stdout, 20),
            process::tail(&done.stderr, 40)
        ));
    }
    Ok(())
}

/// A headless Chromium command with a fresh profile in `profile` and no network of its own
/// (no updates, sync or background requests): add the page-specific flags and the URL.
pub fn headless(profile: &Path) -> Command {
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// The `file://` URL of an absolute path.
pub fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' | b'~' => url.push(b as char),
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// A lock held by creating a file exclusively; removed again on drop. A lock whose process is
/// gone is taken over.
struct Lock(PathBuf);

impl Lock {
    fn acquire(path: &Path) -> Result<Lock, String> {
        let started = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut file) => {
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(Lock(path.to_path_buf()));
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let owner = fs::read_to_string(path).unwrap_or_default();
                    let gone = match owner.trim().parse::<u32>() {
                        Ok(pid) => !Path::new(&format!("/proc/{pid}")).exists(),
                        Err(_) => started.elapsed() > Duration::from_secs(10),
                    };
                    if gone {
                        let _ = fs::remove_file(path);
                        continue;
                    }
                    if started.elapsed() > LOCK_WAIT {
                        return Err(format!(
                            "gave up waiting for {} (held by process {})",
                            path.display(),
                            owner.trim()
                        ));
                    }
                    thread::sleep(Duration::from_millis(500));
                }
                Err(e) => return Err(format!("cannot create the lock file {}: {e}", path.display())),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}
