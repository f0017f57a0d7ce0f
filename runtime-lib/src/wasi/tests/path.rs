//! Unit tests of `path.rs`.
use std::os::unix::fs::symlink;

use super::*;
use crate::wasi::fd::fd_close;
use crate::wasi::testutil::{RO, RW, Sandbox, errno, memory, open, put, read, write};
use crate::wasi::types::{filetype, fstflags};

const FOLLOW: u32 = lookupflags::SYMLINK_FOLLOW;

/// The path of the "outside" directory as seen from the sandbox root with `..`.
fn up_to_outside(sb: &Sandbox, file: &str) -> String {
    let name = sb.outside.path().file_name().unwrap().to_str().unwrap();
    format!("../{name}/{file}")
}

fn outside_untouched(sb: &Sandbox) {
    let mut names: Vec<_> = std::fs::read_dir(sb.outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, vec![std::ffi::OsString::from("secret")]);
    assert_eq!(
        std::fs::read(sb.outside.path().join("secret")).unwrap(),
        b"secret"
    );
}

#[test]
fn create_write_read_back() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    let fd = open(&mut sb.ctx, &mut m, 3, "f.txt", 0, oflags::CREAT, RW, 0).unwrap();
    assert_eq!(fd, 4);
    assert_eq!(write(&mut sb.ctx, &mut m, fd, b"hello"), Ok(5));
    assert_eq!(std::fs::read(sb.host("f.txt")).unwrap(), b"hello");
    let fd2 = open(&mut sb.ctx, &mut m, 3, "./f.txt", 0, 0, RO, 0).unwrap();
    assert_eq!(read(&mut sb.ctx, &mut m, fd2, 100).unwrap(), b"hello");
    // Read-only descriptors cannot write, write-only ones cannot read.
    assert_eq!(
        write(&mut sb.ctx, &mut m, fd2, b"x").map_err(errno),
        Err(Errno::Badf)
    );
    let wo = RW & !rights::FD_READ;
    let fd3 = open(&mut sb.ctx, &mut m, 3, "f.txt", 0, 0, wo, 0).unwrap();
    assert_eq!(
        read(&mut sb.ctx, &mut m, fd3, 1).map_err(errno),
        Err(Errno::Badf)
    );
    // Neither `fd_read` nor `fd_write` asked for: open for reading (wasmtime).
    let fd5 = open(&mut sb.ctx, &mut m, 3, "f.txt", 0, 0, 0, 0).unwrap();
    assert_eq!(read(&mut sb.ctx, &mut m, fd5, 100).unwrap(), b"hello");
    crate::wasi::fd::fd_fdstat_get(&mut sb.ctx, &mut m, fd5, 0).unwrap();
    assert_eq!(
        mem::read_u64(&m, 8),
        Ok(RO),
        "the rights of a read-only file"
    );
    // A directory reports the same base and inheriting rights, whatever was asked for.
    let d = open(&mut sb.ctx, &mut m, 3, ".", 0, oflags::DIRECTORY, 0, 0).unwrap();
    crate::wasi::fd::fd_fdstat_get(&mut sb.ctx, &mut m, d, 0).unwrap();
    let dir_rights =
        RO & !(rights::FD_SEEK | rights::FD_FILESTAT_SET_SIZE | rights::PATH_FILESTAT_SET_SIZE);
    assert_eq!(mem::read_u64(&m, 8), Ok(dir_rights));
    assert_eq!(mem::read_u64(&m, 16), Ok(dir_rights));
    // EXCL on an existing file.
    assert_eq!(
        open(
            &mut sb.ctx,
            &mut m,
            3,
            "f.txt",
            0,
            oflags::CREAT | oflags::EXCL,
            RW,
            0
        )
        .map_err(errno),
        Err(Errno::Exist)
    );
    // TRUNC empties it.
    let fd4 = open(&mut sb.ctx, &mut m, 3, "f.txt", 0, oflags::TRUNC, RW, 0).unwrap();
    assert_eq!(std::fs::read(sb.host("f.txt")).unwrap(), b"");
    fd_close(&mut sb.ctx, &mut m, fd4).unwrap();
}

