//! Unit tests of `fd.rs`.
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};

use super::*;
use crate::wasi::testutil::{RO, RW, Sandbox, errno, iovec, memory, open, pipe, put, read, write};
use crate::wasi::types::{DIRENT_SIZE, fstflags, oflags};

/// A context whose stdin/stdout/stderr are pipes; returns the other ends.
fn piped() -> (WasiCtx, std::fs::File, std::fs::File, Vec<OwnedFd>) {
    let (in_r, in_w) = pipe();
    let (out_r, out_w) = pipe();
    let ctx = WasiCtx::with_stdio_fds([in_r.as_raw_fd(), out_w.as_raw_fd(), out_w.as_raw_fd()]);
    (
        ctx,
        std::fs::File::from(in_w),
        std::fs::File::from(out_r),
        vec![in_r, out_w],
    )
}

#[test]
fn stdio_goes_straight_to_the_host_fds() {
    let (mut ctx, _stdin, mut stdout, keep) = piped();
    let mut m = memory();
    // Two iovecs, written in order.
    let (a, al) = put(&mut m, 100, b"hello ");
    let (b, bl) = put(&mut m, 200, b"world\n");
    iovec(&mut m, 16, a, al);
    iovec(&mut m, 24, b, bl);
    fd_write(&mut ctx, &mut m, 1, 16, 2, 8).unwrap();
    assert_eq!(mem::read_u32(&m, 8), Ok(12));
    fd_write(&mut ctx, &mut m, 2, 16, 1, 8).unwrap();
    drop(keep);
    drop(ctx);
    let mut got = String::new();
    stdout.read_to_string(&mut got).unwrap();
    assert_eq!(got, "hello world\nhello ");

    let (mut ctx, _, _, _keep) = piped();
    let (mut ctx2, mut w, _, _keep2) = piped();
    w.write_all(b"input").unwrap();
    drop(w);
    assert_eq!(read(&mut ctx2, &mut m, 0, 3).unwrap(), b"inp");
    assert_eq!(read(&mut ctx2, &mut m, 0, 10).unwrap(), b"ut");
    assert_eq!(read(&mut ctx2, &mut m, 0, 10).unwrap(), b"");
    // Wrong directions and positioned I/O.
    assert_eq!(
        write(&mut ctx, &mut m, 0, b"x").map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        read(&mut ctx, &mut m, 1, 1).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        fd_seek(&mut ctx, &mut m, 1, 0, 0, 0).map_err(errno),
        Err(Errno::Spipe)
    );
    assert_eq!(
        fd_tell(&mut ctx, &mut m, 0, 0).map_err(errno),
        Err(Errno::Spipe)
    );
    assert_eq!(
        fd_pwrite(&mut ctx, &mut m, 1, 16, 1, 0, 8).map_err(errno),
        Err(Errno::Spipe)
    );
    assert_eq!(
        fd_pread(&mut ctx, &mut m, 0, 16, 1, 0, 8).map_err(errno),
        Err(Errno::Spipe)
    );
    assert_eq!(
        write(&mut ctx, &mut m, 42, b"x").map_err(errno),
        Err(Errno::Badf)
    );
}

#[test]
fn bad_pointers_fault_without_effect() {
    let (mut ctx, _, mut stdout, keep) = piped();
    let mut m = memory();
    iovec(&mut m, 16, 65530, 10);
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 16, 1, 8).map_err(errno),
        Err(Errno::Fault)
    );
    iovec(&mut m, 16, 100, 4);
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 16, 1, 65533).map_err(errno),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 65532, 1, 8).map_err(errno),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 16, u32::MAX, 8).map_err(errno),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd_read(&mut ctx, &mut m, 0, 65532, 2, 8).map_err(errno),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd_fdstat_get(&mut ctx, &mut m, 1, 65520).map_err(errno),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd_filestat_get(&mut ctx, &mut m, 1, 65500).map_err(errno),
        Err(Errno::Fault)
    );
    drop(keep);
    drop(ctx);
    let mut got = Vec::new();
    stdout.read_to_end(&mut got).unwrap();
    assert!(got.is_empty(), "nothing was written");
}

