//! The builtin functions compiled code calls through the tables the VM context header points
//! to: [`Builtin`]s through the one at `VMContext + OFFSET_BUILTINS`, the builtins of an
//! [`OptionalTable`] through the [`OptionalTables`] at `VMContext + OFFSET_OPTIONAL_BUILTINS`.
//!
//! They go through tables rather than symbols so that a compiled object has no undefined
//! runtime symbols besides WASI: it can be loaded as a shared object into any host that links
//! the runtime. Every builtin takes the caller's vmctx first. Builtins that can fail return a
//! nonzero `i32` and the compiled code raises the trap named in [`Builtin::trap`], so every trap
//! is raised from wasm code and unwinds the same way.
//!
//! The exception builtins and the wait queue's have tables of their own ([`OptionalTable`]) so
//! that only modules that call them link those parts of the runtime: an executable's image
//! points to such a table through its runtime symbol when its code calls it (and only then), so
//! the linker drops the unwinder or the wait queue from every other program.
//!
//! Each builtin is declared once, in [`foreach_builtin!`](crate::foreach_builtin),
//! [`foreach_exception_builtin!`](crate::foreach_exception_builtin) or
//! [`foreach_wait_builtin!`](crate::foreach_wait_builtin): this crate expands each list into an
//! enum (what the compiler calls) and its table type, and the runtime expands it into its table
//! of implementations, each coerced to the declared signature, so the two sides cannot disagree
//! on order, parameter types or results.

use crate::TrapCode;

/// Invokes `$callback! { Builtin BuiltinTable; ... }` with every builtin, in table order: the
/// enum and table type names, then the entries. Each entry reads
///
/// ```text
/// /// doc
/// Variant name(param: type, ...) [-> result] [, traps TrapCodeVariant];
/// ```
///
/// `name` is the runtime's implementation, an `unsafe extern "C" fn(vmctx: *mut u8, param:
/// type, ...) -> result`; types are `u32`, `u64`, `i32` or `i64`. Addresses, indices and
/// lengths are `u64` for 32- and 64-bit memories and tables alike (compiled code zero-extends
/// 32-bit operands), and growth returns `i64`, so one builtin serves both. `traps` names the
/// trap compiled code raises when the builtin returns nonzero. (The pattern of wasmtime's
/// `foreach_builtin_function!`.)
#[macro_export]
macro_rules! foreach_builtin {
    ($callback:ident) => {
        $callback! {
            Builtin BuiltinTable;
            /// `memory.grow`: the old size in pages, or -1.
            MemoryGrow memory_grow(memidx: u32, delta_pages: u64) -> i64;
            /// `memory.fill`: nonzero when out of bounds.
            MemoryFill memory_fill(memidx: u32, dst: u64, val: u32, len: u64) -> i32,
                traps MemoryOutOfBounds;
            /// `memory.copy`: nonzero when out of bounds.
            MemoryCopy memory_copy(dst_memidx: u32, src_memidx: u32, dst: u64, src: u64, len: u64)
                -> i32, traps MemoryOutOfBounds;
            /// `memory.init`: nonzero when out of bounds.
            MemoryInit memory_init(memidx: u32, dataidx: u32, dst: u64, src: u32, len: u32) -> i32,
                traps MemoryOutOfBounds;
            /// `data.drop`.
            DataDrop data_drop(dataidx: u32);
            /// `table.grow`: the old size, or -1.
            TableGrow table_grow(tableidx: u32, init: u64, delta: u64) -> i64;
            /// `table.fill`: nonzero when out of bounds.
            TableFill table_fill(tableidx: u32, dst: u64, val: u64, len: u64) -> i32,
                traps TableOutOfBounds;
            /// `table.copy`: nonzero when out of bounds.
            TableCopy table_copy(dst_tableidx: u32, src_tableidx: u32, dst: u64, src: u64, len: u64)
                -> i32, traps TableOutOfBounds;
            /// `table.init`: nonzero when out of bounds.
            TableInit table_init(tableidx: u32, elemidx: u32, dst: u64, src: u32, len: u32) -> i32,
                traps TableOutOfBounds;
            /// `elem.drop`.
            ElemDrop elem_drop(elemidx: u32);
            /// `call_indirect` to a non-final type whose id differs from the function's:
            /// nonzero unless the function's type is a declared subtype of the expected one.
            CheckSubtype check_subtype(actual_type_id: u32, expected_type_id: u32) -> i32,
                traps BadSignature;
            /// Records which import was called; the stub then traps.
            UnknownImport unknown_import(importidx: u32);
            /// wasi-libc's `memcpy` ([`LibcRoutine`](crate::LibcRoutine)) on native addresses of
            /// ranges compiled code checked: in bounds, not overlapping.
            LibcMemcpy libc_memcpy(dst: u64, src: u64, len: u64);
            /// `memmove` (and `memory.copy`) on native addresses of checked ranges.
            LibcMemmove libc_memmove(dst: u64, src: u64, len: u64);
            /// `memset` (and `memory.fill`) with the low byte of `byte`, on a checked range.
            LibcMemset libc_memset(dst: u64, byte: u32, len: u64);
            /// `memcmp` on checked ranges: the difference of the first differing bytes (as
            /// unsigned bytes, as wasi-libc returns it), or 0.
            LibcMemcmp libc_memcmp(a: u64, b: u64, len: u64) -> i32;
            /// `strlen` within `max` bytes at native address `s`: the length, or `max` when no
            /// NUL is among them.
            LibcStrnlen libc_strnlen(s: u64, max: u64) -> u64;
        }
    };
}

