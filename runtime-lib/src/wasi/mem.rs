//! Bounds-checked access to guest linear memory.
//!
//! Every guest pointer and length is checked with overflow-free arithmetic against the memory
//! slice; a bad one yields `fault` carrying the offending range ([`Error::out_of_bounds`]), which
//! the call's exported function turns into a trap under `--trap-on-efault`. Nothing here can
//! make the host read or write outside the slice.

use std::ops::Range;

use super::error::Error;
use super::types::{Errno, IOVEC_SIZE};

/// The byte range `ptr..ptr+len` of a memory of `mem_len` bytes, or `Fault`.
pub fn range(mem_len: usize, ptr: u32, len: u32) -> Result<Range<usize>, Error> {
    let start = ptr as usize;
    match start.checked_add(len as usize) {
        Some(end) if end <= mem_len => Ok(start..end),
        _ => Err(Error::out_of_bounds(u64::from(ptr), u64::from(len))),
    }
}

/// The range of an array of `count` elements of `size` bytes at `ptr`, or `Fault` (also when
/// the total size does not fit in 32 bits, which no guest array can have).
pub fn array_range(
    mem_len: usize,
    ptr: u32,
    count: u32,
    size: usize,
) -> Result<Range<usize>, Error> {
    let total = (count as usize)
        .checked_mul(size)
        .and_then(|t| u32::try_from(t).ok())
        .ok_or_else(|| Error::out_of_bounds(u64::from(ptr), count as u64 * size as u64))?;
    range(mem_len, ptr, total)
}

/// `len` bytes at `ptr`.
pub fn slice(mem: &[u8], ptr: u32, len: u32) -> Result<&[u8], Error> {
    let r = range(mem.len(), ptr, len)?;
    Ok(&mem[r])
}

/// `len` writable bytes at `ptr`.
pub fn slice_mut(mem: &mut [u8], ptr: u32, len: u32) -> Result<&mut [u8], Error> {
    let r = range(mem.len(), ptr, len)?;
    Ok(&mut mem[r])
}

/// Copies `bytes` to `ptr`.
pub fn write_bytes(mem: &mut [u8], ptr: u32, bytes: &[u8]) -> Result<(), Error> {
    let len = u32::try_from(bytes.len())
        .map_err(|_| Error::out_of_bounds(u64::from(ptr), bytes.len() as u64))?;
    slice_mut(mem, ptr, len)?.copy_from_slice(bytes);
    Ok(())
}

/// Reads a little-endian value of `N` bytes.
fn read_n<const N: usize>(mem: &[u8], ptr: u32) -> Result<[u8; N], Error> {
    Ok(slice(mem, ptr, N as u32)?
        .try_into()
        .expect("length checked"))
}

/// Reads a `u8`.
pub fn read_u8(mem: &[u8], ptr: u32) -> Result<u8, Error> {
    Ok(read_n::<1>(mem, ptr)?[0])
}

/// Reads a little-endian `u16`.
pub fn read_u16(mem: &[u8], ptr: u32) -> Result<u16, Error> {
    Ok(u16::from_le_bytes(read_n(mem, ptr)?))
}

/// Reads a little-endian `u32`.
pub fn read_u32(mem: &[u8], ptr: u32) -> Result<u32, Error> {
    Ok(u32::from_le_bytes(read_n(mem, ptr)?))
}

/// Reads a little-endian `u64`.
pub fn read_u64(mem: &[u8], ptr: u32) -> Result<u64, Error> {
    Ok(u64::from_le_bytes(read_n(mem, ptr)?))
}

/// Writes a `u8`.
pub fn write_u8(mem: &mut [u8], ptr: u32, v: u8) -> Result<(), Error> {
    write_bytes(mem, ptr, &[v])
}

/// Writes a little-endian `u16`.
pub fn write_u16(mem: &mut [u8], ptr: u32, v: u16) -> Result<(), Error> {
    write_bytes(mem, ptr, &v.to_le_bytes())
}

/// Writes a little-endian `u32`.
pub fn write_u32(mem: &mut [u8], ptr: u32, v: u32) -> Result<(), Error> {
    write_bytes(mem, ptr, &v.to_le_bytes())
}

