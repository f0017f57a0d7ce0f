//! `sock_*`: the preview1 socket calls, on sockets handed to the guest (inherited listeners, see
//! `WASM2NATIVE_TCPLISTEN`) and the connections accepted from them. Any other descriptor is
//! `notsock`; an unknown one `badf`.

use std::os::fd::{FromRawFd, OwnedFd, RawFd};

use super::ctx::{Blocking, Entry, Kind, WasiCtx};
use super::error::Error;
use super::host::{cvt, host_iovecs, iov_transfer};
use super::mem;
use super::types::{
    Errno, RIFLAGS_RECV_PEEK, RIFLAGS_RECV_WAITALL, ROFLAGS_RECV_DATA_TRUNCATED, SDFLAGS_RD,
    SDFLAGS_WR, check_flags, fdflags, rights,
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
    ctx: &mut impl Blocking,
    mem: &mut [u8],
    fd: u32,
    flags: u32,
    result_fd: u32,
) -> Result<(), Error> {
    let host = socket(ctx.ctx(), fd, rights::SOCK_ACCEPT)?;
    let flags = check_flags(flags, u32::from(fdflags::NONBLOCK))? as u16;
    mem::check_out(mem, result_fd, 4)?;
    let mut sflags = libc::SOCK_CLOEXEC;
    if flags & fdflags::NONBLOCK != 0 {
        sflags |= libc::SOCK_NONBLOCK;
    }
    // SAFETY: accept4 with null address out-parameters.
    let new = ctx.unlocked(|| {
        cvt(|| unsafe {
            libc::accept4(host, std::ptr::null_mut(), std::ptr::null_mut(), sflags) as isize
        })
    })?;
    // SAFETY: accept4 returned a fresh descriptor that nothing else owns.
    let mut entry = Entry::socket(unsafe { OwnedFd::from_raw_fd(new as RawFd) });
    entry.rights_base &= !rights::SOCK_ACCEPT;
    entry.fdflags = flags;
    let new_fd = ctx.ctx().fds.push(entry)?;
    mem::write_u32(mem, result_fd, new_fd)
}

/// `sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen, ro_flags)`.
#[allow(clippy::too_many_arguments)] // the WASI signature
pub fn sock_recv(
    ctx: &mut impl Blocking,
    mem: &mut [u8],
    fd: u32,
    ri_data: u32,
    ri_data_len: u32,
    ri_flags: u32,
    ro_datalen: u32,
    ro_flags: u32,
) -> Result<(), Error> {
    let host = socket(ctx.ctx(), fd, rights::FD_READ)?;
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
    msg.msg_iovlen = iov.len() as _;
    // SAFETY: as above.
    let n = ctx.unlocked(|| cvt(|| unsafe { libc::recvmsg(host, &mut msg, flags) }))?;
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
    ctx: &mut impl Blocking,
    mem: &mut [u8],
    fd: u32,
    si_data: u32,
    si_data_len: u32,
    si_flags: u32,
    so_datalen: u32,
) -> Result<(), Error> {
    let host = socket(ctx.ctx(), fd, rights::FD_WRITE)?;
    check_flags(si_flags, 0)?;
    iov_transfer(mem, si_data, si_data_len, so_datalen, |mem, bufs| {
        let mut iov = host_iovecs(mem, bufs);
        // SAFETY: all-zero is a valid msghdr; the iovecs point into live guest memory.
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_iov = iov.as_mut_ptr();
        msg.msg_iovlen = iov.len() as _;
        // A peer that went away is `pipe`, not a SIGPIPE killing the program.
        // SAFETY: as above.
        ctx.unlocked(|| cvt(|| unsafe { libc::sendmsg(host, &msg, libc::MSG_NOSIGNAL) }))
    })
}

