//! Malformed-input mode: mutations of valid modules, and the compiler's error contract for
//! them (compile, or exit 1 with one `error:` line and no output file).

use crate::native::Native;
use crate::rng::Rng;
use anyhow::Result;
use std::ops::Range;
use std::path::Path;

/// A kind of mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mutation {
    /// Flip 1 to 4 random bits.
    BitFlip,
    /// Cut the module short.
    Truncate,
    /// Replace a section's size or first count with a bad LEB128 (overlong, unterminated,
    /// too large, stray high bits).
    BadLeb,
    /// Repeat a section.
    DuplicateSection,
    /// Remove a section.
    DropSection,
    /// Swap two adjacent sections.
    SwapSections,
    /// Change a section's size field without changing its contents.
    ResizeSection,
    /// Insert random bytes.
    InsertBytes,
}

impl Mutation {
    /// Every mutation.
    pub const ALL: [Mutation; 8] = [
        Mutation::BitFlip,
        Mutation::Truncate,
        Mutation::BadLeb,
        Mutation::DuplicateSection,
        Mutation::DropSection,
        Mutation::SwapSections,
        Mutation::ResizeSection,
        Mutation::InsertBytes,
    ];
}

/// A section of a binary module: its whole extent, and where its payload is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section id.
    pub id: u8,
    /// From the id byte to the end of the payload.
    pub whole: Range<usize>,
    /// The size field (a LEB128).
    pub size_field: Range<usize>,
    /// The payload.
    pub payload: Range<usize>,
}

/// Reads an unsigned LEB128 of at most 5 bytes at `pos`: its value and length.
pub fn read_leb(bytes: &[u8], pos: usize) -> Option<(u32, usize)> {
    let mut value: u64 = 0;
    for i in 0..5 {
        let b = *bytes.get(pos + i)?;
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return u32::try_from(value).ok().map(|v| (v, i + 1));
        }
    }
    None
}

