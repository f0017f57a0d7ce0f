//! The Cranelift target: x86-64 with SSE4.2 and POPCNT (x86-64-v2, every x86-64 CPU since
//! about 2009), position-independent code, frame pointers kept for wasm backtraces.

use crate::config::{Config, OptLevel};
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
        ("unwind_info", "false"),
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
    let mut builder = isa::lookup_by_name("x86_64-unknown-linux-gnu").map_err(|e| err(&e))?;
    for feature in [
        "has_sse3",
        "has_ssse3",
        "has_sse41",
        "has_sse42",
        "has_popcnt",
    ] {
        builder.enable(feature).map_err(|e| err(&e))?;
    }
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| err(&e))
}
