//! `poll_oneoff`: waits for clock deadlines and descriptor readiness.
//!
//! Clock subscriptions (relative or absolute, realtime or monotonic) become deadlines on the
//! guest's monotonic clock; stdio and sockets are polled with `ppoll(2)`; regular files are always
//! ready. As in wasmtime, the call returns once anything is ready, with one event per ready
//! subscription in subscription order; a single relative clock subscription simply sleeps.

use std::os::fd::RawFd;

use super::ctx::{Blocking, Kind, WasiCtx};
use super::error::Error;
use super::host::{fstat, realtime_now};
use super::mem;
use super::types::{
    EVENT_SIZE, EVENTRWFLAGS_FD_READWRITE_HANGUP, Errno, Event,
    SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME, SUBSCRIPTION_SIZE, UNSTABLE_SUBSCRIPTION_SIZE,
    clockid, eventtype,
};

/// Where the fields of a `subscription` are: the snapshots differ only in the clock part.
#[derive(Debug, Clone, Copy)]
pub struct SubscriptionLayout {
    /// Size of one subscription.
    pub size: usize,
    /// Offset of `subscription_clock.id`.
    pub clock_id: u32,
    /// Offset of `subscription_clock.timeout`.
    pub timeout: u32,
    /// Offset of `subscription_clock.flags`.
    pub flags: u32,
}

/// preview1: `userdata` u64, tag u8 at 8, union at 16 (`id` u32, `timeout` u64 at 24,
/// `precision` u64 at 32, `flags` u16 at 40).
pub const PREVIEW1: SubscriptionLayout = SubscriptionLayout {
    size: SUBSCRIPTION_SIZE,
    clock_id: 16,
    timeout: 24,
    flags: 40,
};

/// Snapshot 0: the clock part starts with a u64 `identifier`, moving the rest 8 bytes on.
pub const UNSTABLE: SubscriptionLayout = SubscriptionLayout {
    size: UNSTABLE_SUBSCRIPTION_SIZE,
    clock_id: 24,
    timeout: 32,
    flags: 48,
};

/// A decoded subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    Clock {
        id: u32,
        timeout: u64,
        abstime: bool,
    },
    Read(u32),
    Write(u32),
}

/// What waiting on one subscription means.
#[derive(Debug, Clone, Copy)]
enum Wait {
    /// Ready when the guest monotonic clock reaches this.
    Deadline(u64),
    /// Always ready (regular files).
    Ready { hangup: bool },
    /// Ready when `ppoll` says so; index into the pollfd array.
    Poll { index: usize, socket: bool },
}

fn read_sub(mem: &[u8], at: u32, layout: &SubscriptionLayout) -> Result<(u64, Sub), Error> {
    let userdata = mem::read_u64(mem, at)?;
    let field = |off: u32| at.checked_add(off).ok_or(Errno::Fault);
    let sub = match mem::read_u8(mem, field(8)?)? {
        0 => {
            let id = mem::read_u32(mem, field(layout.clock_id)?)?;
            if id > clockid::THREAD_CPUTIME_ID {
                return Err(Errno::Inval.into());
            }
            let flags = mem::read_u16(mem, field(layout.flags)?)?;
            if flags & !SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME != 0 {
                return Err(Errno::Inval.into());
            }
            Sub::Clock {
                id,
                timeout: mem::read_u64(mem, field(layout.timeout)?)?,
                abstime: flags != 0,
            }
        }
        1 => Sub::Read(mem::read_u32(mem, field(16)?)?),
        2 => Sub::Write(mem::read_u32(mem, field(16)?)?),
        _ => return Err(Errno::Inval.into()),
    };
    Ok((userdata, sub))
}

/// `ns` nanoseconds as a `timespec` (saturating at `i64::MAX` seconds).
fn timespec_of_ns(ns: u64) -> libc::timespec {
    libc::timespec {
        tv_sec: (ns / 1_000_000_000).min(i64::MAX as u64) as i64,
        tv_nsec: (ns % 1_000_000_000) as i64,
    }
}

