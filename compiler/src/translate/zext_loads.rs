//! Zero-extended i32 loads become `uload32`.
//!
//! Wasm code zero-extends every i32 address (`uextend.i64`) before adding it to the memory
//! base, and many addresses come straight from memory: a pointer loaded from a struct, then
//! dereferenced. On x86-64 a 32-bit load already clears the upper half of its register, but
//! Cranelift's lowering only knows that of `uload32`, not of `load.i32`, so
//! `uextend.i64 (load.i32 p)` costs a `mov r32, r32` after the load (2,846 times in SQLite's
//! code). Rewriting such a load to `w = uload32 p` with the i32 value as `ireduce.i32 w` (no
//! instruction) and every `uextend.i64` of it as `w` itself removes those moves. (The same
//! rewrite of `uload8.i32` and `uload16.i32` measured slightly worse: left out.) The loaded
//! value gains no use it did not have, so no load that could be folded into an instruction
//! operand before stops being foldable.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{Function, InstBuilder, InstructionData, Opcode, ValueDef};
use std::collections::HashMap;

/// Rewrites `func` as described in the module documentation.
pub fn rewrite(func: &mut Function) {
    // The uextends of each such load's result, by load instruction, loads in the layout order
    // of their first uextend (so that the output does not depend on hash order).
    let mut uses = HashMap::<_, Vec<_>>::new();
    let mut loads = Vec::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let InstructionData::Unary {
                opcode: Opcode::Uextend,
                arg,
            } = func.dfg.insts[inst]
            else {
                continue;
            };
            if func.dfg.ctrl_typevar(inst) != I64 {
                continue;
            }
            let arg = func.dfg.resolve_aliases(arg);
            if let ValueDef::Result(load, 0) = func.dfg.value_def(arg)
                && let InstructionData::Load {
                    opcode: Opcode::Load,
                    ..
                } = func.dfg.insts[load]
                && func.dfg.value_type(arg) == I32
            {
                let users: &mut Vec<_> = uses.entry(load).or_default();
                if users.is_empty() {
                    loads.push(load);
                }
                users.push(inst);
            }
        }
    }
    for load in loads {
        let uextends = uses.remove(&load).unwrap_or_default();
        if let InstructionData::Load { opcode, .. } = &mut func.dfg.insts[load] {
            *opcode = Opcode::Uload32;
        }
        let narrow = func.dfg.first_result(load);
        let wide = func.dfg.replace_result(narrow, I64);
        let mut pos = FuncCursor::new(func).after_inst(load);
        let reduced = pos.ins().ireduce(I32, wide);
        func.dfg.change_to_alias(narrow, reduced);
        for uextend in uextends {
            let result = func.dfg.first_result(uextend);
            func.dfg.clear_results(uextend);
            func.layout.remove_inst(uextend);
            func.dfg.change_to_alias(result, wide);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_codegen::ir::{AbiParam, MemFlagsData, Signature};
    use cranelift_codegen::isa::CallConv;
    use cranelift_codegen::settings;

    /// `fn(base: i64, p: i64) -> (i64, i32)`: loads an i32 `x` at `p`, returns the i64 loaded at
    /// `base + uextend(x)` and `x` itself.
    fn pointer_chase() -> Function {
        let mut sig = Signature::new(CallConv::SystemV);
        sig.params = vec![AbiParam::new(I64), AbiParam::new(I64)];
        sig.returns = vec![AbiParam::new(I64), AbiParam::new(I32)];
        let mut func = Function::with_name_signature(Default::default(), sig);
        let block = func.dfg.make_block();
        func.layout.append_block(block);
        let base = func.dfg.append_block_param(block, I64);
        let p = func.dfg.append_block_param(block, I64);
        let flags = MemFlagsData::trusted();
        let mut pos = FuncCursor::new(&mut func).at_bottom(block);
        let x = pos.ins().load(I32, flags, p, 4);
        let wide = pos.ins().uextend(I64, x);
        let addr = pos.ins().iadd(base, wide);
        let y = pos.ins().load(I64, flags, addr, 0);
        pos.ins().return_(&[y, x]);
        func
    }

    fn opcodes(func: &Function) -> Vec<Opcode> {
        let block = func.layout.entry_block().unwrap();
        func.layout
            .block_insts(block)
            .map(|i| func.dfg.insts[i].opcode())
            .collect()
    }

    #[test]
    fn uextend_of_a_load_becomes_the_load() {
        let mut func = pointer_chase();
        rewrite(&mut func);
        cranelift_codegen::verify_function(&func, &settings::Flags::new(settings::builder()))
            .expect("valid after the rewrite");
        assert_eq!(
            opcodes(&func),
            [
                Opcode::Uload32,
                Opcode::Ireduce,
                Opcode::Iadd,
                Opcode::Load,
                Opcode::Return
            ]
        );
    }

    #[test]
    fn other_loads_are_left_alone() {
        // An i64 load that is not zero-extended, and an i32 load whose result is only used as
        // an i32.
        let mut func = pointer_chase();
        let block = func.layout.entry_block().unwrap();
        let uextend = func
            .layout
            .block_insts(block)
            .find(|&i| func.dfg.insts[i].opcode() == Opcode::Uextend)
            .unwrap();
        let x = func.dfg.inst_args(uextend)[0];
        let mut pos = FuncCursor::new(&mut func).at_inst(uextend);
        let sext = pos.ins().sextend(I64, x);
        let result = pos.func.dfg.first_result(uextend);
        pos.func.dfg.clear_results(uextend);
        pos.func.layout.remove_inst(uextend);
        pos.func.dfg.change_to_alias(result, sext);
        let before = opcodes(&func);
        rewrite(&mut func);
        assert_eq!(opcodes(&func), before);
    }
}