#[test]
fn fdstat() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    fd_fdstat_get(&mut sb.ctx, &mut m, 3, 0).unwrap();
    assert_eq!(m[0], filetype::DIRECTORY);
    assert_eq!(mem::read_u64(&m, 8), Ok(rights::PREOPEN_BASE));
    assert_eq!(mem::read_u64(&m, 16), Ok(rights::PREOPEN_INHERITING));
    let f = open(
        &mut sb.ctx,
        &mut m,
        3,
        "f",
        0,
        oflags::CREAT,
        RW,
        fdflags::APPEND,
    )
    .unwrap();
    fd_fdstat_get(&mut sb.ctx, &mut m, f, 0).unwrap();
    assert_eq!(m[0], filetype::REGULAR_FILE);
    assert_eq!(mem::read_u16(&m, 2), Ok(fdflags::APPEND));
    assert_eq!(mem::read_u64(&m, 8), Ok(rights::ALL));
    let r = open(&mut sb.ctx, &mut m, 3, "f", 0, 0, RO, 0).unwrap();
    fd_fdstat_get(&mut sb.ctx, &mut m, r, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 8), Ok(rights::ALL & !rights::FD_WRITE));
    let (_, _, _, keep) = piped();
    let mut ctx = WasiCtx::with_stdio_fds([keep[0].as_raw_fd(), keep[1].as_raw_fd(), 2]);
    fd_fdstat_get(&mut ctx, &mut m, 1, 0).unwrap();
    assert_eq!(m[0], filetype::UNKNOWN, "a pipe is not a terminal");
    assert_eq!(mem::read_u64(&m, 8), Ok(rights::FD_WRITE));
    assert_eq!(
        fd_fdstat_get(&mut ctx, &mut m, 9, 0).map_err(errno),
        Err(Errno::Badf)
    );
}

#[test]
fn prestat() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    fd_prestat_get(&mut sb.ctx, &mut m, 3, 0).unwrap();
    assert_eq!(m[0], PREOPENTYPE_DIR);
    assert_eq!(mem::read_u32(&m, 4), Ok(8));
    fd_prestat_dir_name(&mut sb.ctx, &mut m, 3, 100, 8).unwrap();
    assert_eq!(&m[100..109], b"/sandbox\0");
    assert_eq!(
        fd_prestat_dir_name(&mut sb.ctx, &mut m, 3, 100, 7).map_err(errno),
        Err(Errno::Nametoolong)
    );
    assert_eq!(
        fd_prestat_dir_name(&mut sb.ctx, &mut m, 3, 65530, 8).map_err(errno),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd_prestat_get(&mut sb.ctx, &mut m, 0, 0).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        fd_prestat_get(&mut sb.ctx, &mut m, 4, 0).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        fd_prestat_dir_name(&mut sb.ctx, &mut m, 1, 100, 8).map_err(errno),
        Err(Errno::Notdir)
    );
    assert_eq!(
        fd_prestat_dir_name(&mut sb.ctx, &mut m, 4, 100, 8).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        fd_prestat_get(&mut sb.ctx, &mut m, 3, 65530).map_err(errno),
        Err(Errno::Fault)
    );
}

/// Lists a directory the way wasi-libc's `readdir` does: fill a buffer, parse whole
/// entries, resume from the last complete entry's `d_next`, grow the buffer when not even
/// one entry fits.
fn list_all(ctx: &mut WasiCtx, m: &mut [u8], fd: u32, mut buf_len: u32) -> Vec<(Vec<u8>, u8, u64)> {
    let mut out = Vec::new();
    let mut cookie = 0u64;
    loop {
        fd_readdir(ctx, m, fd, 1000, buf_len, cookie, 0).unwrap();
        let used = mem::read_u32(m, 0).unwrap() as usize;
        let buf = m[1000..1000 + used].to_vec();
        let mut at = 0;
        let mut progressed = false;
        while at + DIRENT_SIZE <= buf.len() {
            let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
            if at + DIRENT_SIZE + namlen > buf.len() {
                break;
            }
            let d_next = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
            let name = buf[at + DIRENT_SIZE..at + DIRENT_SIZE + namlen].to_vec();
            out.push((name, buf[at + 20], d_next));
            cookie = d_next;
            at += DIRENT_SIZE + namlen;
            progressed = true;
        }
        if used < buf_len as usize {
            return out;
        }
        if !progressed {
            buf_len *= 2;
        }
    }
}

