//! The three unwinder entry points Rust's standard library still references in a `panic=abort`
//! build, for the static musl executables (whose link has no unwinder).
//!
//! The runtime never unwinds: a panic aborts, and traps leave wasm code through
//! [`crate::trap`]'s own resume point. What remains referenced is std's landing pads
//! (`_Unwind_Resume`, only reached while unwinding, which never starts) and its backtrace
//! printer (`_Unwind_Backtrace`, `_Unwind_GetIP`), which now reports an empty backtrace.
//! Linking LLVM's libunwind instead would add about 60 KB (and printf) to every executable.
//! glibc builds keep libgcc's unwinder, which the system toolchain links anyway.

use std::ffi::c_void;

/// `_URC_END_OF_STACK`: the walk ended before the first frame.
const URC_END_OF_STACK: i32 = 5;

/// Walks no frames.
#[unsafe(no_mangle)]
pub extern "C" fn _Unwind_Backtrace(_trace: *mut c_void, _arg: *mut c_void) -> i32 {
    URC_END_OF_STACK
}

/// Never called: no walk visits a frame.
#[unsafe(no_mangle)]
pub extern "C" fn _Unwind_GetIP(_context: *mut c_void) -> usize {
    0
}

/// Only landing pads call this, and with `panic=abort` no unwinding ever reaches one.
#[unsafe(no_mangle)]
pub extern "C" fn _Unwind_Resume(_exception: *mut c_void) -> ! {
    std::process::abort()
}
