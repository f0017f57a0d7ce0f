//! The `fd_*` functions: I/O, metadata and management of open descriptors.
//!
//! Reads and writes go straight to the host descriptor (`readv`/`writev` over the guest's
//! buffers): nothing is buffered on the host side, so nothing is lost when the guest traps or
//! exits. Errno choices follow wasmtime: seeking or positioned I/O on stdio is `spipe`, I/O on a
//! directory is `badf`, `fd_prestat_dir_name` on a non-preopen is `notdir`, and so on.

use std::ops::Range;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::ffi::OsStrExt;

use cap_std::fs::FileTypeExt;
use rustix::fs::DirEntryExt;

use super::ctx::{Blocking, Entry, Kind, WasiCtx};
use super::error::Error;
use super::host::{
    cvt, filetype_of_mode, fstat, iov_transfer, read_into, socket_filetype, utimens, write_from,
};
use super::mem;
use super::types::{
    Dirent, Errno, FILESTAT_SIZE, Fdstat, Filestat, PREOPENTYPE_DIR, check_flags, fdflags,
    filetype, rights, timestamp, whence,
};

/// Writes all the guest buffers to a stream, waiting while it is full (stdout may be a
/// non-blocking pipe inherited from the parent): the guest sees either everything written, as
/// with wasmtime's blocking stdio, or an error.
fn write_all_stream(fd: RawFd, mem: &[u8], bufs: &[Range<usize>]) -> Result<usize, Errno> {
    // One writev for all buffers (printf's two iovecs are one system call), continuing after
    // partial writes until everything is out.
    let mut iov: Vec<libc::iovec> = bufs
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| libc::iovec {
            iov_base: mem[r.clone()].as_ptr() as *mut libc::c_void,
            iov_len: r.len(),
        })
        .collect();
    let mut first = 0usize;
    let mut total = 0usize;
    while first < iov.len() {
        let count = (iov.len() - first).min(1024) as libc::c_int;
        // SAFETY: the iovecs point into live guest memory.
        let n = unsafe { libc::writev(fd, iov[first..].as_ptr(), count) };
        if n < 0 {
            match Errno::last_os() {
                Errno::Intr => continue,
                Errno::Again => {
                    let mut p = libc::pollfd {
                        fd,
                        events: libc::POLLOUT,
                        revents: 0,
                    };
                    // SAFETY: one valid pollfd.
                    unsafe { libc::poll(&mut p, 1, -1) };
                    continue;
                }
                // Report what was written; the error shows up on the next write.
                _ if total > 0 => return Ok(total),
                e => return Err(e),
            }
        }
        let mut n = n as usize;
        total += n;
        while first < iov.len() && n >= iov[first].iov_len {
            n -= iov[first].iov_len;
            first += 1;
        }
        if n > 0 {
            let v = &mut iov[first];
            // SAFETY: advancing within the same buffer.
            v.iov_base = unsafe { v.iov_base.cast::<u8>().add(n).cast() };
            v.iov_len -= n;
        }
    }
    Ok(total)
}

/// The `filestat` of a `stat`.
pub fn filestat_of(st: &libc::stat) -> Filestat {
    Filestat {
        dev: st.st_dev,
        ino: st.st_ino,
        filetype: filetype_of_mode(st.st_mode),
        nlink: st.st_nlink,
        size: st.st_size.max(0) as u64,
        atim: timestamp(st.st_atime, st.st_atime_nsec),
        mtim: timestamp(st.st_mtime, st.st_mtime_nsec),
        ctim: timestamp(st.st_ctime, st.st_ctime_nsec),
    }
}

/// Whether a host descriptor is a terminal.
fn isatty(fd: RawFd) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

/// The file type wasmtime reports for stdio: a character device when it is a terminal,
/// `unknown` otherwise.
fn stdio_filetype(fd: RawFd) -> u8 {
    if isatty(fd) {
        filetype::CHARACTER_DEVICE
    } else {
        filetype::UNKNOWN
    }
}

/// A guest offset as the host's `off_t`.
fn off(offset: u64) -> Result<i64, Errno> {
    i64::try_from(offset).map_err(|_| Errno::Inval)
}

