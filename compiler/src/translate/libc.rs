//! The fast path of a function recognised as one of wasi-libc's routines ([`crate::libc`]):
//! when the runtime's routine gives exactly what the wasm body would, call it; otherwise run
//! the body. Direct calls of the function have the fast path in place (a call through its
//! export or a table gets it at the function's entry): the common case then costs the checks
//! and the routine, without the wasm function's frame, whose body needs every callee-saved
//! register.
//!
//! The routine is used when every byte the body would touch is in bounds of memory 0, when the
//! ranges of `memcpy` do not overlap (wasi-libc's `memcpy` copies forward by words, which an
//! overlapping copy shows), and when the stack has room for host code (below the limit the body
//! still runs: it may use the stack down to the guard page, host code may not). `strlen` calls
//! the routine with the bytes up to the end of memory and runs the body when there is no NUL
//! among them. Out-of-bounds calls thus trap in the body, at the same access and with the same
//! bytes written before it, as without the fast path.
//!
//! `memory.copy` and `memory.fill` on 32-bit memories use the same routines, their bounds
//! checked in compiled code.

use super::{Call, Translator};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{Block, InstBuilder, Value};
use wasm2native_abi::{Builtin, LibcRoutine, TrapCode};

impl Translator<'_, '_, '_, '_> {
    /// Emits the fast path of `routine` at the function's entry, whose wasm parameters are
    /// `params`, and continues in the block that runs the body.
    pub(super) fn libc_fast_path(&mut self, routine: LibcRoutine, params: &[Value]) {
        let (result, body) = self.try_libc_routine(routine, params);
        self.b.ins().return_(&[result]);
        self.b.seal_block(body);
        self.b.switch_to_block(body);
    }

    /// A direct `call` of function `f`, recognised as `routine`: the fast path in place, the
    /// call when it does not apply. Pushes the result.
    pub(super) fn call_libc_routine(&mut self, f: u32, routine: LibcRoutine) {
        let params = self.peekn(routine_arity(routine)).to_vec();
        let before = self.b.func.dfg.num_insts();
        let (result, call) = self.try_libc_routine(routine, &params);
        let join = self.b.create_block();
        self.b.append_block_param(join, I32);
        self.b.ins().jump(join, &[result.into()]);
        // A small function that calls memcpy stays as inlinable as it was (Lua's interpreter
        // lost 0.4% when such callers grew past the limit).
        self.widenings += self.b.func.dfg.num_insts() - before;
        self.b.seal_block(call);
        self.b.switch_to_block(call);
        self.call(f, Call::Normal);
        let result = self.pop();
        self.b.ins().jump(join, &[result.into()]);
        self.b.seal_block(join);
        self.b.switch_to_block(join);
        let result = self.b.block_params(join)[0];
        self.push(result);
    }

