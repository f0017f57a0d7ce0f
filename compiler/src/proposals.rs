//! The WebAssembly proposals beyond what wasm2native compiles, so that a module the validator
//! rejects is reported as `unsupported: <proposal>` when it is valid with a later proposal, and
//! as invalid only when it is invalid; and garbage collection, which the validator must accept
//! (it gates recursion groups and subtypes behind it) but wasm2native does not compile.

use crate::error::Error;
use wasmparser::{
    AbstractHeapType, BinaryReaderError, HeapType, Operator, Validator, WasmFeatures,
};

/// The proposals wasm2native does not compile, by the name a message gives them, the most
/// common in real programs first (each probe is a full validation, made only on this error
/// path). Garbage collection is accepted by the validator and refused by
/// [`garbage_collection`].
const PROPOSALS: &[(&str, WasmFeatures)] = &[
    ("custom page sizes", WasmFeatures::CUSTOM_PAGE_SIZES),
    (
        "shared-everything threads (shared types and references)",
        WasmFeatures::SHARED_EVERYTHING_THREADS,
    ),
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

/// A module that uses garbage collection (`what`: the type or instruction): valid, but not
/// compiled.
pub(crate) fn garbage_collection(what: &str, offset: usize) -> Error {
    Error::unsupported(format!("garbage collection ({what})"), offset)
}

/// Whether `heap` is one of the GC proposal's (`any`, `eq`, `i31`, `struct`, `array`, `none`).
pub(crate) fn is_gc_heap_type(heap: HeapType) -> bool {
    matches!(
        heap,
        HeapType::Abstract {
            ty: AbstractHeapType::Any
                | AbstractHeapType::Eq
                | AbstractHeapType::I31
                | AbstractHeapType::Struct
                | AbstractHeapType::Array
                | AbstractHeapType::None,
            ..
        }
    )
}

/// The garbage collection `op` uses, if any: a GC instruction, or a GC heap type in its
/// immediates (the types of locals, globals and signatures are checked where they are read).
pub(crate) fn gc_in_operator(op: &Operator<'_>) -> Option<String> {
    let gc_val_type = |t: &wasmparser::ValType| match t {
        wasmparser::ValType::Ref(r) => is_gc_heap_type(r.heap_type()),
        _ => false,
    };
    let uses_gc = match op {
        Operator::RefEq
        | Operator::StructNew { .. }
        | Operator::StructNewDefault { .. }
        | Operator::StructGet { .. }
        | Operator::StructGetS { .. }
        | Operator::StructGetU { .. }
        | Operator::StructSet { .. }
        | Operator::ArrayNew { .. }
        | Operator::ArrayNewDefault { .. }
        | Operator::ArrayNewFixed { .. }
        | Operator::ArrayNewData { .. }
        | Operator::ArrayNewElem { .. }
        | Operator::ArrayGet { .. }
        | Operator::ArrayGetS { .. }
        | Operator::ArrayGetU { .. }
        | Operator::ArraySet { .. }
        | Operator::ArrayLen
        | Operator::ArrayFill { .. }
        | Operator::ArrayCopy { .. }
        | Operator::ArrayInitData { .. }
        | Operator::ArrayInitElem { .. }
        | Operator::RefTestNonNull { .. }
        | Operator::RefTestNullable { .. }
        | Operator::RefCastNonNull { .. }
        | Operator::RefCastNullable { .. }
        | Operator::BrOnCast { .. }
        | Operator::BrOnCastFail { .. }
        | Operator::AnyConvertExtern
        | Operator::ExternConvertAny
        | Operator::RefI31
        | Operator::I31GetS
        | Operator::I31GetU => true,
        Operator::RefNull { hty } => is_gc_heap_type(*hty),
        Operator::Block { blockty } | Operator::Loop { blockty } | Operator::If { blockty } => {
            matches!(blockty, wasmparser::BlockType::Type(t) if gc_val_type(t))
        }
        Operator::TryTable { try_table } => {
            matches!(try_table.ty, wasmparser::BlockType::Type(t) if gc_val_type(&t))
        }
        Operator::TypedSelect { ty } => gc_val_type(ty),
        Operator::TypedSelectMulti { tys } => tys.iter().any(gc_val_type),
        _ => false,
    };
    uses_gc.then(|| {
        let name = format!("{op:?}");
        name.split([' ', '{', '(']).next().unwrap_or("").to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(wat: &str) -> String {
        let wasm = wat::parse_str(wat).unwrap();
        let accepted = crate::module::features();
        let Err(e) = Validator::new_with_features(accepted).validate_all(&wasm) else {
            panic!("{wat} is valid with the accepted features");
        };
        validation_error(&wasm, accepted, e).to_string()
    }

    #[test]
    fn later_proposals_are_unsupported() {
        let cases = [
            (
                "(module (func (param i64 i64 i64 i64) (result i64 i64)
                   local.get 0 local.get 1 local.get 2 local.get 3 i64.add128))",
                "wide arithmetic",
            ),
            ("(module (memory 1 (pagesize 1)))", "custom page sizes"),
            (
                "(module (type (shared (func))))",
                "shared-everything threads (shared types and references)",
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
