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
use cap_std::fs::{MetadataExt, OpenOptions, OpenOptionsExt};

use super::ctx::{DirEntry, Entry, FileEntry, Kind, WasiCtx};
use super::error::Error;
use super::host::{filetype_of_mode, fstat, utimens};
use super::mem;
use super::types::{
    Errno, FILESTAT_SIZE, Filestat, check_flags, fdflags, is_escape_error, lookupflags, oflags,
    rights, timestamp,
};

/// The error of a failed host operation on `path` (relative to directory `fd`), with the reason
/// for the trace when it is on.
fn fail(ctx: &WasiCtx, fd: u32, path: &str, err: io::Error) -> Error {
    if !ctx.trace {
        return Errno::from(err).into();
    }
    let root = ctx.dir(fd, 0).map(|d| d.root.as_str()).unwrap_or_default();
    let note = if is_escape_error(&err) {
        if path.starts_with('/') {
            format!("{path:?}: absolute path, no preopen covers {path}")
        } else {
            format!("{path:?} escapes preopen {root}")
        }
    } else {
        format!("{path:?}: {err}")
    };
    Error::with_note(Errno::from(err), note)
}

/// Records for the trace what a call acts on (shown unless a failure gives its own reason).
fn traced(ctx: &mut WasiCtx, subject: impl FnOnce() -> String) {
    if ctx.trace {
        ctx.subject = Some(subject());
    }
}

/// Finishes a path operation: maps its error, or traces its path.
fn finish<T>(ctx: &mut WasiCtx, fd: u32, path: &str, r: io::Result<T>) -> Result<T, Error> {
    match r {
        Ok(v) => {
            traced(ctx, || format!("{path:?}"));
            Ok(v)
        }
        Err(e) => Err(fail(ctx, fd, path, e)),
    }
}

/// Runs `op` beneath directory `fd` (checking `right`) and finishes it as an operation on `path`.
fn in_dir<T>(
    ctx: &mut WasiCtx,
    fd: u32,
    right: u64,
    path: &str,
    op: impl FnOnce(&cap_std::fs::Dir) -> io::Result<T>,
) -> Result<T, Error> {
    let dir = ctx.dir(fd, right)?;
    let r = op(&dir.dir);
    finish(ctx, fd, path, r)
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
) -> Result<(), Error> {
    let path = mem::read_str(mem, path, path_len)?;
    in_dir(ctx, fd, rights::PATH_CREATE_DIRECTORY, path, |d| {
        d.create_dir(path)
    })
}

