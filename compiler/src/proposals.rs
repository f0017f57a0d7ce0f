//! The WebAssembly proposals beyond what wasm2native compiles, so that a module the
//! WebAssembly 2.0 validator rejects is reported as `unsupported: <proposal>` when it is valid
//! with a later proposal, and as invalid only when it is invalid.

use crate::error::Error;
use wasmparser::{BinaryReaderError, Validator, WasmFeatures};

/// Proposals after WebAssembly 2.0 by the name a message gives them, the most common in real
/// programs first (each probe is a full validation, made only on this error path); those
/// wasm2native accepts (exception handling, relaxed SIMD) are skipped by `accepted`.
const PROPOSALS: &[(&str, WasmFeatures)] = &[
    ("exception handling", WasmFeatures::EXCEPTIONS),
    (
        "legacy exception handling",
        WasmFeatures::LEGACY_EXCEPTIONS.union(WasmFeatures::EXCEPTIONS),
    ),
    ("threads (shared memory and atomics)", WasmFeatures::THREADS),
    ("tail calls", WasmFeatures::TAIL_CALL),
    ("memory64", WasmFeatures::MEMORY64),
    ("multiple memories", WasmFeatures::MULTI_MEMORY),
    (
        "extended constant expressions",
        WasmFeatures::EXTENDED_CONST,
    ),
    (
        "typed function references",
        WasmFeatures::FUNCTION_REFERENCES,
    ),
    (
        "garbage collection",
        WasmFeatures::GC.union(WasmFeatures::FUNCTION_REFERENCES),
    ),
    ("relaxed SIMD", WasmFeatures::RELAXED_SIMD),
    ("custom page sizes", WasmFeatures::CUSTOM_PAGE_SIZES),
    ("wide arithmetic", WasmFeatures::WIDE_ARITHMETIC),
    ("stack switching", WasmFeatures::STACK_SWITCHING),
    ("the component model", WasmFeatures::COMPONENT_MODEL),
];

/// What a validation error `e` of `wasm` under `accepted` means: `unsupported: <proposals>` at
/// the error's offset when the module is valid with later proposals, otherwise invalid wasm.
pub(crate) fn validation_error(wasm: &[u8], accepted: WasmFeatures, e: BinaryReaderError) -> Error {
    match proposals_needed(wasm, accepted) {
        Some(names) => Error::unsupported(names, e.offset()),
        None => Error::invalid(e),
    }
}

/// The later proposals `wasm` needs to validate, or `None` if it is invalid with all of them.
fn proposals_needed(wasm: &[u8], accepted: WasmFeatures) -> Option<String> {
    let valid = |features| {
        Validator::new_with_features(features)
            .validate_all(wasm)
            .is_ok()
    };
    let everything = WasmFeatures::all();
    if !valid(everything) {
        return None;
    }
    let later = || PROPOSALS.iter().filter(|(_, f)| !accepted.contains(*f));
    if let Some((name, _)) = later().find(|(_, f)| valid(accepted | *f)) {
        return Some((*name).to_string());
    }
    // Several at once: those without which the module is no longer valid.
    let needed: Vec<&str> = later()
        .filter(|(_, f)| !valid(everything.difference(*f)))
        .map(|(name, _)| *name)
        .collect();
    Some(if needed.is_empty() {
        "WebAssembly features beyond 2.0".to_string()
    } else {
        needed.join(", ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(wat: &str) -> String {
        let wasm = wat::parse_str(wat).unwrap();
        let Err(e) = Validator::new_with_features(WasmFeatures::WASM2).validate_all(&wasm) else {
            panic!("{wat} is valid WebAssembly 2.0");
        };
        validation_error(&wasm, WasmFeatures::WASM2, e).to_string()
    }

    #[test]
    fn later_proposals_are_unsupported() {
        let cases = [
            ("(module (func $f (return_call $f)))", "tail calls"),
            ("(module (memory 1) (memory 1))", "multiple memories"),
            ("(module (memory i64 1))", "memory64"),
            (
                "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))",
                "extended constant expressions",
            ),
            ("(module (tag))", "exception handling"),
            (
                "(module (memory 1 1 shared))",
                "threads (shared memory and atomics)",
            ),
            (
                "(module (type (struct)) (func (drop (struct.new 0))))",
                "garbage collection",
            ),
            (
                "(module (func (drop (i32x4.relaxed_trunc_f32x4_s (v128.const i64x2 0 0)))))",
                "relaxed SIMD",
            ),
        ];
        for (wat, name) in cases {
            let msg = classify(wat);
            assert!(
                msg.starts_with(&format!("unsupported: {name} at offset")),
                "{wat}: {msg}"
            );
        }
    }

    #[test]
    fn invalid_stays_invalid() {
        let msg = classify("(module (func (result i32) (i64.const 0)))");
        assert!(msg.starts_with("invalid wasm at byte offset"), "{msg}");
    }
}
