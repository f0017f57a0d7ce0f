//! The error of a WASI call: the errno the guest gets, and what explains it to the trace and to
//! `--trap-on-efault`.

use super::types::Errno;

/// Why a WASI call failed: the [`Errno`] returned to the guest and, where there is one, its
/// explanation: the guest range that lies outside linear memory (for `fault`, which
/// `--trap-on-efault` turns into a trap naming it), or why a path was denied (for the trace).
///
/// `?` turns a bare [`Errno`] into an `Error`. Nothing is allocated unless a call fails with a
/// note, and notes are only formatted when the call trace is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    errno: Errno,
    detail: Detail,
}

/// What explains an [`Error`] beyond its errno.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Detail {
    None,
    /// The guest range `addr..addr+len`, outside linear memory.
    OutOfBounds {
        addr: u64,
        len: u64,
    },
    /// Why the call was denied, as the trace prints it.
    Note(String),
}

impl Error {
    /// `fault` for the guest range `addr..addr+len`, which lies outside linear memory.
    pub fn out_of_bounds(addr: u64, len: u64) -> Error {
        Error {
            errno: Errno::Fault,
            detail: Detail::OutOfBounds { addr, len },
        }
    }

    /// `errno`, with the reason the trace gives for it.
    pub fn with_note(errno: Errno, note: String) -> Error {
        Error {
            errno,
            detail: Detail::Note(note),
        }
    }

    /// The errno the guest gets.
    pub fn errno(&self) -> Errno {
        self.errno
    }

    /// The guest range `(address, length)` outside linear memory that made the call fail.
    pub fn bad_pointer(&self) -> Option<(u64, u64)> {
        match self.detail {
            Detail::OutOfBounds { addr, len } => Some((addr, len)),
            _ => None,
        }
    }

    /// Why the call was denied, for the trace.
    pub fn note(&self) -> Option<&str> {
        match &self.detail {
            Detail::Note(note) => Some(note),
            _ => None,
        }
    }
}

impl From<Errno> for Error {
    fn from(errno: Errno) -> Error {
        Error {
            errno,
            detail: Detail::None,
        }
    }
}
