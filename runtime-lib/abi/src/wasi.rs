//! The WASI functions the runtime implements: their import names, wasm signatures and the runtime
//! symbols that implement them.
//!
//! Each function is declared once, in [`crate::foreach_wasi_function!`]. This module expands
//! the list into [`FUNCTIONS`], by which the compiler binds and type-checks imports; the runtime
//! expands it into one `extern "C"` function per symbol, `(vmctx, params...) -> results`, which
//! calls the function's implementation with the declared parameter types, so that a parameter
//! list that disagrees with the implementation's Rust signature does not compile.

use crate::meta::ValType::{self, I32, I64};

/// Module name of WASI preview 1.
pub const PREVIEW1: &str = "wasi_snapshot_preview1";
/// Module name of the older snapshot 0, still emitted by old toolchains.
pub const UNSTABLE: &str = "wasi_unstable";
/// Module name of wasi-threads.
pub const THREADS: &str = "wasi";

/// wasi-threads' one function, `wasi.thread-spawn(start_arg) -> tid`: outside
/// [`foreach_wasi_function!`] because it acts on instances rather than the WASI context (its
/// implementation is the runtime's `thread` module, symbol `wasi_symbol!(thread_spawn)`).
pub const THREAD_SPAWN: WasiFunc = WasiFunc {
    name: "thread-spawn",
    params: &[I32],
    results: &[I32],
    unstable: Unstable::Absent,
};

/// Invokes `$callback! { ... }` with every function of `wasi_snapshot_preview1`, one entry each:
///
/// ```text
/// name(param: type, ...) -> result, unstable: what;
/// ```
///
/// - `type` is the parameter's Rust type in the runtime, `u32` or `u64`; compiled code passes it
///   as the wasm value type of its [`ParamType`] (`i32` or `i64`).
/// - `result` is `errno` (one `i32`, the error number) or `never` (no result: the call does not
///   return).
/// - `what` is the [`Unstable`] variant saying what `wasi_unstable` has of the function.
///
/// Parameter names are the witx ones (`in` is spelled `in_`).
#[macro_export]
macro_rules! foreach_wasi_function {
    ($callback:ident) => {
        $callback! {
            args_get(argv: u32, argv_buf: u32) -> errno, unstable: Same;
            args_sizes_get(argc: u32, argv_buf_size: u32) -> errno, unstable: Same;
            environ_get(environ: u32, environ_buf: u32) -> errno, unstable: Same;
            environ_sizes_get(environc: u32, environ_buf_size: u32) -> errno, unstable: Same;
            clock_res_get(id: u32, resolution: u32) -> errno, unstable: Same;
            clock_time_get(id: u32, precision: u64, time: u32) -> errno, unstable: Same;
            fd_advise(fd: u32, offset: u64, len: u64, advice: u32) -> errno, unstable: Same;
            fd_allocate(fd: u32, offset: u64, len: u64) -> errno, unstable: Same;
            fd_close(fd: u32) -> errno, unstable: Same;
            fd_datasync(fd: u32) -> errno, unstable: Same;
            fd_fdstat_get(fd: u32, buf: u32) -> errno, unstable: Same;
            fd_fdstat_set_flags(fd: u32, flags: u32) -> errno, unstable: Same;
            fd_fdstat_set_rights(fd: u32, fs_rights_base: u64, fs_rights_inheriting: u64)
                -> errno, unstable: Same;
            fd_filestat_get(fd: u32, buf: u32) -> errno, unstable: Own;
            fd_filestat_set_size(fd: u32, size: u64) -> errno, unstable: Same;
            fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, fst_flags: u32)
                -> errno, unstable: Same;
            fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32)
                -> errno, unstable: Same;
            fd_prestat_get(fd: u32, buf: u32) -> errno, unstable: Same;
            fd_prestat_dir_name(fd: u32, path: u32, path_len: u32) -> errno, unstable: Same;
            fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32)
                -> errno, unstable: Same;
            fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32) -> errno, unstable: Same;
            fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, bufused: u32)
                -> errno, unstable: Same;
            fd_renumber(fd: u32, to: u32) -> errno, unstable: Same;
            fd_seek(fd: u32, offset: u64, whence: u32, newoffset: u32) -> errno, unstable: Own;
            fd_sync(fd: u32) -> errno, unstable: Same;
            fd_tell(fd: u32, offset: u32) -> errno, unstable: Same;
            fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32) -> errno, unstable: Same;
            path_create_directory(fd: u32, path: u32, path_len: u32) -> errno, unstable: Same;
            path_filestat_get(fd: u32, flags: u32, path: u32, path_len: u32, buf: u32)
                -> errno, unstable: Own;
            path_filestat_set_times(
                fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64,
                fst_flags: u32
            ) -> errno, unstable: Same;
            path_link(
                old_fd: u32, old_flags: u32, old_path: u32, old_path_len: u32, new_fd: u32,
                new_path: u32, new_path_len: u32
            ) -> errno, unstable: Same;
            path_open(
                fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32,
                fs_rights_base: u64, fs_rights_inheriting: u64, fdflags: u32, opened_fd: u32
            ) -> errno, unstable: Same;
            path_readlink(
                fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, bufused: u32
            ) -> errno, unstable: Same;
            path_remove_directory(fd: u32, path: u32, path_len: u32) -> errno, unstable: Same;
            path_rename(
                fd: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32,
                new_path_len: u32
            ) -> errno, unstable: Same;
            path_symlink(
                old_path: u32, old_path_len: u32, fd: u32, new_path: u32, new_path_len: u32
            ) -> errno, unstable: Same;
            path_unlink_file(fd: u32, path: u32, path_len: u32) -> errno, unstable: Same;
            poll_oneoff(in_: u32, out: u32, nsubscriptions: u32, nevents: u32)
                -> errno, unstable: Own;
            proc_exit(rval: u32) -> never, unstable: Same;
            proc_raise(sig: u32) -> errno, unstable: Same;
            sched_yield() -> errno, unstable: Same;
            random_get(buf: u32, buf_len: u32) -> errno, unstable: Same;
            sock_accept(fd: u32, flags: u32, result_fd: u32) -> errno, unstable: Absent;
            sock_recv(
                fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, ro_datalen: u32,
                ro_flags: u32
            ) -> errno, unstable: Same;
            sock_send(fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, so_datalen: u32)
                -> errno, unstable: Same;
            sock_shutdown(fd: u32, how: u32) -> errno, unstable: Same;
        }
    };
}

