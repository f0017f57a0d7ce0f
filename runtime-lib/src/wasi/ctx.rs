//! The WASI context: arguments, environment and the descriptor table, and the process-global
//! context the exported functions act on.
//!
//! Descriptor numbers are allocated the way wasmtime's preview1 adapter does it, so programs
//! that print or compare them see the same values: 0–2 are stdio, preopens follow in order,
//! a new descriptor reuses the highest closed number, else takes one past the highest in use.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::{Deref, DerefMut};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::config::WasiConfig;
use super::host::monotonic_now;
use super::types::{Errno, rights};

/// The program's WASI state; created on first use with just stdio if [`init`] was not called
/// (the spec-test harness never calls it). Every WASI call holds its lock (uncontended, it
/// costs two atomic operations), except while it blocks in the host ([`Blocking`]): the threads
/// of a wasi-threads program share the descriptor table.
static CTX: Mutex<Option<WasiCtx>> = Mutex::new(None);

/// Installs the process-global WASI context described by `cfg`: stdin, stdout and stderr are
/// fds 0, 1 and 2 (the process's own), preopened directories follow from fd 3 in order.
pub fn init(cfg: WasiConfig) {
    let ctx = WasiCtx::new(cfg);
    *CTX.lock().unwrap_or_else(PoisonError::into_inner) = Some(ctx);
}

/// Whether WASI calls may come from several threads: set when the first thread is spawned
/// ([`calls_from_threads`]). Until then [`CtxGuard::unlocked`] keeps the lock, which no other
/// thread is waiting for.
static THREADED: AtomicBool = AtomicBool::new(false);

/// Makes calls that block release the global context from now on: other threads may call.
pub fn calls_from_threads() {
    THREADED.store(true, Ordering::Relaxed);
}

/// Runs `f` on the global context, locked.
pub(crate) fn with_ctx<R>(f: impl FnOnce(&mut CtxGuard) -> R) -> R {
    f(&mut CtxGuard(Some(lock())))
}

/// Locks the global context, creating it if need be.
fn lock() -> MutexGuard<'static, Option<WasiCtx>> {
    let mut guard = CTX.lock().unwrap_or_else(PoisonError::into_inner);
    guard.get_or_insert_with(WasiCtx::new_stdio);
    guard
}

/// A WASI context that a call may release while it blocks in the host (reading a stream,
/// polling, sleeping, accepting), so that other threads' calls proceed meanwhile: the global
/// context's [`CtxGuard`] does; a context of one's own (unit tests) has nothing to release.
///
/// Only what the blocking host call needs crosses [`Blocking::unlocked`] (a host descriptor
/// number, guest buffers), never a reference into the context, which another thread may change
/// meanwhile. A descriptor closed by one thread while another blocks on it is the guest's race,
/// as in POSIX.
pub trait Blocking {
    /// The context.
    fn ctx(&mut self) -> &mut WasiCtx;
    /// Runs `f`, a blocking host call, without holding the context.
    fn unlocked<R>(&mut self, f: impl FnOnce() -> R) -> R;
}

impl Blocking for WasiCtx {
    fn ctx(&mut self) -> &mut WasiCtx {
        self
    }
    fn unlocked<R>(&mut self, f: impl FnOnce() -> R) -> R {
        f()
    }
}