#[test]
fn open_errors() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    std::fs::write(sb.host("file"), b"x").unwrap();
    std::fs::create_dir(sb.host("dir")).unwrap();
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "missing", 0, 0, RO, 0).map_err(errno),
        Err(Errno::Noent)
    );
    assert_eq!(
        open(&mut sb.ctx, &mut m, 9, "file", 0, 0, RO, 0).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        open(&mut sb.ctx, &mut m, 1, "file", 0, 0, RO, 0).map_err(errno),
        Err(Errno::Badf)
    );
    // Trailing slash on a non-directory, and `directory` on a file.
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "file/", 0, 0, RO, 0).map_err(errno),
        Err(Errno::Notdir)
    );
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "file", 0, oflags::DIRECTORY, RO, 0).map_err(errno),
        Err(Errno::Notdir)
    );
    assert_eq!(
        open(
            &mut sb.ctx,
            &mut m,
            3,
            "d2",
            0,
            oflags::DIRECTORY | oflags::CREAT,
            RO,
            0
        )
        .map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "file", 0, 0, RO, fdflags::SYNC).map_err(errno),
        Err(Errno::Notsup)
    );
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "file", 0, 0x10, RO, 0).map_err(errno),
        Err(Errno::Inval)
    );
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "file", 2, 0, RO, 0).map_err(errno),
        Err(Errno::Inval)
    );
    // Opening relative to a file.
    let f = open(&mut sb.ctx, &mut m, 3, "file", 0, 0, RO, 0).unwrap();
    assert_eq!(
        open(&mut sb.ctx, &mut m, f, "x", 0, 0, RO, 0).map_err(errno),
        Err(Errno::Notdir)
    );
    // A directory opens as a directory, and paths resolve beneath it.
    let d = open(&mut sb.ctx, &mut m, 3, "dir", 0, oflags::DIRECTORY, RO, 0).unwrap();
    assert!(matches!(sb.ctx.fds.get(d).unwrap().kind, Kind::Dir(_)));
    assert!(open(&mut sb.ctx, &mut m, d, ".", 0, 0, RO, 0).is_ok());
    // Every directory descriptor is its own sandbox (cap-std, as in wasmtime): `..` cannot
    // leave it even when the parent is inside the preopen.
    assert_eq!(
        open(&mut sb.ctx, &mut m, d, "../file", 0, 0, RO, 0).map_err(errno),
        Err(Errno::Perm)
    );
    // Writing a directory is `isdir`.
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "dir", 0, 0, RW, 0).map_err(errno),
        Err(Errno::Isdir)
    );
    // Bad pointers and bad UTF-8.
    assert_eq!(
        path_open(&mut sb.ctx, &mut m, 3, 0, 65530, 10, 0, RO, RO, 0, 0).map_err(errno),
        Err(Errno::Fault)
    );
    let (p, l) = put(&mut m, 100, b"\xff");
    assert_eq!(
        path_open(&mut sb.ctx, &mut m, 3, 0, p, l, 0, RO, RO, 0, 0).map_err(errno),
        Err(Errno::Ilseq)
    );
    let (p, l) = put(&mut m, 100, b"file");
    assert_eq!(
        path_open(&mut sb.ctx, &mut m, 3, 0, p, l, 0, RO, RO, 0, 65534).map_err(errno),
        Err(Errno::Fault)
    );
}

