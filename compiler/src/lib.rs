//! wasm2native's compiler: WebAssembly module → Cranelift → relocatable object → executable.
//!
//! - [`module`]: parse and validate (wasmparser) into a [`module::ModuleInfo`].
//! - [`translate`]: wasm function bodies to Cranelift IR.
//! - [`codegen`]: compile functions in parallel and write the object (cranelift-object): code,
//!   trampolines, the module image the runtime reads, `main`.
//! - [`link`]: link the object with the runtime through the system C compiler.
//!
//! The layout of everything shared with the runtime is defined in `wasm2native-abi`.

pub mod codegen;
pub mod config;
pub mod error;
pub mod link;
pub mod module;
pub mod translate;

pub use codegen::{CompiledModule, compile};
pub use config::{BoundsChecks, Config, OptLevel, OutputKind, UnknownImports};
pub use error::{Error, Result};

/// Turns input bytes into a wasm binary: binary modules pass through, anything else is parsed
/// as the text format.
pub fn wasm_from_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    if bytes.starts_with(b"\0asm") {
        return Ok(bytes.to_vec());
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(Error::InvalidWasm {
            offset: 0,
            message: "not a WebAssembly module (missing \\0asm magic) nor UTF-8 text".into(),
        });
    }
    wat::parse_bytes(bytes)
        .map(|b| b.into_owned())
        .map_err(|e| Error::InvalidWat(e.to_string().lines().next().unwrap_or("").to_string()))
}