/// The open file `fd`, checking `right`; stdio and sockets are `spipe` when `seekable` is asked
/// (positioned operations), otherwise everything but a file is `badf`. As in wasmtime, a stdio
/// stream used against its direction (a positioned read of stdout, write of stdin) is `badf`
/// before it is `spipe`.
fn file_entry(ctx: &WasiCtx, fd: u32, right: u64, seekable: bool) -> Result<&Entry, Errno> {
    let entry = ctx.fds.get(fd)?;
    let against_direction = |input: bool| {
        let wants = if input {
            rights::FD_WRITE
        } else {
            rights::FD_READ
        };
        right & wants != 0
    };
    match &entry.kind {
        Kind::File(_) => {
            entry.require(right)?;
            Ok(entry)
        }
        Kind::Stdio(s) if seekable && !against_direction(s.input) => Err(Errno::Spipe),
        Kind::Socket(_) if seekable => Err(Errno::Spipe),
        _ => Err(Errno::Badf),
    }
}

/// The result of a `posix_*` call, which returns the error number instead of setting `errno`.
fn posix_result(r: libc::c_int) -> Result<(), Errno> {
    match r {
        0 => Ok(()),
        e => Err(Errno::from_raw_os(e)),
    }
}

/// The descriptor `fd` for `fd_read` (`input`) or `fd_write`, checking that right: a directory
/// or a standard stream of the other direction is `badf`.
fn stream_entry(ctx: &WasiCtx, fd: u32, input: bool) -> Result<&Entry, Errno> {
    let entry = ctx.fds.get(fd)?;
    match &entry.kind {
        Kind::Stdio(s) if s.input != input => Err(Errno::Badf),
        Kind::Dir(_) => Err(Errno::Badf),
        _ => {
            entry.require(if input {
                rights::FD_READ
            } else {
                rights::FD_WRITE
            })?;
            Ok(entry)
        }
    }
}

/// `fd_advise(fd, offset, len, advice)`.
pub fn fd_advise(
    ctx: &mut WasiCtx,
    _mem: &mut [u8],
    fd: u32,
    offset: u64,
    len: u64,
    advice: u32,
) -> Result<(), Error> {
    let advice = match advice {
        0 => libc::POSIX_FADV_NORMAL,
        1 => libc::POSIX_FADV_SEQUENTIAL,
        2 => libc::POSIX_FADV_RANDOM,
        3 => libc::POSIX_FADV_WILLNEED,
        4 => libc::POSIX_FADV_DONTNEED,
        5 => libc::POSIX_FADV_NOREUSE,
        _ => return Err(Errno::Inval.into()),
    };
    let entry = file_entry(ctx, fd, rights::FD_ADVISE, false)?;
    // SAFETY: plain syscall on an open descriptor.
    posix_result(unsafe { libc::posix_fadvise(entry.host_fd(), off(offset)?, off(len)?, advice) })?;
    Ok(())
}

/// `fd_allocate(fd, offset, len)`: reserves the range, extending the file if needed.
pub fn fd_allocate(
    ctx: &mut WasiCtx,
    _mem: &mut [u8],
    fd: u32,
    offset: u64,
    len: u64,
) -> Result<(), Error> {
    let entry = file_entry(ctx, fd, rights::FD_ALLOCATE, false)?;
    let (offset, len) = (off(offset)?, off(len)?);
    if offset.checked_add(len).is_none() {
        return Err(Errno::Fbig.into());
    }
    // SAFETY: plain syscall on an open descriptor.
    posix_result(unsafe { libc::posix_fallocate(entry.host_fd(), offset, len) })?;
    Ok(())
}

/// `fd_close(fd)`.
pub fn fd_close(ctx: &mut WasiCtx, _mem: &mut [u8], fd: u32) -> Result<(), Error> {
    ctx.fds.remove(fd)?;
    Ok(())
}

/// Runs `sync` (`fsync` or `fdatasync`) on file `fd`, checking `right`.
fn sync_file(
    ctx: &WasiCtx,
    fd: u32,
    right: u64,
    sync: unsafe extern "C" fn(libc::c_int) -> libc::c_int,
) -> Result<(), Error> {
    let fd = file_entry(ctx, fd, right, false)?.host_fd();
    // SAFETY: plain syscall on an open descriptor.
    cvt(|| unsafe { sync(fd) } as isize)?;
    Ok(())
}