#[test]
fn dotdot_and_absolute_paths_cannot_escape() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    std::fs::create_dir(sb.host("sub")).unwrap();
    let out = up_to_outside(&sb, "secret");
    let abs = sb
        .outside
        .path()
        .join("secret")
        .to_str()
        .unwrap()
        .to_owned();
    for path in [
        out.as_str(),
        "..",
        "sub/../..",
        "sub/../../x",
        abs.as_str(),
        "/etc/passwd",
        "/",
    ] {
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, path, FOLLOW, 0, RO, 0).map_err(errno),
            Err(Errno::Perm),
            "{path}"
        );
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, path, FOLLOW, oflags::CREAT, RW, 0).map_err(errno),
            Err(Errno::Perm),
            "{path}"
        );
    }
    let new_out = up_to_outside(&sb, "new");
    let (p, l) = put(&mut m, 100, new_out.as_bytes());
    assert_eq!(
        path_create_directory(&mut sb.ctx, &mut m, 3, p, l).map_err(errno),
        Err(Errno::Perm)
    );
    let (p, l) = put(&mut m, 100, out.as_bytes());
    assert_eq!(
        path_unlink_file(&mut sb.ctx, &mut m, 3, p, l).map_err(errno),
        Err(Errno::Perm)
    );
    assert_eq!(
        path_filestat_get(&mut sb.ctx, &mut m, 3, FOLLOW, p, l, 0).map_err(errno),
        Err(Errno::Perm)
    );
    // `..` inside the sandbox is fine.
    std::fs::write(sb.host("top"), b"t").unwrap();
    assert!(open(&mut sb.ctx, &mut m, 3, "sub/../top", FOLLOW, 0, RO, 0).is_ok());
    outside_untouched(&sb);
}

#[test]
fn symlinks_cannot_escape() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    let secret = sb.outside.path().join("secret");
    std::fs::write(sb.host("file"), b"inside").unwrap();
    symlink(&secret, sb.host("abs_out")).unwrap();
    symlink(up_to_outside(&sb, "secret"), sb.host("rel_out")).unwrap();
    symlink(sb.outside.path(), sb.host("dir_out")).unwrap();
    symlink("file", sb.host("in")).unwrap();
    // A chain that stays inside, and one whose last hop leaves.
    symlink("c2", sb.host("c1")).unwrap();
    symlink("c3", sb.host("c2")).unwrap();
    symlink("file", sb.host("c3")).unwrap();
    symlink("e2", sb.host("e1")).unwrap();
    symlink("rel_out", sb.host("e2")).unwrap();
    // A loop and a dangling link, inside and pointing outside.
    symlink("l2", sb.host("l1")).unwrap();
    symlink("l1", sb.host("l2")).unwrap();
    symlink("nowhere", sb.host("dangling")).unwrap();
    let dangling_out = sb.outside.path().join("created");
    symlink(&dangling_out, sb.host("dangling_out")).unwrap();
    symlink(up_to_outside(&sb, "created2"), sb.host("dangling_rel_out")).unwrap();

    for path in ["abs_out", "rel_out", "dir_out/secret", "e1", "dir_out/../x"] {
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, path, FOLLOW, 0, RO, 0).map_err(errno),
            Err(Errno::Perm),
            "{path}"
        );
    }
    for path in ["dangling_out", "dangling_rel_out", "dir_out/new"] {
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, path, FOLLOW, oflags::CREAT, RW, 0).map_err(errno),
            Err(Errno::Perm),
            "{path}"
        );
    }
    let (p, l) = put(&mut m, 100, b"dir_out/newdir");
    assert_eq!(
        path_create_directory(&mut sb.ctx, &mut m, 3, p, l).map_err(errno),
        Err(Errno::Perm)
    );
    let (p, l) = put(&mut m, 100, b"dir_out/secret");
    assert_eq!(
        path_unlink_file(&mut sb.ctx, &mut m, 3, p, l).map_err(errno),
        Err(Errno::Perm)
    );
    let (p, l) = put(&mut m, 100, b"abs_out");
    assert_eq!(
        path_filestat_get(&mut sb.ctx, &mut m, 3, FOLLOW, p, l, 0).map_err(errno),
        Err(Errno::Perm)
    );
    // Not following: the link itself is inside and can be examined.
    path_filestat_get(&mut sb.ctx, &mut m, 3, 0, p, l, 0).unwrap();
    assert_eq!(m[16], filetype::SYMBOLIC_LINK);
    outside_untouched(&sb);

    // Inside links work; a final symlink without `symlink_follow` is `loop`.
    for path in ["in", "c1"] {
        let fd = open(&mut sb.ctx, &mut m, 3, path, FOLLOW, 0, RO, 0).unwrap();
        assert_eq!(read(&mut sb.ctx, &mut m, fd, 10).unwrap(), b"inside");
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, path, 0, 0, RO, 0).map_err(errno),
            Err(Errno::Loop)
        );
    }
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "l1", FOLLOW, 0, RO, 0).map_err(errno),
        Err(Errno::Loop)
    );
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "dangling", FOLLOW, 0, RO, 0).map_err(errno),
        Err(Errno::Noent)
    );
    // Creating through an inside dangling link creates its target inside.
    assert!(
        open(
            &mut sb.ctx,
            &mut m,
            3,
            "dangling",
            FOLLOW,
            oflags::CREAT,
            RW,
            0
        )
        .is_ok()
    );
    assert!(sb.host("nowhere").exists());
}