/// The minimal LEB128 encoding of `v`.
pub fn leb(mut v: u32) -> Vec<u8> {
    let mut out = vec![];
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

/// The sections of a well-formed module (`None` if it is not one).
pub fn sections(wasm: &[u8]) -> Option<Vec<Section>> {
    if wasm.get(..8)? != b"\0asm\x01\0\0\0" {
        return None;
    }
    let mut out = vec![];
    let mut pos = 8;
    while pos < wasm.len() {
        let id = wasm[pos];
        let (size, n) = read_leb(wasm, pos + 1)?;
        let start = pos + 1 + n;
        let end = start
            .checked_add(size as usize)
            .filter(|&e| e <= wasm.len())?;
        out.push(Section {
            id,
            whole: pos..end,
            size_field: pos + 1..start,
            payload: start..end,
        });
        pos = end;
    }
    Some(out)
}

/// Applies one to three random mutations to `wasm` (a valid module); returns the first kind
/// applied and the result, which differs from `wasm`.
pub fn mutate(wasm: &[u8], rng: &mut Rng) -> (Mutation, Vec<u8>) {
    let (first, mut out) = mutate_once(wasm, rng);
    for _ in 1..rng.range(1, 3) {
        if out.is_empty() {
            break;
        }
        out = mutate_once(&out, rng).1;
    }
    if out == wasm {
        out.push(0);
    }
    (first, out)
}

fn mutate_once(wasm: &[u8], rng: &mut Rng) -> (Mutation, Vec<u8>) {
    loop {
        let m = Mutation::ALL[rng.below(Mutation::ALL.len())];
        if let Some(out) = apply(m, wasm, rng).filter(|out| out != wasm) {
            return (m, out);
        }
    }
}

/// Applies mutation `m` (`None` when it does not apply, e.g. no section to drop).
pub fn apply(m: Mutation, wasm: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let secs = sections(wasm).unwrap_or_default();
    let pick = |rng: &mut Rng| (!secs.is_empty()).then(|| secs[rng.below(secs.len())].clone());
    match m {
        Mutation::BitFlip => Some(bit_flip(wasm, rng)),
        Mutation::Truncate => Some(wasm[..rng.below(wasm.len().max(1))].to_vec()),
        Mutation::BadLeb => bad_leb(wasm, &pick(rng)?, rng),
        Mutation::DuplicateSection => {
            let s = pick(rng)?;
            Some(splice(
                wasm,
                s.whole.end..s.whole.end,
                &wasm[s.whole.clone()],
            ))
        }
        Mutation::DropSection => Some(splice(wasm, pick(rng)?.whole, &[])),
        Mutation::SwapSections => swap(wasm, &secs, rng),
        Mutation::ResizeSection => resize(wasm, &pick(rng)?, rng),
        Mutation::InsertBytes => {
            let at = rng.below(wasm.len() + 1);
            let n = rng.range(1, 8);
            Some(splice(wasm, at..at, &rng.bytes(n)))
        }
    }
}

/// `wasm` with `range` replaced by `with`.
fn splice(wasm: &[u8], range: Range<usize>, with: &[u8]) -> Vec<u8> {
    let mut out = wasm[..range.start].to_vec();
    out.extend_from_slice(with);
    out.extend_from_slice(&wasm[range.end..]);
    out
}

fn bit_flip(wasm: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = wasm.to_vec();
    if out.is_empty() {
        return out;
    }
    for _ in 0..rng.range(1, 4) {
        let i = rng.below(out.len());
        out[i] ^= 1 << rng.below(8);
    }
    out
}

/// Bad LEB128 encodings of a u32.
const BAD_LEBS: [&[u8]; 5] = [
    &[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], // overlong: 6 bytes
    &[0xff, 0xff, 0xff, 0xff, 0x7f],       // more than 32 bits
    &[0x80, 0x80, 0x80, 0x80, 0x70],       // unused bits set in the 5th byte
    &[0xff, 0xff, 0xff, 0xff, 0x0f],       // u32::MAX
    &[0x80, 0x80, 0x80],                   // unterminated (runs into the next bytes)
];

/// Replaces the size field of `s`, or the first LEB128 of its payload, with a bad one.
fn bad_leb(wasm: &[u8], s: &Section, rng: &mut Rng) -> Option<Vec<u8>> {
    let bad = BAD_LEBS[rng.below(BAD_LEBS.len())];
    let field = if rng.chance(1, 2) || s.id == 0 {
        s.size_field.clone()
    } else {
        let (_, n) = read_leb(wasm, s.payload.start)?;
        s.payload.start..s.payload.start + n
    };
    Some(splice(wasm, field, bad))
}

fn swap(wasm: &[u8], secs: &[Section], rng: &mut Rng) -> Option<Vec<u8>> {
    if secs.len() < 2 {
        return None;
    }
    let i = rng.below(secs.len() - 1);
    let (a, b) = (&secs[i], &secs[i + 1]);
    let mut with = wasm[b.whole.clone()].to_vec();
    with.extend_from_slice(&wasm[a.whole.clone()]);
    Some(splice(wasm, a.whole.start..b.whole.end, &with))
}

/// Changes the declared size of `s` by a small amount, to 0, or to something huge.
fn resize(wasm: &[u8], s: &Section, rng: &mut Rng) -> Option<Vec<u8>> {
    let size = s.payload.len() as u32;
    let new = match rng.below(4) {
        0 => size.saturating_add(rng.range(1, 16) as u32),
        1 => size.saturating_sub(rng.range(1, 16) as u32),
        2 => 0,
        _ => u32::MAX - rng.below(1000) as u32,
    };
    Some(splice(wasm, s.size_field.clone(), &leb(new)))
}

/// How the compiler handled a malformed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contract {
    /// Exit 0 with the output file written.
    Compiled,
    /// Exit 1, one stderr line starting `error:` (this one), no output file.
    Rejected(String),
    /// Anything else (described, with the stderr).
    Violation(String),
}

/// Compiles `input` with `args` (ending in `-o OUT`) and checks the error contract: success
/// leaves `out`; failure is exit 1, one stderr line starting `error:`, no `out`.
pub fn check_contract(
    native: &Native,
    input: &Path,
    out: &Path,
    args: &[String],
) -> Result<Contract> {
    let _ = std::fs::remove_file(out);
    let Some(o) = native.compile_raw(input, args)? else {
        return Ok(Contract::Violation("compilation timed out".into()));
    };
    let stderr = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let exists = out.exists();
    let problem = match o.status.code() {
        Some(0) if exists => return Ok(Contract::Compiled),
        Some(0) => "exit 0 but no output file".to_string(),
        Some(1) if lines.len() != 1 => format!("{} stderr lines", lines.len()),
        Some(1) if !lines[0].starts_with("error:") => "stderr line lacks `error:`".into(),
        Some(1) if exists => "exit 1 but the output file exists".into(),
        Some(1) => return Ok(Contract::Rejected(lines[0].to_string())),
        _ => format!("status {}", o.status),
    };
    Ok(Contract::Violation(format!(
        "{problem}; stderr: {}",
        stderr.trim()
    )))
}