/// The global context, locked for one WASI call ([`with_ctx`]); it derefs to the [`WasiCtx`].
pub struct CtxGuard(Option<MutexGuard<'static, Option<WasiCtx>>>);

impl Deref for CtxGuard {
    type Target = WasiCtx;
    fn deref(&self) -> &WasiCtx {
        let guard = self.0.as_ref().expect("locked outside `unlocked`");
        guard.as_ref().expect("created by `lock`")
    }
}

impl DerefMut for CtxGuard {
    fn deref_mut(&mut self) -> &mut WasiCtx {
        let guard = self.0.as_mut().expect("locked outside `unlocked`");
        guard.as_mut().expect("created by `lock`")
    }
}

impl Blocking for CtxGuard {
    fn ctx(&mut self) -> &mut WasiCtx {
        self
    }

    /// Releases the lock for `f` once threads may call ([`calls_from_threads`]); the call's
    /// trace subject, which other threads' calls overwrite meanwhile, is kept across.
    fn unlocked<R>(&mut self, f: impl FnOnce() -> R) -> R {
        if !THREADED.load(Ordering::Relaxed) {
            return f();
        }
        let subject = self.subject.take();
        self.0 = None;
        let result = f();
        self.0 = Some(lock());
        self.subject = subject;
        result
    }
}

/// Everything a running program's WASI calls act on.
pub struct WasiCtx {
    /// `args_get`: `argv[0]` (the program name) and the arguments, without NULs.
    pub args: Vec<Vec<u8>>,
    /// `environ_get`: `NAME=VALUE` strings, without NULs.
    pub env: Vec<Vec<u8>>,
    /// The descriptor table.
    pub fds: FdTable,
    /// Log every call to stderr (`WASM2NATIVE_TRACE=1`).
    pub trace: bool,
    /// A bad guest pointer traps instead of returning `fault`.
    pub trap_on_efault: bool,
    /// `CLOCK_MONOTONIC` when the context was created: like wasmtime, the guest's monotonic
    /// clock counts from program start.
    pub(crate) monotonic_base: u64,
    /// What the current call acts on, for the trace: the paths of a path call, recorded only
    /// when tracing. A failure carries its own reason in its [`Error`]; this is what the trace
    /// line of a success shows, which has no error to carry it.
    ///
    /// [`Error`]: super::error::Error
    pub(crate) subject: Option<String>,
}

/// One open descriptor.
pub struct Entry {
    /// What the descriptor is.
    pub kind: Kind,
    /// Rights reported by `fd_fdstat_get` and checked by every operation.
    pub rights_base: u64,
    /// Rights descriptors opened through this one may have.
    pub rights_inheriting: u64,
    /// `fdflags` as set at open or by `fd_fdstat_set_flags`.
    pub fdflags: u16,
    /// Whether `fd_fdstat_set_rights` narrowed `rights_inheriting`; only then does it limit
    /// descriptors opened through this one (wasmtime ignores rights otherwise, and so must
    /// we for programs that ask for odd rights at open to keep working).
    pub narrowed: bool,
}

/// The kinds of descriptor.
pub enum Kind {
    /// One of the process's own standard streams.
    Stdio(Stdio),
    /// A regular file (or anything else that is not a directory) opened by `path_open`.
    File(FileEntry),
    /// A preopened directory or one opened by `path_open`.
    Dir(DirEntry),
    /// An inherited socket or one returned by `sock_accept`.
    Socket(OwnedFd),
}

/// A standard stream: reads and writes go straight to the host descriptor.
pub struct Stdio {
    /// The host descriptor (0, 1 or 2 in a real program; a pipe in tests).
    pub host_fd: RawFd,
    /// Stdin (readable) rather than stdout/stderr (writable).
    pub input: bool,
}

/// An open file.
pub struct FileEntry {
    /// The host file.
    pub file: cap_std::fs::File,
}

/// An open directory; every path is resolved beneath it by cap-std.
pub struct DirEntry {
    /// The host directory.
    pub dir: cap_std::fs::Dir,
    /// The guest name, for a preopened directory.
    pub preopen: Option<String>,
    /// The guest name of the preopen this directory lies in (for the trace's denial reasons).
    pub root: String,
}

impl Entry {
    /// Checks that the descriptor has `right`. Reading and writing without the right fail with
    /// `badf` (what wasmtime returns for a file not opened for it); anything else, which only
    /// `fd_fdstat_set_rights` can have taken away, with `notcapable`.
    pub fn require(&self, right: u64) -> Result<(), Errno> {
        if self.rights_base & right == right {
            Ok(())
        } else if right & (rights::FD_READ | rights::FD_WRITE) != 0 {
            Err(Errno::Badf)
        } else {
            Err(Errno::Notcapable)
        }
    }

    /// The host descriptor behind this entry.
    pub fn host_fd(&self) -> RawFd {
        match &self.kind {
            Kind::Stdio(s) => s.host_fd,
            Kind::File(f) => f.file.as_raw_fd(),
            Kind::Dir(d) => d.dir.as_raw_fd(),
            Kind::Socket(s) => s.as_raw_fd(),
        }
    }

    /// A standard stream entry.
    pub fn stdio(host_fd: RawFd, input: bool) -> Entry {
        let r = if input {
            rights::FD_READ
        } else {
            rights::FD_WRITE
        };
        Entry {
            kind: Kind::Stdio(Stdio { host_fd, input }),
            rights_base: r,
            rights_inheriting: r,
            fdflags: 0,
            narrowed: false,
        }
    }

    /// A preopened directory entry named `guest`.
    pub fn preopen(dir: cap_std::fs::Dir, guest: &str) -> Entry {
        Entry {
            kind: Kind::Dir(DirEntry {
                dir,
                preopen: Some(guest.to_owned()),
                root: guest.to_owned(),
            }),
            rights_base: rights::PREOPEN_BASE,
            rights_inheriting: rights::PREOPEN_INHERITING,
            fdflags: 0,
            narrowed: false,
        }
    }

    /// A socket entry.
    pub fn socket(fd: OwnedFd) -> Entry {
        Entry {
            kind: Kind::Socket(fd),
            rights_base: rights::SOCKET,
            rights_inheriting: rights::SOCKET,
            fdflags: 0,
            narrowed: false,
        }
    }
}

/// The descriptor table.
#[derive(Default)]
pub struct FdTable {
    used: BTreeMap<u32, Entry>,
    free: BTreeSet<u32>,
}

impl FdTable {
    /// The entry of `fd`, or `badf`.
    pub fn get(&self, fd: u32) -> Result<&Entry, Errno> {
        self.used.get(&fd).ok_or(Errno::Badf)
    }

    /// The entry of `fd`, mutably, or `badf`.
    pub fn get_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.used.get_mut(&fd).ok_or(Errno::Badf)
    }

    /// Adds an entry and returns its number.
    pub fn push(&mut self, entry: Entry) -> Result<u32, Errno> {
        let fd = match self.free.pop_last() {
            Some(fd) => fd,
            None => match self.used.last_key_value() {
                None => 0,
                Some((&last, _)) => match last.checked_add(1) {
                    Some(fd) => fd,
                    None => (0..u32::MAX)
                        .rev()
                        .find(|fd| !self.used.contains_key(fd))
                        .ok_or(Errno::Mfile)?,
                },
            },
        };
        self.used.insert(fd, entry);
        Ok(fd)
    }

    /// Removes `fd`; dropping the entry closes the host descriptor (except stdio, which is
    /// borrowed from the process).
    pub fn remove(&mut self, fd: u32) -> Result<Entry, Errno> {
        let entry = self.used.remove(&fd).ok_or(Errno::Badf)?;
        self.free.insert(fd);
        Ok(entry)
    }

    /// Moves `from` to `to`, closing what `to` held. As in wasmtime, both must be open.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        if !self.used.contains_key(&from) || !self.used.contains_key(&to) {
            return Err(Errno::Badf);
        }
        if from != to {
            let entry = self.used.remove(&from).expect("checked above");
            self.free.insert(from);
            self.free.remove(&to);
            self.used.insert(to, entry);
        }
        Ok(())
    }

    /// Iterates over open descriptors in number order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Entry)> {
        self.used.iter().map(|(&fd, e)| (fd, e))
    }
}

