//! Trap codes shared by the compiler (which records them per trapping instruction) and the
//! runtime (which reports them).

/// Declares [`TrapCode`] from one table: each code's variant, its value in trap tables, the
/// message the spec tests expect, and its doc comment. The enum, [`TrapCode::ALL`],
/// [`TrapCode::message`] and [`TrapCode::from_u32`] are all expanded from it, so a new code is
/// one line.
macro_rules! trap_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $value:literal, $message:literal; )*) => {
        /// Why wasm execution stopped. The numeric values are stored in
        /// [`crate::TrapSite::code`].
        #[repr(u32)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum TrapCode {
            $( $(#[doc = $doc])* $variant = $value, )*
        }

        impl TrapCode {
            /// Every trap code.
            pub const ALL: [TrapCode; [$(TrapCode::$variant),*].len()] = [$(TrapCode::$variant),*];

            /// The message the WebAssembly spec tests expect for this trap.
            pub const fn message(self) -> &'static str {
                match self {
                    $( TrapCode::$variant => $message, )*
                }
            }

            /// The code stored as `raw` in a trap table, if it is one.
            pub const fn from_u32(raw: u32) -> Option<TrapCode> {
                match raw {
                    $( $value => Some(TrapCode::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

trap_codes! {
    /// `unreachable` executed.
    Unreachable = 1, "unreachable";
    /// A load, store or bulk memory operation outside linear memory.
    MemoryOutOfBounds = 2, "out of bounds memory access";
    /// `table.get/set/fill/copy/init` or an element segment outside a table.
    TableOutOfBounds = 3, "out of bounds table access";
    /// `call_indirect` of a null table entry.
    IndirectCallToNull = 4, "uninitialized element";
    /// `call_indirect` with an index beyond the table.
    UndefinedElement = 5, "undefined element";
    /// `call_indirect` whose entry has another signature.
    BadSignature = 6, "indirect call type mismatch";
    /// Signed division overflow or a float-to-int conversion out of range.
    IntegerOverflow = 7, "integer overflow";
    /// Integer division or remainder by zero.
    IntegerDivisionByZero = 8, "integer divide by zero";
    /// Float-to-int conversion of NaN.
    BadConversionToInteger = 9, "invalid conversion to integer";
    /// The wasm call stack reached its limit.
    StackOverflow = 10, "call stack exhausted";
    /// A function import that was left unresolved (`--unknown-imports trap`) was called.
    UnknownImport = 11, "call to unknown import";
    /// A WASI call was given a pointer outside linear memory (`--trap-on-efault`).
    WasiBadPointer = 12, "WASI call given a pointer outside linear memory";
    /// A null reference was dereferenced.
    NullReference = 13, "null reference";
    /// A wasm exception reached the host with no `catch` for it.
    UncaughtException = 14, "uncaught wasm exception";
    /// `call_ref` (or `return_call_ref`) of a null function reference.
    NullFunctionReference = 15, "null function reference";
    /// An atomic access whose effective address is not a multiple of its size.
    UnalignedAtomic = 16, "unaligned atomic";
    /// `memory.atomic.wait32/64` on a memory that is not shared.
    AtomicWaitNonShared = 17, "atomic wait on non-shared memory";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for code in TrapCode::ALL {
            assert_eq!(TrapCode::from_u32(code as u32), Some(code));
        }
        assert_eq!(TrapCode::from_u32(0), None);
        let mut messages: Vec<_> = TrapCode::ALL.iter().map(|c| c.message()).collect();
        messages.sort();
        messages.dedup();
        assert_eq!(messages.len(), TrapCode::ALL.len());
    }

    #[test]
    fn spec_messages() {
        assert_eq!(TrapCode::StackOverflow.message(), "call stack exhausted");
        assert_eq!(
            TrapCode::MemoryOutOfBounds.message(),
            "out of bounds memory access"
        );
        assert_eq!(
            TrapCode::BadConversionToInteger.message(),
            "invalid conversion to integer"
        );
    }
}
