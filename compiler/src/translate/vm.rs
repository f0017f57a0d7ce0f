//! Everything that reaches through the VM context: linear memory accesses and their bounds
//! checks, globals, tables, calls and builtins.

use super::exceptions::Callee;
use super::{
    BuiltinParams, Call, FUNC_NAMESPACE, Translator, builtin_signature, clif_trap, ir_type,
    native_signature, wasm_signature,
};
use crate::module::ImportBinding;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{
    self, ExtFuncData, ExternalName, InstBuilder, MemFlagsData, Type, UserExternalName, Value,
};
use std::sync::atomic::Ordering;
use wasm2native_abi::meta::ConstOp;
use wasm2native_abi::{
    Builtin, ExceptionBuiltin, OFFSET_BUILTINS, OFFSET_OPTIONAL_BUILTINS, OFFSET_STACK_LIMIT,
    OptionalTable, TrapCode, VMFUNCIMPORT_CODE, VMFUNCIMPORT_VMCTX, VMFUNCREF_CODE,
    VMFUNCREF_TYPE_ID, VMFUNCREF_VMCTX, VMMEMORY_BASE, VMMEMORY_LENGTH, VMTABLE_BASE,
    VMTABLE_LENGTH, WASM_PAGE_SIZE, WaitBuiltin,
};
use wasmparser::MemArg;

/// How a memory load extends its value.
#[derive(Debug, Clone, Copy)]
pub(super) enum LoadKind {
    Plain(Type),
    S8(Type),
    U8(Type),
    S16(Type),
    U16(Type),
    S32,
    U32,
}

impl LoadKind {
    fn size(self) -> u64 {
        match self {
            LoadKind::Plain(t) => u64::from(t.bytes()),
            LoadKind::S8(_) | LoadKind::U8(_) => 1,
            LoadKind::S16(_) | LoadKind::U16(_) => 2,
            LoadKind::S32 | LoadKind::U32 => 4,
        }
    }
}

/// How many bytes of its operand a store writes.
#[derive(Debug, Clone, Copy)]
pub(super) enum StoreKind {
    Plain,
    Narrow8,
    Narrow16,
    Narrow32,
}

/// Flags for loads of VM context fields that never change during the instance's life.
fn readonly() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly().with_can_move()
}

/// Flags for loads of VM context fields that code or the runtime may update.
fn mutable() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Flags of a linear memory access: little-endian, possibly unaligned, trapping as out of bounds.
fn heap() -> MemFlagsData {
    MemFlagsData::new()
        .with_endianness(ir::Endianness::Little)
        .with_trap_code(Some(ir::TrapCode::HEAP_OUT_OF_BOUNDS))
}

/// Flags of a global access: vector accesses do not rely on the slot's 16-byte alignment (an
/// aligned vector access could be folded into an SSE instruction that faults when misaligned).
fn global_flags(flags: MemFlagsData, ty: Type) -> MemFlagsData {
    if ty.is_vector() {
        let f = MemFlagsData::new().with_notrap();
        if flags.readonly() {
            f.with_readonly().with_can_move()
        } else {
            f
        }
    } else {
        flags
    }
}

impl Translator<'_, '_, '_, '_> {
    fn load_vmctx(&mut self, ty: Type, flags: MemFlagsData, offset: u32) -> Value {
        self.b.ins().load(ty, flags, self.vmctx, offset as i32)
    }

    /// Address of the `VMMemory` of memory `mem` and the offset of the record within it. A
    /// shared memory's record is reached through its pointer even when the memory is defined:
    /// it lives outside the VM context, so that every thread's instance sees one base and
    /// length.
    fn memory_record(&mut self, mem: u32) -> (Value, i32) {
        let env = self.env;
        let shared = env.module.meta.memories[mem as usize].shared;
        if mem >= env.module.num_imported_memories && !shared {
            let off = env
                .offsets
                .defined_memory(mem - env.module.num_imported_memories);
            (self.vmctx, off as i32)
        } else {
            let ptr = self.load_vmctx(I64, readonly(), env.offsets.memory_ptr(mem));
            (ptr, 0)
        }
    }

    /// The memory's base address and, with explicit bounds checks, its current length.
    pub(super) fn memory_base(&mut self, mem: u32) -> Value {
        let (rec, off) = self.memory_record(mem);
        // In guard-page mode the base never moves, so it can be hoisted out of loops.
        let flags = if self.env.explicit_bounds_checks() {
            mutable()
        } else {
            readonly()
        };
        self.b
            .ins()
            .load(I64, flags, rec, off + VMMEMORY_BASE as i32)
    }

