//! The `path_*` functions: everything that names a file by a path relative to a directory
//! descriptor.
//!
//! The sandbox is cap-std's: every path is resolved beneath its directory descriptor by the
//! kernel (`openat2` with `RESOLVE_BENEATH`) or, where that is unavailable, by cap-std's
//! component-by-component walk with `O_NOFOLLOW`, which expands symlinks itself. Either way `..`,
//! absolute paths and symlinks cannot leave the preopen, and a concurrent rename of a directory
//! cannot make a lookup escape: each step holds a descriptor, never a host path string.
//! Such an attempt fails with `perm`, as in wasmtime, and the trace says why.

use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, UNIX_EPOCH};

use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, SystemTimeSpec,
};
use cap_std::fs::{MetadataExt, OpenOptions};

use super::ctx::{DirEntry, Entry, FileEntry, Kind, WasiCtx};
use super::fd::{check_flags, filetype_of_mode, fstat, utimens};
use super::mem;
use super::types::{
    Errno, FILESTAT_SIZE, Filestat, fdflags, is_escape_error, lookupflags, oflags, rights,
    timestamp,
};

/// Converts a failed host operation on `path` (relative to directory `fd`) to an errno, and
/// records for the trace why it was denied.
fn fail(ctx: &mut WasiCtx, fd: u32, path: &str, err: io::Error) -> Errno {
    if ctx.trace {
        let root = ctx.dir(fd, 0).map(|d| d.root.clone()).unwrap_or_default();
        let note = if is_escape_error(&err) {
            if path.starts_with('/') {
                format!("{path:?}: absolute path, no preopen covers {path}")
            } else {
                format!("{path:?} escapes preopen {root}")
            }
        } else {
            format!("{path:?}: {err}")
        };
        ctx.set_note(note);
    }
    Errno::from(err)
}

/// Records the path of a successful call for the trace.
fn traced(ctx: &mut WasiCtx, path: &str) {
    if ctx.trace {
        ctx.set_note(format!("{path:?}"));
    }
}

/// Finishes a path operation: maps its error, or traces its path.
fn finish<T>(ctx: &mut WasiCtx, fd: u32, path: &str, r: io::Result<T>) -> Result<T, Errno> {
    match r {
        Ok(v) => {
            traced(ctx, path);
            Ok(v)
        }
        Err(e) => Err(fail(ctx, fd, path, e)),
    }
}

/// Whether `lookupflags` asks to follow a final symlink (unknown bits are `inval`).
fn follow(flags: u32) -> Result<bool, Errno> {
    Ok(check_flags(flags, lookupflags::SYMLINK_FOLLOW)? != 0)
}

/// A guest timestamp as a host time.
fn system_time(ts: libc::timespec) -> Option<SystemTimeSpec> {
    match ts.tv_nsec {
        libc::UTIME_OMIT => None,
        libc::UTIME_NOW => Some(SystemTimeSpec::SymbolicNow),
        nsec => Some(SystemTimeSpec::Absolute(
            cap_std::time::SystemTime::from_std(
                UNIX_EPOCH + Duration::new(ts.tv_sec as u64, nsec as u32),
            ),
        )),
    }
}

/// The `filestat` of cap-std metadata.
fn filestat_of_metadata(m: &cap_std::fs::Metadata) -> Filestat {
    Filestat {
        dev: m.dev(),
        ino: m.ino(),
        filetype: filetype_of_mode(m.mode()),
        nlink: m.nlink(),
        size: m.size(),
        atim: timestamp(m.atime(), m.atime_nsec()),
        mtim: timestamp(m.mtime(), m.mtime_nsec()),
        ctim: timestamp(m.ctime(), m.ctime_nsec()),
    }
}

