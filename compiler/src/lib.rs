//! wasm2native's compiler: WebAssembly module → Cranelift → relocatable object → executable.
//!
//! - [`module`]: parse and validate (wasmparser) into a [`module::ModuleInfo`].
//! - [`libc`]: recognition of wasi-libc's string routines, compiled with a fast path through
//!   the runtime's.
//! - [`translate`]: wasm function bodies to Cranelift IR.
//! - [`codegen`]: compile functions in parallel and write the object (cranelift-object): code,
//!   trampolines, the module image the runtime reads, `main`.
//! - [`link`]: link the object with the runtime through the system C compiler.
//!
//! The layout of everything shared with the runtime is defined in `wasm2native-abi`.

pub use wasm2native_abi as abi;

pub mod codegen;
pub mod config;
pub mod error;
pub mod libc;
pub mod link;
pub mod module;
mod proposals;
pub mod translate;

pub use codegen::{CompiledModule, compile};
pub use config::{
    BoundsChecks, Config, MemoryBase, OptLevel, OutputKind, TargetCpu, UnknownImports,
};
pub use error::{Error, Result};

/// Turns input bytes into a wasm binary: binary modules pass through, anything else is parsed
/// as the text format.
pub fn wasm_from_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    if bytes.starts_with(b"\0asm") {
        return Ok(bytes.to_vec());
    }
    let not_wasm = || Error::InvalidWasm {
        offset: 0,
        message: "not a WebAssembly module: no \\0asm magic number, and not the text format".into(),
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(not_wasm());
    };
    // Text modules start with `(` after whitespace and comments; anything else is some other file.
    let first = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with(";;"));
    if !first.is_some_and(|l| l.starts_with('(')) {
        return Err(not_wasm());
    }
    wat::parse_str(text).map_err(|e| Error::InvalidWat(one_line_wat_error(&e.to_string())))
}

/// Turns the text parser's multi-line rendering (message, `--> file:line:col`, source excerpt)
/// into one line.
fn one_line_wat_error(rendered: &str) -> String {
    let message = rendered.lines().next().unwrap_or("").trim();
    let location = rendered
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|loc| {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next()?;
            let line = parts.next()?;
            Some(format!("line {line}, column {col}"))
        });
    match location {
        Some(loc) => format!("{loc}: {message}"),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_errors_are_one_line_with_position() {
        let err = wasm_from_bytes(b"(module\n  (func i32.ad))")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("invalid wat: line 2, column"), "{err}");
        assert!(!err.contains('\n'));
    }

    #[test]
    fn other_files_are_not_wasm() {
        let err = wasm_from_bytes(b"hello\n").unwrap_err().to_string();
        assert!(err.contains("not a WebAssembly module"), "{err}");
        assert!(wasm_from_bytes(&[0xff, 0xfe]).is_err());
        assert_eq!(wasm_from_bytes(b"\0asm\x01\0\0\0").unwrap().len(), 8);
        assert!(wasm_from_bytes(b";; comment\n(module)").is_ok());
    }
}
