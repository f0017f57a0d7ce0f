//! The wasm2native runtime: everything a compiled module needs at run time besides its own code.
//!
//! - [`instance`]: instantiating a compiled [`abi::ModuleImage`]: VM context, memories, tables,
//!   globals, segments, imports (with typed link errors) and exports.
//! - [`memory`], [`table`]: linear memories (guard-page reservations) and tables.
//! - [`types`]: canonical type ids (recursion groups, subtyping) shared by all modules.
//! - [`builtins`]: the functions compiled code calls for bulk memory/table operations and growth,
//!   and their table (checked against the signatures declared in [`abi::foreach_builtin!`]).
//!   They operate on instances; [`instance::Instance::new`] is handed the table, so the
//!   dependency runs one way.
//! - [`libc`]: the builtins compiled code calls in place of wasi-libc's `memcpy`, `memmove`,
//!   `memset`, `memcmp` and `strlen` where it recognised them (see [`abi::libc`]).
//! - [`trap`]: catching traps (the catch point, the signal handlers and alternate stacks with
//!   explicit install and uninstall, the registry of compiled code, backtraces, the stack limit)
//!   and reporting them.
//! - [`unwind`]: wasm exceptions: their objects and the throw that walks wasm frames to the
//!   handler (or ends the call like a trap when there is none).
//! - [`wait_queue`]: `memory.atomic.wait` and `notify`: threads waiting on native addresses.
//! - [`vm`]: an instance's state as host functions that receive a `vmctx` see it.
//! - [`wasi`]: WASI preview 1 (and `wasi_unstable`).
//! - [`thread`]: wasi-threads' `thread-spawn`: a host thread running a new instance that shares
//!   the memory.
//! - [`entry`]: `w2n_rt_main`, the entry point of produced executables.
//! - `unwind_stubs` (musl builds): the unwinder symbols std references, for static executables.
//!
//! Items are public so that embedders (the spec-test harness) can instantiate modules in-process.

pub use wasm2native_abi as abi;

pub mod builtins;
pub mod entry;
pub mod instance;
mod libc;
pub mod memory;
pub mod table;
pub mod thread;
pub mod trap;
pub mod types;
pub mod unwind;
#[cfg(target_env = "musl")]
mod unwind_stubs;
pub mod vm;
pub mod wait_queue;
pub mod wasi;
