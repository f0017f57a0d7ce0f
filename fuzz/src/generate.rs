//! Test-case generation: a wasm-smith module from a `u64` seed, restricted to the features
//! wasm2native supports (WebAssembly 2.0, exception handling, tail calls, multiple memories,
//! relaxed SIMD, threads), made to terminate.

use crate::parts::{Keep, Parts, Shift};
use crate::reference;
use crate::rng::Rng;
use anyhow::{Result, bail};
use arbitrary::Unstructured;
use wasm_encoder::ExportKind;
use wasm_smith::{Config, Module};
use wasmparser::{Validator, WasmFeatures};

/// Fuel given to the module: each function entry and loop iteration costs one; at zero the
/// module executes `unreachable`. The wrapper refills it before each exported call.
pub const FUEL: u32 = 2_000;

/// The export naming the fuel global, which the wrapper refills before each call.
pub const FUEL_EXPORT: &str = "w2n-fuzz-fuel";

/// Pages a generated memory may have at most (so hashing all of memory stays cheap).
pub const MAX_PAGES: u64 = 16;

/// The features the differential configuration generates: what wasm2native compiles (its
/// compiler's feature set, converted by name from the compiler's wasmparser version) except the
/// legacy exception instructions, which wasmtime, the reference, refuses.
pub fn supported_features() -> WasmFeatures {
    let compiled = wasm2native_compiler::module::features();
    let by_name = compiled.iter_names().map(|(name, _)| {
        WasmFeatures::from_name(name).unwrap_or_else(|| panic!("wasmparser lacks feature {name}"))
    });
    by_name
        .fold(WasmFeatures::empty(), |all, f| all | f)
        .difference(WasmFeatures::LEGACY_EXCEPTIONS)
}

/// A wasm-smith configuration generating only supported features, varied by `rng`.
pub fn config(rng: &mut Rng) -> Config {
    Config {
        // WebAssembly 2.0, exception handling (Wasm 3.0 encoding), tail calls, multiple memories,
        // and relaxed SIMD where wasmtime computes what wasm2native does.
        simd_enabled: true,
        bulk_memory_enabled: true,
        reference_types_enabled: true,
        multi_value_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        relaxed_simd_enabled: reference::relaxed_simd_matches(),
        exceptions_enabled: true,
        tail_call_enabled: true,
        gc_enabled: false,
        // Shared memories and atomics, run in one thread (the wrapper bounds every wait's
        // timeout, see `parts::Shift`).
        threads_enabled: true,
        // Off: the wrapper (wrap.rs) prints and hashes through memory 0 with i32 addresses,
        // which a 64-bit memory 0 would not validate with. memory64 is covered by the spec
        // suites and tests/programs/wat/memory64.wat.
        memory64_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: true,
        custom_page_sizes_enabled: false,
        shared_everything_threads_enabled: false,
        compact_imports_enabled: false,
        custom_descriptors_enabled: false,
        // Shape: a self-contained module, everything exported, deterministic NaNs.
        max_imports: 0,
        export_everything: true,
        canonicalize_nans: true,
        min_memories: u32::from(rng.chance(3, 4)),
        // Multiple memories: memory 0 is hashed after each call, others are seen through loads.
        max_memories: rng.range(1, 3),
        max_memory32_bytes: MAX_PAGES * 65536,
        memory_max_size_required: true,
        max_tables: rng.range(1, 3),
        max_table_elements: 64,
        table_max_size_required: true,
        min_types: rng.range(1, 4),
        min_funcs: rng.range(1, 6),
        max_funcs: rng.range(6, 24),
        min_globals: 1,
        max_instructions: rng.range(20, 300),
        max_globals: rng.range(2, 16),
        max_types: rng.range(4, 24),
        max_data_segments: 8,
        max_element_segments: 8,
        max_elements: 16,
        max_values: 6,
        max_nesting_depth: rng.range(3, 10),
        ..Config::default()
    }
}

/// The module of case `seed`: generated, made to terminate (fuel), its fuel global exported as
/// [`FUEL_EXPORT`], and validated against the supported features.
pub fn module(seed: u64) -> Result<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let config = config(&mut rng);
    let mut len = 8 << 10;
    for _ in 0..4 {
        let data = rng.bytes(len);
        let mut u = Unstructured::new(&data);
        if let Ok(mut m) = Module::new(config.clone(), &mut u) {
            let fuel = m.ensure_termination(FUEL)?;
            let wasm = export_global(&m.to_bytes(), fuel, FUEL_EXPORT)?;
            validate(&wasm)?;
            return Ok(wasm);
        }
        len *= 2;
    }
    bail!("wasm-smith could not generate a module from seed {seed}")
}

/// Proposals after WebAssembly 2.0 which wasm2native does not support (yet). GC modules are
/// generated to check that those using GC are refused as unsupported, the others compiled.
pub const BEYOND_WASM2: [&str; 3] = ["gc", "wide_arithmetic", "custom_page_sizes"];

/// A valid module of case `seed` generated with one proposal of [`BEYOND_WASM2`] enabled
/// (which it may or may not use): the proposal and the module.
pub fn beyond_module(seed: u64) -> Result<(&'static str, Vec<u8>)> {
    let mut rng = Rng::new(seed);
    let mut config = config(&mut rng);
    let feature = BEYOND_WASM2[rng.below(BEYOND_WASM2.len())];
    enable(&mut config, feature);
    let data = rng.bytes(16 << 10);
    let wasm = Module::new(config, &mut Unstructured::new(&data))?.to_bytes();
    Validator::new_with_features(WasmFeatures::all()).validate_all(&wasm)?;
    Ok((feature, wasm))
}

fn enable(c: &mut Config, feature: &str) {
    match feature {
        "gc" => c.gc_enabled = true,
        "wide_arithmetic" => c.wide_arithmetic_enabled = true,
        _ => c.custom_page_sizes_enabled = true,
    }
}

/// Validates `wasm` against exactly the supported features.
pub fn validate(wasm: &[u8]) -> Result<()> {
    Validator::new_with_features(supported_features()).validate_all(wasm)?;
    Ok(())
}

/// `wasm` with one more export: global `index` as `name`.
fn export_global(wasm: &[u8], index: u32, name: &str) -> Result<Vec<u8>> {
    let shift = Shift { imported: 0, by: 0 };
    let mut parts = Parts::parse(wasm, shift, &mut Keep)?;
    parts.exports.export(name, ExportKind::Global, index);
    Ok(parts.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parts::Info;

    #[test]
    fn modules_are_valid_and_deterministic() {
        for seed in 0..20 {
            let a = module(seed).unwrap();
            assert_eq!(a, module(seed).unwrap());
            let info = Info::parse(&a).unwrap();
            assert!(info.exports.iter().any(|e| e.0 == FUEL_EXPORT));
            assert_eq!(info.imported_funcs, 0);
        }
    }

    #[test]
    fn beyond_modules_use_their_feature_often() {
        let mut beyond = 0;
        for seed in 0..40 {
            let (feature, wasm) = beyond_module(seed).unwrap();
            assert!(BEYOND_WASM2.contains(&feature));
            beyond += usize::from(validate(&wasm).is_err());
        }
        assert!(beyond >= 10, "{beyond} of 40 use a feature beyond 2.0");
    }
}