/// Sleeps `ns` nanoseconds, resuming after signals.
fn sleep_ns(ns: u64) {
    let mut ts = timespec_of_ns(ns);
    loop {
        let mut rem = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: valid timespecs.
        if unsafe { libc::nanosleep(&ts, &mut rem) } == 0 {
            return;
        }
        if Errno::last_os() != Errno::Intr {
            return;
        }
        ts = rem;
    }
}

/// `poll_oneoff` with the given subscription layout.
pub fn poll_with_layout(
    ctx: &mut impl Blocking,
    mem: &mut [u8],
    in_: u32,
    out: u32,
    nsubscriptions: u32,
    nevents: u32,
    layout: &SubscriptionLayout,
) -> Result<(), Error> {
    let subs = read_subs(mem, in_, out, nsubscriptions, nevents, layout)?;
    if let Some((userdata, timeout)) = lone_relative_timer(&subs) {
        // wasmtime's fast path, including its `nbytes` of 1.
        ctx.unlocked(|| sleep_ns(timeout));
        let ev = Event {
            userdata,
            error: Errno::Success,
            type_: eventtype::CLOCK,
            nbytes: 1,
            flags: 0,
        };
        return write_events(mem, out, nevents, [ev]);
    }
    let mut plan = Plan::new(ctx.ctx(), &subs)?;
    let now = plan.wait(ctx)?;
    let events = subs
        .iter()
        .zip(&plan.waits)
        .filter(|(_, wait)| plan.ready(wait, now))
        .map(|(&(userdata, sub), wait)| plan.event(userdata, sub, wait));
    write_events(mem, out, nevents, events)
}

/// Checks the guest arrays of a `poll_oneoff` call (`nsubscriptions` subscriptions at `in_`,
/// as many events at `out`, the count at `nevents`) and reads the subscriptions.
fn read_subs(
    mem: &[u8],
    in_: u32,
    out: u32,
    nsubscriptions: u32,
    nevents: u32,
    layout: &SubscriptionLayout,
) -> Result<Vec<(u64, Sub)>, Error> {
    if nsubscriptions == 0 {
        // wasmtime: waiting forever on nothing is not supported.
        return Err(Errno::Inval.into());
    }
    mem::array_range(mem.len(), in_, nsubscriptions, layout.size)?;
    mem::array_range(mem.len(), out, nsubscriptions, EVENT_SIZE)?;
    mem::check_out(mem, nevents, 4)?;
    let mut subs = Vec::with_capacity(nsubscriptions.min(4096) as usize);
    for i in 0..nsubscriptions {
        // Cannot overflow: the whole array was bounds-checked above.
        subs.push(read_sub(mem, in_ + i * layout.size as u32, layout)?);
    }
    Ok(subs)
}

/// `(userdata, timeout)` when the only subscription is a relative clock: it just sleeps.
fn lone_relative_timer(subs: &[(u64, Sub)]) -> Option<(u64, u64)> {
    match *subs {
        [
            (
                userdata,
                Sub::Clock {
                    timeout,
                    abstime: false,
                    ..
                },
            ),
        ] => Some((userdata, timeout)),
        _ => None,
    }
}

/// Writes `events` one after another from `out` (which has room for all of them) and their
/// count at `nevents`.
fn write_events(
    mem: &mut [u8],
    out: u32,
    nevents: u32,
    events: impl IntoIterator<Item = Event>,
) -> Result<(), Error> {
    let mut count = 0u32;
    for ev in events {
        let at = out + count * EVENT_SIZE as u32;
        mem::write_bytes(mem, at, &ev.to_bytes())?;
        count += 1;
    }
    mem::write_u32(mem, nevents, count)
}

/// What a `poll_oneoff` call waits on: one [`Wait`] per subscription, and the descriptors
/// `ppoll` watches for them.
struct Plan {
    waits: Vec<Wait>,
    pollfds: Vec<libc::pollfd>,
}

