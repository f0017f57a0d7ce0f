//! Layout of the VM context: one block of memory per instance, passed as the first argument of
//! every compiled function.
//!
//! ```text
//! 0   header: builtins table, instance back-pointer, stack limit
//!     type_ids          [u32; types]              canonical signature id per type index
//!     imported_funcs    [VMFuncImport; imported]  code + vmctx to call each imported function
//!     memory_ptrs       [*mut VMMemory; memories] every memory (imported or defined)
//!     defined_memories  [VMMemory; defined]
//!     table_ptrs        [*mut VMTable; tables]
//!     defined_tables    [VMTable; defined]
//!     global_ptrs       [*mut VMGlobal; globals]
//!     defined_globals   [VMGlobal; defined]       16-byte aligned
//!     func_refs         [VMFuncRef; func_refs]    for functions that escape (exports, ref.func, elems)
//!     tag_ptrs          [*const VMTag; tags]      every tag (imported or defined): its identity
//!     defined_tags      [VMTag; defined]
//! ```
//!
//! The tag regions come last, so that a module without tags has the layout it always had.

use core::mem::{offset_of, size_of};

/// Offset of the builtin table pointer in the VM context header.
pub const OFFSET_BUILTINS: u32 = offset_of!(VMContextHeader, builtins) as u32;
/// Offset of the pointer to the optional builtin tables in the VM context header.
pub const OFFSET_OPTIONAL_BUILTINS: u32 = offset_of!(VMContextHeader, optional_builtins) as u32;
/// Offset of the runtime's instance pointer in the VM context header.
pub const OFFSET_INSTANCE: u32 = offset_of!(VMContextHeader, instance) as u32;
/// Offset of the stack limit (lowest stack pointer for calls to host code) in the VM context header.
pub const OFFSET_STACK_LIMIT: u32 = offset_of!(VMContextHeader, stack_limit) as u32;

/// The fixed start of every VM context.
#[repr(C)]
#[derive(Debug)]
pub struct VMContextHeader {
    /// Table of builtin function pointers, indexed by [`crate::Builtin`].
    pub builtins: *const *const u8,
    /// The runtime's instance owning this context.
    pub instance: *mut u8,
    /// Compiled code traps with "call stack exhausted" when it would call host code (WASI,
    /// builtins, embedder imports) with the stack pointer below it; wasm code itself runs down
    /// to the stack's guard page.
    pub stack_limit: usize,
    /// The optional builtin tables ([`crate::OptionalTable`]: exceptions, the wait queue),
    /// each null in instances of modules that call none of its builtins. Behind a pointer, so
    /// that the header keeps its size: only rare calls (throw, wait, notify) take the extra load.
    pub optional_builtins: *const crate::OptionalTables,
}

/// A linear memory as compiled code sees it.
#[repr(C)]
#[derive(Debug)]
pub struct VMMemory {
    /// Start of the memory; never moves in guard-page mode.
    pub base: *mut u8,
    /// Current size in bytes.
    pub length: u64,
}

/// A table as compiled code sees it: `length` words of references.
///
/// A funcref is a `*const VMFuncRef` (0 = null); an externref is an opaque host word (0 = null).
#[repr(C)]
#[derive(Debug)]
pub struct VMTable {
    pub base: *mut u64,
    /// Current number of elements.
    pub length: u64,
}

/// Storage of one global: 16 bytes, value in the low bytes, little-endian.
#[repr(C, align(16))]
#[derive(Debug, Clone, Copy, Default)]
pub struct VMGlobal {
    pub bytes: [u8; 16],
}

/// What compiled code needs to call an imported function.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VMFuncImport {
    pub code: *const u8,
    /// Passed as the callee's first argument.
    pub vmctx: *mut u8,
}

/// A function reference: the value of a funcref is a pointer to one of these.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct VMFuncRef {
    pub code: *const u8,
    pub vmctx: *mut u8,
    /// Canonical signature id, compared by `call_indirect`.
    pub type_id: u64,
}

