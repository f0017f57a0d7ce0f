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
    generate_cases(&mut fuzzer, args.mode, seed, budget, start)?;
    print!("{}", fuzzer.stats.report(seed, start.elapsed()));
    Ok(fuzzer.stats.failed == 0)
}

fn generate_cases(
    f: &mut driver::Fuzzer,
    mode: RunMode,
    seed: u64,
    budget: Budget,
    start: Instant,
) -> Result<()> {
    let mut last_progress = Instant::now();
    for n in 0.. {
        let done = match budget {
            Budget::Cases(max) => n >= max,
            Budget::Time(t) => start.elapsed() >= t,
        };
        if done {
            break;
        }
        let case = seed.wrapping_add(n);
        if mode != RunMode::Malformed {
            f.diff_case(case)?;
        }
        if mode != RunMode::Diff {
            f.malformed_case(case)?;
        }
        if last_progress.elapsed() >= Duration::from_secs(10) {
            last_progress = Instant::now();
            progress(f, start);
        }
    }
    Ok(())
}

fn progress(f: &driver::Fuzzer, start: Instant) {
    let s = &f.stats;
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
