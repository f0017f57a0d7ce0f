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

/// A cheap look at a body before translating it: only bodies that pass are translated ahead of
/// the main pass and kept for inlining (keeping every translated body would cost memory in
/// proportion to the whole module).
pub fn may_be_candidate(body: &wasmparser::FunctionBody<'_>) -> bool {
    use wasmparser::Operator as O;
    let Ok(mut ops) = body.get_operators_reader() else {
        return false;
    };
    let mut count = 0;
    while !ops.eof() {
        let Ok(op) = ops.read() else { return false };
        count += 1;
        if count > MAX_INLINE_INSTS {
            return false;
        }
        let name = format!("{op:?}");
        let traps_or_calls = matches!(
            op,
            O::Call { .. }
                | O::CallIndirect { .. }
                | O::Unreachable
                | O::MemoryGrow { .. }
                | O::MemoryCopy { .. }
                | O::MemoryFill { .. }
                | O::MemoryInit { .. }
                | O::DataDrop { .. }
        ) || name.contains("Load")
            || name.contains("Store")
            || name.contains("Div")
            || name.contains("Rem")
            || (name.contains("Trunc") && !name.contains("Sat") && !name.starts_with("F"))
            || name.starts_with("Table")
            || name.starts_with("Elem");
        if traps_or_calls {
            return false;
        }
    }
    true
}

/// Whether the translated `func` may be inlined into callers.
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
    /// Translated bodies of the candidate functions, by defined index (`None` for the others).
    pub candidates: &'a [Option<Function>],
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
        match self
            .by_symbol
            .get(&symbol)
            .and_then(|&i| self.candidates[i].as_ref())
        {
            Some(body) => InlineCommand::Inline {
                callee: Cow::Borrowed(body),
                visit_callee: false,
            },
            None => InlineCommand::KeepCall,
        }
    }
}