impl Plan {
    /// The waits of `subs`: clocks become deadlines on the guest's monotonic clock, stdio and
    /// sockets are polled, files are ready at once.
    fn new(ctx: &WasiCtx, subs: &[(u64, Sub)]) -> Result<Plan, Error> {
        let now = ctx.guest_monotonic();
        let mut plan = Plan {
            waits: Vec::with_capacity(subs.len()),
            pollfds: Vec::new(),
        };
        for &(_, sub) in subs {
            let wait = match sub {
                Sub::Clock {
                    id,
                    timeout,
                    abstime,
                } => Wait::Deadline(deadline(now, id, timeout, abstime)?),
                Sub::Read(fd) => plan.fd_wait(ctx, fd, true)?,
                Sub::Write(fd) => plan.fd_wait(ctx, fd, false)?,
            };
            plan.waits.push(wait);
        }
        Ok(plan)
    }

    /// The wait for descriptor `fd` to become readable (`read`) or writable.
    fn fd_wait(&mut self, ctx: &WasiCtx, fd: u32, read: bool) -> Result<Wait, Error> {
        let entry = ctx.fds.get(fd)?;
        let (host, socket): (RawFd, bool) = match &entry.kind {
            Kind::Stdio(s) if s.input == read => (s.host_fd, false),
            Kind::Socket(_) => (entry.host_fd(), true),
            Kind::File(f) => {
                use std::os::fd::AsRawFd;
                let hangup = read && {
                    let h = f.file.as_raw_fd();
                    let size = fstat(h)?.st_size.max(0) as u64;
                    // SAFETY: lseek on an open descriptor.
                    let pos = unsafe { libc::lseek(h, 0, libc::SEEK_CUR) }.max(0) as u64;
                    size <= pos
                };
                return Ok(Wait::Ready { hangup });
            }
            _ => return Err(Errno::Badf.into()),
        };
        self.pollfds.push(libc::pollfd {
            fd: host,
            events: if read { libc::POLLIN } else { libc::POLLOUT },
            revents: 0,
        });
        Ok(Wait::Poll {
            index: self.pollfds.len() - 1,
            socket,
        })
    }

    /// Waits until some subscription is ready; returns the guest monotonic time it was ready at.
    fn wait(&mut self, ctx: &mut impl Blocking) -> Result<u64, Error> {
        let any_ready_now = self.waits.iter().any(|w| matches!(w, Wait::Ready { .. }));
        let deadline = self
            .waits
            .iter()
            .filter_map(|w| match w {
                Wait::Deadline(d) => Some(*d),
                _ => None,
            })
            .min();
        loop {
            let now = ctx.ctx().guest_monotonic();
            let timeout_ns = if any_ready_now {
                Some(0)
            } else {
                deadline.map(|d| d.saturating_sub(now))
            };
            let ts = timeout_ns.map(timespec_of_ns);
            for p in &mut self.pollfds {
                p.revents = 0;
            }
            let pollfds = &mut self.pollfds;
            // SAFETY: `pollfds` is a live array of its length; `ts` outlives the call.
            let r = ctx.unlocked(|| unsafe {
                let r = libc::ppoll(
                    pollfds.as_mut_ptr(),
                    pollfds.len() as libc::nfds_t,
                    ts.as_ref()
                        .map_or(std::ptr::null(), |t| t as *const libc::timespec),
                    std::ptr::null(),
                );
                // Read before relocking, which may change it.
                (r >= 0).then_some(r).ok_or_else(Errno::last_os)
            });
            if let Err(e) = r {
                match e {
                    Errno::Intr => continue,
                    e => return Err(e.into()),
                }
            }
            let now = ctx.ctx().guest_monotonic();
            if self.waits.iter().any(|w| self.ready(w, now)) {
                return Ok(now);
            }
        }
    }

    /// Whether `wait` is ready at guest monotonic time `now`, after [`Plan::wait`].
    fn ready(&self, wait: &Wait, now: u64) -> bool {
        match *wait {
            Wait::Deadline(d) => d <= now,
            Wait::Ready { .. } => true,
            Wait::Poll { index, .. } => self.pollfds[index].revents != 0,
        }
    }