#[test]
fn rename_and_link_cannot_leave() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    std::fs::write(sb.host("file"), b"inside").unwrap();
    symlink(sb.outside.path(), sb.host("dir_out")).unwrap();
    let out = up_to_outside(&sb, "stolen");
    let abs = sb
        .outside
        .path()
        .join("stolen")
        .to_str()
        .unwrap()
        .to_owned();
    for target in [out.as_str(), abs.as_str(), "dir_out/stolen"] {
        let (op, ol) = put(&mut m, 100, b"file");
        let (np, nl) = put(&mut m, 200, target.as_bytes());
        assert_eq!(
            path_rename(&mut sb.ctx, &mut m, 3, op, ol, 3, np, nl).map_err(errno),
            Err(Errno::Perm),
            "{target}"
        );
        assert_eq!(
            path_link(&mut sb.ctx, &mut m, 3, 0, op, ol, 3, np, nl).map_err(errno),
            Err(Errno::Perm),
            "{target}"
        );
        // Nor can something outside be brought in.
        assert_eq!(
            path_rename(&mut sb.ctx, &mut m, 3, np, nl, 3, op, ol).map_err(errno),
            Err(Errno::Perm),
            "{target}"
        );
    }
    let secret = up_to_outside(&sb, "secret");
    let (op, ol) = put(&mut m, 100, secret.as_bytes());
    let (np, nl) = put(&mut m, 300, b"copy");
    assert_eq!(
        path_link(&mut sb.ctx, &mut m, 3, 0, op, ol, 3, np, nl).map_err(errno),
        Err(Errno::Perm)
    );
    assert_eq!(
        path_rename(&mut sb.ctx, &mut m, 3, op, ol, 3, np, nl).map_err(errno),
        Err(Errno::Perm)
    );
    assert_eq!(std::fs::read(sb.host("file")).unwrap(), b"inside");
    assert!(!sb.host("copy").exists());
    outside_untouched(&sb);

    // Inside, both work; following a link source is `inval` (wasmtime).
    let (op, ol) = put(&mut m, 100, b"file");
    let (np, nl) = put(&mut m, 200, b"hard");
    path_link(&mut sb.ctx, &mut m, 3, 0, op, ol, 3, np, nl).unwrap();
    assert_eq!(
        path_link(&mut sb.ctx, &mut m, 3, FOLLOW, op, ol, 3, 300, 1).map_err(errno),
        Err(Errno::Inval)
    );
    let (np, nl) = put(&mut m, 200, b"moved");
    path_rename(&mut sb.ctx, &mut m, 3, op, ol, 3, np, nl).unwrap();
    assert_eq!(std::fs::read(sb.host("moved")).unwrap(), b"inside");
    assert_eq!(std::fs::read(sb.host("hard")).unwrap(), b"inside");
}

