//! `memory.atomic.wait32/wait64` and `memory.atomic.notify`: a process-wide queue of waiting
//! threads keyed by the native address they wait on (shared memories never move, so the
//! address identifies the location for every instance that shares it).
//!
//! Addresses hash to a fixed set of buckets, each a `Mutex` over its waiters in arrival order.
//! A waiter compares the value while holding its bucket's lock and enqueues itself before
//! releasing it, and `notify` takes the same lock, so a store followed by a notify cannot slip
//! between the comparison and the sleep. Each waiter sleeps on a `Condvar` of its own (std's are
//! futex-based), so a notify wakes exactly the waiters it dequeues; a waiter returns "ok" only
//! once dequeued by a notify, never on a spurious wake-up.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// `wait`'s result: woken by `notify`.
pub const WOKEN: u32 = 0;
/// `wait`'s result: the value was not the expected one.
pub const NOT_EQUAL: u32 = 1;
/// `wait`'s result: the timeout passed.
pub const TIMED_OUT: u32 = 2;

const BUCKETS: usize = 64;

/// One waiting thread.
struct Waiter {
    addr: usize,
    /// Set (under the bucket's lock) by the `notify` that dequeues it.
    woken: AtomicBool,
    wake: Condvar,
}

/// The waiters on the addresses that hash to one bucket, oldest first.
struct Bucket(Mutex<VecDeque<Arc<Waiter>>>);

static QUEUE: [Bucket; BUCKETS] = [const { Bucket(Mutex::new(VecDeque::new())) }; BUCKETS];