    /// The event of the ready subscription `sub` (with `userdata`), whose wait is `wait`.
    fn event(&self, userdata: u64, sub: Sub, wait: &Wait) -> Event {
        let type_ = match sub {
            Sub::Clock { .. } => eventtype::CLOCK,
            Sub::Read(_) => eventtype::FD_READ,
            Sub::Write(_) => eventtype::FD_WRITE,
        };
        let (error, nbytes, flags) = match *wait {
            Wait::Deadline(_) => (Errno::Success, 0, 0),
            Wait::Ready { hangup } => (
                Errno::Success,
                1,
                if hangup {
                    EVENTRWFLAGS_FD_READWRITE_HANGUP
                } else {
                    0
                },
            ),
            Wait::Poll { index, socket } => {
                let p = self.pollfds[index];
                let hangup = if p.revents & libc::POLLHUP != 0 {
                    EVENTRWFLAGS_FD_READWRITE_HANGUP
                } else {
                    0
                };
                if p.revents & libc::POLLNVAL != 0 {
                    (Errno::Badf, 0, 0)
                } else if p.revents & libc::POLLERR != 0 && !socket {
                    (Errno::Io, 0, 0)
                } else if socket && type_ == eventtype::FD_READ {
                    let mut avail: libc::c_int = 0;
                    // SAFETY: FIONREAD writes one int.
                    unsafe { libc::ioctl(p.fd, libc::FIONREAD, &mut avail) };
                    (Errno::Success, avail.max(0) as u64, hangup)
                } else {
                    // wasmtime reports one byte for stdio streams.
                    (Errno::Success, 1, if socket { hangup } else { 0 })
                }
            }
        };
        Event {
            userdata,
            error,
            type_,
            nbytes,
            flags,
        }
    }
}

/// The deadline, on the guest's monotonic clock read at `now`, of a clock subscription.
fn deadline(now: u64, id: u32, timeout: u64, abstime: bool) -> Result<u64, Error> {
    match (id, abstime) {
        (clockid::MONOTONIC, true) => Ok(timeout),
        (clockid::MONOTONIC | clockid::REALTIME, false) => Ok(now.saturating_add(timeout)),
        (clockid::REALTIME, true) => Ok(now.saturating_add(timeout.saturating_sub(realtime_now()))),
        _ => Err(Errno::Inval.into()),
    }
}