/// The contract for a valid module that may need a proposal beyond WebAssembly 2.0 (`needs`):
/// if it does, compiling it is a violation, and so is (when `strict`) an error that does not
/// say `unsupported`. Returns the verdict and whether the error was worded as invalid wasm.
pub fn judge_beyond(c: Contract, needs: bool, feature: &str, strict: bool) -> (Contract, bool) {
    match c {
        Contract::Compiled if needs => {
            let why = format!("compiled a module that needs {feature}");
            (Contract::Violation(why), false)
        }
        Contract::Rejected(line) if needs && !line.contains("unsupported") => {
            if strict {
                let why = format!("{feature} reported as `{line}`, not as unsupported");
                (Contract::Violation(why), true)
            } else {
                (Contract::Rejected(line), true)
            }
        }
        c => (c, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (module (memory 1) (func (export "f") (result i32) i32.const 7))
    fn module() -> Vec<u8> {
        wat::parse_str(r#"(module (memory 1) (func (export "f") (result i32) i32.const 7))"#)
            .unwrap()
    }

    #[test]
    fn leb_roundtrip() {
        for v in [0, 1, 127, 128, 300, 1 << 21, u32::MAX] {
            let e = leb(v);
            assert_eq!(read_leb(&e, 0), Some((v, e.len())));
        }
        assert_eq!(read_leb(&[0x80, 0x80, 0x80, 0x80, 0x80, 0], 0), None);
        assert_eq!(read_leb(&[0xff, 0xff, 0xff, 0xff, 0x7f], 0), None);
    }

    #[test]
    fn sections_cover_the_module() {
        let wasm = module();
        let secs = sections(&wasm).unwrap();
        let ids: Vec<u8> = secs.iter().map(|s| s.id).collect();
        assert_eq!(ids, [1, 3, 5, 7, 10]);
        assert_eq!(secs.last().unwrap().whole.end, wasm.len());
    }

    #[test]
    fn section_surgery() {
        let wasm = module();
        let n = sections(&wasm).unwrap().len();
        let mut rng = Rng::new(3);
        let dropped = apply(Mutation::DropSection, &wasm, &mut rng).unwrap();
        assert_eq!(sections(&dropped).unwrap().len(), n - 1);
        let dup = apply(Mutation::DuplicateSection, &wasm, &mut rng).unwrap();
        assert_eq!(sections(&dup).unwrap().len(), n + 1);
        let swapped = apply(Mutation::SwapSections, &wasm, &mut rng).unwrap();
        assert_eq!(swapped.len(), wasm.len());
        let mut ids: Vec<u8> = sections(&swapped).unwrap().iter().map(|s| s.id).collect();
        assert_ne!(ids, [1, 3, 5, 7, 10]);
        ids.sort();
        assert_eq!(ids, [1, 3, 5, 7, 10]);
    }

    #[test]
    fn every_mutation_applies_and_changes_the_module() {
        let wasm = module();
        let mut rng = Rng::new(11);
        for m in Mutation::ALL {
            let outs: Vec<Vec<u8>> = (0..20)
                .map(|_| apply(m, &wasm, &mut rng).unwrap())
                .collect();
            assert!(outs.iter().any(|o| *o != wasm), "{m:?}");
            for out in &outs {
                match m {
                    Mutation::Truncate | Mutation::DropSection => assert!(out.len() < wasm.len()),
                    Mutation::InsertBytes | Mutation::DuplicateSection => {
                        assert!(out.len() > wasm.len())
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn stacked_mutations_are_reproducible_and_never_panic() {
        let wasm = module();
        for seed in 0..200 {
            let (a, b) = (
                mutate(&wasm, &mut Rng::new(seed)),
                mutate(&wasm, &mut Rng::new(seed)),
            );
            assert_eq!(a, b);
            assert_ne!(a.1, wasm);
        }
    }

    #[test]
    fn beyond_wasm2_judgement() {
        let invalid = || Contract::Rejected("error: invalid wasm: tail calls".into());
        let unsupported = || Contract::Rejected("error: unsupported: tail calls".into());
        assert_eq!(judge_beyond(invalid(), true, "t", false), (invalid(), true));
        assert!(matches!(
            judge_beyond(invalid(), true, "t", true).0,
            Contract::Violation(_)
        ));
        assert_eq!(
            judge_beyond(unsupported(), true, "t", true),
            (unsupported(), false)
        );
        assert!(matches!(
            judge_beyond(Contract::Compiled, true, "t", false).0,
            Contract::Violation(_)
        ));
        assert_eq!(
            judge_beyond(Contract::Compiled, false, "t", true).0,
            Contract::Compiled
        );
    }

    #[test]
    fn bad_leb_makes_parsing_fail() {
        let wasm = module();
        let mut rng = Rng::new(5);
        for _ in 0..50 {
            let out = apply(Mutation::BadLeb, &wasm, &mut rng).unwrap();
            assert!(wasmparser::validate(&out).is_err(), "{out:?}");
        }
    }
}
