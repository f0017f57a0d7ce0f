//! Runs cases: generated differential cases, malformed-input cases, and replays of saved ones.

use crate::cases::{self, Kind};
use crate::diff::{Engines, Verdict, check};
use crate::generate;
use crate::malformed::{Contract, check_contract, judge_beyond, mutate};
use crate::native::Mode;
use crate::rng::Rng;
use crate::stats::{Finding, Stats};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Mixed into a case seed for its mode choice and its mutation.
const MODE_SALT: u64 = 0x6d6f_6465;
const MUTATION_SALT: u64 = 0x6d75_7461;

/// A fuzzing session.
pub struct Fuzzer {
    /// Both engines.
    pub engines: Engines,
    /// The modes this host can run.
    pub modes: Vec<Mode>,
    /// Scratch directory for modules and executables.
    pub work: tempfile::TempDir,
    /// Where divergent cases are saved.
    pub save_dir: PathBuf,
    /// Whether to shrink divergent modules before saving them.
    pub shrink: bool,
    /// Whether valid wasm beyond 2.0 must be reported as `unsupported` (else only counted).
    pub strict_unsupported: bool,
    /// Where to write each generated module and its wrapped form, if anywhere.
    pub dump: Option<PathBuf>,
    /// Print every case's seed, mode and verdict.
    pub verbose: bool,
    /// Counters.
    pub stats: Stats,
}

impl Fuzzer {
    /// Another fuzzer with the same settings, its own scratch directory and fresh counters
    /// (for a worker thread).
    pub fn worker(&self) -> Result<Fuzzer> {
        Ok(Fuzzer {
            engines: self.engines.clone(),
            modes: self.modes.clone(),
            work: tempfile::tempdir()?,
            save_dir: self.save_dir.clone(),
            shrink: self.shrink,
            strict_unsupported: self.strict_unsupported,
            dump: self.dump.clone(),
            verbose: self.verbose,
            stats: Stats::default(),
        })
    }

    /// The mode case `seed` is compiled in.
    pub fn mode_for(&self, seed: u64) -> Mode {
        let i = Rng::new(seed ^ MODE_SALT).below(self.modes.len());
        self.modes[i]
    }

    /// Generates the module of `seed` and checks it differentially.
    pub fn diff_case(&mut self, seed: u64) -> Result<()> {
        let Ok(wasm) = generate::module(seed) else {
            self.stats.generation_failures += 1;
            return Ok(());
        };
        self.stats.coverage.add(&wasm)?;
        self.stats.diff_cases += 1;
        if let Some(dir) = &self.dump {
            dump(dir, seed, &wasm)?;
        }
        let mode = self.mode_for(seed);
        *self.stats.modes.entry(mode.to_string()).or_default() += 1;
        let repro = format!("wasm2native-fuzz --mode diff --seed {seed} --cases 1");
        let verdict = self.check_one(&wasm, mode, &repro);
        if let Some(sig) = verdict {
            self.save_divergence(&wasm, seed, mode, &sig, repro)?;
        }
        Ok(())
    }

    /// Checks `wasm` in `mode`; counts the outcome and returns the divergence's signature and
    /// detail if there is one (a harness error counts as a divergence too).
    fn check_one(&mut self, wasm: &[u8], mode: Mode, repro: &str) -> Option<(String, String)> {
        let (verdict, seen) = match check(&self.engines, wasm, mode, self.work.path()) {
            Ok(r) => r,
            Err(e) => {
                let what = format!("harness error ({mode}): {e:#}");
                return self.fail(what, repro.into(), None);
            }
        };
        self.stats.runs += u64::from(seen.runs);
        for (total, t) in self.stats.time.iter_mut().zip(seen.time) {
            *total += t;
        }
        if self.verbose {
            println!("{repro}: {mode}: {verdict:?}, {} runs", seen.runs);
        }
        for t in seen.traps {
            *self.stats.traps.entry(t.to_string()).or_default() += 1;
        }
        match verdict {
            Verdict::Pass => self.stats.passed += 1,
            Verdict::Inconclusive(why) => {
                self.stats.passed += 1;
                *self.stats.inconclusive.entry(why).or_default() += 1;
            }
            Verdict::Diverge(d) => {
                println!(
                    "DIVERGENCE ({mode}): {}\n{}\n  reproduce: {repro}",
                    d.signature, d.detail
                );
                self.stats.failed += 1;
                return Some((d.signature, d.detail));
            }
        }
        None
    }