    pub(super) fn memory_length(&mut self, mem: u32) -> Value {
        let (rec, off) = self.memory_record(mem);
        self.b
            .ins()
            .load(I64, mutable(), rec, off + VMMEMORY_LENGTH as i32)
    }

    /// Whether memory `mem` is indexed by `i64` (memory64).
    pub(super) fn memory64(&self, mem: u32) -> bool {
        self.env.module.meta.memories[mem as usize].memory64
    }

    /// Whether table `t` is indexed by `i64` (table64).
    pub(super) fn table64(&self, t: u32) -> bool {
        self.env.module.meta.tables[t as usize].table64
    }

    /// An address, index or length operand as builtins take it: 64 bits, an `i32` (of a 32-bit
    /// memory or table) zero-extended.
    pub(super) fn widen(&mut self, v: Value) -> Value {
        if self.b.func.dfg.value_type(v) == I32 {
            self.widenings += 1;
            self.b.ins().uextend(I64, v)
        } else {
            v
        }
    }

    /// The `i64` result of `memory.grow` or `table.grow` as the instruction returns it: narrowed
    /// to `i32` unless the memory or table is 64-bit (`wide`).
    pub(super) fn grow_result(&mut self, wide: bool, v: Value) -> Value {
        if wide {
            v
        } else {
            self.widenings += 1;
            self.b.ins().ireduce(I32, v)
        }
    }

    pub(super) fn memory_size(&mut self, mem: u32) -> Value {
        let len = self.memory_length(mem);
        let pages = self.b.ins().ushr_imm_u(len, 16);
        if self.memory64(mem) {
            pages
        } else {
            self.b.ins().ireduce(I32, pages)
        }
    }

