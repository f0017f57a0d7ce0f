//! WASI preview 1 (`wasi_snapshot_preview1`) and the older `wasi_unstable` (snapshot 0).
//!
//! Compiled code calls one `extern "C"` function per import, named by
//! [`wasm2native_abi::wasi::lookup`]: `w2n_wasi_<name>(vmctx, params...) -> errno`, plus
//! `w2n_wasi_unstable_<name>` for the four functions whose snapshot 0 layout differs. Each
//! function is declared once, in [`wasm2native_abi::foreach_wasi_function!`]; [`call`] expands
//! that table into the exported functions, which fetch guest memory and call a safe inner function
//! `name(ctx: &mut WasiCtx, mem: &mut [u8], params...) -> Result<(), Error>`; the inner functions
//! are what the unit tests exercise, with a `Vec<u8>` as memory. The few that wait for another
//! party (stream and socket transfers, `poll_oneoff`, `sock_accept`) take a
//! [`ctx::Blocking`] context instead, which releases the global context's lock around the wait
//! once the program has spawned threads.
//!
//! Semantics and errno values follow wasmtime's preview1 implementation (including its
//! `proc_exit` refusal of statuses ≥ 126, which exits with status 1), with these deliberate
//! differences:
//! - a bad guest pointer returns `fault` (or traps with `--trap-on-efault`, exit status 134)
//!   where wasmtime always stops the program (`wasmtime run` exits with status 1);
//! - an enum value or flag bit preview1 does not define is `inval` where wasmtime stops the
//!   program the same way;
//! - `fd_allocate` works (wasmtime: `notsup`);
//! - `fd_fdstat_set_rights` can narrow rights, which are then enforced (wasmtime 48 and 50
//!   answer `notsup`);
//! - sockets are usable with `sock_*`, `fd_read`/`fd_write` and `poll_oneoff`;
//! - `fd_read`/`fd_write` transfer all iovecs at once (`readv`/`writev`) where wasmtime uses
//!   the first non-empty one: only the split of short transfers can differ, which callers handle;
//! - `filestat.dev`/`ino` are the host's values (wasmtime reports `dev = 1` and a hash);
//! - non-UTF-8 names from `fd_readdir`/`path_readlink` pass through as bytes (wasmtime: `ilseq`).
//!
//! # Layout
//!
//! Dependencies point one way: from the exported functions, through the WASI functions, down to
//! the context, the host and guest memory. No module imports from this one.
//! - [`call`]: the boundary compiled code calls: the exported functions generated from the abi
//!   table, the conversion of their parameters ([`call::Param`]), [`call::dispatch`] (the global
//!   context, the trace) and the `--trap-on-efault` trap. Nothing else depends on it.
//! - The inner functions, by family: [`args`] (`args_*`, `environ_*`), [`clock`], [`fd`],
//!   [`path`], [`poll`], [`proc`] (`proc_*`, `sched_yield`), [`random`], [`sock`], and
//!   [`unstable`] for the four snapshot 0 versions of their own.
//! - [`ctx`]: what they act on, the descriptor table, and the process-global context
//!   ([`init`]).
//! - [`host`]: the libc glue they share: vectored I/O over guest buffers, `fstat` and file
//!   types, the host clocks.
//! - [`mem`]: bounds-checked access to guest memory.
//! - [`error`]: a failed call's [`error::Error`]: its errno, and the guest range outside memory
//!   or the reason the trace gives.
//! - [`types`]: the witx types: [`Errno`] (declared from one table), flags, constants and struct
//!   layouts.
//! - [`config`]: the configuration of a produced program; [`trace`]: the `WASM2NATIVE_TRACE=1`
//!   call trace.
//!
//! Used from the trap module (`crate::trap`) by [`call`], for `--trap-on-efault`:
//!
//! ```ignore
//! /// Reports a trap raised by the host on behalf of wasm and never returns.
//! pub fn host_trap(code: wasm2native_abi::TrapCode, detail: &str) -> !;
//! ```

pub mod args;
pub mod call;
pub mod clock;
pub mod config;
pub mod ctx;
pub mod error;
pub mod fd;
pub mod host;
pub mod mem;
pub mod path;
pub mod poll;
pub mod proc;
pub mod random;
pub mod sock;
pub mod trace;
pub mod types;
pub mod unstable;

pub use call::symbols;
pub use config::{Preopen, WasiConfig, config_from_process};
pub use ctx::{WasiCtx, init};
pub use types::Errno;

#[cfg(test)]
mod testutil;