    fn fail(
        &mut self,
        what: String,
        repro: String,
        file: Option<PathBuf>,
    ) -> Option<(String, String)> {
        println!("FAILURE: {what}\n  reproduce: {repro}");
        self.stats.failed += 1;
        self.stats.findings.push(Finding { what, repro, file });
        None
    }

    /// Shrinks (unless disabled) and saves a divergent generated module; records the finding.
    fn save_divergence(
        &mut self,
        wasm: &[u8],
        seed: u64,
        mode: Mode,
        (signature, detail): &(String, String),
        repro: String,
    ) -> Result<()> {
        let small = if self.shrink {
            println!("shrinking ({} bytes)...", wasm.len());
            cases::shrink(&self.engines, wasm, mode, signature, self.work.path())
        } else {
            wasm.to_vec()
        };
        let comment = format!(
            "seed {seed}, mode {mode}: {signature}\n{detail}\nreproduce: {repro}\n\
             replay: wasm2native-fuzz --replay <this directory>"
        );
        let file = cases::save(&self.save_dir, &format!("diff-{seed}"), &small, &comment)?;
        println!("saved {} ({} bytes of wasm)", file.display(), small.len());
        self.stats.findings.push(Finding {
            what: format!("{signature} ({mode})"),
            repro,
            file: Some(file),
        });
        Ok(())
    }

    /// Mutates the module of `seed` and checks the compiler's error contract on it; one seed
    /// in eight instead generates a valid module with a proposal beyond 2.0 enabled.
    pub fn malformed_case(&mut self, seed: u64) -> Result<()> {
        let mut rng = Rng::new(seed ^ MUTATION_SALT);
        if rng.chance(1, 8) {
            return self.beyond_case(seed);
        }
        let Ok(wasm) = generate::module(seed) else {
            self.stats.generation_failures += 1;
            return Ok(());
        };
        let (mutation, bad) = mutate(&wasm, &mut rng);
        *self
            .stats
            .mutations
            .entry(format!("{mutation:?}"))
            .or_default() += 1;
        self.stats.malformed_cases += 1;
        let exe = rng.chance(1, 8);
        let repro = format!("wasm2native-fuzz --mode malformed --seed {seed} --cases 1");
        let contract = self.contract(&bad, exe)?;
        if self.verbose {
            println!("{repro}: {mutation:?}: {contract:?}");
        }
        self.count_contract(
            contract,
            &bad,
            &format!("{}{seed}", cases::MALFORMED_PREFIX),
            repro,
        )
    }

    /// A valid module generated with a proposal beyond 2.0 enabled: rejected cleanly if it
    /// uses it, compiled (or not) like any module otherwise.
    fn beyond_case(&mut self, seed: u64) -> Result<()> {
        let Ok((feature, wasm)) = generate::beyond_module(seed) else {
            self.stats.generation_failures += 1;
            return Ok(());
        };
        *self
            .stats
            .mutations
            .entry(format!("beyond 2.0: {feature}"))
            .or_default() += 1;
        self.stats.malformed_cases += 1;
        let repro = format!("wasm2native-fuzz --mode malformed --seed {seed} --cases 1");
        let contract = self.contract(&wasm, false)?;
        let needs = generate::validate(&wasm).is_err();
        let (contract, worded_invalid) =
            judge_beyond(contract, needs, feature, self.strict_unsupported);
        if self.verbose {
            println!("{repro}: beyond 2.0 ({feature}, needed: {needs}): {contract:?}");
        }
        self.stats.beyond_needing += u64::from(needs);
        if worded_invalid {
            self.stats.beyond_worded_invalid += 1;
            self.stats.beyond_example.get_or_insert(repro.clone());
        }
        self.count_contract(
            contract,
            &wasm,
            &format!("{}{seed}", cases::BEYOND_PREFIX),
            repro,
        )
    }