    /// Traps unless `size` bytes at `index + offset` lie within 64-bit memory `mem`. A guard
    /// region cannot cover a 64-bit index, so every access is checked, and `index + offset +
    /// size` may exceed 2^64. When `offset + size` is at most the memory's minimum size, which
    /// its length never falls below, the check is one compare of the index against `length -
    /// (offset + size)`, which cannot wrap. A larger `offset + size` (saturated at 2^64 - 1,
    /// still out of bounds for any index) adds the end with an overflow trap before comparing.
    fn check_memory64_access(&mut self, mem: u32, index: Value, offset: u64, size: u64) {
        let len = self.memory_length(mem);
        let min = self.env.module.meta.memories[mem as usize].limits.min;
        let end = offset.saturating_add(size);
        let oob = if end <= min.saturating_mul(WASM_PAGE_SIZE) {
            let end = self.b.ins().iconst(I64, end as i64);
            let last_start = self.b.ins().isub(len, end);
            self.b
                .ins()
                .icmp(IntCC::UnsignedGreaterThan, index, last_start)
        } else {
            let end = self.b.ins().iconst(I64, end as i64);
            let trap = clif_trap(TrapCode::MemoryOutOfBounds);
            let end = self.b.ins().uadd_overflow_trap(index, end, trap);
            self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, len)
        };
        self.trapnz(oob, TrapCode::MemoryOutOfBounds);
    }

    /// A `size`-byte linear memory access at `addr + memarg.offset`, bounds checked when the
    /// memory has no guard region: the address, the immediate offset and the memory flags to
    /// use with them.
    pub(super) fn heap_access(
        &mut self,
        memarg: &MemArg,
        addr: Value,
        size: u64,
    ) -> (Value, i32, MemFlagsData) {
        let explicit = self.env.explicit_bounds_checks();
        self.heap_address_checked(memarg, addr, size, explicit)
    }

    /// [`Self::heap_access`], bounds checking 32-bit accesses when `explicit` (64-bit ones
    /// always are). A memory in the gs segment is addressed by the index alone, with the
    /// gs flag, unless `explicit` (a host access needs the native pointer).
    fn heap_address_checked(
        &mut self,
        memarg: &MemArg,
        addr: Value,
        size: u64,
        explicit: bool,
    ) -> (Value, i32, MemFlagsData) {
        let index = if self.memory64(memarg.memory) {
            self.check_memory64_access(memarg.memory, addr, memarg.offset, size);
            addr
        } else {
            let index = self.b.ins().uextend(I64, addr);
            if explicit {
                // addr < 2^32 and offset < 2^32, so the sum cannot overflow 64 bits.
                let len = self.memory_length(memarg.memory);
                let end = self
                    .b
                    .ins()
                    .iadd_imm_u(index, (memarg.offset + size) as i64);
                let oob = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, len);
                self.trapnz(oob, TrapCode::MemoryOutOfBounds);
            }
            index
        };
        let (ptr, flags) = if !explicit && self.env.memory_in_gs(memarg.memory) {
            (index, heap().with_gs())
        } else {
            let base = self.memory_base(memarg.memory);
            (self.b.ins().iadd(base, index), heap())
        };
        match i32::try_from(memarg.offset) {
            Ok(off) => (ptr, off, flags),
            Err(_) => {
                // Offsets up to 4 GiB stay inside the 8 GiB reservation, or were checked.
                let ptr = self.b.ins().iadd_imm_u(ptr, memarg.offset as i64);
                (ptr, 0, flags)
            }
        }
    }

    /// The address of a `size`-byte access at `addr + memarg.offset` as one value, with the
    /// memory flags to use with it, for instructions without an immediate offset (atomics)
    /// and for builtins. `host`: host code makes the access, where no guard region can catch
    /// it, so it is bounds-checked in every mode and the address is a native pointer.
    pub(super) fn heap_pointer(
        &mut self,
        memarg: &MemArg,
        addr: Value,
        size: u64,
        host: bool,
    ) -> (Value, MemFlagsData) {
        let explicit = host || self.env.explicit_bounds_checks();
        let (ptr, off, flags) = self.heap_address_checked(memarg, addr, size, explicit);
        if off == 0 {
            (ptr, flags)
        } else {
            (self.b.ins().iadd_imm_u(ptr, i64::from(off)), flags)
        }
    }

    /// A 128-bit constant (lane 0 in the first byte) as an `I8X16`.
    pub(super) fn v128_const(&mut self, bytes: [u8; 16]) -> Value {
        let c = self.b.func.dfg.constants.insert(bytes.to_vec().into());
        self.b.ins().vconst(ir::types::I8X16, c)
    }

    pub(super) fn load(&mut self, memarg: &MemArg, addr: Value, kind: LoadKind) -> Value {
        let (ptr, off, f) = self.heap_access(memarg, addr, kind.size());
        let ins = self.b.ins();
        match kind {
            LoadKind::Plain(t) => ins.load(t, f, ptr, off),
            LoadKind::S8(t) => ins.sload8(t, f, ptr, off),
            LoadKind::U8(t) => ins.uload8(t, f, ptr, off),
            LoadKind::S16(t) => ins.sload16(t, f, ptr, off),
            LoadKind::U16(t) => ins.uload16(t, f, ptr, off),
            LoadKind::S32 => ins.sload32(f, ptr, off),
            LoadKind::U32 => ins.uload32(f, ptr, off),
        }
    }

    pub(super) fn store(&mut self, memarg: &MemArg, addr: Value, value: Value, kind: StoreKind) {
        let size = match kind {
            StoreKind::Plain => u64::from(self.b.func.dfg.value_type(value).bytes()),
            StoreKind::Narrow8 => 1,
            StoreKind::Narrow16 => 2,
            StoreKind::Narrow32 => 4,
        };
        let (ptr, off, f) = self.heap_access(memarg, addr, size);
        let ins = self.b.ins();
        match kind {
            StoreKind::Plain => ins.store(f, value, ptr, off),
            StoreKind::Narrow8 => ins.istore8(f, value, ptr, off),
            StoreKind::Narrow16 => ins.istore16(f, value, ptr, off),
            StoreKind::Narrow32 => ins.istore32(f, value, ptr, off),
        };
    }

    /// Address of global `g`'s storage and the offset within it.
    fn global_location(&mut self, g: u32) -> (Value, i32) {
        let env = self.env;
        if g >= env.module.num_imported_globals {
            let off = env
                .offsets
                .defined_global(g - env.module.num_imported_globals);
            (self.vmctx, off as i32)
        } else {
            let ptr = self.load_vmctx(I64, readonly(), env.offsets.global_ptr(g));
            (ptr, 0)
        }
    }

    pub(super) fn global_get(&mut self, g: u32) -> Value {
        match self.env.module.global_consts[g as usize] {
            Some(ConstOp::I32Const(v)) => return self.b.ins().iconst(I32, i64::from(v)),
            Some(ConstOp::I64Const(v)) => return self.b.ins().iconst(I64, v),
            Some(ConstOp::F32Const(v)) => return self.b.ins().f32const(Ieee32::with_bits(v)),
            Some(ConstOp::F64Const(v)) => return self.b.ins().f64const(Ieee64::with_bits(v)),
            Some(ConstOp::V128Const(v)) => return self.v128_const(v.to_le_bytes()),
            _ => {}
        }
        let gt = self.env.module.meta.globals[g as usize];
        let ty = ir_type(gt.ty);
        let (base, off) = self.global_location(g);
        let flags = if gt.mutable { mutable() } else { readonly() };
        self.b.ins().load(ty, global_flags(flags, ty), base, off)
    }

    pub(super) fn global_set(&mut self, g: u32, value: Value) {
        let (base, off) = self.global_location(g);
        let ty = self.b.func.dfg.value_type(value);
        self.b
            .ins()
            .store(global_flags(mutable(), ty), value, base, off);
    }

    /// Address of table `t`'s `VMTable` record and the record's offset.
    fn table_record(&mut self, t: u32) -> (Value, i32) {
        let env = self.env;
        if t >= env.module.num_imported_tables {
            let off = env
                .offsets
                .defined_table(t - env.module.num_imported_tables);
            (self.vmctx, off as i32)
        } else {
            let ptr = self.load_vmctx(I64, readonly(), env.offsets.table_ptr(t));
            (ptr, 0)
        }
    }

    /// Address of element `index` of table `t`, trapping with `code` when out of bounds.
    fn table_element(&mut self, t: u32, index: Value, code: TrapCode) -> Value {
        let (rec, off) = self.table_record(t);
        let len = self
            .b
            .ins()
            .load(I64, mutable(), rec, off + VMTABLE_LENGTH as i32);
        let index = if self.table64(t) {
            index
        } else {
            self.b.ins().uextend(I64, index)
        };
        let oob = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.trapnz(oob, code);
        let base = self
            .b
            .ins()
            .load(I64, mutable(), rec, off + VMTABLE_BASE as i32);
        let scaled = self.b.ins().ishl_imm_u(index, 3);
        self.b.ins().iadd(base, scaled)
    }

    pub(super) fn table_get(&mut self, t: u32, index: Value) -> Value {
        let addr = self.table_element(t, index, TrapCode::TableOutOfBounds);
        self.b.ins().load(I64, mutable(), addr, 0)
    }

    pub(super) fn table_set(&mut self, t: u32, index: Value, value: Value) {
        let addr = self.table_element(t, index, TrapCode::TableOutOfBounds);
        self.b.ins().store(mutable(), value, addr, 0);
    }

    pub(super) fn table_size(&mut self, t: u32) -> Value {
        let (rec, off) = self.table_record(t);
        let len = self
            .b
            .ins()
            .load(I64, mutable(), rec, off + VMTABLE_LENGTH as i32);
        if self.table64(t) {
            len
        } else {
            self.b.ins().ireduce(I32, len)
        }
    }

    pub(super) fn ref_func(&mut self, f: u32) -> Value {
        let slot = self.env.module.func_ref_slot[f as usize]
            .expect("validated: ref.func of a declared function");
        let off = self.env.offsets.func_ref(slot);
        self.b.ins().iadd_imm_u(self.vmctx, i64::from(off))
    }

    fn signature_for_type(&mut self, type_index: u32) -> ir::SigRef {
        if let Some(sig) = self.sigs.get(&type_index) {
            return *sig;
        }
        let ty = &self.env.module.meta.types[type_index as usize];
        let sig = self.b.import_signature(wasm_signature(ty));
        self.sigs.insert(type_index, sig);
        sig
    }

    fn push_results(&mut self, inst: ir::Inst) {
        let results = self.b.inst_results(inst).to_vec();
        self.stack.extend(results);
    }

    /// `call f`, or `return_call f`.
    pub(super) fn call(&mut self, f: u32, kind: Call) {
        let ty_index = self.env.module.meta.funcs[f as usize];
        let nparams = self.env.module.meta.types[ty_index as usize].params.len();
        let mut args = vec![self.vmctx];
        let params = self.popn(nparams);
        args.extend(self.canon_all(&params));
        let host = self.env.module.import_bindings.get(f as usize);
        if let Some(id) = self.env.direct_callee[f as usize] {
            let callee = match self.funcs.get(&f) {
                Some(c) => *c,
                None => {
                    let sig = if let Some(ImportBinding::Host(_)) = host {
                        let ty = &self.env.module.meta.types[ty_index as usize];
                        let sig = native_signature(ty, self.env.host_call_conv);
                        self.b.import_signature(sig)
                    } else {
                        self.signature_for_type(ty_index)
                    };
                    let name = self
                        .b
                        .func
                        .declare_imported_user_function(UserExternalName::new(FUNC_NAMESPACE, id));
                    let colocated = self.env.is_colocated(f);
                    let c = self.b.import_function(ExtFuncData {
                        name: ExternalName::user(name),
                        signature: sig,
                        colocated,
                        patchable: false,
                    });
                    self.funcs.insert(f, c);
                    c
                }
            };
            if matches!(host, Some(ImportBinding::Host(_))) {
                self.check_host_stack();
            }
            if matches!(host, Some(ImportBinding::Host(_) | ImportBinding::TrapStub)) {
                // Host functions and trap stubs never throw, and never call back into wasm
                // (a tail call to them would save nothing).
                let inst = self.b.ins().call(callee, &args);
                self.push_results(inst);
                if kind == Call::Tail {
                    self.return_from_function();
                }
            } else {
                self.finish_call(Callee::Direct(callee), &args, kind);
            }
        } else {
            debug_assert!(matches!(
                self.env.module.import_bindings[f as usize],
                ImportBinding::Embedder
            ));
            self.check_host_stack();
            let off = self.env.offsets.imported_func(f);
            let code = self.load_vmctx(I64, readonly(), off + VMFUNCIMPORT_CODE);
            args[0] = self.load_vmctx(I64, readonly(), off + VMFUNCIMPORT_VMCTX);
            let sig = self.signature_for_type(ty_index);
            self.finish_call(Callee::Indirect(sig, code), &args, kind);
        }
    }

    /// `call_indirect`, or `return_call_indirect`.
    pub(super) fn call_indirect(&mut self, type_index: u32, table: u32, kind: Call) {
        let index = self.pop();
        let nparams = self.env.module.meta.types[type_index as usize].params.len();
        let params = self.popn(nparams);
        let params = self.canon_all(&params);
        let addr = self.table_element(table, index, TrapCode::UndefinedElement);
        let func_ref = self.b.ins().load(I64, mutable(), addr, 0);
        self.trapz(func_ref, TrapCode::IndirectCallToNull);
        let actual = self
            .b
            .ins()
            .load(I32, readonly(), func_ref, VMFUNCREF_TYPE_ID as i32);
        let expected = self.load_vmctx(I32, readonly(), self.env.offsets.type_id(type_index));
        let mismatch = self.b.ins().icmp(IntCC::NotEqual, actual, expected);
        if self.env.module.meta.type_decls[type_index as usize].is_final {
            self.trapnz(mismatch, TrapCode::BadSignature);
        } else {
            // A function of a declared subtype may be called as the expected type.
            let check = self.b.create_block();
            let cont = self.b.create_block();
            self.b.ins().brif(mismatch, check, &[], cont, &[]);
            self.b.seal_block(check);
            self.b.switch_to_block(check);
            self.builtin(Builtin::CheckSubtype, &[actual, expected]);
            self.b.ins().jump(cont, &[]);
            self.b.seal_block(cont);
            self.b.switch_to_block(cont);
        }
        self.call_func_ref(func_ref, type_index, params, kind);
    }

    /// Calls (or tail-calls) the function non-null `func_ref` points to as a function of type
    /// `type_index` with `params` (already canonical); a normal call pushes its results.
    pub(super) fn call_func_ref(
        &mut self,
        func_ref: Value,
        type_index: u32,
        params: Vec<Value>,
        kind: Call,
    ) {
        let code = self
            .b
            .ins()
            .load(I64, readonly(), func_ref, VMFUNCREF_CODE as i32);
        let callee_vmctx = self
            .b
            .ins()
            .load(I64, readonly(), func_ref, VMFUNCREF_VMCTX as i32);
        let mut args = vec![callee_vmctx];
        args.extend(params);
        let sig = self.signature_for_type(type_index);
        self.finish_call(Callee::Indirect(sig, code), &args, kind);
    }

    /// Emits the call of a wasm function: a normal call pushes its results; a tail call
    /// replaces this function's frame (and leaves its handlers: the caller's frame is gone).
    fn finish_call(&mut self, callee: Callee, args: &[Value], kind: Call) {
        match (kind, callee) {
            (Call::Normal, callee) => {
                let results = self.emit_call(callee, args);
                self.stack.extend(results);
            }
            (Call::Tail, Callee::Direct(f)) => {
                self.b.ins().return_call(f, args);
                self.reachable = false;
            }
            (Call::Tail, Callee::Indirect(sig, code)) => {
                self.b.ins().return_call_indirect(sig, code, args);
                self.reachable = false;
            }
        }
    }

    /// Before a call into host code (WASI, builtins, embedder imports): traps with "call stack
    /// exhausted" when the stack pointer is below the limit in the VM context.
    ///
    /// Wasm code itself has no stack checks: it may use the stack down to the guard page below
    /// it, where a fault in wasm code is reported as that trap (Cranelift probes frames larger
    /// than a page, so none can jump over the guard). Host code is not wasm: a fault there would
    /// end the process. The limit keeps room for it (`HOST_RESERVE` in the runtime's
    /// `trap/stack_limit.rs`).
    pub(super) fn check_host_stack(&mut self) {
        let room = self.host_stack_room();
        self.trapz(room, TrapCode::StackOverflow);
    }

    /// Whether the stack pointer is at or above this thread's limit for calling host code.
    pub(super) fn host_stack_room(&mut self) -> Value {
        let sp = self.b.ins().get_stack_pointer(I64);
        let limit = self.load_vmctx(I64, readonly(), OFFSET_STACK_LIMIT);
        self.b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, sp, limit)
    }

    /// Calls a runtime builtin through its table in the VM context; a builtin that can fail has
    /// its status checked here so the trap is raised from wasm code.
    pub(super) fn builtin(
        &mut self,
        builtin: impl Into<BuiltinRef>,
        args: &[Value],
    ) -> Option<Value> {
        self.check_host_stack();
        self.call_builtin(builtin, args)
    }

    /// [`Self::builtin`] where the caller has made sure that the stack has room for host code.
    pub(super) fn call_builtin(
        &mut self,
        builtin: impl Into<BuiltinRef>,
        args: &[Value],
    ) -> Option<Value> {
        let builtin = builtin.into();
        let key = (builtin.group, builtin.entry);
        let sig = match self.builtin_sigs.get(&key) {
            Some(s) => *s,
            None => {
                let sig = builtin_signature(builtin.signature, self.env.host_call_conv);
                let s = self.b.import_signature(sig);
                self.builtin_sigs.insert(key, s);
                s
            }
        };
        let table = match builtin.group {
            None => self.load_vmctx(I64, readonly(), OFFSET_BUILTINS),
            Some(group) => {
                let bit = 1 << group as u32;
                self.env.optional_tables.fetch_or(bit, Ordering::Relaxed);
                let tables = self.load_vmctx(I64, readonly(), OFFSET_OPTIONAL_BUILTINS);
                self.b
                    .ins()
                    .load(I64, readonly(), tables, group.offset() as i32)
            }
        };
        let f = self
            .b
            .ins()
            .load(I64, readonly(), table, builtin.entry as i32);
        let mut call_args = vec![self.vmctx];
        call_args.extend_from_slice(args);
        let inst = self.b.ins().call_indirect(sig, f, &call_args);
        let result = self.b.inst_results(inst).first().copied();
        if let (Some(trap), Some(status)) = (builtin.trap, result) {
            self.b.ins().trapnz(status, clif_trap(trap));
            return None;
        }
        result
    }
}

/// A builtin of any table, as compiled code calls it.
#[derive(Clone, Copy)]
pub(super) struct BuiltinRef {
    /// The optional table holding it; `None` for the main table.
    group: Option<OptionalTable>,
    /// Offset of the builtin's pointer in the table.
    entry: u32,
    signature: BuiltinParams,
    trap: Option<TrapCode>,
}

/// `From<E> for BuiltinRef` for each builtin enum `E` of `wasm2native_abi`.
macro_rules! builtin_ref_from {
    ($($enum:ident),*) => {$(
        impl From<$enum> for BuiltinRef {
            fn from(b: $enum) -> BuiltinRef {
                BuiltinRef {
                    group: $enum::GROUP,
                    entry: b.table_offset(),
                    signature: b.signature(),
                    trap: b.trap(),
                }
            }
        }
    )*};
}

builtin_ref_from!(Builtin, ExceptionBuiltin, WaitBuiltin);
