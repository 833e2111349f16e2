//! Running child processes from tests without ever hanging the test run.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// What a finished child process left behind.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    pub fn success(&self) -> bool {
        self.status.success()
    }
}

/// Runs `cmd` to completion, capturing stdout and stderr (lossily decoded as UTF-8).
///
/// The child is killed once `timeout` has passed, and that is reported as an error, as is a
/// failure to start it. A non-zero exit status is *not* an error: callers look at
/// [`Finished::status`].
pub fn run(cmd: &mut Command, timeout: Duration) -> Result<Finished, String> {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {shown}: {e}"))?;

    // Drain both pipes on their own threads so a chatty child never blocks on a full pipe.
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });

    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = err_reader.join().unwrap_or_default();
                return Err(format!(
                    "{shown} did not finish within {}s and was killed; its stderr:\n{}",
                    timeout.as_secs(),
                    tail(&String::from_utf8_lossy(&stderr), 60)
                ));
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("waiting for {shown} failed: {e}")),
        }
    };

    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Finished {
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// The last `lines` lines of `text`, for error messages.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let mut out = String::new();
    if start > 0 {
        out.push_str(&format!("[... {start} earlier lines]\n"));
    }
    out.push_str(&all[start..].join("\n"));
    out
}

/// `flask2django convert FROM --out OUT`, which must succeed.
pub fn convert(from: &std::path::Path, out: &std::path::Path) {
    let r = run(
        Command::new(env!("CARGO_BIN_EXE_flask2django")).arg("convert").arg(from).arg("--out").arg(out),
        Duration::from_secs(300),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.success(), "convert {} failed:\n{}{}", from.display(), r.stdout, r.stderr);
}
