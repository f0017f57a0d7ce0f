//! The WASI functions the runtime implements: their import names, wasm signatures and the runtime
//! symbols that implement them. The compiler binds imports by this table; the runtime defines
//! one `extern "C"` function per entry with the signature `(vmctx, params...) -> results`.

use crate::meta::ValType::{self, I32, I64};

/// Module name of WASI preview 1.
pub const PREVIEW1: &str = "wasi_snapshot_preview1";
/// Module name of the older snapshot 0, still emitted by old toolchains.
pub const UNSTABLE: &str = "wasi_unstable";

/// One WASI function.
#[derive(Debug, Clone, Copy)]
pub struct WasiFunc {
    pub name: &'static str,
    pub params: &'static [ValType],
    pub results: &'static [ValType],
    /// Whether `wasi_unstable` has its own implementation (different layouts or constants);
    /// otherwise both modules share the preview1 symbol.
    pub unstable_differs: bool,
    /// Whether `wasi_unstable` has this function at all.
    pub in_unstable: bool,
}

const fn f(name: &'static str, params: &'static [ValType]) -> WasiFunc {
    WasiFunc {
        name,
        params,
        results: &[I32],
        unstable_differs: false,
        in_unstable: true,
    }
}

const fn differs(mut w: WasiFunc) -> WasiFunc {
    w.unstable_differs = true;
    w
}

/// All 46 functions of `wasi_snapshot_preview1`.
pub const FUNCTIONS: &[WasiFunc] = &[
    f("args_get", &[I32, I32]),
    f("args_sizes_get", &[I32, I32]),
    f("environ_get", &[I32, I32]),
    f("environ_sizes_get", &[I32, I32]),
    f("clock_res_get", &[I32, I32]),
    f("clock_time_get", &[I32, I64, I32]),
    f("fd_advise", &[I32, I64, I64, I32]),
    f("fd_allocate", &[I32, I64, I64]),
    f("fd_close", &[I32]),
    f("fd_datasync", &[I32]),
    f("fd_fdstat_get", &[I32, I32]),
    f("fd_fdstat_set_flags", &[I32, I32]),
    f("fd_fdstat_set_rights", &[I32, I64, I64]),
    differs(f("fd_filestat_get", &[I32, I32])),
    f("fd_filestat_set_size", &[I32, I64]),
    f("fd_filestat_set_times", &[I32, I64, I64, I32]),
    f("fd_pread", &[I32, I32, I32, I64, I32]),
    f("fd_prestat_get", &[I32, I32]),
    f("fd_prestat_dir_name", &[I32, I32, I32]),
    f("fd_pwrite", &[I32, I32, I32, I64, I32]),
    f("fd_read", &[I32, I32, I32, I32]),
    f("fd_readdir", &[I32, I32, I32, I64, I32]),
    f("fd_renumber", &[I32, I32]),
    differs(f("fd_seek", &[I32, I64, I32, I32])),
    f("fd_sync", &[I32]),
    f("fd_tell", &[I32, I32]),
    f("fd_write", &[I32, I32, I32, I32]),
    f("path_create_directory", &[I32, I32, I32]),
    differs(f("path_filestat_get", &[I32, I32, I32, I32, I32])),
    f(
        "path_filestat_set_times",
        &[I32, I32, I32, I32, I64, I64, I32],
    ),
    f("path_link", &[I32, I32, I32, I32, I32, I32, I32]),
    f("path_open", &[I32, I32, I32, I32, I32, I64, I64, I32, I32]),
    f("path_readlink", &[I32, I32, I32, I32, I32, I32]),
    f("path_remove_directory", &[I32, I32, I32]),
    f("path_rename", &[I32, I32, I32, I32, I32, I32]),
    f("path_symlink", &[I32, I32, I32, I32, I32]),
    f("path_unlink_file", &[I32, I32, I32]),
    differs(f("poll_oneoff", &[I32, I32, I32, I32])),
    WasiFunc {
        name: "proc_exit",
        params: &[I32],
        results: &[],
        unstable_differs: false,
        in_unstable: true,
    },
    f("proc_raise", &[I32]),
    f("sched_yield", &[]),
    f("random_get", &[I32, I32]),
    WasiFunc {
        in_unstable: false,
        ..f("sock_accept", &[I32, I32, I32])
    },
    f("sock_recv", &[I32, I32, I32, I32, I32, I32]),
    f("sock_send", &[I32, I32, I32, I32, I32]),
    f("sock_shutdown", &[I32, I32]),
];

/// Finds the WASI function `module.name` and the runtime symbol implementing it.
pub fn lookup(module: &str, name: &str) -> Option<(&'static WasiFunc, String)> {
    let func = FUNCTIONS.iter().find(|w| w.name == name)?;
    match module {
        PREVIEW1 => Some((func, format!("{}{}", crate::WASI_SYMBOL_PREFIX, name))),
        UNSTABLE if func.in_unstable => {
            let prefix = if func.unstable_differs {
                crate::WASI_UNSTABLE_SYMBOL_PREFIX
            } else {
                crate::WASI_SYMBOL_PREFIX
            };
            Some((func, format!("{prefix}{name}")))
        }
        _ => None,
    }
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
    }
}
