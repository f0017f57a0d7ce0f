//! WASI preview 1 types: `errno` values, flag and enum constants, and the byte layouts of the
//! structs exchanged through guest memory (all little-endian, offsets as in the witx ABI).
//!
//! Names follow `wasi_snapshot_preview1.witx` (`fdflags`, `rights`, `oflags`, ...). The
//! `wasi_unstable` (snapshot 0) layouts that differ live next to their preview1 counterparts.

use std::io;

/// Declares [`Errno`] from one table: variant, value, witx name and the Linux `errno` values
/// that map to it, expanded into the enum, [`Errno::name`] and [`Errno::from_raw_os`].
macro_rules! errno_table {
    ($($variant:ident = $value:literal, $name:literal, [$($libc:ident),*];)*) => {
        /// A WASI `errno` value. `Success` is never used as an error: a failed call returns an
        /// [`Error`](super::error::Error) carrying its errno, and success is `Ok`.
        #[repr(u16)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // the variant names are the witx names; their meaning is POSIX's.
        pub enum Errno {
            $($variant = $value,)*
        }

        /// The witx names, indexed by value (the table lists the values in order from 0, which
        /// the assertion below checks).
        const ERRNO_NAMES: &[&str] = &[$($name),*];

        const _: () = {
            let mut value = 0;
            $(
                assert!(Errno::$variant as usize == value);
                value += 1;
            )*
            assert!(ERRNO_NAMES.len() == value);
        };

        impl Errno {
            /// The witx name (`badf`, `noent`, ...).
            pub fn name(self) -> &'static str {
                ERRNO_NAMES[self as usize]
            }

            /// Maps a Linux `errno` to its WASI equivalent; anything WASI has no name for is `Io`.
            pub fn from_raw_os(code: i32) -> Errno {
                match code {
                    $($(libc::$libc => Errno::$variant,)*)*
                    _ => Errno::Io,
                }
            }
        }
    };
}

