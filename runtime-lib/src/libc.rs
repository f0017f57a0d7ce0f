//! The builtins compiled code calls in place of wasi-libc's `memcpy`, `memmove`, `memset`,
//! `memcmp` and `strlen` when it recognised them (see [`abi::libc`](crate::abi::libc)), and for
//! `memory.copy` and `memory.fill`; [`crate::builtins`] puts them in its table.
//!
//! Compiled code has checked the ranges (in bounds of the memory, not overlapping for
//! `memcpy`); these only move bytes. They are written for the sizes wasm programs pass most
//! (a few bytes to a few hundred: SQLite's records and cells, Lua's strings): up to 64 bytes in
//! at most four overlapping 16-byte loads and stores without a loop, longer ranges in 64-byte
//! blocks, and `rep movsb`/`rep stosb` from 2 KiB on, which CPUs with fast strings (ERMSB, every
//! x86-64 since 2013) run at cache bandwidth. musl's `memcpy` (which Rust's `copy` calls in a
//! static executable) uses `rep movsq` at every size over 8 bytes and copies odd tails a byte at
//! a time, and its `memcmp` compares a byte at a time. SSE2 only: the runtime is built for the
//! x86-64 baseline, whatever `--target-cpu` the program's code is compiled for.

use core::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_load_si128, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    _mm_setzero_si128, _mm_storeu_si128,
};

/// From this length on, `rep movsb`/`rep stosb`.
const REP_THRESHOLD: usize = 2048;

/// The `LibcMemcpy` builtin: `memcpy` on ranges compiled code checked to be in bounds and
/// disjoint.
///
/// # Safety
/// `len` bytes are readable at `src` and writable at `dst`.
pub(crate) unsafe extern "C" fn libc_memcpy(_vmctx: *mut u8, dst: u64, src: u64, len: u64) {
    // SAFETY: per the contract; `copy` is correct for disjoint ranges too.
    unsafe { copy(dst as *mut u8, src as *const u8, len as usize) }
}

/// The `LibcMemmove` builtin.
///
/// # Safety
/// As [`libc_memcpy`]; the ranges may overlap.
pub(crate) unsafe extern "C" fn libc_memmove(_vmctx: *mut u8, dst: u64, src: u64, len: u64) {
    // SAFETY: per the contract.
    unsafe { copy(dst as *mut u8, src as *const u8, len as usize) }
}

/// The `LibcMemset` builtin, with the low byte of `byte`.
///
/// # Safety
/// `len` bytes are writable at `dst`.
pub(crate) unsafe extern "C" fn libc_memset(_vmctx: *mut u8, dst: u64, byte: u32, len: u64) {
    // SAFETY: per the contract.
    unsafe { fill(dst as *mut u8, byte as u8, len as usize) }
}

/// The `LibcMemcmp` builtin, returning, as wasi-libc does, the difference of the first
/// differing bytes.
///
/// # Safety
/// `len` bytes are readable at `a` and at `b`.
pub(crate) unsafe extern "C" fn libc_memcmp(_vmctx: *mut u8, a: u64, b: u64, len: u64) -> i32 {
    // SAFETY: per the contract.
    unsafe { compare(a as *const u8, b as *const u8, len as usize) }
}

/// The `LibcStrnlen` builtin: the length of the string at `s` if a NUL is among its first
/// `max` bytes, else `max`.
///
/// # Safety
/// The aligned 16-byte blocks that hold the `max` bytes at `s` are readable (true of any range
/// of a linear memory, whose base and length are multiples of the page size).
pub(crate) unsafe extern "C" fn libc_strnlen(_vmctx: *mut u8, s: u64, max: u64) -> u64 {
    // SAFETY: per the contract.
    unsafe { string_length(s as *const u8, max as usize) as u64 }
}

// SAFETY (of the helpers below): callers pass pointers valid for the lengths they pass.

#[inline(always)]
unsafe fn load16(p: *const u8) -> __m128i {
    unsafe { _mm_loadu_si128(p.cast()) }
}

#[inline(always)]
unsafe fn store16(p: *mut u8, v: __m128i) {
    unsafe { _mm_storeu_si128(p.cast(), v) }
}