/// Invokes `$callback! { ExceptionBuiltin ExceptionBuiltinTable; ... }` with every builtin of
/// the exception runtime, in table order, as [`foreach_builtin!`](crate::foreach_builtin) does.
#[macro_export]
macro_rules! foreach_exception_builtin {
    ($callback:ident) => {
        $callback! {
            ExceptionBuiltin ExceptionBuiltinTable in Exceptions;
            /// `throw`: a new exception of tag `tagidx` with room for `payload_bytes` of
            /// payload, which compiled code stores at `EXN_PAYLOAD_OFFSET` (16 bytes per value).
            ExnNew exn_new(tagidx: u32, payload_bytes: u32) -> u64;
            /// `throw_ref` (and `throw` outside a `try_table` of its function): unwinds to the
            /// innermost handler of a calling wasm frame; never returns.
            ThrowRef throw_ref(exn: u64);
        }
    };
}

/// Invokes `$callback! { WaitBuiltin WaitBuiltinTable in Wait; ... }` with every builtin of the
/// wait queue (`memory.atomic.wait`/`notify` on shared memories), in table order, as
/// [`foreach_builtin!`](crate::foreach_builtin) does.
#[macro_export]
macro_rules! foreach_wait_builtin {
    ($callback:ident) => {
        $callback! {
            WaitBuiltin WaitBuiltinTable in Wait;
            /// `memory.atomic.wait32` on a shared memory, at native address `addr` (checked
            /// by compiled code): 0 when woken, 1 when the value is not `expected`, 2 after
            /// `timeout_ns` (negative: none).
            Wait32 memory_atomic_wait32(addr: u64, expected: u32, timeout_ns: i64)
                -> u32;
            /// `memory.atomic.wait64`, as `wait32`.
            Wait64 memory_atomic_wait64(addr: u64, expected: u64, timeout_ns: i64)
                -> u32;
            /// `memory.atomic.notify` on a shared memory: wakes up to `count` waiters on native
            /// address `addr`, oldest first, and returns how many it woke.
            Notify memory_atomic_notify(addr: u64, count: u32) -> u32;
        }
    };
}

/// The builtin tables that only the programs calling them link, one per part of the runtime
/// that most programs do without. The VM context header points to one [`OptionalTables`]
/// (`OFFSET_OPTIONAL_BUILTINS`); an executable's image points to each table its code calls,
/// by the table's [`symbol`](Self::symbol), and to no other, so `--gc-sections` drops the
/// rest of the runtime part.
#[repr(usize)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionalTable {
    /// [`foreach_exception_builtin!`](crate::foreach_exception_builtin): the unwinder.
    Exceptions,
    /// [`foreach_wait_builtin!`](crate::foreach_wait_builtin): the wait queue.
    Wait,
}

impl OptionalTable {
    /// Every optional table, in [`OptionalTables`] order.
    pub const ALL: [OptionalTable; 2] = [OptionalTable::Exceptions, OptionalTable::Wait];

    /// The runtime's symbol for the table.
    pub const fn symbol(self) -> &'static str {
        match self {
            OptionalTable::Exceptions => "w2n_exception_builtins",
            OptionalTable::Wait => "w2n_wait_builtins",
        }
    }

    /// Byte offset of the table's pointer within [`OptionalTables`].
    pub const fn offset(self) -> u32 {
        self as u32 * 8
    }
}