/// Writes a little-endian `u64`.
pub fn write_u64(mem: &mut [u8], ptr: u32, v: u64) -> Result<(), Error> {
    write_bytes(mem, ptr, &v.to_le_bytes())
}

/// Checks that a result slot of `size` bytes at `ptr` is writable, before the call has any
/// effect: a call whose result cannot be stored must not, say, open a file and leak it.
pub fn check_out(mem: &[u8], ptr: u32, size: u32) -> Result<(), Error> {
    range(mem.len(), ptr, size).map(|_| ())
}

/// A guest string: UTF-8 is required (as wasmtime does), otherwise `Ilseq`.
pub fn read_str(mem: &[u8], ptr: u32, len: u32) -> Result<&str, Error> {
    std::str::from_utf8(slice(mem, ptr, len)?).map_err(|_| Errno::Ilseq.into())
}

/// Reads an `iovec`/`ciovec` array and checks every buffer it names; returns the buffers as
/// ranges of `mem`.
pub fn read_iovs(mem: &[u8], iovs: u32, iovs_len: u32) -> Result<Vec<Range<usize>>, Error> {
    let arr = array_range(mem.len(), iovs, iovs_len, IOVEC_SIZE as usize)?;
    let mut out = Vec::with_capacity(iovs_len.min(1024) as usize);
    for chunk in mem[arr].chunks_exact(IOVEC_SIZE as usize) {
        let buf = u32::from_le_bytes(chunk[0..4].try_into().expect("4 bytes"));
        let buf_len = u32::from_le_bytes(chunk[4..8].try_into().expect("4 bytes"));
        out.push(range(mem.len(), buf, buf_len)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked_without_overflow() {
        assert_eq!(range(10, 2, 8), Ok(2..10));
        assert_eq!(range(10, 3, 8), Err(Error::out_of_bounds(3, 8)));
        assert_eq!(
            range(10, u32::MAX, u32::MAX),
            Err(Error::out_of_bounds(u32::MAX.into(), u32::MAX.into()))
        );
        assert_eq!(range(0, 0, 0), Ok(0..0));
        assert_eq!(
            array_range(64, 0, u32::MAX, 8),
            Err(Error::out_of_bounds(0, u64::from(u32::MAX) * 8))
        );
        assert_eq!(array_range(64, 8, 7, 8), Ok(8..64));
    }

    #[test]
    fn scalars() {
        let mut mem = vec![0u8; 16];
        write_u64(&mut mem, 8, 0x0102030405060708).unwrap();
        assert_eq!(read_u64(&mem, 8), Ok(0x0102030405060708));
        assert_eq!(read_u32(&mem, 8), Ok(0x05060708));
        assert_eq!(read_u16(&mem, 8), Ok(0x0708));
        assert_eq!(read_u8(&mem, 15), Ok(1));
        assert_eq!(write_u64(&mut mem, 9, 1), Err(Error::out_of_bounds(9, 8)));
        assert_eq!(read_u32(&mem, 13), Err(Error::out_of_bounds(13, 4)));
        // The failed write changed nothing.
        assert_eq!(mem[9..], [7, 6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn strings_and_iovecs() {
        let mut mem = vec![0u8; 64];
        mem[32..37].copy_from_slice(b"hello");
        assert_eq!(read_str(&mem, 32, 5), Ok("hello"));
        mem[40] = 0xff;
        assert_eq!(read_str(&mem, 40, 1), Err(Errno::Ilseq.into()));
        // Two iovecs: (32, 5) and (60, 4).
        write_u32(&mut mem, 0, 32).unwrap();
        write_u32(&mut mem, 4, 5).unwrap();
        write_u32(&mut mem, 8, 60).unwrap();
        write_u32(&mut mem, 12, 4).unwrap();
        assert_eq!(read_iovs(&mem, 0, 2), Ok(vec![32..37, 60..64]));
        write_u32(&mut mem, 12, 5).unwrap();
        assert_eq!(read_iovs(&mem, 0, 2), Err(Error::out_of_bounds(60, 5)));
        assert_eq!(read_iovs(&mem, 60, 1), Err(Error::out_of_bounds(60, 8)));
    }
}
