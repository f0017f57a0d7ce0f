//! Traps: how they are caught and how they are reported.
//!
//! Compiled code traps by executing `ud2` (explicit checks) or by faulting on a guard page: a
//! linear memory's (memory accesses in guard-page mode) or the one below the stack (stack
//! overflow; compiled functions have no prologue check). The signal handler, running on an
//! alternate stack, looks the faulting PC up in the trap tables of the registered module images;
//! if it is a trap site, it records the trap code and the wasm frames (walking frame pointers,
//! which compiled code keeps) and jumps back to the innermost [`catch`]. Anything else is not
//! ours: the default action is restored and the fault repeats.
//!
//! - `catch`: the catch point (a one-shot `setjmp` in naked asm) and [`catch`].
//! - `signals`: the signal handler; installing it ([`install_handlers`]) and each thread's
//!   alternate stack ([`install_alt_stack`]), and undoing both.
//! - `registry`: the registered module images ([`register_image`]) and PC lookups in them.
//! - `backtrace`: the frames recorded at a trap, and [`Trap`] with its report.
//! - `stack_limit`: [`thread_stack_limit`], below which wasm code may not call host code.
//! - `thread_state`: the per-thread state of all of the above, in one place.

mod backtrace;
mod catch;
mod registry;
mod signals;
mod stack_limit;
mod thread_state;

pub(crate) use backtrace::TagNamer;
pub use backtrace::{Frame, Trap};
pub use catch::{Trampoline, catch};
pub use registry::{register_image, unregister_image};
pub use signals::{install_alt_stack, install_handlers, uninstall_alt_stack, uninstall_handlers};
pub use stack_limit::thread_stack_limit;

use crate::abi::TrapCode;
use std::sync::atomic::{AtomicBool, Ordering};

pub(crate) use registry::{find_function, funcs};

/// Records the frames of the throw of `exn` from the call before return address `ret` of the
/// frame with frame pointer `fp`, unless they are recorded already (a rethrow by a catch clause
/// that did not match, or by `throw_ref`).
///
/// # Safety
/// `ret` and `fp` must be a wasm frame's return address into it and frame pointer, on this
/// thread's stack below the innermost catch.
pub(crate) unsafe fn record_throw(exn: u64, ret: usize, fp: usize) {
    if thread_state::with_throw(|t| t.thrown.get()) == exn {
        return;
    }
    let limit = innermost_catch_sp();
    // SAFETY: per the contract.
    let rec = unsafe {
        backtrace::TrapRecord::capture_until(TrapCode::UncaughtException, ret - 1, fp, limit)
    };
    thread_state::with_throw(|t| {
        t.thrown.set(exn);
        t.throw_site.set(rec);
    });
}

/// Ends the innermost call into wasm with `uncaught wasm exception`, the tag's name as
/// `namer` gives it, and the backtrace of `exn`'s first throw ([`record_throw`]). Aborts when
/// no call into wasm is being caught.
pub(crate) fn raise_uncaught(exn: u64, namer: TagNamer) -> ! {
    let point = catch::innermost();
    let rec = thread_state::with_throw(|t| {
        debug_assert_eq!(t.thrown.get(), exn);
        t.thrown.set(0);
        t.throw_site.get()
    });
    let rec = rec.with_exception(exn, namer);
    if point.is_null() {
        report_fatal(&rec.into_trap().report());
        // SAFETY: ending the process.
        unsafe { libc::_exit(TRAP_EXIT_STATUS) }
    }
    // SAFETY: the innermost catch's frame is live, above every frame being abandoned.
    unsafe { catch::resume(point, rec) }
}

/// The stack pointer the innermost catch resumes with (0 when none is active): every frame an
/// exception may unwind lies below it.
pub(crate) fn innermost_catch_sp() -> usize {
    let point = catch::innermost();
    if point.is_null() {
        return 0;
    }
    // SAFETY: an active catch point.
    unsafe { (*point).sp() }
}

/// Exit status of a program that trapped (128 + SIGABRT, as wasmtime).
pub const TRAP_EXIT_STATUS: libc::c_int = 134;

/// Reports a trap detected in host code (a WASI call under `--trap-on-efault`, a call to an
/// unknown import) and ends the program with [`TRAP_EXIT_STATUS`], as a trap in wasm code does.
pub fn host_trap(code: TrapCode, detail: &str) -> ! {
    let trap = Trap::from(code);
    let msg = if detail.is_empty() {
        trap.report()
    } else {
        format!("error: {trap}: {detail}\n")
    };
    report_fatal(&msg);
    // SAFETY: ending the process.
    unsafe { libc::_exit(TRAP_EXIT_STATUS) }
}

/// Writes `report`, the report of a trap that ends the process, to stderr: once per process.
/// When threads trap at the same time, the first to get here reports, and the others never
/// return, waiting for it to end the process.
pub fn report_fatal(report: &str) {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if REPORTED.swap(true, Ordering::AcqRel) {
        loop {
            // SAFETY: waiting for a signal (none comes: the reporting thread ends the process).
            // Not `thread::park`, which would link std's thread handles into every program.
            unsafe { libc::pause() };
        }
    }
    // SAFETY: writing to stderr.
    unsafe { libc::write(2, report.as_ptr().cast(), report.len()) };
}
