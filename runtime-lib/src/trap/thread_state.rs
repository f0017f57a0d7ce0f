//! Everything the trap machinery keeps per thread, in one place: [`ThreadState`], and
//! [`ThrowState`] for exceptions, a thread-local of its own so that only programs that throw link
//! it.
//!
//! The signal handler reads and writes this state, so it must stay plain data with a constant
//! initializer and no destructor: then a thread-local access is a load from the thread pointer,
//! which is safe in a signal handler (no lazy initialization, no allocation, no registration).

use super::backtrace::TrapRecord;
use super::catch::CatchPoint;
use super::signals::AltStack;
use std::cell::Cell;

/// The trap state of one thread.
pub(super) struct ThreadState {
    /// The innermost active [`super::catch`] on this thread, or null.
    pub(super) catch_point: Cell<*const CatchPoint>,
    /// What the signal handler recorded about the last trap, read by the catch it resumed.
    pub(super) last_trap: Cell<TrapRecord>,
    /// This thread's alternate signal stack, when [`super::install_alt_stack`] installed one.
    pub(super) alt_stack: Cell<Option<AltStack>>,
    /// [`super::thread_stack_limit`], computed on first use (0 until then).
    pub(super) stack_limit: Cell<usize>,
}

thread_local! {
    static STATE: ThreadState = const {
        ThreadState {
            catch_point: Cell::new(std::ptr::null()),
            last_trap: Cell::new(TrapRecord::EMPTY),
            alt_stack: Cell::new(None),
            stack_limit: Cell::new(0),
        }
    };
}

/// Runs `f` on the calling thread's trap state.
pub(super) fn with<R>(f: impl FnOnce(&ThreadState) -> R) -> R {
    STATE.with(f)
}

/// The exception state of one thread.
pub(super) struct ThrowState {
    /// The exception (an `exnref`) whose first throw [`Self::throw_site`] records, or 0.
    pub(super) thrown: Cell<u64>,
    /// The frames at the first throw of [`Self::thrown`]: the backtrace reported if it is never
    /// caught (a catch clause that does not match rethrows it from its own frame).
    pub(super) throw_site: Cell<TrapRecord>,
}

thread_local! {
    static THROW: ThrowState = const {
        ThrowState {
            thrown: Cell::new(0),
            throw_site: Cell::new(TrapRecord::EMPTY),
        }
    };
}

/// Runs `f` on the calling thread's exception state.
pub(super) fn with_throw<R>(f: impl FnOnce(&ThrowState) -> R) -> R {
    THROW.with(f)
}