/// The runtime symbol implementing a WASI function, as a string literal (usable in
/// `export_name`): `wasi_symbol!(fd_seek)` is the preview1 one, `wasi_symbol!(unstable fd_seek)`
/// the `wasi_unstable` one of a function whose snapshot 0 version is its own. The prefixes are
/// [`crate::WASI_SYMBOL_PREFIX`] and [`crate::WASI_UNSTABLE_SYMBOL_PREFIX`] (a test checks it).
#[macro_export]
macro_rules! wasi_symbol {
    ($name:ident) => {
        concat!("w2n_wasi_", stringify!($name))
    };
    (unstable $name:ident) => {
        concat!("w2n_wasi_unstable_", stringify!($name))
    };
}

/// The Rust type of a WASI parameter and how compiled code passes it.
pub trait ParamType {
    /// The wasm value type of the parameter.
    const VAL_TYPE: ValType;
    /// The Rust type of that wasm value, which the exported function receives.
    type Raw;
}

impl ParamType for u32 {
    const VAL_TYPE: ValType = I32;
    type Raw = i32;
}

impl ParamType for u64 {
    const VAL_TYPE: ValType = I64;
    type Raw = i64;
}

/// What `wasi_unstable` has of a preview1 function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unstable {
    /// The same function: both modules bind to the preview1 symbol.
    Same,
    /// Its own version (different layouts or constants), a `w2n_wasi_unstable_` symbol.
    Own,
    /// Nothing: snapshot 0 does not have the function.
    Absent,
}

/// One WASI function.
#[derive(Debug, Clone, Copy)]
pub struct WasiFunc {
    pub name: &'static str,
    pub params: &'static [ValType],
    pub results: &'static [ValType],
    /// What `wasi_unstable` has of it.
    pub unstable: Unstable,
}

/// Expands the list of [`foreach_wasi_function!`] into [`FUNCTIONS`].
macro_rules! declare_functions {
    ($(
        $name:ident($($param:ident: $ty:ty),* $(,)?) -> $result:ident, unstable: $unstable:ident;
    )*) => {
        /// All 46 functions of `wasi_snapshot_preview1`.
        pub const FUNCTIONS: &[WasiFunc] = &[$(
            WasiFunc {
                name: stringify!($name),
                params: &[$(<$ty as ParamType>::VAL_TYPE),*],
                results: results!($result),
                unstable: Unstable::$unstable,
            },
        )*];
    };
}

/// The wasm results of a function declared `-> errno` or `-> never`.
macro_rules! results {
    (errno) => {
        &[I32]
    };
    (never) => {
        &[]
    };
}

foreach_wasi_function!(declare_functions);

/// Finds the WASI function `module.name` and the runtime symbol implementing it.
pub fn lookup(module: &str, name: &str) -> Option<(&'static WasiFunc, String)> {
    if module == THREADS {
        return (name == THREAD_SPAWN.name)
            .then(|| (&THREAD_SPAWN, wasi_symbol!(thread_spawn).to_string()));
    }
    let func = FUNCTIONS.iter().find(|w| w.name == name)?;
    let prefix = match (module, func.unstable) {
        (PREVIEW1, _) | (UNSTABLE, Unstable::Same) => crate::WASI_SYMBOL_PREFIX,
        (UNSTABLE, Unstable::Own) => crate::WASI_UNSTABLE_SYMBOL_PREFIX,
        _ => return None,
    };
    Some((func, format!("{prefix}{name}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_46_functions() {
        assert_eq!(FUNCTIONS.len(), 46);
        let mut names: Vec<_> = FUNCTIONS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 46);
    }

    #[test]
    fn symbols() {
        assert_eq!(lookup(PREVIEW1, "fd_write").unwrap().1, "w2n_wasi_fd_write");
        assert_eq!(lookup(UNSTABLE, "fd_write").unwrap().1, "w2n_wasi_fd_write");
        assert_eq!(
            lookup(UNSTABLE, "fd_seek").unwrap().1,
            "w2n_wasi_unstable_fd_seek"
        );
        assert!(lookup(UNSTABLE, "sock_accept").is_none());
        assert!(lookup("env", "fd_write").is_none());
        assert!(lookup(PREVIEW1, "nope").is_none());
        assert_eq!(
            lookup(THREADS, "thread-spawn").unwrap().1,
            "w2n_wasi_thread_spawn"
        );
        assert!(lookup(THREADS, "fd_write").is_none());
        assert!(lookup(PREVIEW1, "thread-spawn").is_none());
        assert_eq!(
            wasi_symbol!(fd_write),
            lookup(PREVIEW1, "fd_write").unwrap().1
        );
        assert_eq!(
            wasi_symbol!(unstable fd_seek),
            lookup(UNSTABLE, "fd_seek").unwrap().1
        );
    }
}
