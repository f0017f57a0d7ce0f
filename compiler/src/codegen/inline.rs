//! Inlining of small wasm functions into their callers (at `-O2`), with Cranelift's inliner.
//!
//! Producers such as clang already inline at their level, but the wasm they emit still calls
//! small helpers (getters, tiny wrappers, libc leaves like `strlen`'s fast paths) whose call
//! overhead — saving registers, the stack-limit check, passing the VM context — can dominate. A
//! callee is inlined when it is a defined function that calls nothing itself (so inlining
//! terminates and never duplicates recursion), has at most [`MAX_INLINE_INSTS`] instructions,
//! and cannot trap: an inlined function has no frame of its own, so a trap inside it would be
//! reported in its caller; excluding trapping callees keeps every backtrace exact.

use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{self, ExternalName, Function};
use std::borrow::Cow;
use std::collections::HashMap;

/// Largest callee body, in CLIF instructions, that is inlined.
pub const MAX_INLINE_INSTS: usize = 48;

/// Whether `func` may be inlined into callers.
pub fn is_candidate(func: &Function) -> bool {
    let mut count = 0;
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let data = &func.dfg.insts[inst];
            let opcode = data.opcode();
            if opcode.is_call()
                || opcode.can_trap()
                || data.trap_code().is_some()
                || data.memflags_trap_code(&func.dfg).is_some()
            {
                return false;
            }
            count += 1;
            if count > MAX_INLINE_INSTS {
                return false;
            }
        }
    }
    true
}

/// Directs Cranelift's inliner: inline direct calls to candidate functions.
pub struct Inliner<'a> {
    /// Translated bodies of the defined functions, by defined index.
    pub bodies: &'a [Function],
    /// Whether each defined function is a candidate.
    pub candidates: &'a [bool],
    /// Defined index of the function behind each cranelift-module function id.
    pub by_symbol: &'a HashMap<u32, usize>,
}

impl Inline for Inliner<'_> {
    fn inline(
        &mut self,
        caller: &ir::Function,
        _call_inst: ir::Inst,
        call_opcode: ir::Opcode,
        callee: ir::FuncRef,
        _call_args: &[ir::Value],
    ) -> InlineCommand<'_> {
        if call_opcode != ir::Opcode::Call {
            return InlineCommand::KeepCall;
        }
        let ExternalName::User(name) = caller.dfg.ext_funcs[callee].name else {
            return InlineCommand::KeepCall;
        };
        let symbol = caller.params.user_named_funcs()[name].index;
        match self.by_symbol.get(&symbol) {
            Some(&i) if self.candidates[i] => InlineCommand::Inline {
                callee: Cow::Borrowed(&self.bodies[i]),
                visit_callee: false,
            },
            _ => InlineCommand::KeepCall,
        }
    }
}