impl WasiCtx {
    /// A context with the process's stdio as fds 0–2 and nothing else.
    pub fn new_stdio() -> WasiCtx {
        WasiCtx::with_stdio_fds([0, 1, 2])
    }

    /// A context whose stdio are the given host descriptors (tests use pipes).
    pub fn with_stdio_fds(stdio: [RawFd; 3]) -> WasiCtx {
        let mut fds = FdTable::default();
        for (i, host_fd) in stdio.into_iter().enumerate() {
            fds.push(Entry::stdio(host_fd, i == 0))
                .expect("empty table");
        }
        WasiCtx {
            args: Vec::new(),
            env: Vec::new(),
            fds,
            trace: false,
            trap_on_efault: false,
            monotonic_base: monotonic_now(),
            subject: None,
        }
    }

    /// The context a configuration describes: stdio, then preopens from fd 3 in order, then
    /// inherited sockets.
    pub fn new(cfg: WasiConfig) -> WasiCtx {
        let mut ctx = WasiCtx::new_stdio();
        ctx.args = cfg.args;
        ctx.env = cfg.env;
        ctx.trace = cfg.trace;
        ctx.trap_on_efault = cfg.trap_on_efault;
        for p in cfg.preopens {
            ctx.fds
                .push(Entry::preopen(p.dir, &p.guest))
                .expect("descriptor numbers left");
        }
        for s in cfg.sockets {
            ctx.fds
                .push(Entry::socket(s))
                .expect("descriptor numbers left");
        }
        ctx
    }

