//! The Cranelift target: x86-64 at the level `--target-cpu` names (x86-64-v2 by default),
//! position-independent code, frame pointers kept for wasm backtraces.

use crate::config::{Config, OptLevel, TargetCpu};
use crate::error::{Error, Result};
use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};

/// Builds the target ISA for `config`.
pub fn target_isa(config: &Config) -> Result<OwnedTargetIsa> {
    let err = |e: &dyn std::fmt::Display| Error::Object(format!("target setup: {e}"));
    let mut flags = settings::builder();
    let opt = match config.opt_level {
        OptLevel::O0 => "none",
        OptLevel::O1 | OptLevel::O2 => "speed",
    };
    for (name, value) in [
        ("opt_level", opt),
        ("is_pic", "true"),
        ("preserve_frame_pointers", "true"),
        ("enable_multi_ret_implicit_sret", "true"),
        // No consumer: executables are static (no libunwind) and the exception unwinder walks
        // frame pointers (the records are pseudo-instructions that emit no bytes).
        ("unwind_info", "false"),
        // Stack overflow is caught by the guard page below the stack (no prologue checks):
        // frames larger than a page touch each page on the way down so none is skipped.
        ("enable_probestack", "true"),
        ("probestack_strategy", "inline"),
        ("probestack_size_log2", "12"),
        // Block offsets and edges, for placing functions by their loops (codegen/layout.rs).
        ("machine_code_cfg_info", "true"),
        // The translator emits well-formed IR; the verifier only costs compile time.
        (
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        ),
    ] {
        flags.set(name, value).map_err(|e| err(&e))?;
    }
    const V2: &[&str] = &[
        "has_sse3",
        "has_ssse3",
        "has_sse41",
        "has_sse42",
        "has_popcnt",
    ];
    const V3: &[&str] = &[
        "has_avx",
        "has_avx2",
        "has_bmi1",
        "has_bmi2",
        "has_fma",
        "has_lzcnt",
    ];
    let (mut builder, features) = match config.target_cpu {
        TargetCpu::Native => (cranelift_native::builder().map_err(|e| err(&e))?, vec![]),
        cpu => (
            isa::lookup_by_name("x86_64-unknown-linux-gnu").map_err(|e| err(&e))?,
            if cpu == TargetCpu::X86_64V3 {
                [V2, V3].concat()
            } else {
                V2.to_vec()
            },
        ),
    };
    for feature in features {
        builder.enable(feature).map_err(|e| err(&e))?;
    }
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| err(&e))
}
