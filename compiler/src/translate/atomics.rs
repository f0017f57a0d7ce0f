//! The threads proposal's operators: atomic loads, stores, read-modify-writes and
//! compare-exchanges, `atomic.fence`, and `memory.atomic.wait32/wait64/notify`.
//!
//! Accesses are compiled inline to Cranelift's sequentially consistent atomics (on x86-64: plain
//! moves for loads, `xchg` for stores, `lock`-prefixed instructions or a `cmpxchg` loop for
//! read-modify-writes). A narrow access operates on `I8`/`I16`/`I32` and zero-extends its
//! result. As wasmtime does, the effective address (index + offset) is checked for alignment
//! first (`unaligned atomic`), then bounds-checked as an ordinary access of its width: the
//! memory flags carry the out-of-bounds trap code, so a fault in the guard region reports it.
//!
//! Waiting and notifying go through builtins on the native address (the runtime's wait queue)
//! when the memory is shared; their address is bounds-checked explicitly in both modes, since
//! the runtime, not wasm code, reads it. On a memory that is not shared nothing can notify, so `wait`
//! traps and `notify` wakes no one, both known at compile time.

use super::{Translator, clif_trap};
use cranelift_codegen::ir::types::{I8, I16, I32, I64};
use cranelift_codegen::ir::{AtomicRmwOp, InstBuilder, MemFlagsData, Type, Value};
use wasm2native_abi::{TrapCode, WaitBuiltin};
use wasmparser::{MemArg, Operator};

/// What an atomic read-modify-write operator does: the operation, the width it accesses, and
/// the type of its operand and result.
fn rmw(op: &Operator<'_>) -> Option<(MemArg, AtomicRmwOp, Type, Type)> {
    use AtomicRmwOp as R;
    use Operator as O;
    Some(match *op {
        O::I32AtomicRmwAdd { memarg } => (memarg, R::Add, I32, I32),
        O::I64AtomicRmwAdd { memarg } => (memarg, R::Add, I64, I64),
        O::I32AtomicRmw8AddU { memarg } => (memarg, R::Add, I8, I32),
        O::I32AtomicRmw16AddU { memarg } => (memarg, R::Add, I16, I32),
        O::I64AtomicRmw8AddU { memarg } => (memarg, R::Add, I8, I64),
        O::I64AtomicRmw16AddU { memarg } => (memarg, R::Add, I16, I64),
        O::I64AtomicRmw32AddU { memarg } => (memarg, R::Add, I32, I64),
        O::I32AtomicRmwSub { memarg } => (memarg, R::Sub, I32, I32),
        O::I64AtomicRmwSub { memarg } => (memarg, R::Sub, I64, I64),
        O::I32AtomicRmw8SubU { memarg } => (memarg, R::Sub, I8, I32),
        O::I32AtomicRmw16SubU { memarg } => (memarg, R::Sub, I16, I32),
        O::I64AtomicRmw8SubU { memarg } => (memarg, R::Sub, I8, I64),
        O::I64AtomicRmw16SubU { memarg } => (memarg, R::Sub, I16, I64),
        O::I64AtomicRmw32SubU { memarg } => (memarg, R::Sub, I32, I64),
        O::I32AtomicRmwAnd { memarg } => (memarg, R::And, I32, I32),
        O::I64AtomicRmwAnd { memarg } => (memarg, R::And, I64, I64),
        O::I32AtomicRmw8AndU { memarg } => (memarg, R::And, I8, I32),
        O::I32AtomicRmw16AndU { memarg } => (memarg, R::And, I16, I32),
        O::I64AtomicRmw8AndU { memarg } => (memarg, R::And, I8, I64),
        O::I64AtomicRmw16AndU { memarg } => (memarg, R::And, I16, I64),
        O::I64AtomicRmw32AndU { memarg } => (memarg, R::And, I32, I64),
        O::I32AtomicRmwOr { memarg } => (memarg, R::Or, I32, I32),
        O::I64AtomicRmwOr { memarg } => (memarg, R::Or, I64, I64),
        O::I32AtomicRmw8OrU { memarg } => (memarg, R::Or, I8, I32),
        O::I32AtomicRmw16OrU { memarg } => (memarg, R::Or, I16, I32),
        O::I64AtomicRmw8OrU { memarg } => (memarg, R::Or, I8, I64),
        O::I64AtomicRmw16OrU { memarg } => (memarg, R::Or, I16, I64),
        O::I64AtomicRmw32OrU { memarg } => (memarg, R::Or, I32, I64),
        O::I32AtomicRmwXor { memarg } => (memarg, R::Xor, I32, I32),
        O::I64AtomicRmwXor { memarg } => (memarg, R::Xor, I64, I64),
        O::I32AtomicRmw8XorU { memarg } => (memarg, R::Xor, I8, I32),
        O::I32AtomicRmw16XorU { memarg } => (memarg, R::Xor, I16, I32),
        O::I64AtomicRmw8XorU { memarg } => (memarg, R::Xor, I8, I64),
        O::I64AtomicRmw16XorU { memarg } => (memarg, R::Xor, I16, I64),
        O::I64AtomicRmw32XorU { memarg } => (memarg, R::Xor, I32, I64),
        O::I32AtomicRmwXchg { memarg } => (memarg, R::Xchg, I32, I32),
        O::I64AtomicRmwXchg { memarg } => (memarg, R::Xchg, I64, I64),
        O::I32AtomicRmw8XchgU { memarg } => (memarg, R::Xchg, I8, I32),
        O::I32AtomicRmw16XchgU { memarg } => (memarg, R::Xchg, I16, I32),
        O::I64AtomicRmw8XchgU { memarg } => (memarg, R::Xchg, I8, I64),
        O::I64AtomicRmw16XchgU { memarg } => (memarg, R::Xchg, I16, I64),
        O::I64AtomicRmw32XchgU { memarg } => (memarg, R::Xchg, I32, I64),
        _ => return None,
    })
}

