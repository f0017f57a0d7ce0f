//! Signal handling: the handler that turns a fault in wasm code into a trap, and its
//! installation (process-wide handlers, a per-thread alternate stack).
//!
//! Installation is explicit and reversible: executables install once at start; an embedder that
//! loads compiled code into a long-lived process (the spec-test harness) may uninstall to give
//! the signals back. [`super::catch`] installs on demand, so calling into wasm is always safe.

use super::backtrace::TrapRecord;
use super::{catch, registry, thread_state};
use crate::abi::TrapCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The signals a trap in compiled code raises: guard-page faults (SIGSEGV, SIGBUS), `ud2`
/// (SIGILL), and `idiv` overflow (SIGFPE).
const SIGNALS: [libc::c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

/// Size of each thread's alternate signal stack.
const ALT_STACK_SIZE: usize = 256 * 1024;

/// Whether our handlers are installed: the check [`super::catch`] makes on every call.
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// The actions our handlers replaced, restored by [`uninstall_handlers`]; `Some` while they are
/// installed.
static PREVIOUS_ACTIONS: Mutex<Option<[libc::sigaction; SIGNALS.len()]>> = Mutex::new(None);

unsafe extern "C" fn handle_signal(
    sig: libc::c_int,
    _info: *mut libc::siginfo_t,
    ctx: *mut libc::c_void,
) {
    // SAFETY: the kernel passes a ucontext_t to SA_SIGINFO handlers.
    let uc = unsafe { &*(ctx as *const libc::ucontext_t) };
    let pc = uc.uc_mcontext.gregs[libc::REG_RIP as usize] as usize;
    let fp = uc.uc_mcontext.gregs[libc::REG_RBP as usize] as usize;
    let sp = uc.uc_mcontext.gregs[libc::REG_RSP as usize] as usize;
    let point = catch::innermost();
    if !point.is_null() {
        let code = registry::trap_code_at(pc).or_else(|| {
            // A fault in wasm code that is not a trap site: the guard page below the stack
            // (compiled code has no other stack check; see `thread_stack_limit`).
            (sig == libc::SIGSEGV && registry::find_function(pc).is_some())
                .then_some(TrapCode::StackOverflow)
        });
        if let Some(code) = code {
            // SAFETY: `fp` and `sp` belong to the wasm code at `pc`.
            let rec = unsafe { TrapRecord::capture(code, pc, fp, sp) };
            // SAFETY: `point` is the innermost active catch on this thread; its frame is live.
            unsafe { catch::resume(point, rec) };
        }
    }
    // Not a wasm trap: restore the default action; returning re-executes the fault.
    // SAFETY: resetting a signal disposition.
    unsafe { libc::signal(sig, libc::SIG_DFL) };
}

/// Installs the trap signal handlers for the whole process, keeping the actions they replace
/// for [`uninstall_handlers`]. Does nothing if they are installed.
pub fn install_handlers() {
    if INSTALLED.load(Ordering::Acquire) {
        return;
    }
    let mut previous = PREVIOUS_ACTIONS.lock().unwrap_or_else(|e| e.into_inner());
    if previous.is_some() {
        return;
    }
    // SAFETY: sigaction is plain data; all-zero is a valid (default) action.
    let mut replaced: [libc::sigaction; SIGNALS.len()] = unsafe { std::mem::zeroed() };
    for (sig, old) in SIGNALS.into_iter().zip(&mut replaced) {
        // SAFETY: installing a handler with a zeroed, then filled, sigaction.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = handle_signal as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, old);
        }
    }
    *previous = Some(replaced);
    INSTALLED.store(true, Ordering::Release);
}

/// Restores the signal actions [`install_handlers`] replaced. A later trap is then not caught
/// (until handlers are installed again); no thread may be running wasm code.
pub fn uninstall_handlers() {
    let mut previous = PREVIOUS_ACTIONS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(replaced) = previous.take() {
        for (sig, old) in SIGNALS.into_iter().zip(&replaced) {
            // SAFETY: restoring an action the kernel gave us.
            unsafe { libc::sigaction(sig, old, std::ptr::null_mut()) };
        }
    }
    INSTALLED.store(false, Ordering::Release);
}

/// A thread's alternate signal stack, mapped by [`install_alt_stack`], and the one it replaced.
///
/// The handler runs on it so that it can report a stack overflow: the fault happens with the
/// thread's own stack exhausted.
#[derive(Clone, Copy)]
pub(super) struct AltStack {
    mapping: *mut libc::c_void,
    replaced: libc::stack_t,
}

/// Gives the calling thread an alternate signal stack of its own, keeping the one it replaces
/// for [`uninstall_alt_stack`]. Does nothing if this thread has one from us.
pub fn install_alt_stack() {
    if thread_state::with(|t| t.alt_stack.get()).is_some() {
        return;
    }
    // SAFETY: a fresh mapping used only as this thread's signal stack.
    let installed = unsafe {
        let mapping = libc::mmap(
            std::ptr::null_mut(),
            ALT_STACK_SIZE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        let ss = libc::stack_t {
            ss_sp: mapping,
            ss_flags: 0,
            ss_size: ALT_STACK_SIZE,
        };
        let mut replaced: libc::stack_t = std::mem::zeroed();
        if mapping == libc::MAP_FAILED {
            None
        } else if libc::sigaltstack(&ss, &mut replaced) != 0 {
            libc::munmap(mapping, ALT_STACK_SIZE);
            None
        } else {
            Some(AltStack { mapping, replaced })
        }
    };
    thread_state::with(|t| t.alt_stack.set(installed));
}

/// Restores the alternate signal stack [`install_alt_stack`] replaced on the calling thread
/// and unmaps ours. Not to be called from a signal handler running on it.
pub fn uninstall_alt_stack() {
    let Some(alt) = thread_state::with(|t| t.alt_stack.take()) else {
        return;
    };
    // SAFETY: the stack is ours and no handler runs on it (per the contract).
    unsafe {
        libc::sigaltstack(&alt.replaced, std::ptr::null_mut());
        libc::munmap(alt.mapping, ALT_STACK_SIZE);
    }
}