/// `fd_datasync(fd)`.
pub fn fd_datasync(ctx: &mut WasiCtx, _mem: &mut [u8], fd: u32) -> Result<(), Error> {
    sync_file(ctx, fd, rights::FD_DATASYNC, libc::fdatasync)
}

/// `fd_sync(fd)`.
pub fn fd_sync(ctx: &mut WasiCtx, _mem: &mut [u8], fd: u32) -> Result<(), Error> {
    sync_file(ctx, fd, rights::FD_SYNC, libc::fsync)
}

/// The `fdstat` of a descriptor.
pub fn fdstat(entry: &Entry) -> Result<Fdstat, Errno> {
    let fs_filetype = match &entry.kind {
        Kind::Stdio(s) => stdio_filetype(s.host_fd),
        Kind::File(f) => filetype_of_mode(fstat(f.file.as_raw_fd())?.st_mode),
        Kind::Dir(_) => filetype::DIRECTORY,
        Kind::Socket(s) => socket_filetype(s.as_raw_fd()),
    };
    Ok(Fdstat {
        fs_filetype,
        fs_flags: entry.fdflags,
        fs_rights_base: entry.rights_base,
        fs_rights_inheriting: entry.rights_inheriting,
    })
}

/// `fd_fdstat_get(fd, buf)`.
pub fn fd_fdstat_get(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32, buf: u32) -> Result<(), Error> {
    let st = fdstat(ctx.fds.get(fd)?)?;
    mem::write_bytes(mem, buf, &st.to_bytes())
}

/// Sets or clears `flag` in the host descriptor's status flags.
fn set_host_flag(fd: RawFd, flag: libc::c_int, on: bool) -> Result<(), Error> {
    // SAFETY: fcntl on an open descriptor with integer arguments.
    let cur = cvt(|| unsafe { libc::fcntl(fd, libc::F_GETFL) } as isize)? as libc::c_int;
    let new = if on { cur | flag } else { cur & !flag };
    if new != cur {
        // SAFETY: as above.
        cvt(|| unsafe { libc::fcntl(fd, libc::F_SETFL, new) } as isize)?;
    }
    Ok(())
}

/// `fd_fdstat_set_flags(fd, flags)`: only `append` and `nonblock` can change (wasmtime refuses
/// the sync flags with `inval`); only files and sockets have flags.
pub fn fd_fdstat_set_flags(
    ctx: &mut WasiCtx,
    _mem: &mut [u8],
    fd: u32,
    flags: u32,
) -> Result<(), Error> {
    let flags = check_flags(flags, 0x1f)? as u16;
    let entry = ctx.fds.get_mut(fd)?;
    if !matches!(entry.kind, Kind::File(_) | Kind::Socket(_)) {
        return Err(Errno::Badf.into());
    }
    if flags & (fdflags::DSYNC | fdflags::SYNC | fdflags::RSYNC) != 0 {
        return Err(Errno::Inval.into());
    }
    entry.require(rights::FD_FDSTAT_SET_FLAGS)?;
    let host = entry.host_fd();
    match entry.kind {
        Kind::File(_) => set_host_flag(host, libc::O_APPEND, flags & fdflags::APPEND != 0)?,
        // Files always block, as in wasmtime; a socket's mode is the host descriptor's.
        _ => set_host_flag(host, libc::O_NONBLOCK, flags & fdflags::NONBLOCK != 0)?,
    }
    entry.fdflags = flags & (fdflags::APPEND | fdflags::NONBLOCK);
    Ok(())
}

/// `fd_fdstat_set_rights(fd, fs_rights_base, fs_rights_inheriting)`: rights can only shrink.
pub fn fd_fdstat_set_rights(
    ctx: &mut WasiCtx,
    _mem: &mut [u8],
    fd: u32,
    base: u64,
    inheriting: u64,
) -> Result<(), Error> {
    let entry = ctx.fds.get_mut(fd)?;
    if matches!(entry.kind, Kind::Stdio(_)) {
        return Err(Errno::Badf.into());
    }
    if base & !entry.rights_base != 0 || inheriting & !entry.rights_inheriting != 0 {
        return Err(Errno::Notcapable.into());
    }
    entry.rights_base = base;
    if inheriting != entry.rights_inheriting {
        entry.rights_inheriting = inheriting;
        entry.narrowed = true;
    }
    Ok(())
}