impl Translator<'_, '_, '_, '_> {
    /// Translates `op` if it is one of the threads proposal's; returns whether it was.
    pub(super) fn translate_atomic(&mut self, op: &Operator<'_>) -> bool {
        use Operator as O;
        if let Some((memarg, op, access, ty)) = rmw(op) {
            self.atomic_rmw(&memarg, op, access, ty);
            return true;
        }
        match *op {
            O::I32AtomicLoad { memarg } => self.atomic_load(&memarg, I32, I32),
            O::I64AtomicLoad { memarg } => self.atomic_load(&memarg, I64, I64),
            O::I32AtomicLoad8U { memarg } => self.atomic_load(&memarg, I8, I32),
            O::I32AtomicLoad16U { memarg } => self.atomic_load(&memarg, I16, I32),
            O::I64AtomicLoad8U { memarg } => self.atomic_load(&memarg, I8, I64),
            O::I64AtomicLoad16U { memarg } => self.atomic_load(&memarg, I16, I64),
            O::I64AtomicLoad32U { memarg } => self.atomic_load(&memarg, I32, I64),
            O::I32AtomicStore { memarg } | O::I64AtomicStore32 { memarg } => {
                self.atomic_store(&memarg, I32)
            }
            O::I64AtomicStore { memarg } => self.atomic_store(&memarg, I64),
            O::I32AtomicStore8 { memarg } | O::I64AtomicStore8 { memarg } => {
                self.atomic_store(&memarg, I8)
            }
            O::I32AtomicStore16 { memarg } | O::I64AtomicStore16 { memarg } => {
                self.atomic_store(&memarg, I16)
            }
            O::I32AtomicRmwCmpxchg { memarg } => self.atomic_cmpxchg(&memarg, I32, I32),
            O::I64AtomicRmwCmpxchg { memarg } => self.atomic_cmpxchg(&memarg, I64, I64),
            O::I32AtomicRmw8CmpxchgU { memarg } => self.atomic_cmpxchg(&memarg, I8, I32),
            O::I32AtomicRmw16CmpxchgU { memarg } => self.atomic_cmpxchg(&memarg, I16, I32),
            O::I64AtomicRmw8CmpxchgU { memarg } => self.atomic_cmpxchg(&memarg, I8, I64),
            O::I64AtomicRmw16CmpxchgU { memarg } => self.atomic_cmpxchg(&memarg, I16, I64),
            O::I64AtomicRmw32CmpxchgU { memarg } => self.atomic_cmpxchg(&memarg, I32, I64),
            O::AtomicFence => {
                self.b.ins().fence();
            }
            O::MemoryAtomicWait32 { memarg } => self.atomic_wait(&memarg, I32),
            O::MemoryAtomicWait64 { memarg } => self.atomic_wait(&memarg, I64),
            O::MemoryAtomicNotify { memarg } => self.atomic_notify(&memarg),
            _ => return false,
        }
        true
    }

    /// Traps `unaligned atomic` unless the effective address of an access of `access`'s width
    /// at `addr + memarg.offset` is a multiple of the width.
    fn check_alignment(&mut self, memarg: &MemArg, addr: Value, access: Type) {
        let size = u64::from(access.bytes());
        if size == 1 {
            return;
        }
        // The low bits of the effective address are those of the index plus the offset's, so
        // the sum may wrap at the index's width.
        let effective = if memarg.offset.is_multiple_of(size) {
            addr
        } else {
            self.b.ins().iadd_imm_u(addr, memarg.offset as i64)
        };
        let misaligned = self.b.ins().band_imm_u(effective, (size - 1) as i64);
        self.trapnz(misaligned, TrapCode::UnalignedAtomic);
    }