/// `sock_shutdown(fd, how)`.
pub fn sock_shutdown(ctx: &mut WasiCtx, _mem: &mut [u8], fd: u32, how: u32) -> Result<(), Error> {
    let host = socket(ctx, fd, rights::SOCK_SHUTDOWN)?;
    let how = match u8::try_from(how) {
        Ok(h) if h == SDFLAGS_RD => libc::SHUT_RD,
        Ok(h) if h == SDFLAGS_WR => libc::SHUT_WR,
        Ok(h) if h == SDFLAGS_RD | SDFLAGS_WR => libc::SHUT_RDWR,
        _ => return Err(Errno::Inval.into()),
    };
    // SAFETY: plain syscall on an open descriptor.
    cvt(|| unsafe { libc::shutdown(host, how) } as isize)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    use super::super::testutil::{Sandbox, errno, iovec, memory, put, read, write};
    use super::*;

    #[test]
    fn accept_recv_send_shutdown() {
        let mut sb = Sandbox::new();
        let mut m = memory();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let lfd = sb
            .ctx
            .fds
            .push(Entry::socket(OwnedFd::from(listener)))
            .unwrap();
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"ping").unwrap();
            let mut got = Vec::new();
            s.read_to_end(&mut got).unwrap();
            got
        });
        sock_accept(&mut sb.ctx, &mut m, lfd, 0, 0).unwrap();
        let conn = mem::read_u32(&m, 0).unwrap();
        // Peek, then read with sock_recv.
        iovec(&mut m, 16, 1000, 4);
        sock_recv(
            &mut sb.ctx,
            &mut m,
            conn,
            16,
            1,
            u32::from(RIFLAGS_RECV_PEEK | RIFLAGS_RECV_WAITALL),
            4,
            8,
        )
        .unwrap();
        assert_eq!(mem::read_u32(&m, 4), Ok(4));
        assert_eq!(&m[1000..1004], b"ping");
        assert_eq!(
            read(&mut sb.ctx, &mut m, conn, 4).unwrap(),
            b"ping",
            "fd_read works too"
        );
        let (p, l) = put(&mut m, 2000, b"pong");
        iovec(&mut m, 16, p, l);
        sock_send(&mut sb.ctx, &mut m, conn, 16, 1, 0, 4).unwrap();
        assert_eq!(mem::read_u32(&m, 4), Ok(4));
        assert_eq!(write(&mut sb.ctx, &mut m, conn, b"!"), Ok(1));
        sock_shutdown(&mut sb.ctx, &mut m, conn, u32::from(SDFLAGS_WR)).unwrap();
        assert_eq!(client.join().unwrap(), b"pong!");
        assert_eq!(
            sock_shutdown(&mut sb.ctx, &mut m, conn, 0).map_err(errno),
            Err(Errno::Inval)
        );
        assert_eq!(
            sock_send(&mut sb.ctx, &mut m, conn, 16, 1, 1, 4).map_err(errno),
            Err(Errno::Inval)
        );
        assert_eq!(
            sock_recv(&mut sb.ctx, &mut m, conn, 16, 1, 4, 4, 8).map_err(errno),
            Err(Errno::Inval)
        );
        assert_eq!(
            sock_recv(&mut sb.ctx, &mut m, conn, 65530, 1, 0, 4, 8).map_err(errno),
            Err(Errno::Fault)
        );
        // A connection cannot accept; a non-socket is `notsock`, an unknown fd `badf`.
        assert_eq!(
            sock_accept(&mut sb.ctx, &mut m, conn, 0, 0).map_err(errno),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            sock_accept(&mut sb.ctx, &mut m, lfd, 1, 0).map_err(errno),
            Err(Errno::Inval)
        );
        for fd in [0, 1, 3] {
            assert_eq!(
                sock_accept(&mut sb.ctx, &mut m, fd, 0, 0).map_err(errno),
                Err(Errno::Notsock)
            );
            assert_eq!(
                sock_recv(&mut sb.ctx, &mut m, fd, 16, 1, 0, 4, 8).map_err(errno),
                Err(Errno::Notsock)
            );
            assert_eq!(
                sock_send(&mut sb.ctx, &mut m, fd, 16, 1, 0, 4).map_err(errno),
                Err(Errno::Notsock)
            );
            assert_eq!(
                sock_shutdown(&mut sb.ctx, &mut m, fd, 3).map_err(errno),
                Err(Errno::Notsock)
            );
        }
        assert_eq!(
            sock_shutdown(&mut sb.ctx, &mut m, 99, 3).map_err(errno),
            Err(Errno::Badf)
        );
        // Non-blocking accept with nobody connecting.
        fd_flags_nonblock_accept(&mut sb, &mut m, lfd);
    }

    fn fd_flags_nonblock_accept(sb: &mut Sandbox, m: &mut [u8], lfd: u32) {
        crate::wasi::fd::fd_fdstat_set_flags(&mut sb.ctx, m, lfd, u32::from(fdflags::NONBLOCK))
            .unwrap();
        assert_eq!(
            sock_accept(&mut sb.ctx, m, lfd, 0, 0).map_err(errno),
            Err(Errno::Again)
        );
        crate::wasi::fd::fd_fdstat_get(&mut sb.ctx, m, lfd, 0).unwrap();
        assert_eq!(m[0], crate::wasi::types::filetype::SOCKET_STREAM);
        assert_eq!(mem::read_u16(m, 2), Ok(fdflags::NONBLOCK));
    }
}