#[test]
fn readdir_resumes_exactly_with_many_entries() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    let mut expected = Vec::new();
    for i in 0..300 {
        let name = format!("file-{i:03}-{}", "x".repeat(i % 40));
        std::fs::write(sb.host(&name), b"").unwrap();
        expected.push(name.into_bytes());
    }
    std::fs::create_dir(sb.host("subdir")).unwrap();
    std::os::unix::fs::symlink("nowhere", sb.host("link")).unwrap();
    expected.extend([
        b"subdir".to_vec(),
        b"link".to_vec(),
        b".".to_vec(),
        b"..".to_vec(),
    ]);
    expected.sort();
    for buf_len in [30, 64, 200, 4096, 60000] {
        let entries = list_all(&mut sb.ctx, &mut m, 3, buf_len);
        let mut names: Vec<_> = entries.iter().map(|e| e.0.clone()).collect();
        assert_eq!(entries[0].0, b".");
        assert_eq!(entries[1].0, b"..");
        // Cookies count entries.
        for (i, e) in entries.iter().enumerate() {
            assert_eq!(e.2, i as u64 + 1);
        }
        names.sort();
        assert_eq!(names, expected, "buffer {buf_len}");
        let ty = |n: &[u8]| entries.iter().find(|e| e.0 == n).unwrap().1;
        assert_eq!(ty(b"subdir"), filetype::DIRECTORY);
        assert_eq!(ty(b"link"), filetype::SYMBOLIC_LINK);
        assert_eq!(ty(b"file-000-"), filetype::REGULAR_FILE);
    }
}

#[test]
fn readdir_truncates_the_last_entry() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    std::fs::write(sb.host("abcdef"), b"").unwrap();
    // Cookie 2 skips `.` and `..`; the one real entry is 24 + 6 bytes.
    fd_readdir(&mut sb.ctx, &mut m, 3, 1000, 30, 2, 0).unwrap();
    assert_eq!(mem::read_u32(&m, 0), Ok(30));
    let full: Vec<u8> = m[1000..1030].to_vec();
    assert_eq!(&full[24..], b"abcdef");
    m[1000..1100].fill(0xaa);
    fd_readdir(&mut sb.ctx, &mut m, 3, 1000, 27, 2, 0).unwrap();
    assert_eq!(mem::read_u32(&m, 0), Ok(27));
    assert_eq!(&m[1000..1027], &full[..27]);
    assert_eq!(m[1027], 0xaa, "nothing past buf_len");
    fd_readdir(&mut sb.ctx, &mut m, 3, 1000, 10, 2, 0).unwrap();
    assert_eq!(mem::read_u32(&m, 0), Ok(10));
    assert_eq!(&m[1000..1010], &full[..10]);
    // Past the end: nothing.
    fd_readdir(&mut sb.ctx, &mut m, 3, 1000, 100, 3, 0).unwrap();
    assert_eq!(mem::read_u32(&m, 0), Ok(0));
    fd_readdir(&mut sb.ctx, &mut m, 3, 1000, 100, u64::MAX, 0).unwrap();
    assert_eq!(mem::read_u32(&m, 0), Ok(0));
    // Errors.
    assert_eq!(
        fd_readdir(&mut sb.ctx, &mut m, 3, 65500, 100, 0, 0).map_err(errno),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd_readdir(&mut sb.ctx, &mut m, 1, 1000, 100, 0, 0).map_err(errno),
        Err(Errno::Badf)
    );
    let f = open(&mut sb.ctx, &mut m, 3, "abcdef", 0, 0, RO, 0).unwrap();
    assert_eq!(
        fd_readdir(&mut sb.ctx, &mut m, f, 1000, 100, 0, 0).map_err(errno),
        Err(Errno::Badf)
    );
}

