//! Host glue shared by the WASI functions: libc calls and their error handling, vectored I/O
//! over guest buffers, file types of host descriptors, and the host clocks.
//!
//! The callers have checked rights and descriptor kinds; guest buffers are bounds-checked before
//! any host call touches them (by the caller, or by `iov_transfer` for its iovec list).

use std::ops::Range;
use std::os::fd::RawFd;

use super::error::Error;
use super::mem;
use super::types::{Errno, check_flags, filetype, fstflags, timestamp};

/// Runs a libc call returning -1 on failure, retrying on `EINTR`.
pub(crate) fn cvt(mut f: impl FnMut() -> isize) -> Result<usize, Errno> {
    loop {
        let r = f();
        if r >= 0 {
            return Ok(r as usize);
        }
        match Errno::last_os() {
            Errno::Intr => continue,
            e => return Err(e),
        }
    }
}

/// The `iovec`s of guest buffers, at most `IOV_MAX` of them (a longer list is simply a shorter
/// transfer, which every caller must handle anyway).
pub(crate) fn host_iovecs(mem: &mut [u8], bufs: &[Range<usize>]) -> Vec<libc::iovec> {
    let base = mem.as_mut_ptr();
    bufs.iter()
        .take(1024)
        .map(|r| libc::iovec {
            // SAFETY: every range was bounds-checked against `mem` by `read_iovs`.
            iov_base: unsafe { base.add(r.start) }.cast(),
            iov_len: r.len(),
        })
        .collect()
}

/// Runs `call` (`readv`, `pwritev`, ...: pointer and count of an `iovec` array) over the guest
/// buffers.
fn vectored(
    mem: &mut [u8],
    bufs: &[Range<usize>],
    call: impl Fn(*const libc::iovec, libc::c_int) -> isize,
) -> Result<usize, Errno> {
    let iov = host_iovecs(mem, bufs);
    cvt(|| call(iov.as_ptr(), iov.len() as libc::c_int))
}

/// `readv` (or `preadv` at `offset`) into the guest buffers.
pub(crate) fn read_into(
    fd: RawFd,
    mem: &mut [u8],
    bufs: &[Range<usize>],
    offset: Option<i64>,
) -> Result<usize, Errno> {
    // SAFETY: the iovecs point into the live guest memory slice.
    vectored(mem, bufs, |iov, n| unsafe {
        match offset {
            Some(off) => libc::preadv(fd, iov, n, off),
            None => libc::readv(fd, iov, n),
        }
    })
}

/// `writev` (or `pwritev` at `offset`) from the guest buffers.
pub(crate) fn write_from(
    fd: RawFd,
    mem: &mut [u8],
    bufs: &[Range<usize>],
    offset: Option<i64>,
) -> Result<usize, Errno> {
    // SAFETY: the iovecs point into the live guest memory slice.
    vectored(mem, bufs, |iov, n| unsafe {
        match offset {
            Some(off) => libc::pwritev(fd, iov, n, off),
            None => libc::writev(fd, iov, n),
        }
    })
}

/// The common part of the calls that move data through a guest `iovec` list (`fd_read`,
/// `fd_pwrite`, `sock_send`, ...): decodes the list at `iovs`, checks the result pointer
/// `nresult`, runs `io` over the buffers and stores the byte count it returns at `nresult`.
pub(crate) fn iov_transfer(
    mem: &mut [u8],
    iovs: u32,
    iovs_len: u32,
    nresult: u32,
    io: impl FnOnce(&mut [u8], &[Range<usize>]) -> Result<usize, Errno>,
) -> Result<(), Error> {
    let bufs = mem::read_iovs(mem, iovs, iovs_len)?;
    mem::check_out(mem, nresult, 4)?;
    let n = io(mem, &bufs)?;
    mem::write_u32(mem, nresult, n as u32)
}

/// The `filetype` of a `st_mode`; a socket's kind needs its descriptor (`socket_filetype`).
pub fn filetype_of_mode(mode: libc::mode_t) -> u8 {
    match mode & libc::S_IFMT {
        libc::S_IFREG => filetype::REGULAR_FILE,
        libc::S_IFDIR => filetype::DIRECTORY,
        libc::S_IFCHR => filetype::CHARACTER_DEVICE,
        libc::S_IFBLK => filetype::BLOCK_DEVICE,
        libc::S_IFLNK => filetype::SYMBOLIC_LINK,
        libc::S_IFSOCK => filetype::SOCKET_STREAM,
        // preview1 has no FIFO type; wasmtime reports these as unknown.
        _ => filetype::UNKNOWN,
    }
}

/// `socket_stream` or `socket_dgram`, from `SO_TYPE`.
pub fn socket_filetype(fd: RawFd) -> u8 {
    let mut ty: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: valid out-parameters of the right size.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_TYPE,
            (&mut ty as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if r == 0 && ty == libc::SOCK_DGRAM {
        filetype::SOCKET_DGRAM
    } else {
        filetype::SOCKET_STREAM
    }
}

/// `fstat` of a host descriptor.
pub fn fstat(fd: RawFd) -> Result<libc::stat, Errno> {
    // SAFETY: all-zero is a valid `stat`; fstat fills it.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: valid out-parameter.
    cvt(|| unsafe { libc::fstat(fd, &mut st) } as isize)?;
    Ok(st)
}

/// The `timespec` pair for `utimensat`/`futimens` from `fstflags`, rejecting a time that is both
/// given and "now" (as wasmtime does, with `inval`).
pub fn utimens(atim: u64, mtim: u64, fst_flags: u32) -> Result<[libc::timespec; 2], Errno> {
    let flags = check_flags(fst_flags, 0xf)? as u16;
    let one = |ts: u64, set: u16, now: u16| -> Result<libc::timespec, Errno> {
        match (flags & set != 0, flags & now != 0) {
            (true, true) => Err(Errno::Inval),
            (true, false) => Ok(libc::timespec {
                tv_sec: (ts / 1_000_000_000) as i64,
                tv_nsec: (ts % 1_000_000_000) as i64,
            }),
            (false, true) => Ok(libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_NOW,
            }),
            (false, false) => Ok(libc::timespec {
                tv_sec: 0,
                tv_nsec: libc::UTIME_OMIT,
            }),
        }
    };
    Ok([
        one(atim, fstflags::ATIM, fstflags::ATIM_NOW)?,
        one(mtim, fstflags::MTIM, fstflags::MTIM_NOW)?,
    ])
}

/// Reads a host clock in nanoseconds (saturating).
fn read_clock(id: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-parameter; these clocks always exist on Linux.
    unsafe { libc::clock_gettime(id, &mut ts) };
    timestamp(ts.tv_sec, ts.tv_nsec)
}

/// The host's `CLOCK_MONOTONIC` in nanoseconds.
pub fn monotonic_now() -> u64 {
    read_clock(libc::CLOCK_MONOTONIC)
}

/// The host's wall clock in nanoseconds since the epoch.
pub fn realtime_now() -> u64 {
    read_clock(libc::CLOCK_REALTIME)
}