/// The bucket of `addr`, locked. A panic while it was held cannot leave the queue
/// inconsistent (each operation on it is one call), so poisoning is ignored.
fn lock(addr: usize) -> MutexGuard<'static, VecDeque<Arc<Waiter>>> {
    // Fibonacci hashing: the top bits of the product mix every bit of the address.
    let index =
        (addr as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BUCKETS.trailing_zeros());
    QUEUE[index as usize]
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `addr` unless `equal()` (called with the bucket locked) says the value there is not
/// the expected one: returns [`WOKEN`], [`NOT_EQUAL`] or [`TIMED_OUT`] after `timeout_ns`
/// nanoseconds (negative: wait until notified).
pub fn wait(addr: usize, equal: impl FnOnce() -> bool, timeout_ns: i64) -> u32 {
    let mut queue = lock(addr);
    if !equal() {
        return NOT_EQUAL;
    }
    // A deadline beyond `Instant`'s range is no deadline.
    let deadline = u64::try_from(timeout_ns)
        .ok()
        .and_then(|ns| Instant::now().checked_add(Duration::from_nanos(ns)));
    let forever = timeout_ns < 0 || deadline.is_none();
    let me = Arc::new(Waiter {
        addr,
        woken: AtomicBool::new(false),
        wake: Condvar::new(),
    });
    queue.push_back(Arc::clone(&me));
    loop {
        if me.woken.load(Ordering::Relaxed) {
            return WOKEN;
        }
        if forever {
            queue = me.wake.wait(queue).unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        let now = Instant::now();
        let deadline = deadline.expect("a finite timeout has a deadline");
        if now >= deadline {
            queue.retain(|w| !Arc::ptr_eq(w, &me));
            return TIMED_OUT;
        }
        queue = (me.wake.wait_timeout(queue, deadline - now))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// Wakes up to `count` of the threads waiting on `addr`, oldest first; returns how many.
pub fn notify(addr: usize, count: u32) -> u32 {
    let mut queue = lock(addr);
    let mut woken = 0;
    queue.retain(|w| {
        if woken == count || w.addr != addr {
            return true;
        }
        w.woken.store(true, Ordering::Relaxed);
        w.wake.notify_one();
        woken += 1;
        false
    });
    woken
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;
    use std::thread;

    fn addr_of(a: &AtomicU32) -> usize {
        a as *const AtomicU32 as usize
    }

    /// Waits on `a` for the value `expected`, as the builtin does.
    fn wait_on(a: &AtomicU32, expected: u32, timeout_ns: i64) -> u32 {
        wait(
            addr_of(a),
            || a.load(Ordering::SeqCst) == expected,
            timeout_ns,
        )
    }

    /// How many threads wait on `addr` (other tests' waiters may share its bucket).
    fn waiters(addr: usize) -> usize {
        lock(addr).iter().filter(|w| w.addr == addr).count()
    }

    /// Spins until `n` threads wait on `addr`.
    fn await_waiters(addr: usize, n: usize) {
        while waiters(addr) < n {
            thread::yield_now();
        }
    }

    #[test]
    fn not_equal_and_timeout() {
        let a = AtomicU32::new(5);
        assert_eq!(wait_on(&a, 4, -1), NOT_EQUAL);
        assert_eq!(wait_on(&a, 5, 0), TIMED_OUT);
        let start = Instant::now();
        assert_eq!(wait_on(&a, 5, 20_000_000), TIMED_OUT);
        assert!(start.elapsed() >= Duration::from_millis(20));
        assert_eq!(waiters(addr_of(&a)), 0, "a timed-out waiter leaves");
        assert_eq!(notify(addr_of(&a), 1), 0);
    }

    #[test]
    fn notify_wakes_a_waiter() {
        let a = AtomicU32::new(0);
        thread::scope(|s| {
            let waiter = s.spawn(|| wait_on(&a, 0, -1));
            await_waiters(addr_of(&a), 1);
            assert_eq!(notify(addr_of(&a), 1), 1);
            assert_eq!(waiter.join().unwrap(), WOKEN);
        });
    }

    #[test]
    fn notify_wakes_at_most_count_in_arrival_order() {
        let a = AtomicU32::new(0);
        thread::scope(|s| {
            let mut threads = Vec::new();
            for i in 0..4 {
                // Each waiter enqueues only after the previous one has.
                await_waiters(addr_of(&a), i);
                threads.push(s.spawn(|| wait_on(&a, 0, -1)));
            }
            await_waiters(addr_of(&a), 4);
            assert_eq!(notify(addr_of(&a), 2), 2);
            assert_eq!(waiters(addr_of(&a)), 2);
            // The two oldest were the ones woken.
            let start = Instant::now();
            while threads.iter().filter(|t| t.is_finished()).count() < 2 {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "woken threads hang"
                );
                thread::yield_now();
            }
            let finished: Vec<bool> = threads.iter().map(|t| t.is_finished()).collect();
            assert_eq!(finished, [true, true, false, false]);
            assert_eq!(notify(addr_of(&a), u32::MAX), 2);
            for t in threads {
                assert_eq!(t.join().unwrap(), WOKEN);
            }
        });
    }

    #[test]
    fn notify_only_wakes_waiters_on_its_address() {
        let cells = [AtomicU32::new(0), AtomicU32::new(0)];
        thread::scope(|s| {
            let waiters: Vec<_> = (cells.iter())
                .map(|c| s.spawn(move || wait_on(c, 0, -1)))
                .collect();
            await_waiters(addr_of(&cells[0]), 1);
            await_waiters(addr_of(&cells[1]), 1);
            assert_eq!(notify(addr_of(&cells[1]), 5), 1);
            assert_eq!(notify(addr_of(&cells[0]), 5), 1);
            for w in waiters {
                assert_eq!(w.join().unwrap(), WOKEN);
            }
        });
    }

    #[test]
    fn ping_pong() {
        // Two threads take turns through one cell: a lost wake-up would hang.
        let turn = AtomicU32::new(0);
        let play = |me: u32| {
            for _ in 0..2000 {
                while turn.load(Ordering::SeqCst) != me {
                    wait_on(&turn, 1 - me, -1);
                }
                turn.store(1 - me, Ordering::SeqCst);
                notify(addr_of(&turn), 1);
            }
        };
        thread::scope(|s| {
            s.spawn(|| play(0));
            s.spawn(|| play(1));
        });
    }
}