    /// Branches to a new block unless the runtime's routine gives what the wasm body would for
    /// `params`; there, calls it. Returns the call's wasm result, in the current block, and the
    /// block for the other case (with every predecessor, not yet sealed).
    fn try_libc_routine(&mut self, routine: LibcRoutine, params: &[Value]) -> (Value, Block) {
        let wide: Vec<Value> = params
            .iter()
            .map(|p| self.b.ins().uextend(I64, *p))
            .collect();
        let slow = self.b.create_block();
        let len = self.memory_length(0);
        match routine {
            LibcRoutine::Memcpy => {
                let (d, s, n) = (wide[0], wide[1], wide[2]);
                let d_end = self.b.ins().iadd(d, n);
                let s_end = self.b.ins().iadd(s, n);
                self.unless(IntCC::UnsignedLessThanOrEqual, d_end, len, slow);
                self.unless(IntCC::UnsignedLessThanOrEqual, s_end, len, slow);
                let before = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, d_end, s);
                let after = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, s_end, d);
                let disjoint = self.b.ins().bor(before, after);
                self.continue_if(disjoint, slow);
            }
            LibcRoutine::Memmove | LibcRoutine::Memcmp | LibcRoutine::Memset => {
                let ranges = if routine == LibcRoutine::Memset { 1 } else { 2 };
                for start in &wide[..ranges] {
                    let end = self.b.ins().iadd(*start, wide[2]);
                    self.unless(IntCC::UnsignedLessThanOrEqual, end, len, slow);
                }
            }
            LibcRoutine::Strlen => self.unless(IntCC::UnsignedLessThan, wide[0], len, slow),
        }
        let room = self.host_stack_room();
        self.continue_if(room, slow);

        let base = self.memory_base(0);
        let ptr = |t: &mut Self, v: Value| t.b.ins().iadd(base, v);
        let args = match routine {
            LibcRoutine::Memset => vec![ptr(self, wide[0]), params[1], wide[2]],
            LibcRoutine::Strlen => {
                let max = self.b.ins().isub(len, wide[0]);
                vec![ptr(self, wide[0]), max]
            }
            _ => vec![ptr(self, wide[0]), ptr(self, wide[1]), wide[2]],
        };
        let result = self.call_builtin(routine.builtin(), &args);
        let result = match routine {
            LibcRoutine::Memcpy | LibcRoutine::Memmove | LibcRoutine::Memset => params[0],
            LibcRoutine::Memcmp => result.expect("memcmp returns a value"),
            LibcRoutine::Strlen => {
                let r = result.expect("strnlen returns a value");
                self.unless(IntCC::NotEqual, r, args[1], slow);
                self.b.ins().ireduce(I32, r)
            }
        };
        (result, slow)
    }

    /// Continues in a new block if `a cc b`, else branches to `otherwise`.
    fn unless(&mut self, cc: IntCC, a: Value, b: Value, otherwise: Block) {
        let holds = self.b.ins().icmp(cc, a, b);
        self.continue_if(holds, otherwise);
    }

    /// Continues in a new block if `cond`, else branches to `otherwise`.
    fn continue_if(&mut self, cond: Value, otherwise: Block) {
        let next = self.b.create_block();
        self.b.ins().brif(cond, next, &[], otherwise, &[]);
        self.b.seal_block(next);
        self.b.switch_to_block(next);
    }

    /// Whether the `n` bytes at each of `starts` (64-bit, below 2^32 as `n` is) lie within
    /// `len`, as one flag (for checks that trap).
    fn ranges_in_bounds(&mut self, starts: &[Value], n: Value, len: Value) -> Value {
        let checks: Vec<Value> = starts
            .iter()
            .map(|s| {
                let end = self.b.ins().iadd(*s, n);
                self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, end, len)
            })
            .collect();
        checks
            .into_iter()
            .reduce(|a, b| self.b.ins().band(a, b))
            .expect("at least one range")
    }

    /// `memory.copy` between 32-bit memories: the bounds checked here (the instruction traps
    /// before writing anything when either range is out of bounds), the bytes moved by the
    /// `memmove` routine, without the `MemoryCopy` builtin's look-up of the instance and its
    /// memories.
    pub(super) fn memory_copy32(&mut self, dst_mem: u32, src_mem: u32, args: [Value; 3]) {
        let [d, s, n] = args.map(|v| self.b.ins().uextend(I64, v));
        self.check_host_stack();
        let d_len = self.memory_length(dst_mem);
        let d_ok = self.ranges_in_bounds(&[d], n, d_len);
        let s_len = self.memory_length(src_mem);
        let s_ok = self.ranges_in_bounds(&[s], n, s_len);
        let ok = self.b.ins().band(d_ok, s_ok);
        self.trapz(ok, TrapCode::MemoryOutOfBounds);
        let d_base = self.memory_base(dst_mem);
        let d_ptr = self.b.ins().iadd(d_base, d);
        let s_base = self.memory_base(src_mem);
        let s_ptr = self.b.ins().iadd(s_base, s);
        self.call_builtin(Builtin::LibcMemmove, &[d_ptr, s_ptr, n]);
    }

    /// `memory.fill` of a 32-bit memory, as [`Self::memory_copy32`] with the `memset` routine.
    pub(super) fn memory_fill32(&mut self, mem: u32, [d, byte, n]: [Value; 3]) {
        let [d, n] = [d, n].map(|v| self.b.ins().uextend(I64, v));
        self.check_host_stack();
        let len = self.memory_length(mem);
        let ok = self.ranges_in_bounds(&[d], n, len);
        self.trapz(ok, TrapCode::MemoryOutOfBounds);
        let base = self.memory_base(mem);
        let ptr = self.b.ins().iadd(base, d);
        self.call_builtin(Builtin::LibcMemset, &[ptr, byte, n]);
    }
}

/// How many wasm parameters `routine` takes.
fn routine_arity(routine: LibcRoutine) -> usize {
    match routine {
        LibcRoutine::Strlen => 1,
        _ => 3,
    }
}
