//! The builtin functions compiled code calls through the VM context's table
//! (see [`abi::Builtin`](crate::abi::Builtin)): growth and bulk operations on memories and
//! tables. Each receives the calling instance's vmctx; those that can fail return nonzero and
//! the caller traps.
//!
//! This module depends on [`crate::instance`], not the other way round: whoever instantiates
//! passes [`TABLE`] to [`Instance::new`]. The optional tables, [`crate::unwind::EXCEPTION_TABLE`]
//! and [`crate::wait_queue::WAIT_TABLE`], are expanded by the same [`builtin_table!`]; an
//! embedder hands [`optional_tables`] to [`Instance::new`].

use crate::abi::{BuiltinTable, OptionalTable, OptionalTables};
use crate::instance::{Instance, in_bounds};
use crate::libc::{libc_memcmp, libc_memcpy, libc_memmove, libc_memset, libc_strnlen};

/// Expands a builtin list into its table: each implementation (a function of the invoking
/// module's scope) is coerced to the signature declared in [`crate::abi::foreach_builtin!`],
/// [`crate::abi::foreach_exception_builtin!`] or [`crate::abi::foreach_wait_builtin!`], so one whose parameter or result types differ
/// from what the compiler calls it with does not compile.
macro_rules! builtin_table {
    ($enum:ident $table:ident $(in $group:ident)?; $(
        $(#[doc = $doc:literal])*
        $variant:ident $name:ident($($param:ident: $ty:ty),*) $(-> $ret:ty)?
            $(, traps $trap:ident)?;
    )*) => {
        crate::abi::$table([$({
            let f: unsafe extern "C" fn(*mut u8 $(, $ty)*) $(-> $ret)? = $name;
            f as *const u8
        }),*])
    };
}
pub(crate) use builtin_table;

/// The builtin table every VM context points to, in [`crate::abi::Builtin`] order.
pub static TABLE: BuiltinTable = crate::abi::foreach_builtin!(builtin_table);

/// Every optional builtin table of the runtime, for embedders: their compiled objects do not
/// link the tables themselves (executables do, each only if their code calls it). Referring to
/// this links the exception runtime and the wait queue.
pub fn optional_tables() -> OptionalTables {
    OptionalTables(OptionalTable::ALL.map(|t| match t {
        OptionalTable::Exceptions => crate::unwind::EXCEPTION_TABLE.0.as_ptr(),
        OptionalTable::Wait => crate::wait_queue::WAIT_TABLE.0.as_ptr(),
    }))
}

/// # Safety
/// Called by compiled code with its own vmctx.
unsafe fn instance<'a>(vmctx: *mut u8) -> &'a mut Instance {
    // SAFETY: per the caller's contract.
    unsafe { Instance::from_vmctx(vmctx) }
}

unsafe extern "C" fn memory_grow(vmctx: *mut u8, mem: u32, delta: u64) -> i64 {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    match inst.memory(mem).and_then(|m| m.grow(delta)) {
        Some(old) => old as i64,
        None => -1,
    }
}

unsafe extern "C" fn memory_fill(vmctx: *mut u8, mem: u32, dst: u64, val: u32, len: u64) -> i32 {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    let Some(m) = inst.memory(mem) else { return 1 };
    if !in_bounds(dst, len, m.byte_len() as u64) {
        return 1;
    }
    // SAFETY: the range was checked.
    unsafe { crate::libc::fill(m.base().add(dst as usize), val as u8, len as usize) };
    0
}

unsafe extern "C" fn memory_copy(
    vmctx: *mut u8,
    dst_mem: u32,
    src_mem: u32,
    dst: u64,
    src: u64,
    len: u64,
) -> i32 {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    let (Some(d), Some(s)) = (inst.memory(dst_mem), inst.memory(src_mem)) else {
        return 1;
    };
    if !in_bounds(dst, len, d.byte_len() as u64) || !in_bounds(src, len, s.byte_len() as u64) {
        return 1;
    }
    // SAFETY: both ranges were checked; `copy` handles overlap.
    unsafe {
        crate::libc::copy(
            d.base().add(dst as usize),
            s.base().add(src as usize),
            len as usize,
        )
    };
    0
}

unsafe extern "C" fn memory_init(
    vmctx: *mut u8,
    mem: u32,
    data: u32,
    dst: u64,
    src: u32,
    len: u32,
) -> i32 {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    i32::from(inst.memory_init(mem, data, dst, src, len))
}

unsafe extern "C" fn data_drop(vmctx: *mut u8, data: u32) {
    // SAFETY: called from compiled code.
    unsafe { instance(vmctx) }.data_drop(data);
}

unsafe extern "C" fn table_grow(vmctx: *mut u8, table: u32, init: u64, delta: u64) -> i64 {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    match inst.table(table).and_then(|t| t.grow(delta, init)) {
        Some(old) => old as i64,
        None => -1,
    }
}

/// The range of `len` elements at `start`, if it lies within `size` elements.
fn element_range(start: u64, len: u64, size: u64) -> Option<std::ops::Range<usize>> {
    in_bounds(start, len, size).then(|| start as usize..(start + len) as usize)
}

unsafe extern "C" fn table_fill(vmctx: *mut u8, table: u32, dst: u64, val: u64, len: u64) -> i32 {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    let Some(t) = inst.table(table) else {
        return 1;
    };
    match element_range(dst, len, t.len()) {
        Some(range) => {
            t.elements_mut()[range].fill(val);
            0
        }
        None => 1,
    }
}

unsafe extern "C" fn table_copy(
    vmctx: *mut u8,
    dst_table: u32,
    src_table: u32,
    dst: u64,
    src: u64,
    len: u64,
) -> i32 {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    let Some(s) = inst.table(src_table) else {
        return 1;
    };
    let Some(values) = element_range(src, len, s.len()).map(|r| s.elements_mut()[r].to_vec())
    else {
        return 1;
    };
    let Some(d) = inst.table(dst_table) else {
        return 1;
    };
    match element_range(dst, len, d.len()) {
        Some(range) => {
            d.elements_mut()[range].copy_from_slice(&values);
            0
        }
        None => 1,
    }
}

unsafe extern "C" fn table_init(
    vmctx: *mut u8,
    table: u32,
    elem: u32,
    dst: u64,
    src: u32,
    len: u32,
) -> i32 {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    i32::from(inst.table_init(table, elem, dst, src, len))
}

unsafe extern "C" fn elem_drop(vmctx: *mut u8, elem: u32) {
    // SAFETY: called from compiled code.
    unsafe { instance(vmctx) }.elem_drop(elem);
}

unsafe extern "C" fn check_subtype(_vmctx: *mut u8, actual: u32, expected: u32) -> i32 {
    i32::from(!crate::types::is_subtype(actual, expected))
}

unsafe extern "C" fn unknown_import(vmctx: *mut u8, import: u32) {
    // SAFETY: called from compiled code.
    let inst = unsafe { instance(vmctx) };
    let name = inst
        .module()
        .meta
        .imports
        .iter()
        .filter(|i| matches!(i.kind, crate::abi::meta::ImportKind::Func(_)))
        .nth(import as usize)
        .map(|i| format!("{}::{}", i.module, i.name))
        .unwrap_or_default();
    crate::trap::host_trap(
        crate::abi::TrapCode::UnknownImport,
        &format!("`{name}` was not provided at compile time"),
    )
}