/// A defined exception tag. Its address is the tag's identity: an exception matches a `catch`
/// when the identity it was thrown with is the one the catching instance's tag slot holds.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct VMTag {
    /// Canonical signature id of the tag's type, checked when the tag is imported.
    pub type_id: u64,
}

/// Field offsets within the records above.
pub const VMMEMORY_BASE: u32 = offset_of!(VMMemory, base) as u32;
pub const VMMEMORY_LENGTH: u32 = offset_of!(VMMemory, length) as u32;
pub const VMTABLE_BASE: u32 = offset_of!(VMTable, base) as u32;
pub const VMTABLE_LENGTH: u32 = offset_of!(VMTable, length) as u32;
pub const VMFUNCIMPORT_CODE: u32 = offset_of!(VMFuncImport, code) as u32;
pub const VMFUNCIMPORT_VMCTX: u32 = offset_of!(VMFuncImport, vmctx) as u32;
pub const VMFUNCREF_CODE: u32 = offset_of!(VMFuncRef, code) as u32;
pub const VMFUNCREF_VMCTX: u32 = offset_of!(VMFuncRef, vmctx) as u32;
pub const VMFUNCREF_TYPE_ID: u32 = offset_of!(VMFuncRef, type_id) as u32;

/// How many of each record a module's VM context holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VMCounts {
    pub types: u32,
    pub imported_funcs: u32,
    pub memories: u32,
    pub defined_memories: u32,
    pub tables: u32,
    pub defined_tables: u32,
    pub globals: u32,
    pub defined_globals: u32,
    pub func_refs: u32,
    pub tags: u32,
    pub defined_tags: u32,
}

/// Byte offsets of every region of a VM context, computed from [`VMCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VMOffsets {
    pub counts: VMCounts,
    type_ids: u32,
    imported_funcs: u32,
    memory_ptrs: u32,
    defined_memories: u32,
    table_ptrs: u32,
    defined_tables: u32,
    global_ptrs: u32,
    defined_globals: u32,
    func_refs: u32,
    tag_ptrs: u32,
    defined_tags: u32,
    size: u32,
}

const fn align(n: u32, to: u32) -> u32 {
    n.div_ceil(to) * to
}

impl VMOffsets {
    /// Lays out a VM context for `counts`.
    pub fn new(counts: VMCounts) -> VMOffsets {
        let ptr = size_of::<usize>() as u32;
        let type_ids = size_of::<VMContextHeader>() as u32;
        let imported_funcs = align(type_ids + 4 * counts.types, 8);
        let memory_ptrs = imported_funcs + size_of::<VMFuncImport>() as u32 * counts.imported_funcs;
        let defined_memories = memory_ptrs + ptr * counts.memories;
        let table_ptrs = defined_memories + size_of::<VMMemory>() as u32 * counts.defined_memories;
        let defined_tables = table_ptrs + ptr * counts.tables;
        let global_ptrs = defined_tables + size_of::<VMTable>() as u32 * counts.defined_tables;
        let defined_globals = align(global_ptrs + ptr * counts.globals, 16);
        let func_refs = defined_globals + size_of::<VMGlobal>() as u32 * counts.defined_globals;
        let tag_ptrs = func_refs + size_of::<VMFuncRef>() as u32 * counts.func_refs;
        let defined_tags = tag_ptrs + ptr * counts.tags;
        let size = align(
            defined_tags + size_of::<VMTag>() as u32 * counts.defined_tags,
            16,
        );
        VMOffsets {
            counts,
            type_ids,
            imported_funcs,
            memory_ptrs,
            defined_memories,
            table_ptrs,
            defined_tables,
            global_ptrs,
            defined_globals,
            func_refs,
            tag_ptrs,
            defined_tags,
            size,
        }
    }