    /// The directory `fd`, checking `right`; anything else is `badf` (as in wasmtime).
    pub fn dir(&self, fd: u32, right: u64) -> Result<&DirEntry, Errno> {
        let entry = self.fds.get(fd)?;
        match &entry.kind {
            Kind::Dir(d) => {
                entry.require(right)?;
                Ok(d)
            }
            _ => Err(Errno::Badf),
        }
    }

    /// The guest's monotonic clock: nanoseconds since the context was created.
    pub fn guest_monotonic(&self) -> u64 {
        monotonic_now().saturating_sub(self.monotonic_base)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{memory, pipe};
    use super::*;
    use std::io::Write;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Runs `f` on another thread and waits for it at most 10 s: a call that needs the global
    /// context fails the test rather than hanging it if the lock is held.
    fn on_another_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || tx.send(f()).unwrap());
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the other thread's WASI call waited for the lock")
    }

    #[test]
    fn unlocked_releases_the_context_and_keeps_the_call_subject() {
        calls_from_threads();
        with_ctx(|ctx| {
            ctx.subject = Some("mine".into());
            ctx.unlocked(|| {
                on_another_thread(|| with_ctx(|other| other.subject = Some("other".into())))
            });
            assert_eq!(ctx.subject.as_deref(), Some("mine"));
        });
    }

    #[test]
    fn a_read_waiting_on_a_pipe_lets_other_threads_call() {
        calls_from_threads();
        let (r, w) = pipe();
        let fd = with_ctx(|ctx| ctx.fds.push(Entry::socket(r)).unwrap());
        let reader = std::thread::spawn(move || {
            let mut m = memory();
            super::super::testutil::iovec(&mut m, 16, 64, 8);
            let errno = crate::wasi::call::dispatch("fd_read", &[], |ctx| {
                super::super::fd::fd_read(ctx, &mut m, fd, 16, 1, 8)
            });
            (errno, m[8], m[64..69].to_vec())
        });
        std::thread::sleep(Duration::from_millis(50));
        // The reader is blocked in `read`: another thread's calls go through meanwhile.
        let other = on_another_thread(move || with_ctx(|ctx| ctx.fds.get(fd).is_ok()));
        assert!(other);
        (&std::fs::File::from(w)).write_all(b"hello").unwrap();
        assert_eq!(reader.join().unwrap(), (0, 5, b"hello".to_vec()));
        with_ctx(|ctx| ctx.fds.remove(fd)).unwrap();
    }

    #[test]
    fn allocation_matches_wasmtime() {
        let mut ctx = WasiCtx::new_stdio();
        let a = ctx.fds.push(Entry::stdio(1, false)).unwrap();
        let b = ctx.fds.push(Entry::stdio(1, false)).unwrap();
        let c = ctx.fds.push(Entry::stdio(1, false)).unwrap();
        assert_eq!((a, b, c), (3, 4, 5));
        ctx.fds.remove(3).unwrap();
        ctx.fds.remove(4).unwrap();
        // The highest freed number comes back first.
        assert_eq!(ctx.fds.push(Entry::stdio(1, false)), Ok(4));
        assert_eq!(ctx.fds.push(Entry::stdio(1, false)), Ok(3));
        assert_eq!(ctx.fds.push(Entry::stdio(1, false)), Ok(6));
        assert!(matches!(ctx.fds.remove(99), Err(Errno::Badf)));
    }

    #[test]
    fn renumber() {
        let mut t = FdTable::default();
        t.push(Entry::stdio(0, true)).unwrap();
        t.push(Entry::stdio(1, false)).unwrap();
        assert_eq!(t.renumber(5, 0), Err(Errno::Badf));
        t.renumber(1, 0).unwrap();
        assert!(t.get(1).is_err());
        assert_eq!(t.get(0).unwrap().host_fd(), 1);
        // The target must be open (wasmtime: `badf`), and nothing moves then.
        assert_eq!(t.renumber(0, 7), Err(Errno::Badf));
        assert_eq!(t.get(0).unwrap().host_fd(), 1);
        assert!(t.get(7).is_err());
        t.renumber(0, 0).unwrap();
        assert!(t.get(0).is_ok());
        // The freed number is reused first.
        assert_eq!(t.push(Entry::stdio(2, false)), Ok(1));
    }

    #[test]
    fn rights_errors() {
        let e = Entry::stdio(0, true);
        assert_eq!(e.require(rights::FD_READ), Ok(()));
        assert_eq!(e.require(rights::FD_WRITE), Err(Errno::Badf));
        assert_eq!(e.require(rights::FD_SEEK), Err(Errno::Notcapable));
    }
}