/// The `filestat` of `path` beneath directory `fd`.
pub fn filestat(ctx: &mut WasiCtx, fd: u32, flags: u32, path: &str) -> Result<Filestat, Error> {
    let follow = follow(flags)?;
    in_dir(ctx, fd, rights::PATH_FILESTAT_GET, path, |d| {
        // A trailing slash makes Linux follow a final symlink, like `symlink_follow`.
        if follow || path.ends_with('/') {
            check_trailing_slash(d, path).and_then(|()| d.metadata(path))
        } else {
            d.symlink_metadata(path)
        }
    })
    .map(|m| filestat_of_metadata(&m))
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
) -> Result<(), Error> {
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
) -> Result<(), Error> {
    let [a, m] = utimens(atim, mtim, fst_flags)?;
    let follow = follow(flags)?;
    let path = mem::read_str(mem, path, path_len)?;
    in_dir(ctx, fd, rights::PATH_FILESTAT_SET_TIMES, path, |d| {
        check_trailing_slash(d, path)?;
        if follow || path.ends_with('/') {
            d.set_times(path, system_time(a), system_time(m))
        } else {
            d.set_symlink_times(path, system_time(a), system_time(m))
        }
    })
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
) -> Result<(), Error> {
    let follow = follow(old_flags)?;
    let old_path = mem::read_str(mem, old_path, old_path_len)?;
    let new_path = mem::read_str(mem, new_path, new_path_len)?;
    let old = ctx.dir(old_fd, rights::PATH_LINK_SOURCE)?;
    let new = ctx.dir(new_fd, rights::PATH_LINK_TARGET)?;
    if follow {
        return Err(Errno::Inval.into());
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
) -> Result<(), Error> {
    match r {
        Ok(()) => {
            traced(ctx, || format!("{old} -> {new}"));
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
/// neither is asked for), the new descriptor reports every right that mode allows (the requested
/// inheriting rights are ignored), a final symlink without `symlink_follow` is `loop`, and the
/// sync flags are `notsup`.
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
    _fs_rights_inheriting: u64,
    fdflags_: u32,
    opened_fd: u32,
) -> Result<(), Error> {
    let follow = follow(dirflags)?;
    let oflags = check_flags(oflags_, 0xf)? as u16;
    let fdflags = check_flags(fdflags_, 0x1f)? as u16;
    mem::check_out(mem, opened_fd, 4)?;
    let path = mem::read_str(mem, path, path_len)?;

    let parent = ctx.fds.get(fd)?;
    let dir = match &parent.kind {
        Kind::Dir(d) => d,
        Kind::File(_) => return Err(Errno::Notdir.into()),
        _ => return Err(Errno::Badf.into()),
    };
    parent.require(rights::PATH_OPEN)?;
    let parent_narrowed = parent.narrowed;
    if oflags & oflags::CREAT != 0 {
        parent.require(rights::PATH_CREATE_FILE)?;
    }
    if fdflags & (fdflags::SYNC | fdflags::DSYNC | fdflags::RSYNC) != 0 {
        return Err(Errno::Notsup.into());
    }
    if oflags & oflags::DIRECTORY != 0
        && oflags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0
    {
        return Err(Errno::Inval.into());
    }

    // Creating or truncating opens for writing whatever the rights ask for, as in wasmtime.
    let write =
        fs_rights_base & rights::FD_WRITE != 0 || oflags & (oflags::CREAT | oflags::TRUNC) != 0;
    let mode = OpenMode {
        oflags,
        fdflags,
        // Asking for neither `fd_read` nor `fd_write` opens for reading, as in wasmtime.
        read: fs_rights_base & rights::FD_READ != 0 || !write,
        write,
        follow,
    };
    let root = dir.root.clone();
    let opened = dir.dir.open_with(path, &mode.options());
    let inherit_mask = if parent_narrowed {
        parent.rights_inheriting
    } else {
        rights::ALL
    };
    let file = finish(ctx, fd, path, opened)?;
    let entry = mode.entry(file, root, inherit_mask, parent_narrowed)?;
    let new_fd = ctx.fds.push(entry)?;
    mem::write_u32(mem, opened_fd, new_fd)
}

/// How `path_open` opens: its checked flags and the access its rights ask for.
struct OpenMode {
    oflags: u16,
    fdflags: u16,
    read: bool,
    write: bool,
    /// Follow a final symlink.
    follow: bool,
}

impl OpenMode {
    /// The host open options.
    fn options(&self) -> OpenOptions {
        let mut opts = OpenOptions::new();
        opts.maybe_dir(true);
        if self.oflags & oflags::CREAT != 0 {
            if self.oflags & oflags::EXCL != 0 {
                opts.create_new(true);
            } else {
                opts.create(true);
            }
        }
        if self.oflags & oflags::TRUNC != 0 {
            opts.truncate(true);
        }
        opts.read(self.read).write(self.write);
        if self.write && self.fdflags & fdflags::APPEND != 0 {
            // `O_APPEND` as a raw flag: `OpenOptions::append` refuses to go with `truncate`
            // (std's rule, which cap-std follows), while POSIX and wasmtime allow
            // `O_TRUNC | O_APPEND`.
            opts.custom_flags(libc::O_APPEND);
        }
        opts.follow(if self.follow {
            FollowSymlinks::Yes
        } else {
            FollowSymlinks::No
        });
        opts
    }

    /// The descriptor entry of `file`, opened in preopen `root` through a directory whose
    /// inheriting rights were `narrowed` to `inherit_mask`, with the rights wasmtime reports for
    /// what was opened.
    fn entry(
        &self,
        file: cap_std::fs::File,
        root: String,
        inherit_mask: u64,
        narrowed: bool,
    ) -> Result<Entry, Errno> {
        let is_dir = fstat(file.as_raw_fd())?.st_mode & libc::S_IFMT == libc::S_IFDIR;
        let mut base = rights::ALL;
        if !self.read {
            base &= !(rights::FD_READ | rights::FD_READDIR);
        }
        if !self.write {
            base &= !rights::FD_WRITE;
        }
        if is_dir {
            // wasmtime (48, 50): no seeking or resizing, and the inheriting rights are the base
            // ones, whatever was asked for.
            base &=
                !(rights::FD_SEEK | rights::FD_FILESTAT_SET_SIZE | rights::PATH_FILESTAT_SET_SIZE);
            Ok(Entry {
                kind: Kind::Dir(DirEntry {
                    dir: cap_std::fs::Dir::from_std_file(file.into_std()),
                    preopen: None,
                    root,
                }),
                rights_base: base & inherit_mask,
                rights_inheriting: base & inherit_mask,
                fdflags: 0,
                narrowed,
            })
        } else if self.oflags & oflags::DIRECTORY != 0 {
            Err(Errno::Notdir)
        } else {
            Ok(Entry {
                kind: Kind::File(FileEntry { file }),
                rights_base: base & inherit_mask,
                rights_inheriting: base & inherit_mask,
                fdflags: self.fdflags & (fdflags::APPEND | fdflags::NONBLOCK),
                narrowed: false,
            })
        }
    }
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
) -> Result<(), Error> {
    let path = mem::read_str(mem, path, path_len)?;
    mem::range(mem.len(), buf, buf_len)?;
    mem::check_out(mem, bufused, 4)?;
    let target = in_dir(ctx, fd, rights::PATH_READLINK, path, |d| d.read_link(path))?;
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
) -> Result<(), Error> {
    let path = mem::read_str(mem, path, path_len)?;
    in_dir(ctx, fd, rights::PATH_REMOVE_DIRECTORY, path, |d| {
        d.remove_dir(path)
    })
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
) -> Result<(), Error> {
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
) -> Result<(), Error> {
    let old_path = mem::read_str(mem, old_path, old_path_len)?;
    let new_path = mem::read_str(mem, new_path, new_path_len)?;
    let dir = ctx.dir(fd, rights::PATH_SYMLINK)?;
    let r = cap_std::fs::Dir::symlink(&dir.dir, old_path, new_path);
    match r {
        Ok(()) => {
            traced(ctx, || format!("{new_path} -> {old_path}"));
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
) -> Result<(), Error> {
    let path = mem::read_str(mem, path, path_len)?;
    in_dir(ctx, fd, rights::PATH_UNLINK_FILE, path, |d| {
        d.remove_file_or_symlink(path)
    })
}

#[cfg(test)]
#[path = "tests/path.rs"]
mod tests;