#[test]
fn symlink_creation() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    std::fs::write(sb.host("file"), b"x").unwrap();
    // Absolute targets are refused; relative ones that leave can exist but not be followed.
    let (op, ol) = put(&mut m, 100, b"/etc/passwd");
    let (np, nl) = put(&mut m, 200, b"l");
    assert_eq!(
        path_symlink(&mut sb.ctx, &mut m, op, ol, 3, np, nl).map_err(errno),
        Err(Errno::Perm)
    );
    assert!(std::fs::symlink_metadata(sb.host("l")).is_err());
    let (op, ol) = put(&mut m, 100, b"../../../etc/passwd");
    path_symlink(&mut sb.ctx, &mut m, op, ol, 3, np, nl).unwrap();
    assert_eq!(
        open(&mut sb.ctx, &mut m, 3, "l", FOLLOW, 0, RO, 0).map_err(errno),
        Err(Errno::Perm)
    );
    // The link cannot be created outside either.
    let out = up_to_outside(&sb, "l");
    let (op, ol) = put(&mut m, 100, b"file");
    let (np, nl) = put(&mut m, 200, out.as_bytes());
    assert_eq!(
        path_symlink(&mut sb.ctx, &mut m, op, ol, 3, np, nl).map_err(errno),
        Err(Errno::Perm)
    );
    outside_untouched(&sb);
    // readlink, with truncation.
    let (np, nl) = put(&mut m, 200, b"good");
    path_symlink(&mut sb.ctx, &mut m, op, ol, 3, np, nl).unwrap();
    path_readlink(&mut sb.ctx, &mut m, 3, np, nl, 1000, 100, 0).unwrap();
    assert_eq!(crate::wasi::mem::read_u32(&m, 0), Ok(4));
    assert_eq!(&m[1000..1004], b"file");
    path_readlink(&mut sb.ctx, &mut m, 3, np, nl, 2000, 2, 0).unwrap();
    assert_eq!(crate::wasi::mem::read_u32(&m, 0), Ok(2));
    assert_eq!(&m[2000..2003], b"fi\0");
    assert_eq!(
        path_readlink(&mut sb.ctx, &mut m, 3, np, nl, 65535, 2, 0).map_err(errno),
        Err(Errno::Fault)
    );
    let (fp, fl) = put(&mut m, 200, b"file");
    assert_eq!(
        path_readlink(&mut sb.ctx, &mut m, 3, fp, fl, 1000, 10, 0).map_err(errno),
        Err(Errno::Inval)
    );
    // An existing name is `exist`.
    assert_eq!(
        path_symlink(&mut sb.ctx, &mut m, op, ol, 3, fp, fl).map_err(errno),
        Err(Errno::Exist)
    );
}

#[test]
fn directories() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    let (p, l) = put(&mut m, 100, b"d");
    path_create_directory(&mut sb.ctx, &mut m, 3, p, l).unwrap();
    assert!(sb.host("d").is_dir());
    assert_eq!(
        path_create_directory(&mut sb.ctx, &mut m, 3, p, l).map_err(errno),
        Err(Errno::Exist)
    );
    std::fs::write(sb.host("d/f"), b"").unwrap();
    assert_eq!(
        path_remove_directory(&mut sb.ctx, &mut m, 3, p, l).map_err(errno),
        Err(Errno::Notempty)
    );
    let (fp, fl) = put(&mut m, 200, b"d/f");
    assert_eq!(
        path_remove_directory(&mut sb.ctx, &mut m, 3, fp, fl).map_err(errno),
        Err(Errno::Notdir)
    );
    assert_eq!(
        path_unlink_file(&mut sb.ctx, &mut m, 3, p, l).map_err(errno),
        Err(Errno::Isdir)
    );
    let (tp, tl) = put(&mut m, 200, b"d/f/");
    assert_eq!(
        path_unlink_file(&mut sb.ctx, &mut m, 3, tp, tl).map_err(errno),
        Err(Errno::Notdir)
    );
    path_unlink_file(&mut sb.ctx, &mut m, 3, fp, fl).unwrap();
    path_remove_directory(&mut sb.ctx, &mut m, 3, p, l).unwrap();
    assert!(!sb.host("d").exists());
    // Path functions need a directory descriptor.
    assert_eq!(
        path_create_directory(&mut sb.ctx, &mut m, 1, p, l).map_err(errno),
        Err(Errno::Badf)
    );
    assert_eq!(
        path_create_directory(&mut sb.ctx, &mut m, 77, p, l).map_err(errno),
        Err(Errno::Badf)
    );
}

