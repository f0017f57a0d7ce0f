//! Inlining of small wasm functions into their callers (at `-O2`), with Cranelift's inliner,
//! keeping backtraces exact.
//!
//! Producers such as clang already inline at their level, but the wasm they emit still calls
//! small helpers (getters, tiny wrappers, libc leaves like `strlen`'s fast paths) whose call
//! overhead — saving registers, passing the VM context, the frame — can dominate. A callee is
//! inlined when it is a defined function of at most [`MAX_INLINE_INSTS`] CLIF instructions
//! other than the caller itself. Callees are inlined as translated, without what was inlined
//! into them, so inlining is one level deep and always terminates.
//!
//! Backtraces: an inlined function has no frame of its own, so the code inlined at each call
//! site is marked with the callee's function index as its Cranelift source location. After
//! compilation, the trap sites and calls that lie in marked code become [`InlinedFrame`]
//! records in the image, and the runtime shows the inlined function as a frame of its own
//! between the trap (or its callee's frame) and the caller. A trap inside an inlined function
//! is reported exactly as if the call had not been inlined.

use cranelift_codegen::MachSrcLoc;
use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{self, ExternalName, Function, Opcode, SourceLoc};
use std::borrow::Cow;
use std::collections::HashMap;
use wasm2native_abi::InlinedFrame;

/// Largest callee body, in CLIF instructions, that is inlined.
pub const MAX_INLINE_INSTS: usize = 48;

/// A cheap look at a body before translating it: only bodies that pass are translated ahead of
/// the main pass and kept for inlining (keeping every translated body would cost memory in
/// proportion to the whole module). A CLIF instruction per operator is the usual lower bound.
pub fn may_be_candidate(body: &wasmparser::FunctionBody<'_>) -> bool {
    let Ok(mut ops) = body.get_operators_reader() else {
        return false;
    };
    let mut count = 0;
    while !ops.eof() {
        if ops.read().is_err() {
            return false;
        }
        count += 1;
        if count > MAX_INLINE_INSTS + 1 {
            return false;
        }
    }
    true
}

/// Whether the translated `func` may be inlined into callers. `widenings` of its instructions
/// only widen builtin operands or narrow builtin results, or are libc fast paths (see
/// [`translate_function`](crate::translate::translate_function)) and do not count.
pub fn is_candidate(func: &Function, widenings: usize) -> bool {
    // Calls inside a `try_table` stay in their own frame, where the unwind table finds them;
    // tail calls too (inlined, they would become calls that keep the caller's frame).
    let insts = || {
        func.layout
            .blocks()
            .flat_map(|b| func.layout.block_insts(b))
    };
    func.dfg.exception_tables.is_empty()
        && insts().count().saturating_sub(widenings) <= MAX_INLINE_INSTS
        && !insts().any(|i| {
            matches!(
                func.dfg.insts[i].opcode(),
                Opcode::ReturnCall | Opcode::ReturnCallIndirect
            )
        })
}

/// Directs Cranelift's inliner: inline direct calls to candidate functions, and remember where
/// each inlined body went.
pub struct Inliner<'a> {
    /// Translated bodies of the candidate functions, by defined index (`None` for the others).
    pub candidates: &'a [Option<Function>],
    /// Defined index of the function behind each cranelift-module function id.
    pub by_symbol: &'a HashMap<u32, usize>,
    /// cranelift-module function id of the caller (never inlined into itself).
    pub caller: u32,
    /// Function index of the first defined function.
    pub first_defined: u32,
    /// For each inlined call, in order: the caller's instruction count when the inliner asked
    /// about it, and the callee's function index. The inliner creates all instructions of one
    /// inlined body after that question and before the next, so the instructions numbered from
    /// one count to the next are that callee's.
    pub sites: Vec<(usize, u32)>,
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
        if symbol == self.caller {
            return InlineCommand::KeepCall;
        }
        match self
            .by_symbol
            .get(&symbol)
            .and_then(|&i| Some((i, self.candidates[i].as_ref()?)))
        {
            Some((i, body)) => {
                self.sites
                    .push((caller.dfg.num_insts(), self.first_defined + i as u32));
                InlineCommand::Inline {
                    callee: Cow::Borrowed(body),
                    visit_callee: false,
                }
            }
            None => InlineCommand::KeepCall,
        }
    }
}

impl Inliner<'_> {
    /// Marks every instruction the inliner created with the function index of the callee it
    /// came from, as its source location (the translator sets none).
    pub fn mark_inlined_code(&self, func: &mut Function) {
        if self.sites.is_empty() {
            return;
        }
        let insts: Vec<ir::Inst> = func
            .layout
            .blocks()
            .flat_map(|block| func.layout.block_insts(block))
            .collect();
        for inst in insts {
            let n = inst.as_u32() as usize;
            let site = self.sites.partition_point(|&(first, _)| first <= n);
            if site > 0 {
                func.set_srcloc(inst, SourceLoc::new(self.sites[site - 1].1));
            }
        }
    }
}

/// The [`InlinedFrame`]s of a compiled function: those of `stops` (code offsets a backtrace can
/// stop at) that lie in code marked by [`Inliner::mark_inlined_code`], by offset.
pub fn inlined_frames(
    srclocs: &[MachSrcLoc<cranelift_codegen::Final>],
    stops: impl Iterator<Item = u32>,
) -> Vec<InlinedFrame> {
    let mut frames: Vec<InlinedFrame> = stops
        .filter_map(|offset| {
            // `srclocs` is sorted by start and its ranges do not overlap.
            let i = srclocs.partition_point(|s| s.start <= offset);
            let s = srclocs.get(i.checked_sub(1)?)?;
            (offset < s.end && !s.loc.is_default()).then(|| InlinedFrame {
                offset,
                funcidx: s.loc.bits(),
            })
        })
        .collect();
    frames.sort_by_key(|f| f.offset);
    frames.dedup();
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    fn srcloc(start: u32, end: u32, loc: Option<u32>) -> MachSrcLoc<cranelift_codegen::Final> {
        MachSrcLoc {
            start,
            end,
            loc: loc.map_or(SourceLoc::default(), SourceLoc::new),
        }
    }

    #[test]
    fn stops_in_marked_code_become_inlined_frames() {
        let srclocs = [
            srcloc(0, 10, None),
            srcloc(10, 20, Some(7)),
            srcloc(24, 30, Some(9)),
        ];
        let frames = inlined_frames(&srclocs, [29, 5, 15, 22, 10, 15, 40].into_iter());
        assert_eq!(
            frames,
            [
                InlinedFrame {
                    offset: 10,
                    funcidx: 7
                },
                InlinedFrame {
                    offset: 15,
                    funcidx: 7
                },
                InlinedFrame {
                    offset: 29,
                    funcidx: 9
                },
            ]
        );
    }
}