errno_table! {
    Success = 0, "success", [];
    TooBig = 1, "2big", [E2BIG];
    Acces = 2, "acces", [EACCES];
    Addrinuse = 3, "addrinuse", [EADDRINUSE];
    Addrnotavail = 4, "addrnotavail", [EADDRNOTAVAIL];
    Afnosupport = 5, "afnosupport", [EAFNOSUPPORT];
    Again = 6, "again", [EAGAIN];
    Already = 7, "already", [EALREADY];
    Badf = 8, "badf", [EBADF];
    Badmsg = 9, "badmsg", [EBADMSG];
    Busy = 10, "busy", [EBUSY];
    Canceled = 11, "canceled", [ECANCELED];
    Child = 12, "child", [ECHILD];
    Connaborted = 13, "connaborted", [ECONNABORTED];
    Connrefused = 14, "connrefused", [ECONNREFUSED];
    Connreset = 15, "connreset", [ECONNRESET];
    Deadlk = 16, "deadlk", [EDEADLK];
    Destaddrreq = 17, "destaddrreq", [EDESTADDRREQ];
    Dom = 18, "dom", [EDOM];
    Dquot = 19, "dquot", [EDQUOT];
    Exist = 20, "exist", [EEXIST];
    Fault = 21, "fault", [EFAULT];
    Fbig = 22, "fbig", [EFBIG];
    Hostunreach = 23, "hostunreach", [EHOSTUNREACH];
    Idrm = 24, "idrm", [EIDRM];
    Ilseq = 25, "ilseq", [EILSEQ];
    Inprogress = 26, "inprogress", [EINPROGRESS];
    Intr = 27, "intr", [EINTR];
    Inval = 28, "inval", [EINVAL];
    Io = 29, "io", [EIO];
    Isconn = 30, "isconn", [EISCONN];
    Isdir = 31, "isdir", [EISDIR];
    Loop = 32, "loop", [ELOOP];
    Mfile = 33, "mfile", [EMFILE];
    Mlink = 34, "mlink", [EMLINK];
    Msgsize = 35, "msgsize", [EMSGSIZE];
    Multihop = 36, "multihop", [EMULTIHOP];
    Nametoolong = 37, "nametoolong", [ENAMETOOLONG];
    Netdown = 38, "netdown", [ENETDOWN];
    Netreset = 39, "netreset", [ENETRESET];
    Netunreach = 40, "netunreach", [ENETUNREACH];
    Nfile = 41, "nfile", [ENFILE];
    Nobufs = 42, "nobufs", [ENOBUFS];
    Nodev = 43, "nodev", [ENODEV];
    Noent = 44, "noent", [ENOENT];
    Noexec = 45, "noexec", [ENOEXEC];
    Nolck = 46, "nolck", [ENOLCK];
    Nolink = 47, "nolink", [ENOLINK];
    Nomem = 48, "nomem", [ENOMEM];
    Nomsg = 49, "nomsg", [ENOMSG];
    Noprotoopt = 50, "noprotoopt", [ENOPROTOOPT];
    Nospc = 51, "nospc", [ENOSPC];
    Nosys = 52, "nosys", [ENOSYS];
    Notconn = 53, "notconn", [ENOTCONN];
    Notdir = 54, "notdir", [ENOTDIR];
    Notempty = 55, "notempty", [ENOTEMPTY];
    Notrecoverable = 56, "notrecoverable", [ENOTRECOVERABLE];
    Notsock = 57, "notsock", [ENOTSOCK];
    Notsup = 58, "notsup", [EOPNOTSUPP];
    Notty = 59, "notty", [ENOTTY];
    Nxio = 60, "nxio", [ENXIO];
    Overflow = 61, "overflow", [EOVERFLOW];
    Ownerdead = 62, "ownerdead", [EOWNERDEAD];
    Perm = 63, "perm", [EPERM];
    Pipe = 64, "pipe", [EPIPE];
    Proto = 65, "proto", [EPROTO];
    Protonosupport = 66, "protonosupport", [EPROTONOSUPPORT];
    Prototype = 67, "prototype", [EPROTOTYPE];
    Range = 68, "range", [ERANGE];
    Rofs = 69, "rofs", [EROFS];
    Spipe = 70, "spipe", [ESPIPE];
    Srch = 71, "srch", [ESRCH];
    Stale = 72, "stale", [ESTALE];
    Timedout = 73, "timedout", [ETIMEDOUT];
    Txtbsy = 74, "txtbsy", [ETXTBSY];
    Xdev = 75, "xdev", [EXDEV];
    Notcapable = 76, "notcapable", [];
}

