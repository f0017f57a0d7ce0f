//! The runtime's string and memory routines that stand in for wasi-libc's own (`memcpy`,
//! `memmove`, `memset`, `memcmp`, `strlen`) when the compiler recognises a module's function as
//! one of those exact, known builds (by its body and type, never by its name).
//!
//! The compiled function keeps its wasm body: it first checks that the call is one the routine
//! gives the same result for (every byte in bounds, no overlap for `memcpy`, room on the stack),
//! calls the routine with native addresses if so, and otherwise runs the body it was compiled
//! from, so traps and partial writes stay exactly the wasm ones.
//!
//! Each routine is declared once, in [`foreach_libc_routine!`](crate::foreach_libc_routine):
//! this crate expands it into [`LibcRoutine`] (what the compiler calls, with the runtime symbol
//! and signature) and the runtime checks each of its implementations against the same line.

use crate::BuiltinType;

/// Invokes `$callback! { ... }` with every routine. Each entry reads
///
/// ```text
/// /// doc
/// Variant libc_name symbol(param: type, ...) [-> result];
/// ```
///
/// `libc_name` is the wasi-libc function it stands for; `symbol` is the runtime's
/// implementation, an `unsafe extern "C" fn(param: type, ...) -> result` (System V, no VM
/// context); addresses are native pointers as `u64`.
#[macro_export]
macro_rules! foreach_libc_routine {
    ($callback:ident) => {
        $callback! {
            /// `memcpy(dst, src, len)`: `len` bytes between ranges that do not overlap.
            Memcpy memcpy w2n_libc_memcpy(dst: u64, src: u64, len: u64);
            /// `memmove(dst, src, len)`: ranges that may overlap.
            Memmove memmove w2n_libc_memmove(dst: u64, src: u64, len: u64);
            /// `memset(dst, byte, len)`: the low byte of `byte`.
            Memset memset w2n_libc_memset(dst: u64, byte: u32, len: u64);
            /// `memcmp(a, b, len)`: the difference of the first differing bytes (as unsigned
            /// bytes, as wasi-libc returns it), or 0.
            Memcmp memcmp w2n_libc_memcmp(a: u64, b: u64, len: u64) -> i32;
            /// `strlen` within `max` bytes: the length, or `max` when no NUL is among them
            /// (the compiled function then runs its wasm body, which traps where wasm would).
            Strlen strlen w2n_libc_strnlen(s: u64, max: u64) -> u64;
        }
    };
}

/// Expands the routine list into [`LibcRoutine`].
macro_rules! declare_libc_routines {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $libc:ident $symbol:ident($($param:ident: $ty:ty),*) $(-> $ret:ty)?;
    )*) => {
        /// A wasi-libc function the runtime has a routine for (see the module docs).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum LibcRoutine {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl LibcRoutine {
            /// Every routine.
            pub const ALL: [LibcRoutine; [$(LibcRoutine::$variant),*].len()] =
                [$(LibcRoutine::$variant),*];

            /// The name of the wasi-libc function it stands for.
            pub const fn libc_name(self) -> &'static str {
                match self {
                    $( LibcRoutine::$variant => stringify!($libc), )*
                }
            }

            /// The runtime's symbol.
            pub const fn symbol(self) -> &'static str {
                match self {
                    $( LibcRoutine::$variant => stringify!($symbol), )*
                }
            }

            /// Parameters and result of the runtime's routine.
            pub fn signature(self) -> (&'static [BuiltinType], Option<BuiltinType>) {
                match self {
                    $( LibcRoutine::$variant => {
                        const PARAMS: &[BuiltinType] =
                            &[$(<$ty as crate::builtin::BuiltinValue>::TYPE),*];
                        (PARAMS, crate::builtin::optional!(
                            $(<$ret as crate::builtin::BuiltinValue>::TYPE)?))
                    } )*
                }
            }
        }
    };
}

foreach_libc_routine!(declare_libc_routines);
