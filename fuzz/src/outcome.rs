//! What one run of a wrapped module produced, on either side, and trap kinds compared across
//! the two engines' wording.

use std::fmt;

/// A trap, by kind rather than wording. wasmtime reports every table bounds failure as
/// `TableOutOfBounds` ("undefined element: out of bounds table access"), while wasm2native says
/// "undefined element" for `call_indirect` past the end and "out of bounds table access" for
/// the table instructions: both are [`TrapKind::TableOutOfBounds`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TrapKind {
    /// `unreachable` ("unreachable" / "wasm `unreachable` instruction executed").
    Unreachable,
    /// "out of bounds memory access".
    MemoryOutOfBounds,
    /// "out of bounds table access", "undefined element".
    TableOutOfBounds,
    /// "uninitialized element".
    IndirectCallToNull,
    /// "indirect call type mismatch".
    BadSignature,
    /// "integer overflow".
    IntegerOverflow,
    /// "integer divide by zero".
    IntegerDivisionByZero,
    /// "invalid conversion to integer".
    BadConversionToInteger,
    /// "call stack exhausted": depends on stack sizes, so never compared.
    StackOverflow,
    /// "null reference".
    NullReference,
    /// "uncaught wasm exception" (and the tag's name) / wasmtime's `ThrownException`.
    UncaughtException,
    /// "unaligned atomic".
    UnalignedAtomic,
    /// "atomic wait on non-shared memory".
    AtomicWaitNonShared,
    /// A message this table does not know.
    Other(String),
}

impl TrapKind {
    /// The kind of a wasm2native trap message (`error: wasm trap: <message>`).
    pub fn from_native(message: &str) -> TrapKind {
        match message.trim() {
            "unreachable" => TrapKind::Unreachable,
            "out of bounds memory access" => TrapKind::MemoryOutOfBounds,
            "out of bounds table access" | "undefined element" => TrapKind::TableOutOfBounds,
            "uninitialized element" => TrapKind::IndirectCallToNull,
            "indirect call type mismatch" => TrapKind::BadSignature,
            "integer overflow" => TrapKind::IntegerOverflow,
            "integer divide by zero" => TrapKind::IntegerDivisionByZero,
            "invalid conversion to integer" => TrapKind::BadConversionToInteger,
            "call stack exhausted" => TrapKind::StackOverflow,
            "null reference" => TrapKind::NullReference,
            "unaligned atomic" => TrapKind::UnalignedAtomic,
            "atomic wait on non-shared memory" => TrapKind::AtomicWaitNonShared,
            m if m.starts_with("uncaught wasm exception") => TrapKind::UncaughtException,
            other => TrapKind::Other(other.to_string()),
        }
    }

    /// The kind of a wasmtime trap.
    pub fn from_wasmtime(trap: wasmtime::Trap) -> TrapKind {
        use wasmtime::Trap as T;
        match trap {
            T::UnreachableCodeReached => TrapKind::Unreachable,
            T::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
            T::TableOutOfBounds => TrapKind::TableOutOfBounds,
            T::IndirectCallToNull => TrapKind::IndirectCallToNull,
            T::BadSignature => TrapKind::BadSignature,
            T::IntegerOverflow => TrapKind::IntegerOverflow,
            T::IntegerDivisionByZero => TrapKind::IntegerDivisionByZero,
            T::BadConversionToInteger => TrapKind::BadConversionToInteger,
            T::StackOverflow => TrapKind::StackOverflow,
            T::NullReference => TrapKind::NullReference,
            T::HeapMisaligned => TrapKind::UnalignedAtomic,
            T::AtomicWaitNonSharedMemory => TrapKind::AtomicWaitNonShared,
            other => TrapKind::Other(other.to_string()),
        }
    }
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrapKind::Other(m) => write!(f, "other({m})"),
            kind => write!(f, "{kind:?}"),
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// `proc_exit(code)` or a return from `_start` (code 0).
    Exit(i32),
    /// A wasm trap.
    Trap(TrapKind),
    /// The time limit passed.
    Timeout,
    /// Anything else: a signal, an unexpected status, a host error (described).
    Crash(String),
}

impl fmt::Display for End {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            End::Exit(c) => write!(f, "exit {c}"),
            End::Trap(k) => write!(f, "trap {k}"),
            End::Timeout => write!(f, "timeout"),
            End::Crash(m) => write!(f, "crash: {m}"),
        }
    }
}

/// One run: its standard output and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Everything written to fd 1.
    pub stdout: Vec<u8>,
    /// How it ended.
    pub end: End,
}

impl Run {
    /// The index of the last `call i` line: the call that was running when the run ended.
    pub fn last_call(&self) -> Option<u32> {
        let text = String::from_utf8_lossy(&self.stdout);
        text.lines()
            .rev()
            .find_map(|l| l.strip_prefix("call ").and_then(|n| n.trim().parse().ok()))
    }

    /// Output before the `call i` line of call `i` (all of it when absent).
    pub fn before_call(&self, i: u32) -> &[u8] {
        let marker = format!("call {i}\n");
        let pos = self
            .stdout
            .windows(marker.len())
            .position(|w| w == marker.as_bytes());
        &self.stdout[..pos.unwrap_or(self.stdout.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trap_kinds_map_both_wordings() {
        let pairs = [
            ("unreachable", wasmtime::Trap::UnreachableCodeReached),
            ("undefined element", wasmtime::Trap::TableOutOfBounds),
            (
                "out of bounds table access",
                wasmtime::Trap::TableOutOfBounds,
            ),
            ("uninitialized element", wasmtime::Trap::IndirectCallToNull),
            (
                "integer divide by zero",
                wasmtime::Trap::IntegerDivisionByZero,
            ),
            ("call stack exhausted", wasmtime::Trap::StackOverflow),
            ("unaligned atomic", wasmtime::Trap::HeapMisaligned),
            (
                "atomic wait on non-shared memory",
                wasmtime::Trap::AtomicWaitNonSharedMemory,
            ),
        ];
        for (native, wt) in pairs {
            assert_eq!(TrapKind::from_native(native), TrapKind::from_wasmtime(wt));
        }
        for native in ["uncaught wasm exception", "uncaught wasm exception (tag e)"] {
            assert_eq!(TrapKind::from_native(native), TrapKind::UncaughtException);
        }
        assert!(matches!(TrapKind::from_native("bogus"), TrapKind::Other(_)));
    }

    #[test]
    fn last_call_and_prefix() {
        let run = Run {
            stdout: b"call 0\nret state 1\ncall 1\n".to_vec(),
            end: End::Exit(0),
        };
        assert_eq!(run.last_call(), Some(1));
        assert_eq!(run.before_call(1), b"call 0\nret state 1\n");
        assert_eq!(run.before_call(7), &run.stdout[..]);
    }
}