/// `poll_oneoff(in, out, nsubscriptions, nevents)`.
pub fn poll_oneoff(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    in_: u32,
    out: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> Result<(), Error> {
    poll_with_layout(ctx, mem, in_, out, nsubscriptions, nevents, &PREVIEW1)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::time::{Duration, Instant};

    use super::super::testutil::{RW, Sandbox, errno, memory, open, pipe, write};
    use super::*;
    use crate::wasi::types::oflags;

    /// Writes a clock subscription with the given layout.
    fn clock_sub(
        m: &mut [u8],
        at: u32,
        layout: &SubscriptionLayout,
        userdata: u64,
        id: u32,
        timeout: u64,
        abstime: bool,
    ) {
        mem::write_u64(m, at, userdata).unwrap();
        mem::write_u8(m, at + 8, 0).unwrap();
        if layout.size == UNSTABLE_SUBSCRIPTION_SIZE {
            mem::write_u64(m, at + 16, 0xdead).unwrap(); // identifier
        }
        mem::write_u32(m, at + layout.clock_id, id).unwrap();
        mem::write_u64(m, at + layout.timeout, timeout).unwrap();
        mem::write_u16(m, at + layout.flags, u16::from(abstime)).unwrap();
    }

    /// Writes a relative (not `abstime`) preview1 clock subscription.
    fn timer(m: &mut [u8], at: u32, userdata: u64, id: u32, timeout: u64) {
        clock_sub(m, at, &PREVIEW1, userdata, id, timeout, false);
    }

    fn fd_sub(m: &mut [u8], at: u32, userdata: u64, tag: u8, fd: u32) {
        mem::write_u64(m, at, userdata).unwrap();
        mem::write_u8(m, at + 8, tag).unwrap();
        mem::write_u32(m, at + 16, fd).unwrap();
    }

    /// `(userdata, error, type, nbytes, flags)` of event `i` at 2048.
    fn event(m: &[u8], i: u32) -> (u64, u16, u8, u64, u16) {
        let at = 2048 + i * EVENT_SIZE as u32;
        (
            mem::read_u64(m, at).unwrap(),
            mem::read_u16(m, at + 8).unwrap(),
            mem::read_u8(m, at + 10).unwrap(),
            mem::read_u64(m, at + 16).unwrap(),
            mem::read_u16(m, at + 24).unwrap(),
        )
    }

    #[test]
    fn lone_relative_timer_sleeps() {
        let mut ctx = WasiCtx::new_stdio();
        let mut m = memory();
        timer(&mut m, 1024, 7, clockid::MONOTONIC, 20_000_000);
        let start = Instant::now();
        poll_oneoff(&mut ctx, &mut m, 1024, 2048, 1, 0).unwrap();
        assert!(start.elapsed() >= Duration::from_millis(20));
        assert_eq!(mem::read_u32(&m, 0), Ok(1));
        assert_eq!(event(&m, 0), (7, 0, eventtype::CLOCK, 1, 0));
    }

    #[test]
    fn earliest_clock_fires_alone() {
        let mut ctx = WasiCtx::new_stdio();
        let mut m = memory();
        timer(&mut m, 1024, 1, clockid::REALTIME, 60_000_000_000);
        let now = ctx.guest_monotonic();
        clock_sub(
            &mut m,
            1072,
            &PREVIEW1,
            2,
            clockid::MONOTONIC,
            now + 10_000_000,
            true,
        );
        let start = Instant::now();
        poll_oneoff(&mut ctx, &mut m, 1024, 2048, 2, 0).unwrap();
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(9) && waited < Duration::from_secs(30),
            "{waited:?}"
        );
        assert_eq!(mem::read_u32(&m, 0), Ok(1));
        assert_eq!(event(&m, 0), (2, 0, eventtype::CLOCK, 0, 0));
        // An absolute realtime deadline in the past fires at once.
        clock_sub(&mut m, 1072, &PREVIEW1, 3, clockid::REALTIME, 1, true);
        poll_oneoff(&mut ctx, &mut m, 1024, 2048, 2, 0).unwrap();
        assert_eq!(event(&m, 0).0, 3);
    }

    #[test]
    fn stdio_and_file_readiness() {
        let (in_r, in_w) = pipe();
        let (out_r, out_w) = pipe();
        let mut sb = Sandbox::new();
        let mut ctx = WasiCtx::with_stdio_fds([in_r.as_raw_fd(), out_w.as_raw_fd(), 2]);
        ctx.fds.push(sb.ctx.fds.remove(3).unwrap()).unwrap();
        let mut m = memory();
        // Nothing to read yet: only stdout (writable) and the timer can be ready.
        fd_sub(&mut m, 1024, 10, 1, 0);
        fd_sub(&mut m, 1072, 11, 2, 1);
        timer(&mut m, 1120, 12, clockid::MONOTONIC, 60_000_000_000);
        poll_oneoff(&mut ctx, &mut m, 1024, 2048, 3, 0).unwrap();
        assert_eq!(mem::read_u32(&m, 0), Ok(1));
        assert_eq!(event(&m, 0), (11, 0, eventtype::FD_WRITE, 1, 0));
        // Once stdin has data it is ready too (only it, when asked alone with the timer).
        std::fs::File::from(in_w).write_all(b"x").unwrap();
        fd_sub(&mut m, 1072, 12, 1, 0);
        timer(&mut m, 1024, 13, clockid::MONOTONIC, 60_000_000_000);
        poll_oneoff(&mut ctx, &mut m, 1024, 2048, 2, 0).unwrap();
        assert_eq!(mem::read_u32(&m, 0), Ok(1));
        assert_eq!(event(&m, 0), (12, 0, eventtype::FD_READ, 1, 0));
        // Files are always ready; at end of file the event says hangup.
        let f = open(&mut ctx, &mut m, 3, "f", 0, oflags::CREAT, RW, 0).unwrap();
        fd_sub(&mut m, 1024, 20, 1, f);
        fd_sub(&mut m, 1072, 21, 2, f);
        poll_oneoff(&mut ctx, &mut m, 1024, 2048, 2, 0).unwrap();
        assert_eq!(mem::read_u32(&m, 0), Ok(2));
        assert_eq!(
            event(&m, 0),
            (
                20,
                0,
                eventtype::FD_READ,
                1,
                EVENTRWFLAGS_FD_READWRITE_HANGUP
            )
        );
        assert_eq!(event(&m, 1), (21, 0, eventtype::FD_WRITE, 1, 0));
        write(&mut ctx, &mut m, f, b"data").unwrap();
        crate::wasi::fd::fd_seek(&mut ctx, &mut m, f, 0, 0, 0).unwrap();
        poll_oneoff(&mut ctx, &mut m, 1024, 2048, 1, 0).unwrap();
        assert_eq!(event(&m, 0), (20, 0, eventtype::FD_READ, 1, 0));
        drop(out_r);
    }

    #[test]
    fn errors() {
        let mut sb = Sandbox::new();
        let mut m = memory();
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 1024, 2048, 0, 0).map_err(errno),
            Err(Errno::Inval)
        );
        fd_sub(&mut m, 1024, 1, 1, 99);
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 1024, 2048, 1, 0).map_err(errno),
            Err(Errno::Badf)
        );
        fd_sub(&mut m, 1024, 1, 1, 3);
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 1024, 2048, 1, 0).map_err(errno),
            Err(Errno::Badf),
            "a directory"
        );
        fd_sub(&mut m, 1024, 1, 2, 0);
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 1024, 2048, 1, 0).map_err(errno),
            Err(Errno::Badf),
            "writing stdin"
        );
        fd_sub(&mut m, 1024, 1, 3, 0);
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 1024, 2048, 1, 0).map_err(errno),
            Err(Errno::Inval),
            "bad tag"
        );
        timer(&mut m, 1024, 1, 9, 0);
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 1024, 2048, 1, 0).map_err(errno),
            Err(Errno::Inval),
            "bad clock"
        );
        timer(&mut m, 1024, 1, clockid::MONOTONIC, 0);
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 65530, 2048, 1, 0).map_err(errno),
            Err(Errno::Fault)
        );
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 1024, 65530, 1, 0).map_err(errno),
            Err(Errno::Fault)
        );
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 1024, 2048, 1, 65533).map_err(errno),
            Err(Errno::Fault)
        );
        assert_eq!(
            poll_oneoff(&mut sb.ctx, &mut m, 0, 2048, u32::MAX, 0).map_err(errno),
            Err(Errno::Fault)
        );
    }

    #[test]
    fn unstable_layout_has_the_identifier() {
        let mut ctx = WasiCtx::new_stdio();
        let mut m = memory();
        clock_sub(
            &mut m,
            1024,
            &UNSTABLE,
            5,
            clockid::MONOTONIC,
            60_000_000_000,
            false,
        );
        clock_sub(
            &mut m,
            1080,
            &UNSTABLE,
            6,
            clockid::MONOTONIC,
            1_000_000,
            false,
        );
        let start = Instant::now();
        crate::wasi::unstable::poll_oneoff(&mut ctx, &mut m, 1024, 2048, 2, 0).unwrap();
        assert!(start.elapsed() < Duration::from_secs(30));
        assert_eq!(mem::read_u32(&m, 0), Ok(1));
        assert_eq!(event(&m, 0), (6, 0, eventtype::CLOCK, 0, 0));
    }
}
