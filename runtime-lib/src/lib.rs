//! The wasm2native runtime: everything a compiled module needs at run time besides its own code.
//!
//! - [`instance`]: instantiating a compiled [`abi::ModuleImage`]: VM context, memories, tables,
//!   globals, segments, imports and exports.
//! - [`memory`], [`table`]: linear memories (guard-page reservations) and tables.
//! - [`builtins`]: the functions compiled code calls for bulk memory/table operations and growth.
//! - [`trap`]: catching traps (signals and explicit trap instructions) and reporting them.
//! - [`wasi`]: WASI preview 1 (and `wasi_unstable`).
//! - [`entry`]: `w2n_rt_main`, the entry point of produced executables.
//! - `unwind_stubs` (musl builds): the unwinder symbols std references, for static executables.
//!
//! Items are public so that embedders (the spec-test harness) can instantiate modules in-process.

pub use wasm2native_abi as abi;

pub mod builtins;
pub mod entry;
pub mod instance;
pub mod memory;
pub mod table;
pub mod trap;
#[cfg(target_env = "musl")]
mod unwind_stubs;
pub mod vm;
pub mod wasi;
