//! The catch point: calling into wasm so that a trap anywhere below returns here.
//!
//! [`catch`] saves a resume point and calls a trampoline through [`call_catching`]; the signal
//! handler, on a trap, records it and jumps back with [`resume`]. Nested catches (wasm calling
//! the host calling wasm) form a chain through the thread's innermost catch point.

use super::backtrace::{Trap, TrapRecord};
use super::{signals, thread_state};

/// Where an active [`catch`] resumes: the callee-saved registers, the stack pointer and the
/// return address of its call to [`call_catching`] (x86-64 System V).
#[repr(C)]
#[derive(Default)]
pub(super) struct CatchPoint {
    /// rbx, rbp, r12, r13, r14, r15, rsp after the return, return address.
    regs: [usize; 8],
}

impl CatchPoint {
    /// The stack pointer the catch resumes with.
    pub(super) fn sp(&self) -> usize {
        self.regs[6]
    }
}

/// An array-call trampoline, as the compiler emits one per type: `tramp(code, vmctx, values)`
/// calls `code` with the arguments in `values` and stores its results there.
pub type Trampoline = unsafe extern "C" fn(*const u8, *mut u8, *mut u128);

/// Saves the resume point in `point`, then calls `tramp(code, vmctx, values)` and returns 0.
/// When a trap unwinds to `point` ([`resume_at`]), this call returns 1 instead.
///
/// Rust cannot call `setjmp`; this is its one-shot equivalent. The call returns exactly once
/// either way, with the callee-saved registers and stack pointer of its caller, so the caller
/// needs none of `setjmp`'s "returns twice" care. The signal mask is not saved: handlers run
/// with `SA_NODEFER`, so a catch costs no system call.
#[unsafe(naked)]
unsafe extern "C" fn call_catching(
    point: *mut CatchPoint,
    tramp: Trampoline,
    code: *const u8,
    vmctx: *mut u8,
    values: *mut u128,
) -> u32 {
    core::arch::naked_asm!(
        "mov [rdi], rbx",
        "mov [rdi + 8], rbp",
        "mov [rdi + 16], r12",
        "mov [rdi + 24], r13",
        "mov [rdi + 32], r14",
        "mov [rdi + 40], r15",
        "lea rax, [rsp + 8]",
        "mov [rdi + 48], rax",
        "mov rax, [rsp]",
        "mov [rdi + 56], rax",
        // A frame of our own keeps the stack aligned and the frame-pointer chain whole.
        "push rbp",
        "mov rbp, rsp",
        "mov rax, rsi",
        "mov rdi, rdx",
        "mov rsi, rcx",
        "mov rdx, r8",
        "call rax",
        "pop rbp",
        "xor eax, eax",
        "ret",
    )
}

/// Returns 1 from the [`call_catching`] that filled `point`, abandoning every frame above it.
#[unsafe(naked)]
unsafe extern "C" fn resume_at(point: *const CatchPoint) -> ! {
    core::arch::naked_asm!(
        "mov rbx, [rdi]",
        "mov rbp, [rdi + 8]",
        "mov r12, [rdi + 16]",
        "mov r13, [rdi + 24]",
        "mov r14, [rdi + 32]",
        "mov r15, [rdi + 40]",
        "mov rsp, [rdi + 48]",
        "mov eax, 1",
        "jmp qword ptr [rdi + 56]",
    )
}

/// Calls `tramp(code, vmctx, values)`, catching any trap it raises.
///
/// Installs the signal handlers and this thread's alternate signal stack first if they are not
/// (see [`super::install_handlers`]), so that embedders need not.
///
/// # Safety
/// `tramp` must be an array-call trampoline for `code`'s type and `values` must hold room for
/// its parameters and results.
pub unsafe fn catch(
    tramp: Trampoline,
    code: *const u8,
    vmctx: *mut u8,
    values: *mut u128,
) -> Result<(), Trap> {
    signals::install_handlers();
    signals::install_alt_stack();
    let mut point = CatchPoint::default();
    let point: *mut CatchPoint = &mut point;
    let prev = thread_state::with(|t| t.catch_point.replace(point));
    // SAFETY: per the contract; `point` outlives the call.
    let trapped = unsafe { call_catching(point, tramp, code, vmctx, values) } != 0;
    thread_state::with(|t| t.catch_point.set(prev));
    if !trapped {
        return Ok(());
    }
    Err(thread_state::with(|t| t.last_trap.get()).into_trap())
}

/// The innermost active catch on this thread, or null when no wasm call is being caught.
pub(super) fn innermost() -> *const CatchPoint {
    thread_state::with(|t| t.catch_point.get())
}

/// Hands `rec` to the catch that filled `point` and resumes there.
///
/// # Safety
/// `point` must be this thread's [`innermost`] catch point, and the caller must be the signal
/// handler interrupting code below it (every frame above `point` is abandoned).
pub(super) unsafe fn resume(point: *const CatchPoint, rec: TrapRecord) -> ! {
    thread_state::with(|t| t.last_trap.set(rec));
    // SAFETY: per the contract; the catch's frame is live.
    unsafe { resume_at(point) }
}
