//! Trap codes shared by the compiler (which records them per trapping instruction) and the
//! runtime (which reports them).

/// Why wasm execution stopped. The numeric values are stored in [`crate::TrapSite::code`].
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrapCode {
    /// `unreachable` executed.
    Unreachable = 1,
    /// A load, store or bulk memory operation outside linear memory.
    MemoryOutOfBounds = 2,
    /// `table.get/set/fill/copy/init` or an element segment outside a table.
    TableOutOfBounds = 3,
    /// `call_indirect` of a null table entry.
    IndirectCallToNull = 4,
    /// `call_indirect` with an index beyond the table.
    UndefinedElement = 5,
    /// `call_indirect` whose entry has another signature.
    BadSignature = 6,
    /// Signed division overflow or a float-to-int conversion out of range.
    IntegerOverflow = 7,
    /// Integer division or remainder by zero.
    IntegerDivisionByZero = 8,
    /// Float-to-int conversion of NaN.
    BadConversionToInteger = 9,
    /// The wasm call stack reached its limit.
    StackOverflow = 10,
    /// A function import that was left unresolved (`--unknown-imports trap`) was called.
    UnknownImport = 11,
    /// A WASI call was given a pointer outside linear memory (`--trap-on-efault`).
    WasiBadPointer = 12,
    /// A null reference was dereferenced.
    NullReference = 13,
}

impl TrapCode {
    /// Every trap code.
    pub const ALL: [TrapCode; 13] = [
        TrapCode::Unreachable,
        TrapCode::MemoryOutOfBounds,
        TrapCode::TableOutOfBounds,
        TrapCode::IndirectCallToNull,
        TrapCode::UndefinedElement,
        TrapCode::BadSignature,
        TrapCode::IntegerOverflow,
        TrapCode::IntegerDivisionByZero,
        TrapCode::BadConversionToInteger,
        TrapCode::StackOverflow,
        TrapCode::UnknownImport,
        TrapCode::WasiBadPointer,
        TrapCode::NullReference,
    ];

    /// The message the WebAssembly spec tests expect for this trap.
    pub const fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::IndirectCallToNull => "uninitialized element",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::BadSignature => "indirect call type mismatch",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivisionByZero => "integer divide by zero",
            TrapCode::BadConversionToInteger => "invalid conversion to integer",
            TrapCode::StackOverflow => "call stack exhausted",
            TrapCode::UnknownImport => "call to unknown import",
            TrapCode::WasiBadPointer => "WASI call given a pointer outside linear memory",
            TrapCode::NullReference => "null reference",
        }
    }

    /// The code stored as `raw` in a trap table, if it is one.
    pub fn from_u32(raw: u32) -> Option<TrapCode> {
        TrapCode::ALL.iter().copied().find(|c| *c as u32 == raw)
    }
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
