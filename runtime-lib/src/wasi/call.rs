//! The boundary compiled code calls: one exported `extern "C"` function per WASI function (and
//! per own `wasi_unstable` version), generated from the table of
//! [`wasm2native_abi::foreach_wasi_function!`], and what each does around the function's
//! implementation: converting the wasm parameters, running it on the global context, tracing the
//! call, and trapping on a bad guest pointer under `--trap-on-efault`.
//!
//! An exported function `w2n_wasi_<name>(vmctx, params...) -> errno` calls the inner function
//! `<name>(ctx: &mut WasiCtx, mem: &mut [u8], params...)` of the module implementing it, with
//! the parameter types the table declares: a table entry and an inner function that disagree
//! do not compile.

use wasm2native_abi::TrapCode;
use wasm2native_abi::wasi::ParamType;

use super::ctx::{CtxGuard, with_ctx};
use super::error::Error;
use super::trace;
use super::types::Errno;

/// A WASI parameter type: what the inner functions take (`u32`, `u64`) for what compiled code
/// passes ([`ParamType::Raw`]: `i32`, `i64`, the same bits).
pub trait Param: ParamType + Copy {
    /// Reinterprets the wasm value.
    fn from_raw(raw: Self::Raw) -> Self;
    /// The value as the trace prints it.
    fn trace(self) -> u64;
}

impl Param for u32 {
    fn from_raw(raw: i32) -> u32 {
        raw as u32
    }
    fn trace(self) -> u64 {
        u64::from(self)
    }
}

impl Param for u64 {
    fn from_raw(raw: i64) -> u64 {
        raw as u64
    }
    fn trace(self) -> u64 {
        self
    }
}

/// Runs one WASI call on the global context: traces it, and turns a bad guest pointer into a
/// trap when the program was built with `--trap-on-efault`. Returns the errno for the guest.
pub fn dispatch(
    name: &'static str,
    args: &[u64],
    f: impl FnOnce(&mut CtxGuard) -> Result<(), Error>,
) -> i32 {
    let (errno, bad_pointer) = with_ctx(|ctx| {
        ctx.subject = None;
        let result = f(ctx);
        let errno = result
            .as_ref()
            .map_or_else(Error::errno, |()| Errno::Success);
        if ctx.trace {
            // A failure's own reason, else what the call acted on.
            let note = result.as_ref().err().and_then(Error::note);
            trace::call(name, args, errno, note.or(ctx.subject.as_deref()));
        }
        let bad_pointer = match &result {
            Err(e) if ctx.trap_on_efault => e.bad_pointer(),
            _ => None,
        };
        (errno, bad_pointer)
    });
    // The context lock is released before trapping: a trap may unwind to an embedder that
    // keeps calling WASI functions.
    if let Some((addr, len)) = bad_pointer {
        trap_bad_pointer(name, addr, len);
    }
    errno as i32
}

/// Traps because WASI call `call` was given the out-of-bounds range `addr..addr+len`
/// (`--trap-on-efault`).
pub fn trap_bad_pointer(call: &str, addr: u64, len: u64) -> ! {
    crate::trap::host_trap(
        TrapCode::WasiBadPointer,
        &format!("{call}: address {addr:#x} (length {len}) is outside linear memory"),
    )
}