#[test]
fn filestat_and_times() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    std::fs::write(sb.host("f"), b"12345").unwrap();
    let (p, l) = put(&mut m, 100, b"f");
    path_filestat_get(&mut sb.ctx, &mut m, 3, 0, p, l, 0).unwrap();
    let st = std::fs::metadata(sb.host("f")).unwrap();
    use std::os::unix::fs::MetadataExt as _;
    assert_eq!(crate::wasi::mem::read_u64(&m, 8), Ok(st.ino()));
    assert_eq!(m[16], filetype::REGULAR_FILE);
    assert_eq!(crate::wasi::mem::read_u64(&m, 24), Ok(1));
    assert_eq!(crate::wasi::mem::read_u64(&m, 32), Ok(5));
    assert_eq!(
        path_filestat_get(&mut sb.ctx, &mut m, 3, 0, p, l, 65500).map_err(errno),
        Err(Errno::Fault)
    );
    let (tp, tl) = put(&mut m, 200, b"f/");
    assert_eq!(
        path_filestat_get(&mut sb.ctx, &mut m, 3, 0, tp, tl, 0).map_err(errno),
        Err(Errno::Notdir)
    );
    assert_eq!(
        path_filestat_get(&mut sb.ctx, &mut m, 3, FOLLOW, tp, tl, 0).map_err(errno),
        Err(Errno::Notdir)
    );
    let (np, nl) = put(&mut m, 300, b"g");
    assert_eq!(
        path_rename(&mut sb.ctx, &mut m, 3, tp, tl, 3, np, nl).map_err(errno),
        Err(Errno::Notdir)
    );
    let (sp, sl) = put(&mut m, 300, b"g/");
    assert_eq!(
        path_rename(&mut sb.ctx, &mut m, 3, p, l, 3, sp, sl).map_err(errno),
        Err(Errno::Notdir)
    );
    assert_eq!(
        path_link(&mut sb.ctx, &mut m, 3, 0, tp, tl, 3, np, nl).map_err(errno),
        Err(Errno::Notdir)
    );
    assert!(sb.host("f").exists() && !sb.host("g").exists());
    // A directory with a trailing slash is fine.
    std::fs::create_dir(sb.host("dir")).unwrap();
    let (dp, dl) = put(&mut m, 300, b"dir/");
    path_filestat_get(&mut sb.ctx, &mut m, 3, 0, dp, dl, 0).unwrap();
    assert_eq!(m[16], filetype::DIRECTORY);

    let at = 1_000_000_000u64 * 1_000_000 + 123;
    let mt = 2_000_000_000u64 * 1_000_000 + 456_000;
    path_filestat_set_times(
        &mut sb.ctx,
        &mut m,
        3,
        FOLLOW,
        p,
        l,
        at,
        mt,
        u32::from(fstflags::ATIM | fstflags::MTIM),
    )
    .unwrap();
    path_filestat_get(&mut sb.ctx, &mut m, 3, 0, p, l, 0).unwrap();
    assert_eq!(crate::wasi::mem::read_u64(&m, 40), Ok(at));
    assert_eq!(crate::wasi::mem::read_u64(&m, 48), Ok(mt));
    // Only mtime, now: atime stays.
    path_filestat_set_times(
        &mut sb.ctx,
        &mut m,
        3,
        FOLLOW,
        p,
        l,
        0,
        0,
        u32::from(fstflags::MTIM_NOW),
    )
    .unwrap();
    path_filestat_get(&mut sb.ctx, &mut m, 3, 0, p, l, 0).unwrap();
    assert_eq!(crate::wasi::mem::read_u64(&m, 40), Ok(at));
    assert!(crate::wasi::mem::read_u64(&m, 48).unwrap() > mt);
    for bad in [
        fstflags::ATIM | fstflags::ATIM_NOW,
        fstflags::MTIM | fstflags::MTIM_NOW,
        0x10,
    ] {
        assert_eq!(
            path_filestat_set_times(&mut sb.ctx, &mut m, 3, FOLLOW, p, l, 0, 0, u32::from(bad))
                .map_err(errno),
            Err(Errno::Inval)
        );
    }
}