    fn contract(&self, input: &[u8], exe: bool) -> Result<Contract> {
        let dir = self.work.path();
        let path = dir.join("malformed.wasm");
        std::fs::write(&path, input)?;
        let out = dir.join(if exe { "malformed" } else { "malformed.o" });
        let mut args: Vec<String> = vec![];
        if !exe {
            args.extend(["--emit".into(), "obj".into()]);
        }
        args.extend(["-o".into(), out.display().to_string()]);
        check_contract(&self.engines.native, &path, &out, &args)
    }

    fn count_contract(
        &mut self,
        c: Contract,
        input: &[u8],
        name: &str,
        repro: String,
    ) -> Result<()> {
        match c {
            Contract::Compiled => {
                self.stats.malformed_compiled += 1;
                self.stats.passed += 1;
            }
            Contract::Rejected(_) => self.stats.passed += 1,
            Contract::Violation(why) => {
                let file = self.save_dir.join(format!("{name}.wasm"));
                std::fs::create_dir_all(&self.save_dir)?;
                std::fs::write(&file, input)?;
                self.fail(format!("error contract: {why}"), repro, Some(file));
            }
        }
        Ok(())
    }

    /// Replays every saved case of `dir`: differential ones in every mode, malformed and
    /// beyond-2.0 ones against the error contract.
    pub fn replay(&mut self, dir: &Path) -> Result<()> {
        let list = cases::list(dir)?;
        println!(
            "replaying {} saved cases from {}",
            list.len(),
            dir.display()
        );
        for (path, kind) in list {
            let repro = format!("wasm2native-fuzz --replay {}", dir.display());
            match kind {
                Kind::Diff => self.replay_diff(&path, &repro)?,
                Kind::Malformed | Kind::Beyond => self.replay_contract(&path, kind, &repro)?,
            }
        }
        Ok(())
    }

    fn replay_contract(&mut self, path: &Path, kind: Kind, repro: &str) -> Result<()> {
        self.stats.replayed += 1;
        let input = match cases::load(path) {
            Ok(w) => w,
            Err(e) => {
                self.fail(format!("{e:#}"), repro.into(), Some(path.into()));
                return Ok(());
            }
        };
        let mut c = self.contract(&input, false)?;
        if kind == Kind::Beyond {
            let needs = generate::validate(&input).is_err();
            let feature = "a proposal beyond 2.0";
            let (judged, worded_invalid) = judge_beyond(c, needs, feature, self.strict_unsupported);
            self.stats.beyond_worded_invalid += u64::from(worded_invalid);
            c = judged;
        }
        match c {
            Contract::Violation(why) => {
                let what = format!("{}: error contract: {why}", path.display());
                self.fail(what, repro.into(), None);
            }
            _ => self.stats.passed += 1,
        }
        Ok(())
    }

    fn replay_diff(&mut self, path: &Path, repro: &str) -> Result<()> {
        let wasm = match cases::load(path) {
            Ok(w) => w,
            Err(e) => {
                self.fail(format!("{e:#}"), repro.into(), Some(path.into()));
                return Ok(());
            }
        };
        for mode in self.modes.clone() {
            self.stats.replayed += 1;
            if let Some((sig, _)) = self.check_one(&wasm, mode, repro) {
                let what = format!("{}: {sig} ({mode})", path.display());
                self.stats.findings.push(Finding {
                    what,
                    repro: repro.into(),
                    file: Some(path.into()),
                });
            }
        }
        Ok(())
    }
}

/// Writes `case-<seed>.wat` and `case-<seed>.wrapped.wat` into `dir`.
fn dump(dir: &Path, seed: u64, wasm: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let wrapped = crate::wrap::wrap(wasm)?.wasm;
    for (name, bytes) in [("", wasm), (".wrapped", &wrapped[..])] {
        let text = wasmprinter::print_bytes(bytes)?;
        std::fs::write(dir.join(format!("case-{seed}{name}.wat")), text)?;
    }
    Ok(())
}
