//! The compiler's error type: every failure names what went wrong and, for wasm input, where.

use std::path::PathBuf;

/// Why compilation or linking failed. `Display` gives the one-line message the CLI prints.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is not a valid WebAssembly module (malformed or failing validation).
    #[error("invalid wasm at byte offset {offset:#x}: {message}")]
    InvalidWasm { offset: usize, message: String },
    /// The text format input did not parse.
    #[error("invalid wat: {0}")]
    InvalidWat(String),
    /// Valid wasm that uses something this compiler does not (yet) implement.
    #[error("unsupported: {feature} at offset {offset:#x}")]
    Unsupported { feature: String, offset: usize },
    /// Imports that no runtime function provides.
    #[error("unknown import{}: {} (use --unknown-imports trap to compile them as trapping stubs)",
        if .0.len() == 1 { "" } else { "s" },
        .0.join(", "))]
    UnknownImports(Vec<String>),
    /// An import of a known WASI function with the wrong signature.
    #[error("import {name} has type {found}, but WASI defines it as {expected}")]
    ImportTypeMismatch {
        name: String,
        found: String,
        expected: String,
    },
    /// Cranelift rejected a function (a compiler bug, reported with the function).
    #[error("code generation failed for function {func}: {message}")]
    Codegen { func: u32, message: String },
    /// Writing the object file failed.
    #[error("object emission failed: {0}")]
    Object(String),
    /// The system C compiler/linker failed.
    #[error("link failed: {0}")]
    Link(String),
    /// A file could not be read or written.
    #[error("{}: {err}", path.display())]
    Io { path: PathBuf, err: std::io::Error },
}

impl Error {
    pub(crate) fn invalid(e: wasmparser::BinaryReaderError) -> Error {
        Error::InvalidWasm {
            offset: e.offset(),
            message: e.message().to_string(),
        }
    }

    pub(crate) fn unsupported(feature: impl Into<String>, offset: usize) -> Error {
        Error::Unsupported {
            feature: feature.into(),
            offset,
        }
    }
}

impl From<wasmparser::BinaryReaderError> for Error {
    fn from(e: wasmparser::BinaryReaderError) -> Error {
        Error::invalid(e)
    }
}

impl From<cranelift_module::ModuleError> for Error {
    fn from(e: cranelift_module::ModuleError) -> Error {
        Error::Object(e.to_string())
    }
}

/// Result with the compiler's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