/// Loads the 64 bytes at `p`.
#[inline(always)]
unsafe fn load64(p: *const u8) -> [__m128i; 4] {
    unsafe {
        [
            load16(p),
            load16(p.add(16)),
            load16(p.add(32)),
            load16(p.add(48)),
        ]
    }
}

#[inline(always)]
unsafe fn store64(p: *mut u8, v: [__m128i; 4]) {
    unsafe {
        store16(p, v[0]);
        store16(p.add(16), v[1]);
        store16(p.add(32), v[2]);
        store16(p.add(48), v[3]);
    }
}

/// `memmove`: up to 64 bytes, everything is loaded before anything is stored, so overlap does
/// not matter; longer ranges go forward or backward by 64-byte blocks, the last block (first,
/// going backward) loaded before the loop since the loop's stores may overwrite it.
pub(crate) unsafe fn copy(d: *mut u8, s: *const u8, n: usize) {
    unsafe {
        if n <= 16 {
            copy_small(d, s, n);
        } else if n <= 32 {
            let (a, b) = (load16(s), load16(s.add(n - 16)));
            store16(d, a);
            store16(d.add(n - 16), b);
        } else if n <= 64 {
            let (a, b) = (load16(s), load16(s.add(16)));
            let (c, e) = (load16(s.add(n - 32)), load16(s.add(n - 16)));
            store16(d, a);
            store16(d.add(16), b);
            store16(d.add(n - 32), c);
            store16(d.add(n - 16), e);
        } else if (d as usize).wrapping_sub(s as usize) >= n {
            // `d` is below `s` or past the source: a forward copy reads each byte before
            // overwriting it.
            copy_forward(d, s, n);
        } else {
            copy_backward(d, s, n);
        }
    }
}

/// Up to 16 bytes, as two overlapping loads and stores of the largest width that fits.
#[inline(always)]
unsafe fn copy_small(d: *mut u8, s: *const u8, n: usize) {
    unsafe {
        if n >= 8 {
            let (a, b) = (s.cast::<u64>().read_unaligned(), s.add(n - 8).cast::<u64>());
            let b = b.read_unaligned();
            d.cast::<u64>().write_unaligned(a);
            d.add(n - 8).cast::<u64>().write_unaligned(b);
        } else if n >= 4 {
            let (a, b) = (s.cast::<u32>().read_unaligned(), s.add(n - 4).cast::<u32>());
            let b = b.read_unaligned();
            d.cast::<u32>().write_unaligned(a);
            d.add(n - 4).cast::<u32>().write_unaligned(b);
        } else if n > 0 {
            let (a, b, c) = (*s, *s.add(n / 2), *s.add(n - 1));
            *d = a;
            *d.add(n / 2) = b;
            *d.add(n - 1) = c;
        }
    }
}

/// More than 64 bytes, `d` not inside `s + 1 .. s + n`.
unsafe fn copy_forward(d: *mut u8, s: *const u8, n: usize) {
    unsafe {
        if n >= REP_THRESHOLD {
            // Forward byte order, as the loop below.
            core::arch::asm!(
                "rep movsb",
                inout("rcx") n => _, inout("rdi") d => _, inout("rsi") s => _,
                options(nostack, preserves_flags)
            );
            return;
        }
        let last = load64(s.add(n - 64));
        let mut i = 0;
        while i < n - 64 {
            store64(d.add(i), load64(s.add(i)));
            i += 64;
        }
        store64(d.add(n - 64), last);
    }
}

/// More than 64 bytes, `d` inside `s + 1 .. s + n`.
unsafe fn copy_backward(d: *mut u8, s: *const u8, n: usize) {
    unsafe {
        let first = load64(s);
        let mut end = n;
        while end > 64 {
            store64(d.add(end - 64), load64(s.add(end - 64)));
            end -= 64;
        }
        store64(d, first);
    }
}

