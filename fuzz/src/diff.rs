//! The differential check of one module: wrap it, run it under wasm2native (one mode) and
//! wasmtime, resume after each matching trap, and compare.

use crate::native::{Mode, Native};
use crate::outcome::{End, Run, TrapKind};
use crate::reference::Reference;
use crate::wrap::wrap;
use anyhow::Result;
use std::path::Path;
use std::time::{Duration, Instant};

/// Both engines.
#[derive(Clone)]
pub struct Engines {
    /// wasmtime, in-process.
    pub reference: Reference,
    /// The wasm2native binary.
    pub native: Native,
}

/// A difference between the engines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    /// What differs, without details: shrinking keeps candidates with the same signature.
    pub signature: String,
    /// The details (differing lines, messages).
    pub detail: String,
}

/// The result of checking one module in one mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Everything matched.
    Pass,
    /// Matched as far as it could be compared; then stack exhaustion or a timeout.
    Inconclusive(String),
    /// The engines disagree.
    Diverge(Divergence),
}

/// What checking a module observed besides the verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    /// Traps that happened on both sides with the same kind.
    pub traps: Vec<TrapKind>,
    /// Runs (processes) it took.
    pub runs: u32,
    /// Time spent: wasm2native compiling, its executable running, wasmtime compiling,
    /// wasmtime running.
    pub time: [Duration; 4],
}

/// One step of the comparison.
enum Step {
    Resume(u32),
    Done(Verdict),
}

fn diverge(signature: impl Into<String>, detail: impl Into<String>) -> Verdict {
    Verdict::Diverge(Divergence {
        signature: signature.into(),
        detail: detail.into(),
    })
}

/// Checks `wasm` (an unwrapped module) in `mode`, using `dir` for files. An `Err` is a problem
/// of the fuzzer (the wrapper or wasmtime rejected the module), not a divergence.
pub fn check(e: &Engines, wasm: &[u8], mode: Mode, dir: &Path) -> Result<(Verdict, Observed)> {
    let wrapped = wrap(wasm)?;
    let mut seen = Observed::default();
    let t = Instant::now();
    let module = e.reference.compile(&wrapped.wasm)?;
    seen.time[2] += t.elapsed();
    let input = dir.join("case.wasm");
    let exe = dir.join("case");
    std::fs::write(&input, &wrapped.wasm)?;
    let _ = std::fs::remove_file(&exe);
    let t = Instant::now();
    let compiled = e.native.compile(&input, mode, &exe);
    seen.time[0] += t.elapsed();
    if let Err(err) = compiled {
        let v = diverge("wasm2native failed to compile", format!("{err:#}"));
        return Ok((v, seen));
    }
    let mut k = 0;
    loop {
        let t = Instant::now();
        let native = Native::run(&exe, k)?;
        seen.time[1] += t.elapsed();
        let t = Instant::now();
        let reference = e.reference.run(&module, k);
        seen.time[3] += t.elapsed();
        seen.runs += 1;
        match compare(&native, &reference, wrapped.calls, &mut seen) {
            Step::Resume(next) => k = next,
            Step::Done(v) => return Ok((v, seen)),
        }
    }
}

/// Compares one run of each side, started at the same call.
fn compare(n: &Run, r: &Run, calls: u32, seen: &mut Observed) -> Step {
    if let (End::Crash(_), _) | (_, End::Crash(_)) = (&n.end, &r.end) {
        let sig = format!(
            "crash: wasm2native {} / wasmtime {}",
            kind(&n.end),
            kind(&r.end)
        );
        return Step::Done(diverge(
            sig,
            format!("wasm2native {}\nwasmtime {}", n.end, r.end),
        ));
    }
    if let Some(v) = inconclusive(n, r) {
        return Step::Done(v);
    }
    if n.stdout != r.stdout {
        return Step::Done(diverge("stdout differs", first_difference(n, r)));
    }
    if n.end != r.end {
        let sig = format!("end differs: wasm2native {} / wasmtime {}", n.end, r.end);
        let detail = format!("after:\n{}", tail(&n.stdout));
        return Step::Done(diverge(sig, detail));
    }
    let End::Trap(trap) = &n.end else {
        return Step::Done(Verdict::Pass);
    };
    seen.traps.push(trap.clone());
    match n.last_call() {
        Some(i) if i + 1 < calls => Step::Resume(i + 1),
        _ => Step::Done(Verdict::Pass),
    }
}