/// The `filestat` of an open descriptor; stdio reports zeros, as in wasmtime.
pub fn filestat(ctx: &WasiCtx, fd: u32) -> Result<Filestat, Errno> {
    let entry = ctx.fds.get(fd)?;
    match &entry.kind {
        Kind::Stdio(s) => Ok(Filestat {
            filetype: stdio_filetype(s.host_fd),
            ..Filestat::default()
        }),
        Kind::Socket(s) => {
            entry.require(rights::FD_FILESTAT_GET)?;
            let mut st = filestat_of(&fstat(s.as_raw_fd())?);
            st.filetype = socket_filetype(s.as_raw_fd());
            Ok(st)
        }
        _ => {
            entry.require(rights::FD_FILESTAT_GET)?;
            Ok(filestat_of(&fstat(entry.host_fd())?))
        }
    }
}

/// `fd_filestat_get(fd, buf)`.
pub fn fd_filestat_get(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32, buf: u32) -> Result<(), Error> {
    mem::check_out(mem, buf, FILESTAT_SIZE as u32)?;
    let st = filestat(ctx, fd)?;
    mem::write_bytes(mem, buf, &st.to_bytes())
}

/// `fd_filestat_set_size(fd, size)`.
pub fn fd_filestat_set_size(
    ctx: &mut WasiCtx,
    _mem: &mut [u8],
    fd: u32,
    size: u64,
) -> Result<(), Error> {
    let entry = file_entry(ctx, fd, rights::FD_FILESTAT_SET_SIZE, false)?;
    // A descriptor not open for writing fails in `ftruncate` (`inval`), as in wasmtime.
    let size = off(size)?;
    let fd = entry.host_fd();
    // SAFETY: plain syscall on an open descriptor.
    cvt(|| unsafe { libc::ftruncate(fd, size) } as isize)?;
    Ok(())
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`.
pub fn fd_filestat_set_times(
    ctx: &mut WasiCtx,
    _mem: &mut [u8],
    fd: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<(), Error> {
    let times = utimens(atim, mtim, fst_flags)?;
    let entry = ctx.fds.get(fd)?;
    // Any open file or directory, read-only ones included (as in wasmtime).
    match &entry.kind {
        Kind::File(_) | Kind::Dir(_) => entry.require(rights::FD_FILESTAT_SET_TIMES)?,
        _ => return Err(Errno::Badf.into()),
    }
    let fd = entry.host_fd();
    // SAFETY: `times` is a valid two-element array.
    cvt(|| unsafe { libc::futimens(fd, times.as_ptr()) } as isize)?;
    Ok(())
}

/// Whether transfers on `entry` may wait for another party (a standard stream or a socket),
/// rather than for the disk: those release the context while they wait.
fn may_block(entry: &Entry) -> bool {
    matches!(entry.kind, Kind::Stdio(_) | Kind::Socket(_))
}

/// `fd_read(fd, iovs, iovs_len, nread)`.
pub fn fd_read(
    ctx: &mut impl Blocking,
    mem: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> Result<(), Error> {
    let entry = stream_entry(ctx.ctx(), fd, true)?;
    let (host, blocks) = (entry.host_fd(), may_block(entry));
    iov_transfer(mem, iovs, iovs_len, nread, |mem, bufs| {
        if blocks {
            ctx.unlocked(|| read_into(host, mem, bufs, None))
        } else {
            read_into(host, mem, bufs, None)
        }
    })
}

/// `fd_pread(fd, iovs, iovs_len, offset, nread)`.
pub fn fd_pread(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread: u32,
) -> Result<(), Error> {
    let entry = file_entry(ctx, fd, rights::FD_READ | rights::FD_SEEK, true)?;
    iov_transfer(mem, iovs, iovs_len, nread, |mem, bufs| {
        read_into(entry.host_fd(), mem, bufs, Some(off(offset)?))
    })
}

/// `fd_write(fd, iovs, iovs_len, nwritten)`.
pub fn fd_write(
    ctx: &mut impl Blocking,
    mem: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> Result<(), Error> {
    let entry = stream_entry(ctx.ctx(), fd, false)?;
    let (host, stdio, blocks) = (
        entry.host_fd(),
        matches!(entry.kind, Kind::Stdio(_)),
        may_block(entry),
    );
    iov_transfer(mem, iovs, iovs_len, nwritten, |mem, bufs| {
        let mut write = || {
            if stdio {
                write_all_stream(host, mem, bufs)
            } else {
                write_from(host, mem, bufs, None)
            }
        };
        if blocks { ctx.unlocked(write) } else { write() }
    })
}

/// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten)`; in append mode the offset is ignored
/// (Linux `pwrite` semantics, which wasmtime reproduces).
pub fn fd_pwrite(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten: u32,
) -> Result<(), Error> {
    let entry = file_entry(ctx, fd, rights::FD_WRITE | rights::FD_SEEK, true)?;
    iov_transfer(mem, iovs, iovs_len, nwritten, |mem, bufs| {
        write_from(entry.host_fd(), mem, bufs, Some(off(offset)?))
    })
}

/// The guest name of the preopened directory `fd`; `other` for an open descriptor that is not
/// a preopen.
fn preopen_name(ctx: &WasiCtx, fd: u32, other: Errno) -> Result<&str, Errno> {
    match &ctx.fds.get(fd)?.kind {
        Kind::Dir(d) => d.preopen.as_deref().ok_or(other),
        _ => Err(other),
    }
}

/// `fd_prestat_get(fd, buf)`: `badf` for anything but a preopened directory.
pub fn fd_prestat_get(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32, buf: u32) -> Result<(), Error> {
    let name = preopen_name(ctx, fd, Errno::Badf)?;
    let len = u32::try_from(name.len()).map_err(|_| Errno::Overflow)?;
    let mut b = [0u8; 8];
    b[0] = PREOPENTYPE_DIR;
    b[4..8].copy_from_slice(&len.to_le_bytes());
    mem::write_bytes(mem, buf, &b)
}

/// `fd_prestat_dir_name(fd, path, path_len)`: the name without a NUL; `notdir` for an open
/// descriptor that is not a preopen (as in wasmtime).
pub fn fd_prestat_dir_name(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Error> {
    let name = preopen_name(ctx, fd, Errno::Notdir)?;
    if name.len() > path_len as usize {
        return Err(Errno::Nametoolong.into());
    }
    mem::write_bytes(mem, path, name.as_bytes())
}

/// One directory entry as `fd_readdir` lists it.
struct ListedEntry {
    ino: u64,
    d_type: u8,
    name: Vec<u8>,
}

/// The entries of a directory in `fd_readdir` order: `.`, `..`, then the host's order. Cookie
/// `n` resumes after the `n`th entry, so listing again from a cookie continues exactly where the
/// previous call stopped (as long as the directory did not change).
fn list_dir(dir: &cap_std::fs::Dir) -> Result<Vec<ListedEntry>, Errno> {
    // wasmtime gives `..` the directory's own inode; the parent may lie outside the sandbox.
    let self_ino = fstat(dir.as_raw_fd())?.st_ino;
    let mut out = vec![
        ListedEntry {
            ino: self_ino,
            d_type: filetype::DIRECTORY,
            name: b".".to_vec(),
        },
        ListedEntry {
            ino: self_ino,
            d_type: filetype::DIRECTORY,
            name: b"..".to_vec(),
        },
    ];
    for entry in dir.entries()? {
        let entry = entry?;
        let ft = entry.file_type()?;
        let d_type = if ft.is_dir() {
            filetype::DIRECTORY
        } else if ft.is_file() {
            filetype::REGULAR_FILE
        } else if ft.is_symlink() {
            filetype::SYMBOLIC_LINK
        } else if ft.is_block_device() {
            filetype::BLOCK_DEVICE
        } else if ft.is_char_device() {
            filetype::CHARACTER_DEVICE
        } else if ft.is_socket() {
            filetype::SOCKET_STREAM
        } else {
            filetype::UNKNOWN
        };
        out.push(ListedEntry {
            ino: entry.ino(),
            d_type,
            name: entry.file_name().as_bytes().to_vec(),
        });
    }
    Ok(out)
}

/// `fd_readdir(fd, buf, buf_len, cookie, bufused)`: fills the buffer with `dirent` headers each
/// followed by its name. The last entry that does not fit is written truncated up to `buf_len`
/// and `bufused == buf_len` tells the caller (wasi-libc) to retry with a bigger buffer.
pub fn fd_readdir(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> Result<(), Error> {
    let dir = ctx.dir(fd, rights::FD_READDIR)?;
    let out = mem::range(mem.len(), buf, buf_len)?;
    mem::check_out(mem, bufused, 4)?;
    let entries = list_dir(&dir.dir)?;
    let skip = usize::try_from(cookie).map_err(|_| Errno::Overflow)?;
    let out = &mut mem[out];
    let mut used = 0usize;
    for (i, e) in entries.iter().enumerate().skip(skip) {
        let header = Dirent {
            d_next: i as u64 + 1,
            d_ino: e.ino,
            d_namlen: u32::try_from(e.name.len()).map_err(|_| Errno::Overflow)?,
            d_type: e.d_type,
        }
        .to_bytes();
        for part in [&header[..], &e.name[..]] {
            let n = part.len().min(out.len() - used);
            out[used..used + n].copy_from_slice(&part[..n]);
            used += n;
        }
        if used == out.len() {
            break;
        }
    }
    mem::write_u32(mem, bufused, used as u32)
}

/// `fd_renumber(fd, to)`.
pub fn fd_renumber(ctx: &mut WasiCtx, _mem: &mut [u8], fd: u32, to: u32) -> Result<(), Error> {
    ctx.fds.renumber(fd, to)?;
    Ok(())
}

/// How `fd_seek` interprets its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whence {
    /// From the start.
    Set,
    /// From the current position.
    Cur,
    /// From the end.
    End,
}

/// Moves the position of file `fd`; returns the new one. Errors as in wasmtime: `spipe` for
/// stdio, `badf` for directories, `inval` for a position before the start or past `i64::MAX`.
pub fn seek(ctx: &WasiCtx, fd: u32, offset: i64, whence: Whence) -> Result<u64, Errno> {
    // A query of the position needs only `fd_tell`.
    let right = if whence == Whence::Cur && offset == 0 {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    let entry = file_entry(ctx, fd, right, true)?;
    let host = entry.host_fd();
    let pos = match whence {
        Whence::Set => u64::try_from(offset).map_err(|_| Errno::Inval)?,
        Whence::Cur => {
            // SAFETY: lseek on an open descriptor.
            let cur = cvt(|| unsafe { libc::lseek(host, 0, libc::SEEK_CUR) } as isize)? as u64;
            cur.checked_add_signed(offset).ok_or(Errno::Inval)?
        }
        Whence::End => {
            let size = fstat(host)?.st_size.max(0) as u64;
            size.checked_add_signed(offset).ok_or(Errno::Inval)?
        }
    };
    let pos = off(pos)?;
    // SAFETY: lseek on an open descriptor.
    let new = cvt(|| unsafe { libc::lseek(host, pos, libc::SEEK_SET) } as isize)?;
    Ok(new as u64)
}

/// [`seek`], storing the new position at `newoffset` (checked first).
pub(crate) fn seek_to(
    ctx: &WasiCtx,
    mem: &mut [u8],
    fd: u32,
    offset: i64,
    whence: Whence,
    newoffset: u32,
) -> Result<(), Error> {
    mem::check_out(mem, newoffset, 8)?;
    let pos = seek(ctx, fd, offset, whence)?;
    mem::write_u64(mem, newoffset, pos)
}

/// `fd_seek(fd, offset, whence, newoffset)` with preview1's `whence` numbering.
pub fn fd_seek(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    offset: u64,
    whence_: u32,
    newoffset: u32,
) -> Result<(), Error> {
    let whence = match u8::try_from(whence_) {
        Ok(whence::SET) => Whence::Set,
        Ok(whence::CUR) => Whence::Cur,
        Ok(whence::END) => Whence::End,
        _ => return Err(Errno::Inval.into()),
    };
    seek_to(ctx, mem, fd, offset as i64, whence, newoffset)
}

/// `fd_tell(fd, offset)`.
pub fn fd_tell(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32, offset: u32) -> Result<(), Error> {
    seek_to(ctx, mem, fd, 0, Whence::Cur, offset)
}

#[cfg(test)]
#[path = "tests/fd.rs"]
mod tests;
