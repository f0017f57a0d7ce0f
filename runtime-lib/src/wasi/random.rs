//! `random_get`: bytes from the OS's cryptographic generator (`getrandom(2)`).

use super::ctx::WasiCtx;
use super::error::Error;
use super::mem;
use super::types::Errno;

/// Fills `buf` from `getrandom(2)`, retrying on interruption and short reads.
pub fn fill(mut buf: &mut [u8]) -> Result<(), Errno> {
    while !buf.is_empty() {
        // SAFETY: the pointer and length describe a live, writable slice.
        let n = unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n < 0 {
            match Errno::last_os() {
                Errno::Intr => continue,
                e => return Err(e),
            }
        }
        buf = &mut buf[n as usize..];
    }
    Ok(())
}

/// `random_get(buf, buf_len)`.
pub fn random_get(_ctx: &mut WasiCtx, mem: &mut [u8], buf: u32, buf_len: u32) -> Result<(), Error> {
    fill(mem::slice_mut(mem, buf, buf_len)?)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::errno;
    use super::*;

    #[test]
    fn fills_exactly_the_buffer() {
        let mut ctx = WasiCtx::new_stdio();
        let mut m = vec![0u8; 4096];
        random_get(&mut ctx, &mut m, 8, 4000).unwrap();
        assert!(m[..8].iter().all(|&b| b == 0));
        assert!(m[4008..].iter().all(|&b| b == 0));
        // 4000 random bytes are all zero with probability 2^-32000.
        assert!(m[8..4008].iter().any(|&b| b != 0));
        random_get(&mut ctx, &mut m, 4096, 0).unwrap();
        assert_eq!(
            random_get(&mut ctx, &mut m, 4000, 97).map_err(errno),
            Err(Errno::Fault)
        );
    }
}
