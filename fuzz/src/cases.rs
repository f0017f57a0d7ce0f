//! Saved cases: shrinking a divergent module, writing it under `fuzz/cases/`, and replaying
//! the saved cases as regression tests.

use crate::diff::{Engines, Verdict, check};
use crate::generate::validate;
use crate::native::Mode;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Time shrinking one module may take.
const SHRINK_BUDGET: Duration = Duration::from_secs(180);

/// Files of saved malformed inputs start with this.
pub const MALFORMED_PREFIX: &str = "malformed-";
/// Files of saved valid modules using a proposal beyond WebAssembly 2.0 start with this; the
/// files without either prefix are differential cases.
pub const BEYOND_PREFIX: &str = "beyond-";

/// What a saved case checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Differential, in every mode.
    Diff,
    /// The error contract on a malformed input.
    Malformed,
    /// The error contract on valid wasm beyond 2.0.
    Beyond,
}

/// Shrinks `wasm`, which diverges in `mode` with `signature`, to a smaller module that still
/// does (wasm-shrink, with a time budget).
pub fn shrink(e: &Engines, wasm: &[u8], mode: Mode, signature: &str, dir: &Path) -> Vec<u8> {
    let started = Instant::now();
    let predicate = |candidate: &[u8]| -> anyhow::Result<bool> {
        if started.elapsed() > SHRINK_BUDGET || validate(candidate).is_err() {
            return Ok(false);
        }
        Ok(match check(e, candidate, mode, dir) {
            Ok((Verdict::Diverge(d), _)) => d.signature == signature,
            _ => false,
        })
    };
    match wasm_shrink::WasmShrink::default()
        .attempts(200)
        .run(wasm.to_vec(), predicate)
    {
        Ok(info) => info.output,
        Err(_) => wasm.to_vec(),
    }
}

/// Writes `wasm` as `<dir>/<name>.wat` (or `.wasm` if it cannot be printed), headed by
/// `comment`; returns the path.
pub fn save(dir: &Path, name: &str, wasm: &[u8], comment: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let header: String = comment.lines().map(|l| format!(";; {l}\n")).collect();
    let (path, bytes) = match wasmprinter::print_bytes(wasm) {
        Ok(text) => (
            dir.join(format!("{name}.wat")),
            format!("{header}{text}").into_bytes(),
        ),
        Err(_) => (dir.join(format!("{name}.wasm")), wasm.to_vec()),
    };
    std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// The saved cases in `dir`, sorted by path.
pub fn list(dir: &Path) -> Result<Vec<(PathBuf, Kind)>> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "wat" || ext == "wasm" {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let kind = if name.starts_with(MALFORMED_PREFIX) {
                Kind::Malformed
            } else if name.starts_with(BEYOND_PREFIX) {
                Kind::Beyond
            } else {
                Kind::Diff
            };
            out.push((path, kind));
        }
    }
    out.sort();
    Ok(out)
}

/// The binary module of a saved case (`.wat` files are parsed, `.wasm` ones read as they are).
pub fn load(path: &Path) -> Result<Vec<u8>> {
    if path.extension().is_some_and(|e| e == "wasm") {
        return std::fs::read(path).with_context(|| format!("reading {}", path.display()));
    }
    wat::parse_file(path).with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_list_load_roundtrip() {
        let dir = tempfile::tempdir().unwrap();
        let wasm =
            wat::parse_str(r#"(module (func (export "f") (result i32) i32.const 1))"#).unwrap();
        let path = save(dir.path(), "diff-7", &wasm, "seed 7\nline two").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(";; seed 7\n;; line two\n(module"),
            "{text}"
        );
        std::fs::write(dir.path().join("malformed-3.wasm"), b"\0asm\x01").unwrap();
        std::fs::write(
            dir.path().join("beyond-x.wat"),
            "(module (memory 1) (memory 1))",
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
        let kinds: Vec<Kind> = list(dir.path()).unwrap().into_iter().map(|c| c.1).collect();
        assert_eq!(kinds, [Kind::Beyond, Kind::Diff, Kind::Malformed]);
        assert_eq!(load(&path).unwrap(), wasm);
        assert_eq!(
            load(&dir.path().join("malformed-3.wasm")).unwrap(),
            b"\0asm\x01"
        );
    }
}
