//! `wasi_unstable` (snapshot 0) versions of the four functions whose ABI differs from
//! preview1; the other snapshot 0 imports bind to the preview1 symbols.
//!
//! - `fd_seek`: `whence` is numbered `cur = 0, end = 1, set = 2`.
//! - `fd_filestat_get`, `path_filestat_get`: `filestat.nlink` is a u32, so the struct is 56
//!   bytes with `size` at 24.
//! - `poll_oneoff`: `subscription_clock` begins with a u64 `identifier`, so a subscription is 56
//!   bytes; events are unchanged.

use super::ctx::WasiCtx;
use super::fd::{Whence, filestat, seek};
use super::mem;
use super::poll::{UNSTABLE, poll_with_layout};
use super::types::{Errno, UNSTABLE_FILESTAT_SIZE};

/// `wasi_unstable.fd_filestat_get(fd, buf)`.
pub fn fd_filestat_get(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32, buf: u32) -> Result<(), Errno> {
    mem::check_out(mem, buf, UNSTABLE_FILESTAT_SIZE as u32)?;
    let st = filestat(ctx, fd)?;
    mem::write_bytes(mem, buf, &st.to_unstable_bytes())
}

/// `wasi_unstable.fd_seek(fd, offset, whence, newoffset)`.
pub fn fd_seek(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    offset: u64,
    whence: u32,
    newoffset: u32,
) -> Result<(), Errno> {
    let whence = match whence {
        0 => Whence::Cur,
        1 => Whence::End,
        2 => Whence::Set,
        _ => return Err(Errno::Inval),
    };
    mem::check_out(mem, newoffset, 8)?;
    let pos = seek(ctx, fd, offset as i64, whence)?;
    mem::write_u64(mem, newoffset, pos)
}

/// `wasi_unstable.path_filestat_get(fd, flags, path, path_len, buf)`.
pub fn path_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    buf: u32,
) -> Result<(), Errno> {
    mem::check_out(mem, buf, UNSTABLE_FILESTAT_SIZE as u32)?;
    let path = mem::read_str(mem, path, path_len)?;
    let st = super::path::filestat(ctx, fd, flags, path)?;
    mem::write_bytes(mem, buf, &st.to_unstable_bytes())
}

/// `wasi_unstable.poll_oneoff(in, out, nsubscriptions, nevents)`.
pub fn poll_oneoff(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    in_: u32,
    out: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> Result<(), Errno> {
    poll_with_layout(ctx, mem, in_, out, nsubscriptions, nevents, &UNSTABLE)
}

super::export!(
    /// `wasi_unstable.fd_filestat_get`.
    w2n_wasi_unstable_fd_filestat_get => "fd_filestat_get", fd_filestat_get, (fd: u32, buf: u32)
);
super::export!(
    /// `wasi_unstable.fd_seek`.
    w2n_wasi_unstable_fd_seek => "fd_seek", fd_seek, (fd: u32, offset: u64, whence: u32, newoffset: u32)
);
super::export!(
    /// `wasi_unstable.path_filestat_get`.
    w2n_wasi_unstable_path_filestat_get => "path_filestat_get", path_filestat_get,
    (fd: u32, flags: u32, path: u32, path_len: u32, buf: u32)
);
super::export!(
    /// `wasi_unstable.poll_oneoff`.
    w2n_wasi_unstable_poll_oneoff => "poll_oneoff", poll_oneoff,
    (in_: u32, out: u32, nsubscriptions: u32, nevents: u32)
);
