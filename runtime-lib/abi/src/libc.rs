//! wasi-libc's string and memory functions (`memcpy`, `memmove`, `memset`, `memcmp`,
//! `strlen`) that the runtime has routines for: when the compiler recognises a module's
//! function as one of those, in an exact known build (by its body and type, never by its name),
//! it compiles it with a fast path through the routine, a builtin of
//! [`foreach_builtin!`](crate::foreach_builtin) that takes native addresses.
//!
//! The compiled function keeps its wasm body: it first checks that the call is one the routine
//! gives the same result for (every byte in bounds, no overlap for `memcpy`, room on the stack),
//! calls the routine if so, and otherwise runs the body it was compiled from, so traps and
//! partial writes stay exactly the wasm ones.

use crate::Builtin;

/// A wasi-libc function the runtime has a routine for (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LibcRoutine {
    Memcpy,
    Memmove,
    Memset,
    Memcmp,
    Strlen,
}

impl LibcRoutine {
    /// Every routine.
    pub const ALL: [LibcRoutine; 5] = [
        LibcRoutine::Memcpy,
        LibcRoutine::Memmove,
        LibcRoutine::Memset,
        LibcRoutine::Memcmp,
        LibcRoutine::Strlen,
    ];

    /// The name of the wasi-libc function.
    pub const fn libc_name(self) -> &'static str {
        match self {
            LibcRoutine::Memcpy => "memcpy",
            LibcRoutine::Memmove => "memmove",
            LibcRoutine::Memset => "memset",
            LibcRoutine::Memcmp => "memcmp",
            LibcRoutine::Strlen => "strlen",
        }
    }

    /// The builtin that does its work on native addresses.
    pub const fn builtin(self) -> Builtin {
        match self {
            LibcRoutine::Memcpy => Builtin::LibcMemcpy,
            LibcRoutine::Memmove => Builtin::LibcMemmove,
            LibcRoutine::Memset => Builtin::LibcMemset,
            LibcRoutine::Memcmp => Builtin::LibcMemcmp,
            LibcRoutine::Strlen => Builtin::LibcStrnlen,
        }
    }
}