/// `memset`, by the same sizes as [`copy`].
pub(crate) unsafe fn fill(d: *mut u8, byte: u8, n: usize) {
    unsafe {
        if n <= 16 {
            let word = u64::from(byte) * 0x0101_0101_0101_0101;
            if n >= 8 {
                d.cast::<u64>().write_unaligned(word);
                d.add(n - 8).cast::<u64>().write_unaligned(word);
            } else if n >= 4 {
                d.cast::<u32>().write_unaligned(word as u32);
                d.add(n - 4).cast::<u32>().write_unaligned(word as u32);
            } else if n > 0 {
                *d = byte;
                *d.add(n / 2) = byte;
                *d.add(n - 1) = byte;
            }
            return;
        }
        let v = _mm_set1_epi8(byte as i8);
        if n <= 32 {
            store16(d, v);
            store16(d.add(n - 16), v);
        } else if n <= 64 {
            store16(d, v);
            store16(d.add(16), v);
            store16(d.add(n - 32), v);
            store16(d.add(n - 16), v);
        } else if n >= REP_THRESHOLD {
            core::arch::asm!(
                "rep stosb",
                inout("rcx") n => _, inout("rdi") d => _, in("al") byte,
                options(nostack, preserves_flags)
            );
        } else {
            let mut i = 0;
            while i < n - 64 {
                store64(d.add(i), [v; 4]);
                i += 64;
            }
            store64(d.add(n - 64), [v; 4]);
        }
    }
}

/// `memcmp`: 16 bytes at a time, the last block overlapping the one before; under 16 bytes,
/// two overlapping words of 8 or 4 bytes, or up to 3 single bytes. Each test finds the first
/// differing byte of its block, and blocks go in address order, so the first difference found
/// is the first of the ranges.
unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> i32 {
    unsafe {
        let diff = |i: usize| i32::from(*a.add(i)) - i32::from(*b.add(i));
        let block16 = |i: usize| {
            let eq = _mm_cmpeq_epi8(load16(a.add(i)), load16(b.add(i)));
            let ne = !(_mm_movemask_epi8(eq) as u32) & 0xffff;
            (ne != 0).then(|| i + ne.trailing_zeros() as usize)
        };
        let word8 = |i: usize| {
            let x = a.add(i).cast::<u64>().read_unaligned();
            let y = b.add(i).cast::<u64>().read_unaligned();
            (x != y).then(|| i + ((x ^ y).trailing_zeros() / 8) as usize)
        };
        let word4 = |i: usize| {
            let x = a.add(i).cast::<u32>().read_unaligned();
            let y = b.add(i).cast::<u32>().read_unaligned();
            (x != y).then(|| i + ((x ^ y).trailing_zeros() / 8) as usize)
        };
        let first = if n >= 16 {
            let mut i = 0;
            let mut found = None;
            while found.is_none() && i + 16 <= n {
                found = block16(i);
                i += 16;
            }
            found.or_else(|| (i < n).then(|| block16(n - 16)).flatten())
        } else if n >= 8 {
            word8(0).or_else(|| word8(n - 8))
        } else if n >= 4 {
            word4(0).or_else(|| word4(n - 4))
        } else {
            (0..n).find(|&i| *a.add(i) != *b.add(i))
        };
        first.map_or(0, diff)
    }
}

