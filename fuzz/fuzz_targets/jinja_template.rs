//! Arbitrary bytes through the template scanner, as the inventory reads a template: text that is
//! not UTF-8 is skipped there, so only UTF-8 input goes on to `scan_template`, on a worker with
//! the stack the inventory gives its workers. Any panic, hang, stack overflow or runaway
//! allocation is a finding; a syntax error is a normal result.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// `inventory::build` scans templates on rayon workers with 256 MiB stacks.
const STACK_SIZE: usize = 256 * 1024 * 1024;

fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(1).stack_size(STACK_SIZE).build().unwrap())
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pool().install(|| flask2django::parse::jinja::scan_template(text, "fuzz.html"));
    }
});