/// One pointer per [`OptionalTable`], each the table's first entry or null where it is not
/// linked.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct OptionalTables(pub [*const *const u8; OptionalTable::ALL.len()]);

impl OptionalTables {
    /// No table linked.
    pub const NONE: OptionalTables = OptionalTables([core::ptr::null(); OptionalTable::ALL.len()]);

    /// The pointer to table `t`.
    pub fn get(&self, t: OptionalTable) -> *const *const u8 {
        self.0[t as usize]
    }
}

// SAFETY: pointers to immutable tables of function pointers.
unsafe impl Sync for OptionalTables {}
unsafe impl Send for OptionalTables {}

/// Scalar types used in builtin signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinType {
    I32,
    I64,
}

/// The [`BuiltinType`] of a Rust type used in [`foreach_builtin!`](crate::foreach_builtin).
trait BuiltinValue {
    const TYPE: BuiltinType;
}

impl BuiltinValue for u32 {
    const TYPE: BuiltinType = BuiltinType::I32;
}

impl BuiltinValue for i32 {
    const TYPE: BuiltinType = BuiltinType::I32;
}

impl BuiltinValue for i64 {
    const TYPE: BuiltinType = BuiltinType::I64;
}

impl BuiltinValue for u64 {
    const TYPE: BuiltinType = BuiltinType::I64;
}

/// `Some(x)` for an entry that declares `x`, `None` for one that does not.
macro_rules! optional {
    () => {
        None
    };
    ($x:expr) => {
        Some($x)
    };
}

/// Expands a builtin list into its enum, with each builtin's signature, trap and place in the
/// table, and its table type.
macro_rules! declare_builtins {
    ($enum:ident $table:ident $(in $group:ident)?; $(
        $(#[doc = $doc:literal])*
        $variant:ident $name:ident($($param:ident: $ty:ty),*) $(-> $ret:ty)?
            $(, traps $trap:ident)?;
    )*) => {
        /// A builtin function: its value is its index in its table (see the module docs).
        #[repr(u32)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $enum {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl $enum {
            /// The optional table this builtin is in; `None` for the main table.
            pub const GROUP: Option<OptionalTable> = optional!($(OptionalTable::$group)?);

            /// Every builtin, in table order.
            pub const ALL: [$enum; [$($enum::$variant),*].len()] = [$($enum::$variant),*];

            /// Parameters after the leading vmctx, and the result.
            pub fn signature(self) -> (&'static [BuiltinType], Option<BuiltinType>) {
                match self {
                    $( $enum::$variant => {
                        const PARAMS: &[BuiltinType] = &[$(<$ty as BuiltinValue>::TYPE),*];
                        (PARAMS, optional!($(<$ret as BuiltinValue>::TYPE)?))
                    } )*
                }
            }

            /// The trap raised when this builtin returns a nonzero status.
            pub fn trap(self) -> Option<TrapCode> {
                match self {
                    $( $enum::$variant => optional!($(TrapCode::$trap)?), )*
                }
            }

            /// Byte offset of this builtin's pointer within its table.
            pub const fn table_offset(self) -> u32 {
                self as u32 * 8
            }
        }

        /// A table of builtins: one function pointer per builtin, in enum order. The runtime
        /// builds the one table there is from the list.
        #[repr(C)]
        pub struct $table(pub [*const u8; $enum::ALL.len()]);

        // SAFETY: function pointers, immutable.
        unsafe impl Sync for $table {}
    };
}

foreach_builtin!(declare_builtins);
foreach_exception_builtin!(declare_builtins);
foreach_wait_builtin!(declare_builtins);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_are_dense() {
        for (i, b) in Builtin::ALL.iter().enumerate() {
            assert_eq!(*b as usize, i);
            assert_eq!(b.table_offset() as usize, i * 8);
        }
        for (i, b) in ExceptionBuiltin::ALL.iter().enumerate() {
            assert_eq!(*b as usize, i);
            assert_eq!(b.table_offset() as usize, i * 8);
        }
        for (i, b) in WaitBuiltin::ALL.iter().enumerate() {
            assert_eq!(*b as usize, i);
            assert_eq!(b.table_offset() as usize, i * 8);
        }
        for (i, t) in OptionalTable::ALL.iter().enumerate() {
            assert_eq!(*t as usize, i);
        }
    }
}