    /// Total size in bytes; a VM context is allocated 16-byte aligned.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// `u32` canonical signature id of type index `i`.
    pub fn type_id(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.types);
        self.type_ids + 4 * i
    }

    /// [`VMFuncImport`] of imported function `i`.
    pub fn imported_func(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.imported_funcs);
        self.imported_funcs + size_of::<VMFuncImport>() as u32 * i
    }

    /// `*mut VMMemory` of memory index `i`.
    pub fn memory_ptr(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.memories);
        self.memory_ptrs + 8 * i
    }

    /// [`VMMemory`] of the `i`th defined memory.
    pub fn defined_memory(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.defined_memories);
        self.defined_memories + size_of::<VMMemory>() as u32 * i
    }

    /// `*mut VMTable` of table index `i`.
    pub fn table_ptr(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.tables);
        self.table_ptrs + 8 * i
    }

    /// [`VMTable`] of the `i`th defined table.
    pub fn defined_table(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.defined_tables);
        self.defined_tables + size_of::<VMTable>() as u32 * i
    }

    /// `*mut VMGlobal` of global index `i`.
    pub fn global_ptr(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.globals);
        self.global_ptrs + 8 * i
    }

    /// [`VMGlobal`] of the `i`th defined global.
    pub fn defined_global(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.defined_globals);
        self.defined_globals + size_of::<VMGlobal>() as u32 * i
    }

    /// [`VMFuncRef`] in slot `i`.
    pub fn func_ref(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.func_refs);
        self.func_refs + size_of::<VMFuncRef>() as u32 * i
    }

    /// `*const VMTag` (the identity) of tag index `i`.
    pub fn tag_ptr(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.tags);
        self.tag_ptrs + 8 * i
    }

    /// [`VMTag`] of the `i`th defined tag.
    pub fn defined_tag(&self, i: u32) -> u32 {
        debug_assert!(i < self.counts.defined_tags);
        self.defined_tags + size_of::<VMTag>() as u32 * i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_layouts() {
        assert_eq!(OFFSET_BUILTINS, 0);
        assert_eq!(OFFSET_INSTANCE, 8);
        assert_eq!(OFFSET_STACK_LIMIT, 16);
        assert_eq!(OFFSET_OPTIONAL_BUILTINS, 24);
        assert_eq!(size_of::<VMContextHeader>(), 32);
        assert_eq!(size_of::<VMMemory>(), 16);
        assert_eq!(size_of::<VMTable>(), 16);
        assert_eq!(size_of::<VMGlobal>(), 16);
        assert_eq!(core::mem::align_of::<VMGlobal>(), 16);
        assert_eq!(size_of::<VMFuncImport>(), 16);
        assert_eq!(size_of::<VMFuncRef>(), 24);
        assert_eq!(
            (VMFUNCREF_CODE, VMFUNCREF_VMCTX, VMFUNCREF_TYPE_ID),
            (0, 8, 16)
        );
    }

    #[test]
    fn regions_follow_each_other_without_overlap() {
        let counts = VMCounts {
            types: 3,
            imported_funcs: 2,
            memories: 1,
            defined_memories: 1,
            tables: 2,
            defined_tables: 1,
            globals: 3,
            defined_globals: 2,
            func_refs: 4,
            tags: 0,
            defined_tags: 0,
        };
        let o = VMOffsets::new(counts);
        assert_eq!(o.type_id(0), 32);
        assert_eq!(o.imported_func(0), 48); // 32 + 12, aligned to 8
        assert_eq!(o.memory_ptr(0), 48 + 32);
        assert_eq!(o.defined_memory(0), 80 + 8);
        assert_eq!(o.table_ptr(1), 104 + 8);
        assert_eq!(o.defined_table(0), 120);
        assert_eq!(o.global_ptr(0), 136);
        assert_eq!(o.defined_global(0) % 16, 0);
        assert_eq!(o.defined_global(0), 160);
        assert_eq!(o.func_ref(0), 192);
        assert_eq!(o.size(), 192 + 4 * 24);
        assert_eq!(o.size() % 16, 0);
    }

    #[test]
    fn empty_module_is_just_the_header() {
        let o = VMOffsets::new(VMCounts::default());
        assert_eq!(o.size(), 32);
    }
}