/// `strnlen` by aligned 16-byte blocks (an aligned block never crosses a page).
unsafe fn string_length(s: *const u8, max: usize) -> usize {
    unsafe {
        let zero = _mm_setzero_si128();
        let nul_mask =
            |p: *const u8| _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_load_si128(p.cast()), zero)) as u32;
        let skip = s as usize & 15;
        let mut block = s.sub(skip);
        let first = nul_mask(block) >> skip;
        if first != 0 {
            return (first.trailing_zeros() as usize).min(max);
        }
        let mut len = 16 - skip;
        block = block.add(16);
        while len < max {
            let mask = nul_mask(block);
            if mask != 0 {
                return (len + mask.trailing_zeros() as usize).min(max);
            }
            len += 16;
            block = block.add(16);
        }
        max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Routines take the VM context first and do not use it.
    const NO_VMCTX: *mut u8 = std::ptr::null_mut();

    /// A deterministic byte stream (xorshift).
    fn bytes(seed: u64, n: usize) -> Vec<u8> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    /// Lengths around every size class and threshold.
    fn lengths() -> Vec<usize> {
        let mut v: Vec<usize> = (0..=140).collect();
        v.extend([191, 192, 193, 255, 256, 1000, 2047, 2048, 2049, 4096, 5000]);
        v
    }

    #[test]
    fn copy_matches_copy_within_at_every_overlap() {
        for n in lengths() {
            for (src, dst) in [
                (0, 6000),
                (100, 0),
                (0, 1),
                (1, 0),
                (50, 70),
                (70, 50),
                (9, 9),
            ] {
                let mut want = bytes(n as u64, 12000);
                let mut got = want.clone();
                want.copy_within(src..src + n, dst);
                let base = got.as_mut_ptr() as u64;
                // SAFETY: both ranges are inside `got`.
                unsafe { libc_memmove(NO_VMCTX, base + dst as u64, base + src as u64, n as u64) };
                assert!(got == want, "memmove n={n} src={src} dst={dst}");
            }
            let mut want = bytes(n as u64 + 7, 12000);
            let mut got = want.clone();
            want.copy_within(3..3 + n, 6001);
            let base = got.as_mut_ptr() as u64;
            // SAFETY: disjoint ranges inside `got`.
            unsafe { libc_memcpy(NO_VMCTX, base + 6001, base + 3, n as u64) };
            assert!(got == want, "memcpy n={n}");
        }
    }

    #[test]
    fn fill_writes_exactly_the_range() {
        for n in lengths() {
            for start in [0, 1, 7, 15] {
                let mut want = bytes(n as u64, 6000);
                let mut got = want.clone();
                want[start..start + n].fill(0xa5);
                // SAFETY: inside `got`.
                unsafe {
                    libc_memset(
                        NO_VMCTX,
                        got.as_mut_ptr().add(start) as u64,
                        0x1a5,
                        n as u64,
                    )
                };
                assert!(got == want, "memset n={n} start={start}");
            }
        }
    }

    #[test]
    fn compare_returns_the_first_byte_difference() {
        for n in lengths() {
            let a = bytes(3, n + 1);
            // SAFETY: `n` bytes of `a`.
            assert_eq!(
                unsafe { libc_memcmp(NO_VMCTX, a.as_ptr() as u64, a.as_ptr() as u64, n as u64) },
                0
            );
            for at in [0, n / 3, n / 2, n.saturating_sub(1)]
                .into_iter()
                .filter(|&i| i < n)
            {
                let mut b = a.clone();
                b[at] = b[at].wrapping_add(1 + at as u8 % 200);
                b[n] ^= 0xff; // past the range: never looked at
                let want = i32::from(a[at]) - i32::from(b[at]);
                // SAFETY: `n` bytes of each.
                let got = unsafe {
                    libc_memcmp(NO_VMCTX, a.as_ptr() as u64, b.as_ptr() as u64, n as u64)
                };
                assert_eq!(got, want, "memcmp n={n} at={at}");
            }
        }
    }

    #[test]
    fn strnlen_finds_the_first_nul_within_max() {
        // 16-aligned storage, so that blocks before and after the string are inside it.
        let mut storage = vec![0u128; 400];
        // SAFETY: reinterpreting the u128s as bytes.
        let mem =
            unsafe { std::slice::from_raw_parts_mut(storage.as_mut_ptr().cast::<u8>(), 6400) };
        for start in 0..40 {
            for len in [0, 1, 5, 15, 16, 17, 31, 100, 2000] {
                mem.fill(b'x');
                mem[start + len] = 0;
                let s = mem[start..].as_ptr() as u64;
                // SAFETY: within `mem`, whose aligned blocks are all readable.
                let found = |max: usize| unsafe { libc_strnlen(NO_VMCTX, s, max as u64) } as usize;
                assert_eq!(found(6000), len, "start={start} len={len}");
                assert_eq!(found(len + 1), len);
                assert_eq!(found(len), len);
                if len > 0 {
                    assert_eq!(found(len - 1), len - 1, "no NUL within max");
                }
            }
        }
    }
}
