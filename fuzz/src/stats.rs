//! Counters of a fuzzing session and the closing report.

use crate::coverage::Coverage;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// A divergence or contract violation, with how to reproduce it.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What went wrong.
    pub what: String,
    /// The command (or case file) that reproduces it.
    pub repro: String,
    /// The saved case, if one was written.
    pub file: Option<PathBuf>,
}

/// Everything counted during a session.
#[derive(Debug, Default)]
pub struct Stats {
    /// Differential cases run (generated modules).
    pub diff_cases: u64,
    /// Processes run per side for them (one more after each trap).
    pub runs: u64,
    /// Time in wasm2native compiling, its executables, wasmtime compiling, wasmtime running.
    pub time: [Duration; 4],
    /// Malformed-input cases run.
    pub malformed_cases: u64,
    /// Malformed inputs that still compiled.
    pub malformed_compiled: u64,
    /// Mutations applied, by kind (and beyond-2.0 modules, by proposal).
    pub mutations: BTreeMap<String, u64>,
    /// Beyond-2.0 modules that need their proposal.
    pub beyond_needing: u64,
    /// Of those (and of replayed ones), how many were rejected as invalid rather than
    /// `unsupported`.
    pub beyond_worded_invalid: u64,
    /// A command reproducing one of them.
    pub beyond_example: Option<String>,
    /// Saved cases replayed (each mode of a differential case counts once).
    pub replayed: u64,
    /// Cases that passed (inconclusive ones included).
    pub passed: u64,
    /// Cases with a finding.
    pub failed: u64,
    /// Cases that ended in stack exhaustion or a timeout before everything was compared.
    pub inconclusive: BTreeMap<String, u64>,
    /// Seeds wasm-smith could not turn into a module.
    pub generation_failures: u64,
    /// Traps that matched on both sides, by kind.
    pub traps: BTreeMap<String, u64>,
    /// Cases per code generation mode.
    pub modes: BTreeMap<String, u64>,
    /// Operators and features of the generated modules.
    pub coverage: Coverage,
    /// What was found.
    pub findings: Vec<Finding>,
}

impl Stats {
    /// Adds the counts of `other` (another worker's) to these.
    pub fn absorb(&mut self, other: Stats) {
        self.diff_cases += other.diff_cases;
        self.runs += other.runs;
        for (total, t) in self.time.iter_mut().zip(other.time) {
            *total += t;
        }
        self.malformed_cases += other.malformed_cases;
        self.malformed_compiled += other.malformed_compiled;
        add_all(&mut self.mutations, other.mutations);
        self.beyond_needing += other.beyond_needing;
        self.beyond_worded_invalid += other.beyond_worded_invalid;
        if self.beyond_example.is_none() {
            self.beyond_example = other.beyond_example;
        }
        self.replayed += other.replayed;
        self.passed += other.passed;
        self.failed += other.failed;
        add_all(&mut self.inconclusive, other.inconclusive);
        self.generation_failures += other.generation_failures;
        add_all(&mut self.traps, other.traps);
        add_all(&mut self.modes, other.modes);
        self.coverage.absorb(&other.coverage);
        self.findings.extend(other.findings);
    }

    /// The closing report; its last line is `N passed, M failed` (counted by `.ci/run`).
    pub fn report(&self, seed: u64, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64().max(1e-9);
        let cases = self.diff_cases + self.malformed_cases;
        let mut out = format!("== wasm2native-fuzz, seed {seed}, {secs:.1} s ==\n");
        out += &format!(
            "cases: {cases} ({:.2}/s): {} differential ({} runs per side), {} malformed \
             ({} still compiled); {} saved-case runs replayed\n",
            cases as f64 / secs,
            self.diff_cases,
            self.runs,
            self.malformed_cases,
            self.malformed_compiled,
            self.replayed
        );
        let t = self.time.map(|d| d.as_secs_f64());
        out += &format!(
            "time: wasm2native {:.1} s compiling, {:.1} s running; wasmtime {:.1} s compiling, \
             {:.1} s running\n",
            t[0], t[1], t[2], t[3]
        );
        let traps: u64 = self.traps.values().sum();
        out += &format!("traps compared: {traps} ({})\n", join(&self.traps));
        let inconclusive: u64 = self.inconclusive.values().sum();
        out += &format!(
            "inconclusive: {inconclusive} ({})\n",
            join(&self.inconclusive)
        );
        if self.generation_failures > 0 {
            out += &format!(
                "seeds skipped (generation failed): {}\n",
                self.generation_failures
            );
        }
        out += &format!("modes: {}\n", join(&self.modes));
        if !self.mutations.is_empty() {
            out += &format!("mutations: {}\n", join(&self.mutations));
        }
        out += &self.beyond_report();
        if self.coverage.hit().0 > 0 {
            out += &self.coverage.report();
            out += &format!(
                "\noperators never hit: {}\n",
                self.coverage.missed().join(" ")
            );
        }
        out += &self.findings_report();
        out += &format!("{} passed, {} failed\n", self.passed, self.failed);
        out
    }

    fn beyond_report(&self) -> String {
        if self.beyond_worded_invalid == 0 && self.beyond_needing == 0 {
            return String::new();
        }
        let mut out = format!(
            "valid modules needing a proposal beyond 2.0: {} generated, {} rejected as \
             `invalid wasm` instead of `unsupported:` (not counted as failures without \
             --strict-unsupported)\n",
            self.beyond_needing, self.beyond_worded_invalid
        );
        if let Some(e) = &self.beyond_example {
            out += &format!("  for example: {e}\n");
        }
        out
    }

    fn findings_report(&self) -> String {
        if self.findings.is_empty() {
            return "divergences: none\n".into();
        }
        let mut out = format!("divergences: {}\n", self.findings.len());
        for f in &self.findings {
            out += &format!("- {}\n  reproduce: {}\n", f.what, f.repro);
            if let Some(file) = &f.file {
                out += &format!("  case: {}\n", file.display());
            }
        }
        out
    }
}

fn add_all(to: &mut BTreeMap<String, u64>, from: BTreeMap<String, u64>) {
    for (k, v) in from {
        *to.entry(k).or_default() += v;
    }
}

fn join(map: &BTreeMap<String, u64>) -> String {
    if map.is_empty() {
        return "none".into();
    }
    let parts: Vec<String> = map.iter().map(|(k, v)| format!("{k} {v}")).collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_ends_with_the_ci_line() {
        let mut s = Stats {
            passed: 3,
            failed: 1,
            ..Stats::default()
        };
        s.findings.push(Finding {
            what: "stdout differs".into(),
            repro: "wasm2native-fuzz --seed 5 --cases 1".into(),
            file: None,
        });
        let r = s.report(1, Duration::from_secs(2));
        assert!(r.ends_with("3 passed, 1 failed\n"), "{r}");
        assert!(r.contains("--seed 5"));
    }

    #[test]
    fn absorb_adds_counts() {
        let mut a = Stats {
            passed: 2,
            ..Stats::default()
        };
        a.traps.insert("Unreachable".into(), 1);
        let mut b = Stats {
            passed: 3,
            failed: 1,
            ..Stats::default()
        };
        b.traps.insert("Unreachable".into(), 2);
        b.traps.insert("IntegerOverflow".into(), 1);
        a.absorb(b);
        assert_eq!((a.passed, a.failed), (5, 1));
        assert_eq!(a.traps["Unreachable"], 3);
        assert_eq!(a.traps["IntegerOverflow"], 1);
    }
}
