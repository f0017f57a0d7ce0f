//! `wasi_unstable` (snapshot 0) versions of the four functions whose ABI differs from
//! preview1; the other snapshot 0 imports bind to the preview1 symbols.
//!
//! - `fd_seek`: `whence` is numbered `cur = 0, end = 1, set = 2`.
//! - `fd_filestat_get`, `path_filestat_get`: `filestat.nlink` is a u32, so the struct is 56
//!   bytes with `size` at 24.
//! - `poll_oneoff`: `subscription_clock` begins with a u64 `identifier`, so a subscription is 56
//!   bytes; events are unchanged.

use super::ctx::{Blocking, WasiCtx};
use super::error::Error;
use super::fd::{Whence, filestat, seek_to};
use super::mem;
use super::poll::{UNSTABLE, poll_with_layout};
use super::types::{Errno, UNSTABLE_FILESTAT_SIZE};

/// `wasi_unstable.fd_filestat_get(fd, buf)`.
pub fn fd_filestat_get(ctx: &mut WasiCtx, mem: &mut [u8], fd: u32, buf: u32) -> Result<(), Error> {
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
) -> Result<(), Error> {
    let whence = match whence {
        0 => Whence::Cur,
        1 => Whence::End,
        2 => Whence::Set,
        _ => return Err(Errno::Inval.into()),
    };
    seek_to(ctx, mem, fd, offset as i64, whence, newoffset)
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
) -> Result<(), Error> {
    mem::check_out(mem, buf, UNSTABLE_FILESTAT_SIZE as u32)?;
    let path = mem::read_str(mem, path, path_len)?;
    let st = super::path::filestat(ctx, fd, flags, path)?;
    mem::write_bytes(mem, buf, &st.to_unstable_bytes())
}

/// `wasi_unstable.poll_oneoff(in, out, nsubscriptions, nevents)`.
pub fn poll_oneoff(
    ctx: &mut impl Blocking,
    mem: &mut [u8],
    in_: u32,
    out: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> Result<(), Error> {
    poll_with_layout(ctx, mem, in_, out, nsubscriptions, nevents, &UNSTABLE)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{RW, Sandbox, errno, memory, open, put, write};
    use super::*;
    use crate::wasi::types::{filetype, oflags};

    #[test]
    fn whence_is_renumbered() {
        let mut sb = Sandbox::new();
        let mut m = memory();
        let f = open(&mut sb.ctx, &mut m, 3, "f", 0, oflags::CREAT, RW, 0).unwrap();
        write(&mut sb.ctx, &mut m, f, b"0123456789").unwrap();
        fd_seek(&mut sb.ctx, &mut m, f, 3, 2, 0).unwrap(); // SET
        assert_eq!(mem::read_u64(&m, 0), Ok(3));
        fd_seek(&mut sb.ctx, &mut m, f, 2, 0, 0).unwrap(); // CUR
        assert_eq!(mem::read_u64(&m, 0), Ok(5));
        fd_seek(&mut sb.ctx, &mut m, f, (-1i64) as u64, 1, 0).unwrap(); // END
        assert_eq!(mem::read_u64(&m, 0), Ok(9));
        assert_eq!(
            fd_seek(&mut sb.ctx, &mut m, f, 0, 3, 0).map_err(errno),
            Err(Errno::Inval)
        );
        assert_eq!(
            fd_seek(&mut sb.ctx, &mut m, 0, 0, 0, 0).map_err(errno),
            Err(Errno::Spipe)
        );
    }

    #[test]
    fn filestat_is_56_bytes() {
        let mut sb = Sandbox::new();
        let mut m = memory();
        std::fs::write(sb.host("f"), b"12345").unwrap();
        let f = open(&mut sb.ctx, &mut m, 3, "f", 0, 0, RW, 0).unwrap();
        m[..64].fill(0xee);
        fd_filestat_get(&mut sb.ctx, &mut m, f, 0).unwrap();
        assert_eq!(m[16], filetype::REGULAR_FILE);
        assert_eq!(mem::read_u32(&m, 20), Ok(1), "nlink is a u32");
        assert_eq!(mem::read_u64(&m, 24), Ok(5), "size follows it");
        assert_eq!(&m[56..64], &[0xee; 8], "nothing past 56 bytes");
        let (p, l) = put(&mut m, 100, b"f");
        m[..64].fill(0xee);
        path_filestat_get(&mut sb.ctx, &mut m, 3, 0, p, l, 0).unwrap();
        assert_eq!(mem::read_u64(&m, 24), Ok(5));
        assert_eq!(&m[56..64], &[0xee; 8]);
        assert_eq!(
            fd_filestat_get(&mut sb.ctx, &mut m, f, 65481).map_err(errno),
            Err(Errno::Fault)
        );
        assert_eq!(
            path_filestat_get(&mut sb.ctx, &mut m, 3, 0, p, l, 65481).map_err(errno),
            Err(Errno::Fault)
        );
    }
}