#[test]
fn trace_explains_denials() {
    let mut sb = Sandbox::new();
    sb.ctx.trace = true;
    let mut m = memory();
    let err = open(&mut sb.ctx, &mut m, 3, "../x", FOLLOW, 0, RO, 0).unwrap_err();
    assert_eq!(err.errno(), Errno::Perm);
    let note = err.note().unwrap();
    assert!(note.contains("escapes preopen /sandbox"), "{note}");
    let err = open(&mut sb.ctx, &mut m, 3, "/etc/passwd", FOLLOW, 0, RO, 0).unwrap_err();
    assert_eq!(err.errno(), Errno::Perm);
    let note = err.note().unwrap();
    assert!(note.contains("no preopen covers /etc/passwd"), "{note}");
    // Without the trace, no reason is formatted.
    sb.ctx.trace = false;
    let err = open(&mut sb.ctx, &mut m, 3, "../x", FOLLOW, 0, RO, 0).unwrap_err();
    assert_eq!((err.errno(), err.note()), (Errno::Perm, None));
}

/// Another thread keeps swapping a directory for a symlink to the outside while the guest
/// opens a file in it: no open may ever reach the outside file.
#[test]
fn races_cannot_escape() {
    let mut sb = Sandbox::new();
    let mut m = memory();
    std::fs::create_dir(sb.host("d")).unwrap();
    std::fs::write(sb.host("d/secret"), b"inside").unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (d, parked, outside) = (
        sb.host("d"),
        sb.host("parked"),
        sb.outside.path().to_owned(),
    );
    let flipper = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::fs::rename(&d, &parked).unwrap();
                symlink(&outside, &d).unwrap();
                std::fs::remove_file(&d).unwrap();
                std::fs::rename(&parked, &d).unwrap();
                std::thread::yield_now();
            }
        })
    };
    // Run until both outcomes had a fair chance: enough attempts and some successful opens
    // (the flipper leaves `d` in place only part of the time), or a time limit.
    let (mut opened, mut attempts) = (0, 0);
    let start = std::time::Instant::now();
    while (attempts < 3000 || opened < 20) && start.elapsed() < std::time::Duration::from_secs(20) {
        attempts += 1;
        match open(&mut sb.ctx, &mut m, 3, "d/secret", FOLLOW, 0, RO, 0) {
            Ok(fd) => {
                assert_eq!(read(&mut sb.ctx, &mut m, fd, 10).unwrap(), b"inside");
                fd_close(&mut sb.ctx, &mut m, fd).unwrap();
                opened += 1;
            }
            Err(e) => assert!(
                matches!(e.errno(), Errno::Perm | Errno::Noent | Errno::Notdir),
                "{e:?}"
            ),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    flipper.join().unwrap();
    assert!(opened > 0);
    outside_untouched(&sb);
}