#[test]
fn seek_tell_pread_pwrite() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    let f = open(&mut sb.ctx, &mut m, 3, "f", 0, oflags::CREAT, RW, 0).unwrap();
    write(&mut sb.ctx, &mut m, f, b"0123456789").unwrap();
    fd_tell(&mut sb.ctx, &mut m, f, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 0), Ok(10));
    fd_seek(&mut sb.ctx, &mut m, f, 2, u32::from(whence::SET), 0).unwrap();
    assert_eq!(mem::read_u64(&m, 0), Ok(2));
    assert_eq!(read(&mut sb.ctx, &mut m, f, 3).unwrap(), b"234");
    fd_seek(
        &mut sb.ctx,
        &mut m,
        f,
        (-2i64) as u64,
        u32::from(whence::CUR),
        0,
    )
    .unwrap();
    assert_eq!(mem::read_u64(&m, 0), Ok(3));
    fd_seek(
        &mut sb.ctx,
        &mut m,
        f,
        (-1i64) as u64,
        u32::from(whence::END),
        0,
    )
    .unwrap();
    assert_eq!(mem::read_u64(&m, 0), Ok(9));
    assert_eq!(
        fd_seek(
            &mut sb.ctx,
            &mut m,
            f,
            (-1i64) as u64,
            u32::from(whence::SET),
            0
        )
        .map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd_seek(
            &mut sb.ctx,
            &mut m,
            f,
            (-100i64) as u64,
            u32::from(whence::CUR),
            0
        )
        .map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd_seek(&mut sb.ctx, &mut m, f, 0, 3, 0).map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd_seek(&mut sb.ctx, &mut m, f, 0, 0, 65530).map_err(errno),
        Err(Errno::Fault)
    );
    assert_eq!(
        fd_seek(&mut sb.ctx, &mut m, 3, 0, 0, 0).map_err(errno),
        Err(Errno::Badf)
    );
    // Seeking past the end is allowed.
    fd_seek(&mut sb.ctx, &mut m, f, 100, 0, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 0), Ok(100));

    let (p, l) = put(&mut m, 100, b"AB");
    iovec(&mut m, 16, p, l);
    fd_pwrite(&mut sb.ctx, &mut m, f, 16, 1, 4, 8).unwrap();
    assert_eq!(mem::read_u32(&m, 8), Ok(2));
    iovec(&mut m, 16, 200, 4);
    fd_pread(&mut sb.ctx, &mut m, f, 16, 1, 3, 8).unwrap();
    assert_eq!(&m[200..204], b"3AB6");
    // Positioned I/O left the position alone.
    fd_tell(&mut sb.ctx, &mut m, f, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 0), Ok(100));
    assert_eq!(
        fd_pread(&mut sb.ctx, &mut m, f, 16, 1, u64::MAX, 8).map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd_pread(&mut sb.ctx, &mut m, 3, 16, 1, 0, 8).map_err(errno),
        Err(Errno::Badf)
    );
}

