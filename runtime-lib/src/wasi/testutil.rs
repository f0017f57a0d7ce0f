//! Helpers for the WASI unit tests: a context with a temporary preopen and a fake memory.

use super::ctx::{Entry, WasiCtx};
use super::error::Error;
use super::mem;
use super::types::Errno;

/// A context whose fd 3 is a preopen of a fresh temporary directory named `/sandbox`.
pub struct Sandbox {
    pub ctx: WasiCtx,
    /// The host directory behind fd 3 (deleted on drop).
    pub dir: tempfile::TempDir,
    /// A directory next to the sandbox, which nothing may reach.
    pub outside: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), b"secret").unwrap();
        let mut ctx = WasiCtx::new_stdio();
        let d =
            cap_std::fs::Dir::open_ambient_dir(dir.path(), cap_std::ambient_authority()).unwrap();
        assert_eq!(ctx.fds.push(Entry::preopen(d, "/sandbox")), Ok(3));
        Sandbox { ctx, dir, outside }
    }

    /// The host path of `rel` inside the sandbox.
    pub fn host(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }
}

/// The errno of a call's error, for comparing results with the errno the guest would get
/// (`.map_err(errno)`).
pub fn errno(e: Error) -> Errno {
    e.errno()
}

/// A zeroed guest memory of 64 KiB.
pub fn memory() -> Vec<u8> {
    vec![0u8; 65536]
}

/// Puts `s` at `at` and returns `(ptr, len)`.
pub fn put(m: &mut [u8], at: u32, s: &[u8]) -> (u32, u32) {
    mem::write_bytes(m, at, s).unwrap();
    (at, s.len() as u32)
}

/// Writes one iovec `(buf, len)` at `at`.
pub fn iovec(m: &mut [u8], at: u32, buf: u32, len: u32) {
    mem::write_u32(m, at, buf).unwrap();
    mem::write_u32(m, at + 4, len).unwrap();
}

/// Rights asking for reading and writing (what wasi-libc asks for `O_RDWR`).
pub const RW: u64 = super::types::rights::ALL;
/// Rights of `O_RDONLY`.
pub const RO: u64 = super::types::rights::ALL & !super::types::rights::FD_WRITE;

/// `path_open` of `path` beneath `dirfd`, with the path at 1024 and the result at 0.
#[allow(clippy::too_many_arguments)] // mirrors path_open
pub fn open(
    ctx: &mut WasiCtx,
    m: &mut [u8],
    dirfd: u32,
    path: &str,
    dirflags: u32,
    oflags: u16,
    rights: u64,
    fdflags: u16,
) -> Result<u32, Error> {
    let (p, l) = put(m, 1024, path.as_bytes());
    super::path::path_open(
        ctx,
        m,
        dirfd,
        dirflags,
        p,
        l,
        u32::from(oflags),
        rights,
        rights,
        u32::from(fdflags),
        0,
    )?;
    Ok(mem::read_u32(m, 0).unwrap())
}

/// Writes `data` to `fd` with one iovec; returns the count written.
pub fn write(ctx: &mut WasiCtx, m: &mut [u8], fd: u32, data: &[u8]) -> Result<u32, Error> {
    let (p, l) = put(m, 4096, data);
    iovec(m, 16, p, l);
    super::fd::fd_write(ctx, m, fd, 16, 1, 8)?;
    Ok(mem::read_u32(m, 8).unwrap())
}

/// Reads up to `n` bytes from `fd` with one iovec.
pub fn read(ctx: &mut WasiCtx, m: &mut [u8], fd: u32, n: u32) -> Result<Vec<u8>, Error> {
    iovec(m, 16, 8192, n);
    super::fd::fd_read(ctx, m, fd, 16, 1, 8)?;
    let got = mem::read_u32(m, 8).unwrap();
    Ok(m[8192..8192 + got as usize].to_vec())
}

/// A pipe as `(read end, write end)`.
pub fn pipe() -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: valid out-array.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: fresh descriptors owned by nobody else.
    unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(fds[0]),
            std::os::fd::OwnedFd::from_raw_fd(fds[1]),
        )
    }
}
