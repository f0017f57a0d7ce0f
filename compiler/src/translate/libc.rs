//! The fast path of a function recognised as one of wasi-libc's routines ([`crate::libc`]):
//! when the runtime's routine gives exactly what the wasm body would, call it and return;
//! otherwise run the body.
//!
//! The routine is used when every byte the body would touch is in bounds of memory 0, when the
//! ranges of `memcpy` do not overlap (wasi-libc's `memcpy` copies forward by words, which an
//! overlapping copy shows), and when the stack has room for host code (below the limit the body
//! still runs: it may use the stack down to the guard page, host code may not). `strlen` calls
//! the routine with the bytes up to the end of memory and runs the body when there is no NUL
//! among them. Out-of-bounds calls thus trap in the body, at the same access and with the same
//! bytes written before it, as without the fast path.

use super::{FUNC_NAMESPACE, Translator, libc_routine_signature};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{ExtFuncData, ExternalName, InstBuilder, UserExternalName, Value};
use wasm2native_abi::{LibcRoutine, OFFSET_STACK_LIMIT};

impl Translator<'_, '_, '_, '_> {
    /// Emits the fast path of `routine` at the function's entry, whose wasm parameters are
    /// `params`, and continues in the block that runs the body.
    pub(super) fn libc_fast_path(&mut self, routine: LibcRoutine, params: &[Value]) {
        let wide: Vec<Value> = params
            .iter()
            .map(|p| self.b.ins().uextend(I64, *p))
            .collect();
        let len = self.memory_length(0);
        let ok = match routine {
            LibcRoutine::Memcpy => {
                let (d, s, n) = (wide[0], wide[1], wide[2]);
                let both = self.ranges_in_bounds(&[d, s], n, len);
                let d_end = self.b.ins().iadd(d, n);
                let s_end = self.b.ins().iadd(s, n);
                let before = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, d_end, s);
                let after = self.b.ins().icmp(IntCC::UnsignedLessThanOrEqual, s_end, d);
                let disjoint = self.b.ins().bor(before, after);
                self.b.ins().band(both, disjoint)
            }
            LibcRoutine::Memmove | LibcRoutine::Memcmp => {
                self.ranges_in_bounds(&wide[..2], wide[2], len)
            }
            LibcRoutine::Memset => self.ranges_in_bounds(&wide[..1], wide[2], len),
            LibcRoutine::Strlen => self.b.ins().icmp(IntCC::UnsignedLessThan, wide[0], len),
        };
        let sp = self.b.ins().get_stack_pointer(I64);
        let limit = self.load_vmctx(I64, super::vm::readonly(), OFFSET_STACK_LIMIT);
        let room = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, sp, limit);
        let ok = self.b.ins().band(ok, room);
        let fast = self.b.create_block();
        let body = self.b.create_block();
        self.b.ins().brif(ok, fast, &[], body, &[]);
        self.b.seal_block(fast);
        self.b.switch_to_block(fast);

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
        let result = self.call_libc_routine(routine, &args);
        match routine {
            LibcRoutine::Memcpy | LibcRoutine::Memmove | LibcRoutine::Memset => {
                self.b.ins().return_(&[params[0]]);
            }
            LibcRoutine::Memcmp => {
                let r = result.expect("memcmp returns a value");
                self.b.ins().return_(&[r]);
            }
            LibcRoutine::Strlen => {
                let r = result.expect("strnlen returns a value");
                let found = self.b.ins().icmp(IntCC::NotEqual, r, args[1]);
                let done = self.b.create_block();
                self.b.ins().brif(found, done, &[], body, &[]);
                self.b.seal_block(done);
                self.b.switch_to_block(done);
                let r = self.b.ins().ireduce(I32, r);
                self.b.ins().return_(&[r]);
            }
        }
        self.b.seal_block(body);
        self.b.switch_to_block(body);
    }

    /// Whether the `n` bytes at each of `starts` (64-bit, below 2^32 as `n` is) lie within
    /// `len`.
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

    /// Calls the runtime's `routine` (System V, no VM context) directly by its symbol.
    fn call_libc_routine(&mut self, routine: LibcRoutine, args: &[Value]) -> Option<Value> {
        let callee = match self.libc_funcs.get(&routine) {
            Some(f) => *f,
            None => {
                let sig = libc_routine_signature(routine, self.env.host_call_conv);
                let signature = self.b.import_signature(sig);
                let id = self.env.libc_symbols[&routine];
                let name = self
                    .b
                    .func
                    .declare_imported_user_function(UserExternalName::new(FUNC_NAMESPACE, id));
                let f = self.b.import_function(ExtFuncData {
                    name: ExternalName::user(name),
                    signature,
                    colocated: false,
                    patchable: false,
                });
                self.libc_funcs.insert(routine, f);
                f
            }
        };
        let inst = self.b.ins().call(callee, args);
        self.b.inst_results(inst).first().copied()
    }
}
