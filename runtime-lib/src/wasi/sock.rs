//! `sock_*`: the preview1 socket calls, on sockets handed to the guest (inherited listeners, see
//! `WASM2NATIVE_TCPLISTEN`) and the connections accepted from them. Any other descriptor is
//! `notsock`; an unknown one `badf`.

use std::os::fd::{FromRawFd, OwnedFd, RawFd};

use super::ctx::{Entry, Kind, WasiCtx};
use super::fd::{check_flags, cvt, host_iovecs};
use super::mem;
use super::types::{
    Errno, RIFLAGS_RECV_PEEK, RIFLAGS_RECV_WAITALL, ROFLAGS_RECV_DATA_TRUNCATED, SDFLAGS_RD,
    SDFLAGS_WR, fdflags, rights,
};

/// The host socket behind `fd`, checking `right`.
fn socket(ctx: &WasiCtx, fd: u32, right: u64) -> Result<RawFd, Errno> {
    let entry = ctx.fds.get(fd)?;
    match &entry.kind {
        Kind::Socket(_) => {
            entry.require(right)?;
            Ok(entry.host_fd())
        }
        _ => Err(Errno::Notsock),
    }
}

/// `sock_accept(fd, flags, result_fd)`: only `nonblock` may be given.
pub fn sock_accept(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    flags: u32,
    result_fd: u32,
) -> Result<(), Errno> {
    let host = socket(ctx, fd, rights::SOCK_ACCEPT)?;
    let flags = check_flags(flags, u32::from(fdflags::NONBLOCK))? as u16;
    mem::check_out(mem, result_fd, 4)?;
    let mut sflags = libc::SOCK_CLOEXEC;
    if flags & fdflags::NONBLOCK != 0 {
        sflags |= libc::SOCK_NONBLOCK;
    }
    // SAFETY: accept4 with null address out-parameters.
    let new =
        cvt(
            || unsafe { libc::accept4(host, std::ptr::null_mut(), std::ptr::null_mut(), sflags) }
                as isize,
        )?;
    // SAFETY: accept4 returned a fresh descriptor that nothing else owns.
    let mut entry = Entry::socket(unsafe { OwnedFd::from_raw_fd(new as RawFd) });
    entry.rights_base &= !rights::SOCK_ACCEPT;
    entry.fdflags = flags;
    let new_fd = ctx.fds.push(entry)?;
    mem::write_u32(mem, result_fd, new_fd)
}

/// `sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen, ro_flags)`.
#[allow(clippy::too_many_arguments)] // the WASI signature
pub fn sock_recv(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    ri_data: u32,
    ri_data_len: u32,
    ri_flags: u32,
    ro_datalen: u32,
    ro_flags: u32,
) -> Result<(), Errno> {
    let host = socket(ctx, fd, rights::FD_READ)?;
    let ri_flags = check_flags(
        ri_flags,
        u32::from(RIFLAGS_RECV_PEEK | RIFLAGS_RECV_WAITALL),
    )? as u16;
    let bufs = mem::read_iovs(mem, ri_data, ri_data_len)?;
    mem::check_out(mem, ro_datalen, 4)?;
    mem::check_out(mem, ro_flags, 2)?;
    let mut iov = host_iovecs(mem, &bufs);
    let mut flags = 0;
    if ri_flags & RIFLAGS_RECV_PEEK != 0 {
        flags |= libc::MSG_PEEK;
    }
    if ri_flags & RIFLAGS_RECV_WAITALL != 0 {
        flags |= libc::MSG_WAITALL;
    }
    // SAFETY: all-zero is a valid msghdr; the iovecs point into live guest memory.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = iov.as_mut_ptr();
    msg.msg_iovlen = iov.len();
    // SAFETY: as above.
    let n = cvt(|| unsafe { libc::recvmsg(host, &mut msg, flags) })?;
    let out_flags = if msg.msg_flags & libc::MSG_TRUNC != 0 {
        ROFLAGS_RECV_DATA_TRUNCATED
    } else {
        0
    };
    mem::write_u32(mem, ro_datalen, n as u32)?;
    mem::write_u16(mem, ro_flags, out_flags)
}

/// `sock_send(fd, si_data, si_data_len, si_flags, so_datalen)`; `siflags` has no flags.
pub fn sock_send(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    si_data: u32,
    si_data_len: u32,
    si_flags: u32,
    so_datalen: u32,
) -> Result<(), Errno> {
    let host = socket(ctx, fd, rights::FD_WRITE)?;
    check_flags(si_flags, 0)?;
    let bufs = mem::read_iovs(mem, si_data, si_data_len)?;
    mem::check_out(mem, so_datalen, 4)?;
    let mut iov = host_iovecs(mem, &bufs);
    // SAFETY: all-zero is a valid msghdr; the iovecs point into live guest memory.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = iov.as_mut_ptr();
    msg.msg_iovlen = iov.len();
    // A peer that went away is `pipe`, not a SIGPIPE killing the program.
    // SAFETY: as above.
    let n = cvt(|| unsafe { libc::sendmsg(host, &msg, libc::MSG_NOSIGNAL) })?;
    mem::write_u32(mem, so_datalen, n as u32)
}

/// `sock_shutdown(fd, how)`.
pub fn sock_shutdown(ctx: &mut WasiCtx, _mem: &mut [u8], fd: u32, how: u32) -> Result<(), Errno> {
    let host = socket(ctx, fd, rights::SOCK_SHUTDOWN)?;
    let how = match u8::try_from(how) {
        Ok(h) if h == SDFLAGS_RD => libc::SHUT_RD,
        Ok(h) if h == SDFLAGS_WR => libc::SHUT_WR,
        Ok(h) if h == SDFLAGS_RD | SDFLAGS_WR => libc::SHUT_RDWR,
        _ => return Err(Errno::Inval),
    };
    // SAFETY: plain syscall on an open descriptor.
    cvt(|| unsafe { libc::shutdown(host, how) } as isize).map(drop)
}

super::export!(
    /// `wasi_snapshot_preview1.sock_accept`.
    w2n_wasi_sock_accept => "sock_accept", sock_accept, (fd: u32, flags: u32, result_fd: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.sock_recv`.
    w2n_wasi_sock_recv => "sock_recv", sock_recv,
    (fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, ro_datalen: u32, ro_flags: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.sock_send`.
    w2n_wasi_sock_send => "sock_send", sock_send,
    (fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, so_datalen: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.sock_shutdown`.
    w2n_wasi_sock_shutdown => "sock_shutdown", sock_shutdown, (fd: u32, how: u32)
);
