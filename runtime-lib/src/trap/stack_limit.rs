//! The stack limit: how far down wasm code may use the thread's stack before calling host code.

use super::thread_state;

/// Kept free below the limit for host code (WASI calls, builtins).
const HOST_RESERVE: usize = 256 * 1024;

/// The lowest stack pointer at which wasm code on this thread may call host code (WASI,
/// builtins): the end of the thread's stack plus room for host functions. Computed once per
/// thread.
///
/// Wasm code itself is not checked against it: it runs until it faults on the guard page below
/// the stack, which the signal handler reports as "call stack exhausted". Compiled code checks
/// the limit only before calling host code, so that host code never overflows.
pub fn thread_stack_limit() -> usize {
    let cached = thread_state::with(|t| t.stack_limit.get());
    if cached != 0 {
        return cached;
    }
    let limit = compute_stack_limit();
    thread_state::with(|t| t.stack_limit.set(limit));
    limit
}

fn compute_stack_limit() -> usize {
    // SAFETY: plain system queries about the calling thread.
    unsafe {
        if libc::getpid() == libc::gettid() {
            return main_thread_stack_limit();
        }
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return 0;
        }
        let mut addr = std::ptr::null_mut();
        let mut size = 0;
        libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        addr as usize + HOST_RESERVE
    }
}

/// The main thread's stack grows on demand up to `RLIMIT_STACK`. (glibc's
/// `pthread_getattr_np` would read `/proc/self/maps` for this: too slow for start-up.)
fn main_thread_stack_limit() -> usize {
    const DEFAULT_SIZE: usize = 8 << 20;
    // SAFETY: plain system queries (and the main thread's own stack limit).
    unsafe {
        let mut rl: libc::rlimit = std::mem::zeroed();
        let size = if libc::getrlimit(libc::RLIMIT_STACK, &mut rl) != 0 {
            DEFAULT_SIZE
        } else if rl.rlim_cur == libc::RLIM_INFINITY {
            // An unlimited stack would let runaway recursion grow the stack until memory
            // runs out instead of reaching a guard: bound it as the usual default does.
            rl.rlim_cur = DEFAULT_SIZE as libc::rlim_t;
            // The system call itself: musl's `setrlimit` keeps a fallback for kernels without
            // prlimit64 (before 2.6.36) that sets the limit thread by thread (`__synccall`,
            // semaphores), ~1.5 KB in every executable for a path Linux never takes.
            libc::syscall(
                libc::SYS_prlimit64,
                0,
                libc::RLIMIT_STACK,
                &rl as *const libc::rlimit,
                std::ptr::null_mut::<libc::rlimit>(),
            );
            DEFAULT_SIZE
        } else {
            (rl.rlim_cur as usize).min(1 << 30)
        };
        // The kernel copies the executable's path to the very top of the main stack (above
        // argv and the environment, which count toward the limit too): its page end is
        // the top of the stack mapping. (Portable across libcs, unlike __libc_stack_end.)
        let execfn = libc::getauxval(libc::AT_EXECFN) as usize;
        if execfn == 0 {
            return 0;
        }
        let top = (execfn + libc::strlen(execfn as *const libc::c_char) + 1).next_multiple_of(4096);
        // With a small RLIMIT_STACK the reserve shrinks so that wasm keeps half the stack.
        top.saturating_sub(size) + HOST_RESERVE.min(size / 2)
    }
}