impl Errno {
    /// The `errno` of the calling thread's last failed libc call.
    pub fn last_os() -> Errno {
        Errno::from_raw_os(io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

impl From<io::Error> for Errno {
    /// OS errors map by their code. Errors without one come from cap-std, most importantly its
    /// sandbox check ("a path led outside of the filesystem", `PermissionDenied`), which wasmtime
    /// reports as `perm`; the other kinds map the way wasmtime maps them.
    fn from(err: io::Error) -> Errno {
        if let Some(code) = err.raw_os_error() {
            return Errno::from_raw_os(code);
        }
        match err.kind() {
            io::ErrorKind::NotFound => Errno::Noent,
            io::ErrorKind::PermissionDenied => Errno::Perm,
            io::ErrorKind::AlreadyExists => Errno::Exist,
            io::ErrorKind::InvalidInput => Errno::Inval,
            io::ErrorKind::NotADirectory => Errno::Notdir,
            io::ErrorKind::IsADirectory => Errno::Isdir,
            io::ErrorKind::Interrupted => Errno::Intr,
            io::ErrorKind::WouldBlock => Errno::Again,
            _ => Errno::Io,
        }
    }
}

/// Whether `err` is cap-std's refusal of a path that would leave the directory it is resolved
/// in (`..` past the root, an absolute path, or a symlink pointing outside).
pub fn is_escape_error(err: &io::Error) -> bool {
    err.raw_os_error().is_none() && err.kind() == io::ErrorKind::PermissionDenied
}

/// `filetype`.
pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_DGRAM: u8 = 5;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `rights` bits.
pub mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;
    /// Every right.
    pub const ALL: u64 = (1 << 30) - 1;

    /// What a preopened directory may do itself (wasmtime's fixed set, which userlands such
    /// as wasi-libc expect).
    pub const PREOPEN_BASE: u64 = PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES;

    /// What descriptors opened beneath a preopened directory may get.
    pub const PREOPEN_INHERITING: u64 = PREOPEN_BASE
        | FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    /// Rights of an accepted or inherited socket.
    pub const SOCKET: u64 = FD_READ
        | FD_WRITE
        | FD_FDSTAT_SET_FLAGS
        | FD_FILESTAT_GET
        | POLL_FD_READWRITE
        | SOCK_SHUTDOWN
        | SOCK_ACCEPT;
}

/// `fdflags` bits.
pub mod fdflags {
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
}

/// `oflags` bits.
pub mod oflags {
    pub const CREAT: u16 = 1 << 0;
    pub const DIRECTORY: u16 = 1 << 1;
    pub const EXCL: u16 = 1 << 2;
    pub const TRUNC: u16 = 1 << 3;
}

/// `lookupflags` bits.
pub mod lookupflags {
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags` bits.
pub mod fstflags {
    pub const ATIM: u16 = 1 << 0;
    pub const ATIM_NOW: u16 = 1 << 1;
    pub const MTIM: u16 = 1 << 2;
    pub const MTIM_NOW: u16 = 1 << 3;
}

/// `whence` of preview1 (snapshot 0 numbers them differently, see `unstable`).
pub mod whence {
    pub const SET: u8 = 0;
    pub const CUR: u8 = 1;
    pub const END: u8 = 2;
}

/// `clockid`.
pub mod clockid {
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `eventtype`.
pub mod eventtype {
    pub const CLOCK: u8 = 0;
    pub const FD_READ: u8 = 1;
    pub const FD_WRITE: u8 = 2;
}

/// `eventrwflags` bits.
pub const EVENTRWFLAGS_FD_READWRITE_HANGUP: u16 = 1;
/// `subclockflags` bits.
pub const SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME: u16 = 1;
/// `preopentype` of a directory, the only one.
pub const PREOPENTYPE_DIR: u8 = 0;
/// `riflags` bits.
pub const RIFLAGS_RECV_PEEK: u16 = 1;
/// `riflags` bits.
pub const RIFLAGS_RECV_WAITALL: u16 = 2;
/// `roflags` bits.
pub const ROFLAGS_RECV_DATA_TRUNCATED: u16 = 1;
/// `sdflags` bits.
pub const SDFLAGS_RD: u8 = 1;
/// `sdflags` bits.
pub const SDFLAGS_WR: u8 = 2;

/// Checks a flag argument against its defined bits (wasmtime rejects unknown bits with `inval`).
pub fn check_flags(value: u32, defined: u32) -> Result<u32, Errno> {
    if value & !defined != 0 {
        Err(Errno::Inval)
    } else {
        Ok(value)
    }
}

/// Size of an `iovec`/`ciovec` (`buf: u32, buf_len: u32`).
pub const IOVEC_SIZE: u32 = 8;
/// Size of `fdstat`.
pub const FDSTAT_SIZE: usize = 24;
/// Size of preview1 `filestat`.
pub const FILESTAT_SIZE: usize = 64;
/// Size of snapshot 0 `filestat` (`nlink` is a u32 there).
pub const UNSTABLE_FILESTAT_SIZE: usize = 56;
/// Size of a `dirent` header (the name follows it).
pub const DIRENT_SIZE: usize = 24;
/// Size of `prestat`.
pub const PRESTAT_SIZE: usize = 8;
/// Size of `event` (the same in both snapshots).
pub const EVENT_SIZE: usize = 32;
/// Size of a preview1 `subscription`.
pub const SUBSCRIPTION_SIZE: usize = 48;
/// Size of a snapshot 0 `subscription` (its clock part has an extra `identifier` field).
pub const UNSTABLE_SUBSCRIPTION_SIZE: usize = 56;

/// `fdstat`: what `fd_fdstat_get` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fdstat {
    pub fs_filetype: u8,
    pub fs_flags: u16,
    pub fs_rights_base: u64,
    pub fs_rights_inheriting: u64,
}

impl Fdstat {
    /// The 24-byte guest representation.
    pub fn to_bytes(&self) -> [u8; FDSTAT_SIZE] {
        let mut b = [0u8; FDSTAT_SIZE];
        b[0] = self.fs_filetype;
        b[2..4].copy_from_slice(&self.fs_flags.to_le_bytes());
        b[8..16].copy_from_slice(&self.fs_rights_base.to_le_bytes());
        b[16..24].copy_from_slice(&self.fs_rights_inheriting.to_le_bytes());
        b
    }
}

/// `filestat`: attributes of a file, in nanoseconds since the epoch for the times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

impl Filestat {
    /// The 64-byte preview1 representation.
    pub fn to_bytes(&self) -> [u8; FILESTAT_SIZE] {
        let mut b = [0u8; FILESTAT_SIZE];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        b[24..32].copy_from_slice(&self.nlink.to_le_bytes());
        b[32..40].copy_from_slice(&self.size.to_le_bytes());
        b[40..48].copy_from_slice(&self.atim.to_le_bytes());
        b[48..56].copy_from_slice(&self.mtim.to_le_bytes());
        b[56..64].copy_from_slice(&self.ctim.to_le_bytes());
        b
    }

    /// The 56-byte snapshot 0 representation: `nlink` is a u32 at offset 20, which moves every
    /// later field 8 bytes down. A link count above `u32::MAX` saturates.
    pub fn to_unstable_bytes(&self) -> [u8; UNSTABLE_FILESTAT_SIZE] {
        let mut b = [0u8; UNSTABLE_FILESTAT_SIZE];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        let nlink = u32::try_from(self.nlink).unwrap_or(u32::MAX);
        b[20..24].copy_from_slice(&nlink.to_le_bytes());
        b[24..32].copy_from_slice(&self.size.to_le_bytes());
        b[32..40].copy_from_slice(&self.atim.to_le_bytes());
        b[40..48].copy_from_slice(&self.mtim.to_le_bytes());
        b[48..56].copy_from_slice(&self.ctim.to_le_bytes());
        b
    }
}

/// The header of one `fd_readdir` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dirent {
    /// Cookie of the next entry.
    pub d_next: u64,
    pub d_ino: u64,
    pub d_namlen: u32,
    pub d_type: u8,
}

impl Dirent {
    /// The 24-byte guest representation (3 bytes of zero padding at the end).
    pub fn to_bytes(&self) -> [u8; DIRENT_SIZE] {
        let mut b = [0u8; DIRENT_SIZE];
        b[0..8].copy_from_slice(&self.d_next.to_le_bytes());
        b[8..16].copy_from_slice(&self.d_ino.to_le_bytes());
        b[16..20].copy_from_slice(&self.d_namlen.to_le_bytes());
        b[20] = self.d_type;
        b
    }
}

/// One `event` written by `poll_oneoff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub userdata: u64,
    pub error: Errno,
    pub type_: u8,
    /// `fd_readwrite.nbytes`.
    pub nbytes: u64,
    /// `fd_readwrite.flags`.
    pub flags: u16,
}

impl Event {
    /// The 32-byte guest representation.
    pub fn to_bytes(&self) -> [u8; EVENT_SIZE] {
        let mut b = [0u8; EVENT_SIZE];
        b[0..8].copy_from_slice(&self.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&(self.error as u16).to_le_bytes());
        b[10] = self.type_;
        b[16..24].copy_from_slice(&self.nbytes.to_le_bytes());
        b[24..26].copy_from_slice(&self.flags.to_le_bytes());
        b
    }
}

/// Nanoseconds since the epoch of a `(seconds, nanoseconds)` pair, saturating: times before
/// the epoch are 0 and times past year 2554 are `u64::MAX`.
pub fn timestamp(secs: i64, nsecs: i64) -> u64 {
    if secs < 0 {
        return 0;
    }
    (secs as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(nsecs.clamp(0, 999_999_999) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_values_and_names() {
        assert_eq!(Errno::Notcapable as u16, 76);
        assert_eq!(Errno::Badf.name(), "badf");
        assert_eq!(Errno::TooBig.name(), "2big");
        assert_eq!(Errno::Notcapable.name(), "notcapable");
        assert_eq!(Errno::from_raw_os(libc::ENOENT), Errno::Noent);
        assert_eq!(Errno::from_raw_os(libc::ELOOP), Errno::Loop);
        assert_eq!(Errno::from_raw_os(libc::ENOTSUP), Errno::Notsup);
        assert_eq!(Errno::from_raw_os(9999), Errno::Io);
    }

    #[test]
    fn io_errors_without_code_map_like_wasmtime() {
        let escape = io::Error::new(io::ErrorKind::PermissionDenied, "outside");
        assert!(is_escape_error(&escape));
        assert_eq!(Errno::from(escape), Errno::Perm);
        assert!(!is_escape_error(&io::Error::from_raw_os_error(
            libc::EACCES
        )));
        assert_eq!(
            Errno::from(io::Error::from_raw_os_error(libc::EACCES)),
            Errno::Acces
        );
        assert_eq!(
            Errno::from(io::Error::from(io::ErrorKind::InvalidInput)),
            Errno::Inval
        );
    }

    #[test]
    fn layouts() {
        let st = Fdstat {
            fs_filetype: 4,
            fs_flags: 0x11,
            fs_rights_base: 0x0102030405060708,
            fs_rights_inheriting: u64::MAX,
        };
        let b = st.to_bytes();
        assert_eq!(b[0], 4);
        assert_eq!(b[1], 0);
        assert_eq!(&b[2..4], &[0x11, 0]);
        assert_eq!(&b[8..16], &0x0102030405060708u64.to_le_bytes());
        assert_eq!(&b[16..24], &[0xff; 8]);

        let fs = Filestat {
            dev: 1,
            ino: 2,
            filetype: 3,
            nlink: 5,
            size: 6,
            atim: 7,
            mtim: 8,
            ctim: 9,
        };
        let b = fs.to_bytes();
        assert_eq!(b[16], 3);
        assert_eq!(u64::from_le_bytes(b[24..32].try_into().unwrap()), 5);
        assert_eq!(u64::from_le_bytes(b[56..64].try_into().unwrap()), 9);
        let u = fs.to_unstable_bytes();
        assert_eq!(u32::from_le_bytes(u[20..24].try_into().unwrap()), 5);
        assert_eq!(u64::from_le_bytes(u[24..32].try_into().unwrap()), 6);
        assert_eq!(u64::from_le_bytes(u[48..56].try_into().unwrap()), 9);

        let d = Dirent {
            d_next: 3,
            d_ino: 4,
            d_namlen: 5,
            d_type: 6,
        }
        .to_bytes();
        assert_eq!(d[0], 3);
        assert_eq!(d[8], 4);
        assert_eq!(d[16], 5);
        assert_eq!(d[20], 6);

        let e = Event {
            userdata: 0xabc,
            error: Errno::Badf,
            type_: eventtype::FD_WRITE,
            nbytes: 9,
            flags: EVENTRWFLAGS_FD_READWRITE_HANGUP,
        }
        .to_bytes();
        assert_eq!(&e[8..10], &[8, 0]);
        assert_eq!(e[10], 2);
        assert_eq!(e[16], 9);
        assert_eq!(e[24], 1);
    }

    #[test]
    fn timestamps_saturate() {
        assert_eq!(timestamp(-5, 10), 0);
        assert_eq!(timestamp(1, 5), 1_000_000_005);
        assert_eq!(timestamp(i64::MAX, 999_999_999), u64::MAX);
    }
}