/// Expands the table of [`wasm2native_abi::foreach_wasi_function!`] into the exported
/// functions, each in a module named after the WASI function (`exports::fd_seek::preview1`,
/// `exports::fd_seek::unstable`), and [`symbols`].
macro_rules! export_functions {
    ($(
        $name:ident($($param:ident: $ty:ty),* $(,)?) -> $result:ident, unstable: $unstable:ident;
    )*) => {
        $(
            #[doc = concat!("The exported functions of `", stringify!($name), "`.")]
            pub mod $name {
                use super::*;

                export_function!(
                    $name as preview1 = wasm2native_abi::wasi_symbol!($name),
                    concat!("`wasi_snapshot_preview1.", stringify!($name), "`."),
                    super::$name, ($($param: $ty),*) -> $result
                );
                export_unstable!($unstable, $name, ($($param: $ty),*) -> $result);

                /// Adds the symbols defined here to `out`.
                pub(super) fn symbols(out: &mut Vec<(&'static str, usize)>) {
                    let preview1 = preview1 as *const () as usize;
                    out.push((wasm2native_abi::wasi_symbol!($name), preview1));
                    unstable_symbol(out);
                }
            }
        )*

        /// Every exported WASI symbol with its address, for embedders that bind imports
        /// in-process and for checking that the table is covered.
        pub fn symbols() -> Vec<(&'static str, usize)> {
            let mut out = Vec::new();
            $($name::symbols(&mut out);)*
            out
        }
    };
}

/// For a function whose `wasi_unstable` version is its own (`Own`), defines that version (the
/// function of the same name in [`super::unstable`]) and `unstable_symbol`, which adds its
/// symbol to a list; otherwise only an `unstable_symbol` that adds nothing.
macro_rules! export_unstable {
    (Own, $name:ident, $params:tt -> $result:ident) => {
        export_function!(
            $name as unstable = wasm2native_abi::wasi_symbol!(unstable $name),
            concat!("`wasi_unstable.", stringify!($name), "`."),
            $crate::wasi::unstable::$name, $params -> $result
        );

        fn unstable_symbol(out: &mut Vec<(&'static str, usize)>) {
            let unstable = unstable as *const () as usize;
            out.push((wasm2native_abi::wasi_symbol!(unstable $name), unstable));
        }
    };
    ($other:ident, $name:ident, $params:tt -> $result:ident) => {
        fn unstable_symbol(_: &mut Vec<(&'static str, usize)>) {}
    };
}

/// Defines `$fn`, the exported function of WASI function `$name` with symbol `$symbol`, which
/// calls `$inner` with the parameters converted to their declared types.
macro_rules! export_function {
    (
        $name:ident as $fn:ident = $symbol:expr, $doc:expr, $inner:path,
        ($($param:ident: $ty:ty),*) -> errno
    ) => {
        #[doc = $doc]
        ///
        /// # Safety
        /// `vmctx` must be the VM context of the live instance calling this import.
        #[unsafe(export_name = $symbol)]
        pub unsafe extern "C" fn $fn(
            vmctx: *mut u8,
            $($param: <$ty as ParamType>::Raw),*
        ) -> i32 {
            $(let $param = <$ty as Param>::from_raw($param);)*
            // SAFETY: the caller passes its own live VM context; the slice is used only
            // during this call.
            let mem = unsafe { $crate::vm::guest_memory(vmctx) };
            dispatch(
                stringify!($name),
                &[$(Param::trace($param)),*],
                |ctx| $inner(ctx, mem, $($param),*),
            )
        }
    };
    (
        $name:ident as $fn:ident = $symbol:expr, $doc:expr, $inner:path,
        ($($param:ident: $ty:ty),*) -> never
    ) => {
        #[doc = $doc]
        ///
        /// # Safety
        /// `vmctx` must be the VM context of the calling instance (it is not otherwise used).
        #[unsafe(export_name = $symbol)]
        pub unsafe extern "C" fn $fn(
            vmctx: *mut u8,
            $($param: <$ty as ParamType>::Raw),*
        ) -> ! {
            let _ = vmctx;
            $inner($(<$ty as Param>::from_raw($param)),*)
        }
    };
}

/// The exported functions. The modules implementing WASI functions are glob-imported so that
/// the table's names resolve to their inner functions (those names are unique among them).
mod exports {
    use super::{Param, ParamType, dispatch};
    use crate::wasi::{args::*, clock::*, fd::*, path::*, poll::*, proc::*, random::*, sock::*};

    wasm2native_abi::foreach_wasi_function!(export_functions);
}

pub use exports::symbols;

#[cfg(test)]
mod tests {
    use super::*;
    use wasm2native_abi::wasi::{FUNCTIONS, PREVIEW1, UNSTABLE, lookup};

    #[test]
    fn every_table_entry_has_a_symbol() {
        let syms: Vec<&str> = symbols().iter().map(|(name, _)| *name).collect();
        let mut expected = Vec::new();
        for f in FUNCTIONS {
            expected.push(lookup(PREVIEW1, f.name).unwrap().1);
            if let Some((_, sym)) = lookup(UNSTABLE, f.name) {
                expected.push(sym);
            }
        }
        expected.sort();
        expected.dedup();
        let mut got = syms.clone();
        got.sort();
        assert_eq!(got, expected);
        assert_eq!(syms.len(), 50);
    }

    #[test]
    fn dispatch_returns_errno() {
        assert_eq!(dispatch("test", &[], |_| Ok(())), 0);
        assert_eq!(dispatch("test", &[], |_| Err(Errno::Badf.into())), 8);
        // Without `--trap-on-efault`, a bad pointer is just `fault`.
        assert_eq!(
            dispatch("test", &[], |_| Err(Error::out_of_bounds(1, 2))),
            21
        );
        // The global context starts with stdio.
        assert_eq!(
            dispatch("test", &[], |ctx| Ok(ctx.fds.get(2).map(drop)?)),
            0
        );
    }
}
