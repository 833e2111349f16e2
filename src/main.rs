use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc: the inventory allocates millions of small tree nodes and strings from two threads;
/// glibc's allocator spends much of the run in malloc/free and keeps more memory than it uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in the `mi_option_t` of the mimalloc (v3) this binary links.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Memory freed during a run goes back to the system after 1 ms instead of mimalloc's default
/// 1 s, which is longer than most runs: the inventory frees large parts of its state between
/// stages (each module's tree once it has run, rule records once routes are built, SQLAlchemy
/// values once models are read) and the next stage's allocations are of other sizes. On the
/// 1M-line benchmark this, with those frees, lowers peak RSS by about 15 MB for a few
/// milliseconds of system time. `MIMALLOC_PURGE_DELAY`, when set, still decides.
fn purge_freed_memory_promptly() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called once, at the start of `main`, before any other thread exists.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    }
}

fn main() -> ExitCode {
    purge_freed_memory_promptly();
    let cli = match flask2django::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = flask2django::run(cli, &mut out).and_then(|o| {
        out.flush()?;
        Ok(o)
    });
    match result {
        Ok(flask2django::Outcome::Success) => ExitCode::SUCCESS,
        Ok(flask2django::Outcome::Failure) => ExitCode::from(1),
        Err(e) => {
            // A closed pipe (`| head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("flask2django: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