    /// The address of an atomic access of `access`'s width at `addr + memarg.offset` and the
    /// memory flags to use with it: checks alignment, then bounds as an ordinary access.
    fn atomic_address(
        &mut self,
        memarg: &MemArg,
        addr: Value,
        access: Type,
    ) -> (Value, MemFlagsData) {
        self.check_alignment(memarg, addr, access);
        self.heap_pointer(memarg, addr, u64::from(access.bytes()), false)
    }

    /// The native address `wait` or `notify` passes to the runtime: checks alignment, then
    /// bounds explicitly (the runtime, not wasm code, reads the location).
    fn wait_address(&mut self, memarg: &MemArg, addr: Value, access: Type) -> Value {
        self.check_alignment(memarg, addr, access);
        self.heap_pointer(memarg, addr, u64::from(access.bytes()), true)
            .0
    }

    /// `v` (of a wasm integer type) narrowed to `access`.
    fn wrap_to(&mut self, v: Value, access: Type) -> Value {
        if self.b.func.dfg.value_type(v) == access {
            v
        } else {
            self.b.ins().ireduce(access, v)
        }
    }

    /// Pushes `v` (of `access`) zero-extended to `ty`.
    fn push_extended(&mut self, v: Value, access: Type, ty: Type) {
        let v = if access == ty {
            v
        } else {
            self.b.ins().uextend(ty, v)
        };
        self.push(v);
    }

    fn atomic_load(&mut self, memarg: &MemArg, access: Type, ty: Type) {
        let addr = self.pop();
        let (ptr, flags) = self.atomic_address(memarg, addr, access);
        let v = self.b.ins().atomic_load(access, flags, ptr);
        self.push_extended(v, access, ty);
    }

    fn atomic_store(&mut self, memarg: &MemArg, access: Type) {
        let (addr, value) = self.pop2();
        let (ptr, flags) = self.atomic_address(memarg, addr, access);
        let value = self.wrap_to(value, access);
        self.b.ins().atomic_store(flags, value, ptr);
    }

    fn atomic_rmw(&mut self, memarg: &MemArg, op: AtomicRmwOp, access: Type, ty: Type) {
        let (addr, value) = self.pop2();
        let (ptr, flags) = self.atomic_address(memarg, addr, access);
        let value = self.wrap_to(value, access);
        let old = self.b.ins().atomic_rmw(access, flags, op, ptr, value);
        self.push_extended(old, access, ty);
    }

    /// `cmpxchg`: the expected and replacement values are wrapped to the access width, so an
    /// expected value with high bits set can still match.
    fn atomic_cmpxchg(&mut self, memarg: &MemArg, access: Type, ty: Type) {
        let (addr, expected, replacement) = self.pop3();
        let (ptr, flags) = self.atomic_address(memarg, addr, access);
        let expected = self.wrap_to(expected, access);
        let replacement = self.wrap_to(replacement, access);
        let old = self.b.ins().atomic_cas(flags, ptr, expected, replacement);
        self.push_extended(old, access, ty);
    }

    /// Whether memory `mem` is shared.
    fn shared(&self, mem: u32) -> bool {
        self.env.module.meta.memories[mem as usize].shared
    }

    /// `memory.atomic.wait32/64` (`expected` of type `ty`): 0 when woken by `notify`, 1 when
    /// the value differs from `expected`, 2 on timeout (nanoseconds, negative: none).
    fn atomic_wait(&mut self, memarg: &MemArg, ty: Type) {
        let (addr, expected, timeout) = self.pop3();
        let ptr = self.wait_address(memarg, addr, ty);
        if !self.shared(memarg.memory) {
            self.b.ins().trap(clif_trap(TrapCode::AtomicWaitNonShared));
            self.reachable = false;
            return;
        }
        let builtin = if ty == I32 {
            WaitBuiltin::Wait32
        } else {
            WaitBuiltin::Wait64
        };
        let result = self
            .builtin(builtin, &[ptr, expected, timeout])
            .expect("wait returns a value");
        self.push(result);
    }

    /// `memory.atomic.notify`: wakes up to `count` waiters on the address and returns how
    /// many it woke (none on a memory that is not shared, where no one can wait).
    fn atomic_notify(&mut self, memarg: &MemArg) {
        let (addr, count) = self.pop2();
        let ptr = self.wait_address(memarg, addr, I32);
        let woken = if self.shared(memarg.memory) {
            self.builtin(WaitBuiltin::Notify, &[ptr, count])
                .expect("notify returns a value")
        } else {
            self.b.ins().iconst(I32, 0)
        };
        self.push(woken);
    }
}
