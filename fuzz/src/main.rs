//! `wasm2native-fuzz`: a differential fuzzer for wasm2native (wasm-smith modules, compiled by
//! wasm2native in its code generation modes, against wasmtime), plus a malformed-input mode
//! checking the compiler's error contract. See `fuzz/README.md`.

mod cases;
mod coverage;
mod diff;
mod driver;
mod generate;
mod malformed;
mod native;
mod outcome;
mod parts;
mod reference;
mod rng;
mod stats;
mod wrap;

use anyhow::Result;
use clap::{Parser, ValueEnum};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What kind of cases to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RunMode {
    /// Differential: wasm2native against wasmtime.
    Diff,
    /// Malformed input: the compiler's error contract.
    Malformed,
    /// Each seed in both.
    Both,
}

/// Differential fuzzer for wasm2native.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Kind of cases.
    #[arg(long, value_enum, default_value = "diff")]
    mode: RunMode,
    /// First case seed (case n uses seed + n); default: from the clock.
    #[arg(long)]
    seed: Option<u64>,
    /// Number of seeds to run (default 100, or none with --replay).
    #[arg(long, conflicts_with = "time")]
    cases: Option<u64>,
    /// Run seeds for this many seconds.
    #[arg(long)]
    time: Option<u64>,
    /// Replay the saved cases of this directory first (e.g. fuzz/cases).
    #[arg(long)]
    replay: Option<PathBuf>,
    /// The wasm2native binary (default: next to this executable).
    #[arg(long)]
    wasm2native: Option<PathBuf>,
    /// Where divergent cases are saved.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/cases"))]
    save: PathBuf,
    /// Save divergent modules without shrinking them.
    #[arg(long)]
    no_shrink: bool,
    /// Fail when valid wasm using a proposal beyond 2.0 is rejected without saying
    /// `unsupported` (by default such cases are only counted).
    #[arg(long)]
    strict_unsupported: bool,
    /// Print every case: its seed, mode or mutation, and verdict.
    #[arg(short, long)]
    verbose: bool,
    /// Worker threads running cases (default: the number of CPUs).
    #[arg(long)]
    jobs: Option<usize>,
    /// Also write each generated module and its wrapped form (WAT) into this directory.
    #[arg(long)]
    dump: Option<PathBuf>,
}

/// When to stop generating cases.
enum Budget {
    Cases(u64),
    Time(Duration),
}

fn main() {
    match run(Args::parse()) {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}

/// Runs the session; `Ok(false)` if anything diverged.
fn run(args: Args) -> Result<bool> {
    let seed = args.seed.unwrap_or_else(clock_seed);
    let budget = match (args.cases, args.time, &args.replay) {
        (_, Some(t), _) => Budget::Time(Duration::from_secs(t)),
        (Some(n), _, _) => Budget::Cases(n),
        (None, None, Some(_)) => Budget::Cases(0),
        (None, None, None) => Budget::Cases(100),
    };
    let mut fuzzer = driver::Fuzzer {
        engines: diff::Engines {
            reference: reference::Reference::new()?,
            native: native::Native::locate(args.wasm2native.clone())?,
        },
        modes: native::Mode::all(),
        work: tempfile::tempdir()?,
        save_dir: args.save.clone(),
        shrink: !args.no_shrink,
        strict_unsupported: args.strict_unsupported,
        dump: args.dump.clone(),
        verbose: args.verbose,
        stats: stats::Stats::default(),
    };
    println!(
        "wasm2native-fuzz: seed {seed}, mode {:?}, wasm2native {}",
        args.mode,
        fuzzer.engines.native.bin.display()
    );
    let start = Instant::now();
    if let Some(dir) = &args.replay {
        fuzzer.replay(dir)?;
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let workers = (0..jobs.max(1))
        .map(|_| fuzzer.worker().map(Mutex::new))
        .collect::<Result<Vec<_>>>()?;
    run_workers(&workers, args.mode, seed, &budget, start)?;
    for w in workers {
        let w = w
            .into_inner()
            .map_err(|_| anyhow::anyhow!("a worker panicked"))?;
        fuzzer.stats.absorb(w.stats);
    }
    print!("{}", fuzzer.stats.report(seed, start.elapsed()));
    Ok(fuzzer.stats.failed == 0)
}

/// Runs seeds on every worker until the budget is spent, printing progress every 10 s.
fn run_workers(
    workers: &[Mutex<driver::Fuzzer>],
    mode: RunMode,
    seed: u64,
    budget: &Budget,
    start: Instant,
) -> Result<()> {
    let next = AtomicU64::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = workers
            .iter()
            .map(|w| scope.spawn(|| work(w, &next, mode, seed, budget, start)))
            .collect();
        let mut last_progress = Instant::now();
        while !handles.iter().all(|h| h.is_finished()) {
            std::thread::sleep(Duration::from_millis(100));
            if last_progress.elapsed() >= Duration::from_secs(10) {
                last_progress = Instant::now();
                progress(workers, start);
            }
        }
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
        }
        Ok(())
    })
}

/// One worker: takes the next seed until the budget is spent.
fn work(
    w: &Mutex<driver::Fuzzer>,
    next: &AtomicU64,
    mode: RunMode,
    seed: u64,
    budget: &Budget,
    start: Instant,
) -> Result<()> {
    loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        let done = match budget {
            Budget::Cases(max) => n >= *max,
            Budget::Time(t) => start.elapsed() >= *t,
        };
        if done {
            return Ok(());
        }
        let case = seed.wrapping_add(n);
        let mut f = w.lock().map_err(|_| anyhow::anyhow!("a worker panicked"))?;
        if mode != RunMode::Malformed {
            f.diff_case(case)?;
        }
        if mode != RunMode::Diff {
            f.malformed_case(case)?;
        }
    }
}

fn progress(workers: &[Mutex<driver::Fuzzer>], start: Instant) {
    let mut s = stats::Stats::default();
    for w in workers {
        if let Ok(w) = w.lock() {
            s.diff_cases += w.stats.diff_cases;
            s.malformed_cases += w.stats.malformed_cases;
            s.failed += w.stats.failed;
            s.coverage.absorb(&w.stats.coverage);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cases = s.diff_cases + s.malformed_cases;
    println!(
        "[{secs:.0}s] {cases} cases ({:.2}/s), {} failed, operators hit {}/{}",
        cases as f64 / secs,
        s.failed,
        s.coverage.hit().0,
        s.coverage.hit().1
    );
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