/// Linux refuses a trailing slash on anything but a directory (or a symlink to one) with
/// `notdir`; cap-std ignores it for some operations, so check it here. A missing path is left
/// for the operation itself to report.
fn check_trailing_slash(dir: &cap_std::fs::Dir, path: &str) -> io::Result<()> {
    if path.ends_with('/') {
        match dir.metadata(path) {
            Ok(m) if !m.is_dir() => return Err(io::Error::from_raw_os_error(libc::ENOTDIR)),
            Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// `path_create_directory(fd, path, path_len)`.
pub fn path_create_directory(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let path = mem::read_str(mem, path, path_len)?;
    let dir = ctx.dir(fd, rights::PATH_CREATE_DIRECTORY)?;
    let r = dir.dir.create_dir(path);
    finish(ctx, fd, path, r)
}

/// The `filestat` of `path` beneath directory `fd`.
pub fn filestat(ctx: &mut WasiCtx, fd: u32, flags: u32, path: &str) -> Result<Filestat, Errno> {
    let follow = follow(flags)?;
    let dir = ctx.dir(fd, rights::PATH_FILESTAT_GET)?;
    // A trailing slash makes Linux follow a final symlink, like `symlink_follow`.
    let r = if follow || path.ends_with('/') {
        check_trailing_slash(&dir.dir, path).and_then(|()| dir.dir.metadata(path))
    } else {
        dir.dir.symlink_metadata(path)
    };
    finish(ctx, fd, path, r).map(|m| filestat_of_metadata(&m))
}

/// `path_filestat_get(fd, flags, path, path_len, buf)`.
pub fn path_filestat_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    buf: u32,
) -> Result<(), Errno> {
    mem::check_out(mem, buf, FILESTAT_SIZE as u32)?;
    let path = mem::read_str(mem, path, path_len)?;
    let st = filestat(ctx, fd, flags, path)?;
    mem::write_bytes(mem, buf, &st.to_bytes())
}

/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`.
#[allow(clippy::too_many_arguments)] // the WASI signature
pub fn path_filestat_set_times(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<(), Errno> {
    let [a, m] = utimens(atim, mtim, fst_flags)?;
    let follow = follow(flags)?;
    let path = mem::read_str(mem, path, path_len)?;
    let dir = ctx.dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
    let r = if let Err(e) = check_trailing_slash(&dir.dir, path) {
        Err(e)
    } else if follow || path.ends_with('/') {
        dir.dir.set_times(path, system_time(a), system_time(m))
    } else {
        dir.dir
            .set_symlink_times(path, system_time(a), system_time(m))
    };
    finish(ctx, fd, path, r)
}

/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len)`.
/// Following a symlink source is refused with `inval`, as in wasmtime.
#[allow(clippy::too_many_arguments)] // the WASI signature
pub fn path_link(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let follow = follow(old_flags)?;
    let old_path = mem::read_str(mem, old_path, old_path_len)?;
    let new_path = mem::read_str(mem, new_path, new_path_len)?;
    let old = ctx.dir(old_fd, rights::PATH_LINK_SOURCE)?;
    let new = ctx.dir(new_fd, rights::PATH_LINK_TARGET)?;
    if follow {
        return Err(Errno::Inval);
    }
    let r = check_trailing_slash(&old.dir, old_path)
        .and_then(|()| old.dir.hard_link(old_path, &new.dir, new_path));
    two_paths(ctx, old_fd, old_path, new_fd, new_path, r)
}

/// Finishes an operation on two paths; a denial names the path that caused it when that can be
/// told (an absolute or `..`-leading one), else both.
fn two_paths(
    ctx: &mut WasiCtx,
    old_fd: u32,
    old: &str,
    new_fd: u32,
    new: &str,
    r: io::Result<()>,
) -> Result<(), Errno> {
    match r {
        Ok(()) => {
            traced(ctx, &format!("{old} -> {new}"));
            Ok(())
        }
        Err(e) => {
            let suspicious = |p: &str| p.starts_with('/') || p.split('/').any(|c| c == "..");
            if suspicious(new) && !suspicious(old) {
                Err(fail(ctx, new_fd, new, e))
            } else {
                Err(fail(ctx, old_fd, old, e))
            }
        }
    }
}

/// `path_open(fd, dirflags, path, path_len, oflags, fs_rights_base, fs_rights_inheriting,
/// fdflags, opened_fd)`.
///
/// As in wasmtime, the host open mode comes from the `fd_read`/`fd_write` rights (read-only when
/// neither is asked for), the new descriptor reports every right that mode allows, a final
/// symlink without `symlink_follow` is `loop`, and the sync flags are `notsup`.
#[allow(clippy::too_many_arguments)] // the WASI signature
pub fn path_open(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags_: u32,
    fs_rights_base: u64,
    fs_rights_inheriting: u64,
    fdflags_: u32,
    opened_fd: u32,
) -> Result<(), Errno> {
    let follow = follow(dirflags)?;
    let oflags = check_flags(oflags_, 0xf)? as u16;
    let fdflags = check_flags(fdflags_, 0x1f)? as u16;
    mem::check_out(mem, opened_fd, 4)?;
    let path = mem::read_str(mem, path, path_len)?;

    let parent = ctx.fds.get(fd)?;
    let dir = match &parent.kind {
        Kind::Dir(d) => d,
        Kind::File(_) => return Err(Errno::Notdir),
        _ => return Err(Errno::Badf),
    };
    parent.require(rights::PATH_OPEN)?;
    let parent_narrowed = parent.narrowed;
    if oflags & oflags::CREAT != 0 {
        parent.require(rights::PATH_CREATE_FILE)?;
    }
    if fdflags & (fdflags::SYNC | fdflags::DSYNC | fdflags::RSYNC) != 0 {
        return Err(Errno::Notsup);
    }
    if oflags & oflags::DIRECTORY != 0
        && oflags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0
    {
        return Err(Errno::Inval);
    }

    let read = fs_rights_base & rights::FD_READ != 0;
    let write = fs_rights_base & rights::FD_WRITE != 0;
    let mut opts = OpenOptions::new();
    opts.maybe_dir(true);
    if oflags & oflags::CREAT != 0 {
        if oflags & oflags::EXCL != 0 {
            opts.create_new(true);
        } else {
            opts.create(true);
        }
        opts.write(true);
    }
    if oflags & oflags::TRUNC != 0 {
        opts.truncate(true);
    }
    if read || !write {
        opts.read(true);
    }
    if write {
        opts.write(true);
        if fdflags & fdflags::APPEND != 0 {
            opts.append(true);
        }
    }
    opts.follow(if follow {
        FollowSymlinks::Yes
    } else {
        FollowSymlinks::No
    });

    let root = dir.root.clone();
    let opened = dir.dir.open_with(path, &opts);
    let inherit_mask = if parent_narrowed {
        parent.rights_inheriting
    } else {
        rights::ALL
    };
    let file = finish(ctx, fd, path, opened)?;
    let is_dir = fstat(file.as_raw_fd())?.st_mode & libc::S_IFMT == libc::S_IFDIR;

    // The rights wasmtime reports for what was opened.
    let mut base = rights::ALL;
    if !read {
        base &= !(rights::FD_READ | rights::FD_READDIR);
    }
    if !write {
        base &= !rights::FD_WRITE;
    }
    let entry = if is_dir {
        base &= !(rights::FD_SEEK | rights::FD_FILESTAT_SET_SIZE);
        Entry {
            kind: Kind::Dir(DirEntry {
                dir: cap_std::fs::Dir::from_std_file(file.into_std()),
                preopen: None,
                root,
            }),
            rights_base: base & inherit_mask,
            rights_inheriting: fs_rights_inheriting & inherit_mask,
            fdflags: 0,
            narrowed: parent_narrowed,
        }
    } else if oflags & oflags::DIRECTORY != 0 {
        return Err(Errno::Notdir);
    } else {
        Entry {
            kind: Kind::File(FileEntry {
                file,
                // wasmtime refuses size and time changes unless `fd_write` was asked for,
                // even when `creat` made the host open writable.
                writable: write,
            }),
            rights_base: base & inherit_mask,
            rights_inheriting: base & inherit_mask,
            fdflags: fdflags & (fdflags::APPEND | fdflags::NONBLOCK),
            narrowed: false,
        }
    };
    let new_fd = ctx.fds.push(entry)?;
    mem::write_u32(mem, opened_fd, new_fd)
}

/// `path_readlink(fd, path, path_len, buf, buf_len, bufused)`: the target, truncated to the
/// buffer (no NUL). Like wasmtime (cap-std's `read_link`), an absolute target is refused.
#[allow(clippy::too_many_arguments)] // the WASI signature
pub fn path_readlink(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> Result<(), Errno> {
    let path = mem::read_str(mem, path, path_len)?;
    mem::range(mem.len(), buf, buf_len)?;
    mem::check_out(mem, bufused, 4)?;
    let dir = ctx.dir(fd, rights::PATH_READLINK)?;
    let r = dir.dir.read_link(path);
    let target = finish(ctx, fd, path, r)?;
    let bytes = target.as_os_str().as_bytes();
    let n = bytes.len().min(buf_len as usize);
    mem::write_bytes(mem, buf, &bytes[..n])?;
    mem::write_u32(mem, bufused, n as u32)
}

/// `path_remove_directory(fd, path, path_len)`.
pub fn path_remove_directory(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let path = mem::read_str(mem, path, path_len)?;
    let dir = ctx.dir(fd, rights::PATH_REMOVE_DIRECTORY)?;
    let r = dir.dir.remove_dir(path);
    finish(ctx, fd, path, r)
}

/// `path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)`.
#[allow(clippy::too_many_arguments)] // the WASI signature
pub fn path_rename(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let old_path = mem::read_str(mem, old_path, old_path_len)?;
    let new_path = mem::read_str(mem, new_path, new_path_len)?;
    let old = ctx.dir(fd, rights::PATH_RENAME_SOURCE)?;
    let new = ctx.dir(new_fd, rights::PATH_RENAME_TARGET)?;
    let r = check_trailing_slash(&old.dir, old_path)
        .and_then(|()| {
            // A trailing slash on the new name requires the source to be a directory.
            if new_path.ends_with('/') && !old.dir.symlink_metadata(old_path)?.is_dir() {
                return Err(io::Error::from_raw_os_error(libc::ENOTDIR));
            }
            Ok(())
        })
        .and_then(|()| old.dir.rename(old_path, &new.dir, new_path));
    two_paths(ctx, fd, old_path, new_fd, new_path, r)
}

/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`: creates `new_path`
/// pointing to `old_path`. An absolute target is refused (cap-std), so a link can never name a
/// host path; a relative one that leads outside can be created but never followed.
pub fn path_symlink(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    old_path: u32,
    old_path_len: u32,
    fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let old_path = mem::read_str(mem, old_path, old_path_len)?;
    let new_path = mem::read_str(mem, new_path, new_path_len)?;
    let dir = ctx.dir(fd, rights::PATH_SYMLINK)?;
    let r = cap_std::fs::Dir::symlink(&dir.dir, old_path, new_path);
    match r {
        Ok(()) => {
            traced(ctx, &format!("{new_path} -> {old_path}"));
            Ok(())
        }
        Err(e) if old_path.starts_with('/') && is_escape_error(&e) => {
            Err(fail(ctx, fd, old_path, e))
        }
        Err(e) => Err(fail(ctx, fd, new_path, e)),
    }
}

/// `path_unlink_file(fd, path, path_len)`.
pub fn path_unlink_file(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let path = mem::read_str(mem, path, path_len)?;
    let dir = ctx.dir(fd, rights::PATH_UNLINK_FILE)?;
    let r = dir.dir.remove_file_or_symlink(path);
    finish(ctx, fd, path, r)
}

super::export!(
    /// `wasi_snapshot_preview1.path_create_directory`.
    w2n_wasi_path_create_directory => "path_create_directory", path_create_directory,
    (fd: u32, path: u32, path_len: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_filestat_get`.
    w2n_wasi_path_filestat_get => "path_filestat_get", path_filestat_get,
    (fd: u32, flags: u32, path: u32, path_len: u32, buf: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_filestat_set_times`.
    w2n_wasi_path_filestat_set_times => "path_filestat_set_times", path_filestat_set_times,
    (fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64, fst_flags: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_link`.
    w2n_wasi_path_link => "path_link", path_link,
    (old_fd: u32, old_flags: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_open`.
    w2n_wasi_path_open => "path_open", path_open,
    (fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32, fs_rights_base: u64,
     fs_rights_inheriting: u64, fdflags: u32, opened_fd: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_readlink`.
    w2n_wasi_path_readlink => "path_readlink", path_readlink,
    (fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, bufused: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_remove_directory`.
    w2n_wasi_path_remove_directory => "path_remove_directory", path_remove_directory,
    (fd: u32, path: u32, path_len: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_rename`.
    w2n_wasi_path_rename => "path_rename", path_rename,
    (fd: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_symlink`.
    w2n_wasi_path_symlink => "path_symlink", path_symlink,
    (old_path: u32, old_path_len: u32, fd: u32, new_path: u32, new_path_len: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.path_unlink_file`.
    w2n_wasi_path_unlink_file => "path_unlink_file", path_unlink_file,
    (fd: u32, path: u32, path_len: u32)
);

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::super::testutil::{RO, RW, Sandbox, memory, open, put, read, write};
    use super::*;
    use crate::wasi::fd::fd_close;
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
        assert_eq!(write(&mut sb.ctx, &mut m, fd2, b"x"), Err(Errno::Badf));
        let wo = RW & !rights::FD_READ;
        let fd3 = open(&mut sb.ctx, &mut m, 3, "f.txt", 0, 0, wo, 0).unwrap();
        assert_eq!(read(&mut sb.ctx, &mut m, fd3, 1), Err(Errno::Badf));
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
            ),
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
            open(&mut sb.ctx, &mut m, 3, "missing", 0, 0, RO, 0),
            Err(Errno::Noent)
        );
        assert_eq!(
            open(&mut sb.ctx, &mut m, 9, "file", 0, 0, RO, 0),
            Err(Errno::Badf)
        );
        assert_eq!(
            open(&mut sb.ctx, &mut m, 1, "file", 0, 0, RO, 0),
            Err(Errno::Badf)
        );
        // Trailing slash on a non-directory, and `directory` on a file.
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "file/", 0, 0, RO, 0),
            Err(Errno::Notdir)
        );
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "file", 0, oflags::DIRECTORY, RO, 0),
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
            ),
            Err(Errno::Inval)
        );
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "file", 0, 0, RO, fdflags::SYNC),
            Err(Errno::Notsup)
        );
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "file", 0, 0x10, RO, 0),
            Err(Errno::Inval)
        );
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "file", 2, 0, RO, 0),
            Err(Errno::Inval)
        );
        // Opening relative to a file.
        let f = open(&mut sb.ctx, &mut m, 3, "file", 0, 0, RO, 0).unwrap();
        assert_eq!(
            open(&mut sb.ctx, &mut m, f, "x", 0, 0, RO, 0),
            Err(Errno::Notdir)
        );
        // A directory opens as a directory, and paths resolve beneath it.
        let d = open(&mut sb.ctx, &mut m, 3, "dir", 0, oflags::DIRECTORY, RO, 0).unwrap();
        assert!(matches!(sb.ctx.fds.get(d).unwrap().kind, Kind::Dir(_)));
        assert!(open(&mut sb.ctx, &mut m, d, ".", 0, 0, RO, 0).is_ok());
        // Every directory descriptor is its own sandbox (cap-std, as in wasmtime): `..` cannot
        // leave it even when the parent is inside the preopen.
        assert_eq!(
            open(&mut sb.ctx, &mut m, d, "../file", 0, 0, RO, 0),
            Err(Errno::Perm)
        );
        // Writing a directory is `isdir`.
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "dir", 0, 0, RW, 0),
            Err(Errno::Isdir)
        );
        // Bad pointers and bad UTF-8.
        assert_eq!(
            path_open(&mut sb.ctx, &mut m, 3, 0, 65530, 10, 0, RO, RO, 0, 0),
            Err(Errno::Fault)
        );
        let (p, l) = put(&mut m, 100, b"\xff");
        assert_eq!(
            path_open(&mut sb.ctx, &mut m, 3, 0, p, l, 0, RO, RO, 0, 0),
            Err(Errno::Ilseq)
        );
        let (p, l) = put(&mut m, 100, b"file");
        assert_eq!(
            path_open(&mut sb.ctx, &mut m, 3, 0, p, l, 0, RO, RO, 0, 65534),
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
                open(&mut sb.ctx, &mut m, 3, path, FOLLOW, 0, RO, 0),
                Err(Errno::Perm),
                "{path}"
            );
            assert_eq!(
                open(&mut sb.ctx, &mut m, 3, path, FOLLOW, oflags::CREAT, RW, 0),
                Err(Errno::Perm),
                "{path}"
            );
        }
        let new_out = up_to_outside(&sb, "new");
        let (p, l) = put(&mut m, 100, new_out.as_bytes());
        assert_eq!(
            path_create_directory(&mut sb.ctx, &mut m, 3, p, l),
            Err(Errno::Perm)
        );
        let (p, l) = put(&mut m, 100, out.as_bytes());
        assert_eq!(
            path_unlink_file(&mut sb.ctx, &mut m, 3, p, l),
            Err(Errno::Perm)
        );
        assert_eq!(
            path_filestat_get(&mut sb.ctx, &mut m, 3, FOLLOW, p, l, 0),
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
                open(&mut sb.ctx, &mut m, 3, path, FOLLOW, 0, RO, 0),
                Err(Errno::Perm),
                "{path}"
            );
        }
        for path in ["dangling_out", "dangling_rel_out", "dir_out/new"] {
            assert_eq!(
                open(&mut sb.ctx, &mut m, 3, path, FOLLOW, oflags::CREAT, RW, 0),
                Err(Errno::Perm),
                "{path}"
            );
        }
        let (p, l) = put(&mut m, 100, b"dir_out/newdir");
        assert_eq!(
            path_create_directory(&mut sb.ctx, &mut m, 3, p, l),
            Err(Errno::Perm)
        );
        let (p, l) = put(&mut m, 100, b"dir_out/secret");
        assert_eq!(
            path_unlink_file(&mut sb.ctx, &mut m, 3, p, l),
            Err(Errno::Perm)
        );
        let (p, l) = put(&mut m, 100, b"abs_out");
        assert_eq!(
            path_filestat_get(&mut sb.ctx, &mut m, 3, FOLLOW, p, l, 0),
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
                open(&mut sb.ctx, &mut m, 3, path, 0, 0, RO, 0),
                Err(Errno::Loop)
            );
        }
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "l1", FOLLOW, 0, RO, 0),
            Err(Errno::Loop)
        );
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "dangling", FOLLOW, 0, RO, 0),
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
                path_rename(&mut sb.ctx, &mut m, 3, op, ol, 3, np, nl),
                Err(Errno::Perm),
                "{target}"
            );
            assert_eq!(
                path_link(&mut sb.ctx, &mut m, 3, 0, op, ol, 3, np, nl),
                Err(Errno::Perm),
                "{target}"
            );
            // Nor can something outside be brought in.
            assert_eq!(
                path_rename(&mut sb.ctx, &mut m, 3, np, nl, 3, op, ol),
                Err(Errno::Perm),
                "{target}"
            );
        }
        let secret = up_to_outside(&sb, "secret");
        let (op, ol) = put(&mut m, 100, secret.as_bytes());
        let (np, nl) = put(&mut m, 300, b"copy");
        assert_eq!(
            path_link(&mut sb.ctx, &mut m, 3, 0, op, ol, 3, np, nl),
            Err(Errno::Perm)
        );
        assert_eq!(
            path_rename(&mut sb.ctx, &mut m, 3, op, ol, 3, np, nl),
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
            path_link(&mut sb.ctx, &mut m, 3, FOLLOW, op, ol, 3, 300, 1),
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
            path_symlink(&mut sb.ctx, &mut m, op, ol, 3, np, nl),
            Err(Errno::Perm)
        );
        assert!(std::fs::symlink_metadata(sb.host("l")).is_err());
        let (op, ol) = put(&mut m, 100, b"../../../etc/passwd");
        path_symlink(&mut sb.ctx, &mut m, op, ol, 3, np, nl).unwrap();
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "l", FOLLOW, 0, RO, 0),
            Err(Errno::Perm)
        );
        // The link cannot be created outside either.
        let out = up_to_outside(&sb, "l");
        let (op, ol) = put(&mut m, 100, b"file");
        let (np, nl) = put(&mut m, 200, out.as_bytes());
        assert_eq!(
            path_symlink(&mut sb.ctx, &mut m, op, ol, 3, np, nl),
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
            path_readlink(&mut sb.ctx, &mut m, 3, np, nl, 65535, 2, 0),
            Err(Errno::Fault)
        );
        let (fp, fl) = put(&mut m, 200, b"file");
        assert_eq!(
            path_readlink(&mut sb.ctx, &mut m, 3, fp, fl, 1000, 10, 0),
            Err(Errno::Inval)
        );
        // An existing name is `exist`.
        assert_eq!(
            path_symlink(&mut sb.ctx, &mut m, op, ol, 3, fp, fl),
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
            path_create_directory(&mut sb.ctx, &mut m, 3, p, l),
            Err(Errno::Exist)
        );
        std::fs::write(sb.host("d/f"), b"").unwrap();
        assert_eq!(
            path_remove_directory(&mut sb.ctx, &mut m, 3, p, l),
            Err(Errno::Notempty)
        );
        let (fp, fl) = put(&mut m, 200, b"d/f");
        assert_eq!(
            path_remove_directory(&mut sb.ctx, &mut m, 3, fp, fl),
            Err(Errno::Notdir)
        );
        assert_eq!(
            path_unlink_file(&mut sb.ctx, &mut m, 3, p, l),
            Err(Errno::Isdir)
        );
        let (tp, tl) = put(&mut m, 200, b"d/f/");
        assert_eq!(
            path_unlink_file(&mut sb.ctx, &mut m, 3, tp, tl),
            Err(Errno::Notdir)
        );
        path_unlink_file(&mut sb.ctx, &mut m, 3, fp, fl).unwrap();
        path_remove_directory(&mut sb.ctx, &mut m, 3, p, l).unwrap();
        assert!(!sb.host("d").exists());
        // Path functions need a directory descriptor.
        assert_eq!(
            path_create_directory(&mut sb.ctx, &mut m, 1, p, l),
            Err(Errno::Badf)
        );
        assert_eq!(
            path_create_directory(&mut sb.ctx, &mut m, 77, p, l),
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
            path_filestat_get(&mut sb.ctx, &mut m, 3, 0, p, l, 65500),
            Err(Errno::Fault)
        );
        let (tp, tl) = put(&mut m, 200, b"f/");
        assert_eq!(
            path_filestat_get(&mut sb.ctx, &mut m, 3, 0, tp, tl, 0),
            Err(Errno::Notdir)
        );
        assert_eq!(
            path_filestat_get(&mut sb.ctx, &mut m, 3, FOLLOW, tp, tl, 0),
            Err(Errno::Notdir)
        );
        let (np, nl) = put(&mut m, 300, b"g");
        assert_eq!(
            path_rename(&mut sb.ctx, &mut m, 3, tp, tl, 3, np, nl),
            Err(Errno::Notdir)
        );
        let (sp, sl) = put(&mut m, 300, b"g/");
        assert_eq!(
            path_rename(&mut sb.ctx, &mut m, 3, p, l, 3, sp, sl),
            Err(Errno::Notdir)
        );
        assert_eq!(
            path_link(&mut sb.ctx, &mut m, 3, 0, tp, tl, 3, np, nl),
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
                path_filestat_set_times(&mut sb.ctx, &mut m, 3, FOLLOW, p, l, 0, 0, u32::from(bad)),
                Err(Errno::Inval)
            );
        }
    }

    #[test]
    fn trace_explains_denials() {
        let mut sb = Sandbox::new();
        sb.ctx.trace = true;
        let mut m = memory();
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "../x", FOLLOW, 0, RO, 0),
            Err(Errno::Perm)
        );
        let note = sb.ctx.note.take().unwrap();
        assert!(note.contains("escapes preopen /sandbox"), "{note}");
        assert_eq!(
            open(&mut sb.ctx, &mut m, 3, "/etc/passwd", FOLLOW, 0, RO, 0),
            Err(Errno::Perm)
        );
        let note = sb.ctx.note.take().unwrap();
        assert!(note.contains("no preopen covers /etc/passwd"), "{note}");
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
                }
            })
        };
        let mut opened = 0;
        for _ in 0..3000 {
            match open(&mut sb.ctx, &mut m, 3, "d/secret", FOLLOW, 0, RO, 0) {
                Ok(fd) => {
                    assert_eq!(read(&mut sb.ctx, &mut m, fd, 10).unwrap(), b"inside");
                    fd_close(&mut sb.ctx, &mut m, fd).unwrap();
                    opened += 1;
                }
                Err(e) => assert!(
                    matches!(e, Errno::Perm | Errno::Noent | Errno::Notdir),
                    "{e:?}"
                ),
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        flipper.join().unwrap();
        assert!(opened > 0);
        outside_untouched(&sb);
    }
}