#[test]
fn append_mode() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    std::fs::write(sb.host("log"), b"one\n").unwrap();
    let f = open(&mut sb.ctx, &mut m, 3, "log", 0, 0, RW, fdflags::APPEND).unwrap();
    write(&mut sb.ctx, &mut m, f, b"two\n").unwrap();
    assert_eq!(std::fs::read(sb.host("log")).unwrap(), b"one\ntwo\n");
    // Turning append off writes at the position again.
    fd_fdstat_set_flags(&mut sb.ctx, &mut m, f, 0).unwrap();
    fd_seek(&mut sb.ctx, &mut m, f, 0, 0, 0).unwrap();
    write(&mut sb.ctx, &mut m, f, b"ONE").unwrap();
    assert_eq!(std::fs::read(sb.host("log")).unwrap(), b"ONE\ntwo\n");
    fd_fdstat_set_flags(&mut sb.ctx, &mut m, f, u32::from(fdflags::APPEND)).unwrap();
    fd_fdstat_get(&mut sb.ctx, &mut m, f, 0).unwrap();
    assert_eq!(mem::read_u16(&m, 2), Ok(fdflags::APPEND));
    write(&mut sb.ctx, &mut m, f, b"3\n").unwrap();
    assert_eq!(std::fs::read(sb.host("log")).unwrap(), b"ONE\ntwo\n3\n");
    assert_eq!(
        fd_fdstat_set_flags(&mut sb.ctx, &mut m, f, u32::from(fdflags::SYNC)).map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd_fdstat_set_flags(&mut sb.ctx, &mut m, f, 0x20).map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd_fdstat_set_flags(&mut sb.ctx, &mut m, 1, 0).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        fd_fdstat_set_flags(&mut sb.ctx, &mut m, 3, 0).map_err(errno),
        Err(Errno::Badf)
    );
}

#[test]
fn size_allocate_times_sync() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    let f = open(&mut sb.ctx, &mut m, 3, "f", 0, oflags::CREAT, RW, 0).unwrap();
    fd_allocate(&mut sb.ctx, &mut m, f, 0, 5000).unwrap();
    assert_eq!(std::fs::metadata(sb.host("f")).unwrap().len(), 5000);
    fd_filestat_set_size(&mut sb.ctx, &mut m, f, 10).unwrap();
    fd_filestat_get(&mut sb.ctx, &mut m, f, 0).unwrap();
    assert_eq!(m[16], filetype::REGULAR_FILE);
    assert_eq!(mem::read_u64(&m, 32), Ok(10));
    assert_eq!(
        fd_allocate(&mut sb.ctx, &mut m, f, u64::MAX, 1).map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd_allocate(&mut sb.ctx, &mut m, f, i64::MAX as u64, 1).map_err(errno),
        Err(Errno::Fbig)
    );
    assert_eq!(
        fd_allocate(&mut sb.ctx, &mut m, 3, 0, 1).map_err(errno),
        Err(Errno::Badf)
    );
    fd_filestat_set_times(
        &mut sb.ctx,
        &mut m,
        f,
        5_000_000_007,
        0,
        u32::from(fstflags::ATIM),
    )
    .unwrap();
    fd_filestat_get(&mut sb.ctx, &mut m, f, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 40), Ok(5_000_000_007));
    assert_eq!(
        fd_filestat_set_times(
            &mut sb.ctx,
            &mut m,
            f,
            0,
            0,
            u32::from(fstflags::ATIM | fstflags::ATIM_NOW)
        )
        .map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        fd_filestat_set_times(&mut sb.ctx, &mut m, 1, 0, 0, 0).map_err(errno),
        Err(Errno::Badf)
    );
    fd_sync(&mut sb.ctx, &mut m, f).unwrap();
    fd_datasync(&mut sb.ctx, &mut m, f).unwrap();
    assert_eq!(
        fd_sync(&mut sb.ctx, &mut m, 3).map_err(errno),
        Err(Errno::Badf)
    );
    fd_advise(&mut sb.ctx, &mut m, f, 0, 10, 1).unwrap();
    assert_eq!(
        fd_advise(&mut sb.ctx, &mut m, f, 0, 10, 6).map_err(errno),
        Err(Errno::Inval)
    );
    // A read-only descriptor cannot change the size (`ftruncate` says `inval`, as wasmtime
    // does), but can change the times (wasmtime 48 and 50 too).
    let r = open(&mut sb.ctx, &mut m, 3, "f", 0, 0, RO, 0).unwrap();
    assert_eq!(
        fd_filestat_set_size(&mut sb.ctx, &mut m, r, 0).map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(std::fs::metadata(sb.host("f")).unwrap().len(), 10);
    fd_filestat_set_times(
        &mut sb.ctx,
        &mut m,
        r,
        0,
        7_000_000_000,
        u32::from(fstflags::MTIM),
    )
    .unwrap();
    fd_filestat_get(&mut sb.ctx, &mut m, r, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 48), Ok(7_000_000_000));
    // Stdio stats are zeros.
    fd_filestat_get(&mut sb.ctx, &mut m, 0, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 32), Ok(0));
}

