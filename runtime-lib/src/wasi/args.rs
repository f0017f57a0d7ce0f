//! `args_*` and `environ_*`: the program's arguments and environment, as NUL-terminated strings
//! in a guest buffer plus an array of pointers to them.

use super::ctx::WasiCtx;
use super::error::Error;
use super::mem;
use super::types::Errno;

/// Writes the sizes `args_sizes_get`/`environ_sizes_get` return: the string count, and the
/// buffer size including one NUL per string.
fn sizes_get(
    strings: &[Vec<u8>],
    mem: &mut [u8],
    count_ptr: u32,
    size_ptr: u32,
) -> Result<(), Error> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let size = strings
        .iter()
        .try_fold(0u32, |acc, s| {
            u32::try_from(s.len())
                .ok()
                .and_then(|len| acc.checked_add(len)?.checked_add(1))
        })
        .ok_or(Errno::Overflow)?;
    mem::write_u32(mem, count_ptr, count)?;
    mem::write_u32(mem, size_ptr, size)
}

/// Writes each string, NUL-terminated, one after another from `buf`, and its address into the
/// pointer array at `ptrs`.
fn strings_get(
    strings: &[Vec<u8>],
    mem: &mut [u8],
    mut ptrs: u32,
    mut buf: u32,
) -> Result<(), Error> {
    for s in strings {
        mem::write_u32(mem, ptrs, buf)?;
        let len = u32::try_from(s.len()).map_err(|_| Errno::Overflow)?;
        mem::write_bytes(mem, buf, s)?;
        let end = buf.checked_add(len).ok_or(Errno::Overflow)?;
        mem::write_u8(mem, end, 0)?;
        buf = end.checked_add(1).ok_or(Errno::Overflow)?;
        ptrs = ptrs.checked_add(4).ok_or(Errno::Overflow)?;
    }
    Ok(())
}

/// `args_sizes_get(argc_ptr, argv_buf_size_ptr)`.
pub fn args_sizes_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    argc: u32,
    argv_buf_size: u32,
) -> Result<(), Error> {
    sizes_get(&ctx.args, mem, argc, argv_buf_size)
}

/// `args_get(argv, argv_buf)`.
pub fn args_get(ctx: &mut WasiCtx, mem: &mut [u8], argv: u32, argv_buf: u32) -> Result<(), Error> {
    strings_get(&ctx.args, mem, argv, argv_buf)
}

/// `environ_sizes_get(environc_ptr, environ_buf_size_ptr)`.
pub fn environ_sizes_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    environc: u32,
    environ_buf_size: u32,
) -> Result<(), Error> {
    sizes_get(&ctx.env, mem, environc, environ_buf_size)
}

/// `environ_get(environ, environ_buf)`.
pub fn environ_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    environ: u32,
    environ_buf: u32,
) -> Result<(), Error> {
    strings_get(&ctx.env, mem, environ, environ_buf)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::errno;
    use super::*;

    fn ctx() -> WasiCtx {
        let mut ctx = WasiCtx::new_stdio();
        ctx.args = vec![b"prog".to_vec(), b"a b".to_vec(), vec![]];
        ctx.env = vec![b"X=1".to_vec()];
        ctx
    }

    #[test]
    fn args_round_trip() {
        let mut ctx = ctx();
        let mut m = vec![0u8; 128];
        args_sizes_get(&mut ctx, &mut m, 0, 4).unwrap();
        assert_eq!(mem::read_u32(&m, 0), Ok(3));
        assert_eq!(mem::read_u32(&m, 4), Ok(4 + 1 + 3 + 1 + 1));
        args_get(&mut ctx, &mut m, 16, 64).unwrap();
        assert_eq!(mem::read_u32(&m, 16), Ok(64));
        assert_eq!(mem::read_u32(&m, 20), Ok(69));
        assert_eq!(mem::read_u32(&m, 24), Ok(73));
        assert_eq!(&m[64..74], b"prog\0a b\0\0");
    }

    #[test]
    fn environ_round_trip() {
        let mut ctx = ctx();
        let mut m = vec![0u8; 64];
        environ_sizes_get(&mut ctx, &mut m, 0, 4).unwrap();
        assert_eq!(mem::read_u32(&m, 0), Ok(1));
        assert_eq!(mem::read_u32(&m, 4), Ok(4));
        environ_get(&mut ctx, &mut m, 8, 32).unwrap();
        assert_eq!(mem::read_u32(&m, 8), Ok(32));
        assert_eq!(&m[32..36], b"X=1\0");
    }

    #[test]
    fn bad_pointers_fault() {
        let mut ctx = ctx();
        let mut m = vec![0u8; 32];
        assert_eq!(
            args_sizes_get(&mut ctx, &mut m, 30, 0).map_err(errno),
            Err(Errno::Fault)
        );
        assert_eq!(
            args_get(&mut ctx, &mut m, 0, 28).map_err(errno),
            Err(Errno::Fault)
        );
        assert_eq!(
            args_get(&mut ctx, &mut m, u32::MAX - 1, 0).map_err(errno),
            Err(Errno::Fault)
        );
        assert_eq!(
            environ_get(&mut ctx, &mut m, 0, u32::MAX).map_err(errno),
            Err(Errno::Fault)
        );
    }
}