/// Stack exhaustion or a timeout on either side ends the comparison, after checking that the
/// output before the call concerned matches.
fn inconclusive(n: &Run, r: &Run) -> Option<Verdict> {
    let stopped = |run: &Run| matches!(run.end, End::Timeout | End::Trap(TrapKind::StackOverflow));
    let side = if stopped(n) {
        n
    } else if stopped(r) {
        r
    } else {
        return None;
    };
    let why = format!("{}", side.end);
    let Some(i) = side.last_call() else {
        return Some(Verdict::Inconclusive(why));
    };
    if n.before_call(i) != r.before_call(i) {
        let detail = first_difference(n, r);
        return Some(diverge("stdout differs", detail));
    }
    Some(Verdict::Inconclusive(why))
}

fn kind(end: &End) -> &'static str {
    match end {
        End::Exit(_) => "exit",
        End::Trap(_) => "trap",
        End::Timeout => "timeout",
        End::Crash(_) => "crash",
    }
}

/// The first differing line of the two outputs, with the line before it.
fn first_difference(n: &Run, r: &Run) -> String {
    let (a, b) = (
        String::from_utf8_lossy(&n.stdout),
        String::from_utf8_lossy(&r.stdout),
    );
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = (0..la.len().max(lb.len()))
        .find(|&i| la.get(i) != lb.get(i))
        .unwrap_or(0);
    let context = if i > 0 { la[i - 1] } else { "(start)" };
    format!(
        "line {}, after `{context}`:\n  wasm2native: {}\n  wasmtime:    {}\n(ends: wasm2native {}, wasmtime {})",
        i + 1,
        la.get(i).unwrap_or(&"(end of output)"),
        lb.get(i).unwrap_or(&"(end of output)"),
        n.end,
        r.end
    )
}

fn tail(out: &[u8]) -> String {
    let text = String::from_utf8_lossy(out);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(2)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(out: &str, end: End) -> Run {
        Run {
            stdout: out.as_bytes().to_vec(),
            end,
        }
    }

    #[test]
    fn matching_trap_resumes_after_the_call() {
        let t = End::Trap(TrapKind::Unreachable);
        let (n, r) = (run("call 0\n", t.clone()), run("call 0\n", t));
        let mut seen = Observed::default();
        assert!(matches!(compare(&n, &r, 3, &mut seen), Step::Resume(1)));
        assert!(matches!(
            compare(&n, &r, 1, &mut seen),
            Step::Done(Verdict::Pass)
        ));
        assert_eq!(seen.traps.len(), 2);
    }

    #[test]
    fn different_trap_kinds_diverge() {
        let n = run("call 0\n", End::Trap(TrapKind::Unreachable));
        let r = run("call 0\n", End::Trap(TrapKind::MemoryOutOfBounds));
        let Step::Done(Verdict::Diverge(d)) = compare(&n, &r, 1, &mut Observed::default()) else {
            panic!("expected a divergence")
        };
        assert!(d.signature.starts_with("end differs"));
    }

    #[test]
    fn stack_exhaustion_is_inconclusive_unless_earlier_output_differs() {
        let so = End::Trap(TrapKind::StackOverflow);
        let n = run("call 0\nret state 1\ncall 1\n", so);
        let r = run("call 0\nret state 1\ncall 1\nret state 2\n", End::Exit(0));
        let v = inconclusive(&n, &r).unwrap();
        assert!(matches!(v, Verdict::Inconclusive(_)));
        let r = run("call 0\nret state 9\ncall 1\nret state 2\n", End::Exit(0));
        assert!(matches!(inconclusive(&n, &r), Some(Verdict::Diverge(_))));
    }
}