#[test]
fn rights_can_only_shrink_and_are_enforced() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    let f = open(&mut sb.ctx, &mut m, 3, "f", 0, oflags::CREAT, RW, 0).unwrap();
    let fewer = rights::ALL & !(rights::FD_WRITE | rights::FD_SEEK);
    fd_fdstat_set_rights(&mut sb.ctx, &mut m, f, fewer, fewer).unwrap();
    assert_eq!(
        write(&mut sb.ctx, &mut m, f, b"x").map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        fd_seek(&mut sb.ctx, &mut m, f, 1, 0, 0).map_err(errno),
        Err(Errno::Notcapable)
    );
    fd_seek(&mut sb.ctx, &mut m, f, 0, u32::from(whence::CUR), 0).unwrap();
    assert_eq!(
        fd_fdstat_set_rights(&mut sb.ctx, &mut m, f, rights::ALL, fewer).map_err(errno),
        Err(Errno::Notcapable)
    );
    fd_fdstat_get(&mut sb.ctx, &mut m, f, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 8), Ok(fewer));
    // A preopen whose inheriting rights lost `fd_write` opens files without it.
    let base = rights::PREOPEN_BASE;
    fd_fdstat_set_rights(
        &mut sb.ctx,
        &mut m,
        3,
        base,
        rights::PREOPEN_INHERITING & !rights::FD_WRITE,
    )
    .unwrap();
    let g = open(&mut sb.ctx, &mut m, 3, "f", 0, 0, RW, 0).unwrap();
    assert_eq!(
        write(&mut sb.ctx, &mut m, g, b"x").map_err(errno),
        Err(Errno::Badf)
    );
    // And without `path_open` it opens nothing.
    fd_fdstat_set_rights(&mut sb.ctx, &mut m, 3, base & !rights::PATH_OPEN, 0).unwrap();
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "f", 0, 0, RO, 0).map_err(errno),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        fd_fdstat_set_rights(&mut sb.ctx, &mut m, 1, 0, 0).map_err(errno),
        Err(Errno::Badf)
    );
}

#[test]
fn close_and_renumber() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    let f = open(&mut sb.ctx, &mut m, 3, "f", 0, oflags::CREAT, RW, 0).unwrap();
    fd_renumber(&mut sb.ctx, &mut m, f, 1).unwrap();
    assert_eq!(write(&mut sb.ctx, &mut m, 1, b"to file"), Ok(7));
    assert_eq!(std::fs::read(sb.host("f")).unwrap(), b"to file");
    assert_eq!(
        fd_close(&mut sb.ctx, &mut m, f).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        fd_renumber(&mut sb.ctx, &mut m, 50, 1).map_err(errno),
        Err(Errno::Badf)
    );
    // Onto a number that is not open: `badf` (wasmtime), and stdout stays where it is.
    assert_eq!(
        fd_renumber(&mut sb.ctx, &mut m, 1, 50).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(write(&mut sb.ctx, &mut m, 1, b"!"), Ok(1));
    assert_eq!(std::fs::read(sb.host("f")).unwrap(), b"to file!");
    fd_close(&mut sb.ctx, &mut m, 1).unwrap();
    assert_eq!(
        fd_close(&mut sb.ctx, &mut m, 1).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        write(&mut sb.ctx, &mut m, 1, b"x").map_err(errno),
        Err(Errno::Badf)
    );
    // Closing a preopen is allowed (wasmtime).
    fd_close(&mut sb.ctx, &mut m, 3).unwrap();
    assert_eq!(
        fd_prestat_get(&mut sb.ctx, &mut m, 3, 0).map_err(errno),
        Err(Errno::Badf)
    );
}
