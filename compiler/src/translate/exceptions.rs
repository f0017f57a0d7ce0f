//! Exception handling: `try_table`, `throw`, `throw_ref` (Wasm 3.0), and the legacy `try`,
//! `catch`, `catch_all`, `rethrow` and `delegate`, which share the mechanism.
//!
//! Each `try_table` gets a *dispatch* block, entered with the exception (an `exnref`, a pointer
//! to the runtime's [`wasm2native_abi::VMException`]): it tests the table's catch clauses in
//! order by comparing the exception's tag identity with the identity in this instance's tag
//! slot, loads the payload and branches to the clause's label; when no clause matches it goes
//! on to the enclosing `try_table`'s dispatch block, or out of the function through the
//! `throw_ref` builtin.
//!
//! Inside a `try_table`, calls that may throw (to wasm functions, directly, through imports or
//! `call_indirect`) are Cranelift `try_call`s whose only exception-table entry is the default
//! one, to the dispatch block, with the exception in the first payload register. Tags are
//! matched in compiled code, so the runtime's unwinder only needs, per return address, the
//! handler's offset and the frame's stack pointer (see `runtime-lib/src/unwind`). A `throw` or
//! `throw_ref` inside a `try_table` of its own function jumps to the dispatch block directly.
//!
//! A legacy `try` has a dispatch block too, but its clauses come after the body: each `catch`
//! appends its tag test to the chain starting at the dispatch block and opens the clause's
//! body, which pushes the payload. What no clause matches goes on to the enclosing handler, or
//! for `delegate L` to the handler in effect inside label `L`. The handler of a call or throw is
//! always the innermost frame whose body is being translated and that catches
//! ([`Translator::handler`]): a `try_table`, or a `try` before its first clause.

use super::{Frame, FrameKind, Translator, clif_trap, ir_type};
use crate::error::Result;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{
    self, BlockArg, ExceptionTableData, ExceptionTableItem, InstBuilder, MemFlagsData, Value,
};
use wasm2native_abi::{EXN_PAYLOAD_OFFSET, EXN_TAG_OFFSET, ExceptionBuiltin, TrapCode};
use wasmparser::{Catch, TryTable};

/// Bytes of payload per value in an exception object.
const SLOT: u32 = 16;

/// Flags of accesses to exception objects and tag slots (runtime memory, never trapping).
fn trusted() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Where a legacy `try` stands once its first `catch` or `catch_all` is seen.
#[derive(Debug, Clone, Copy)]
pub(super) struct LegacyCatch {
    /// Where exceptions that no clause so far matched go (the next clause's test), or `None`
    /// after `catch_all`.
    unmatched: Option<ir::Block>,
}

/// What a call instruction to emit calls.
pub(super) enum Callee {
    Direct(ir::FuncRef),
    Indirect(ir::SigRef, Value),
}

impl Translator<'_, '_, '_, '_> {
    /// The parameter types of tag `tag`'s type.
    fn tag_params(&self, tag: u32) -> Vec<wasm2native_abi::meta::ValType> {
        let m = &self.env.module.meta;
        m.types[m.tags[tag as usize] as usize].params.clone()
    }

    /// Emits a call; inside a `try_table` it is a `try_call` to the innermost dispatch block.
    /// Returns the call's results.
    pub(super) fn emit_call(&mut self, callee: Callee, args: &[Value]) -> Vec<Value> {
        let Some(dispatch) = self.handler() else {
            let inst = match callee {
                Callee::Direct(f) => self.b.ins().call(f, args),
                Callee::Indirect(sig, code) => self.b.ins().call_indirect(sig, code, args),
            };
            return self.b.inst_results(inst).to_vec();
        };
        let sig = match callee {
            Callee::Direct(f) => self.b.func.dfg.ext_funcs[f].signature,
            Callee::Indirect(sig, _) => sig,
        };
        let returns: Vec<ir::Type> = self.b.func.dfg.signatures[sig]
            .returns
            .iter()
            .map(|r| r.value_type)
            .collect();
        let cont = self.block_with_params(&returns);
        let rets: Vec<BlockArg> = (0..returns.len() as u32)
            .map(BlockArg::TryCallRet)
            .collect();
        let normal = self.b.func.dfg.block_call(cont, &rets);
        let handler = self
            .b
            .func
            .dfg
            .block_call(dispatch, &[BlockArg::TryCallExn(0)]);
        let table = ExceptionTableData::new(sig, normal, [ExceptionTableItem::Default(handler)]);
        let et = self.b.func.dfg.exception_tables.push(table);
        match callee {
            Callee::Direct(f) => self.b.ins().try_call(f, args, et),
            Callee::Indirect(_, code) => self.b.ins().try_call_indirect(code, args, et),
        };
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
        self.b.block_params(cont).to_vec()
    }

    /// `try_table`: builds the dispatch block for the catch clauses, then opens the block.
    pub(super) fn try_table(&mut self, table: &TryTable, offset: usize) -> Result<()> {
        let (params, results) = self.block_type(table.ty, offset)?;
        let dispatch = self.b.create_block();
        let exn = self.b.append_block_param(dispatch, I64);
        let body = self.b.create_block();
        let args = self.popn(params.len());
        let height = self.stack.len();
        let args = self.block_args(&args);
        self.b.ins().jump(body, &args);
        for t in &params {
            self.b.append_block_param(body, *t);
        }
        self.b.switch_to_block(dispatch);
        for catch in &table.catches {
            self.catch_clause(catch, exn);
        }
        self.throw_exn(exn);
        self.b.switch_to_block(body);
        self.b.seal_block(body);
        let next = self.block_with_params(&results);
        self.stack.extend(self.b.block_params(body).to_vec());
        self.control.push(super::Frame {
            kind: FrameKind::TryTable { dispatch },
            next,
            num_params: params.len(),
            num_results: results.len(),
            height,
            branched_to: false,
        });
        Ok(())
    }

    /// One clause of a dispatch block: branches to its label when it matches `exn`, and
    /// continues in a new block otherwise.
    fn catch_clause(&mut self, catch: &Catch, exn: Value) {
        let (tag, label, with_ref) = match *catch {
            Catch::One { tag, label } => (Some(tag), label, false),
            Catch::OneRef { tag, label } => (Some(tag), label, true),
            Catch::All { label } => (None, label, false),
            Catch::AllRef { label } => (None, label, true),
        };
        let (mut values, otherwise) = match tag {
            Some(tag) => self.match_tag(exn, tag),
            None => (Vec::new(), None),
        };
        if with_ref {
            values.push(exn);
        }
        let (target, _) = self.branch_target(label);
        self.jump(target, &values);
        // After a catch-all, later clauses are unreachable: give them a block of their own.
        let rest = otherwise.unwrap_or_else(|| {
            let block = self.b.create_block();
            self.b.seal_block(block);
            block
        });
        self.b.switch_to_block(rest);
    }

    /// Tests whether `exn` was thrown with tag `tag`. Continues in the matching branch and
    /// returns the payload loaded there, and the (sealed) block where the test fails.
    fn match_tag(&mut self, exn: Value, tag: u32) -> (Vec<Value>, Option<ir::Block>) {
        let thrown = self
            .b
            .ins()
            .load(I64, trusted(), exn, EXN_TAG_OFFSET as i32);
        let ours = self.tag_identity(tag);
        let matches = self.b.ins().icmp(IntCC::Equal, thrown, ours);
        let on_match = self.b.create_block();
        let otherwise = self.b.create_block();
        self.b.ins().brif(matches, on_match, &[], otherwise, &[]);
        self.b.seal_block(on_match);
        self.b.seal_block(otherwise);
        self.b.switch_to_block(on_match);
        let payload = (self.tag_params(tag).into_iter().enumerate())
            .map(|(i, t)| {
                let off = EXN_PAYLOAD_OFFSET + SLOT * i as u32;
                self.b.ins().load(ir_type(t), trusted(), exn, off as i32)
            })
            .collect();
        (payload, Some(otherwise))
    }

    /// The identity of tag `tag` in this instance (the address of its `VMTag`).
    fn tag_identity(&mut self, tag: u32) -> Value {
        let off = self.env.offsets.tag_ptr(tag);
        let flags = MemFlagsData::trusted().with_readonly().with_can_move();
        self.b.ins().load(I64, flags, self.vmctx, off as i32)
    }

    /// The dispatch block exceptions raised inside control frame `frame` (an index into the
    /// control stack) go to, or `None` when they leave the function.
    fn handler_within(&self, frame: usize) -> Option<ir::Block> {
        self.control[..=frame]
            .iter()
            .rev()
            .find_map(|f| match f.kind {
                FrameKind::TryTable { dispatch }
                | FrameKind::Try {
                    dispatch,
                    catch: None,
                } => Some(dispatch),
                _ => None,
            })
    }

    /// The dispatch block exceptions raised here go to, or `None` when they leave the function.
    pub(super) fn handler(&self) -> Option<ir::Block> {
        self.handler_within(self.control.len() - 1)
    }

    /// Throws `exn` (non-null) to the innermost handler of this function, or out of it. Ends
    /// the current block.
    pub(super) fn throw_exn(&mut self, exn: Value) {
        self.throw_to(self.handler(), exn);
    }

    /// Throws `exn` to dispatch block `handler`, or out of the function. Ends the current block.
    fn throw_to(&mut self, handler: Option<ir::Block>, exn: Value) {
        if let Some(dispatch) = handler {
            self.b.ins().jump(dispatch, &[BlockArg::Value(exn)]);
        } else {
            self.builtin(ExceptionBuiltin::ThrowRef, &[exn]);
            self.b.ins().trap(clif_trap(TrapCode::Unreachable));
        }
    }

    /// `throw tag`: a new exception holding the tag's parameters from the stack.
    pub(super) fn throw(&mut self, tag: u32) {
        let params = self.tag_params(tag);
        let values = self.popn(params.len());
        let t = self.b.ins().iconst(I32, i64::from(tag));
        let bytes = self
            .b
            .ins()
            .iconst(I32, i64::from(SLOT * params.len() as u32));
        let exn = self
            .builtin(ExceptionBuiltin::ExnNew, &[t, bytes])
            .expect("exn_new returns");
        for (i, v) in values.into_iter().enumerate() {
            let v = self.canon(v);
            let off = EXN_PAYLOAD_OFFSET + SLOT * i as u32;
            self.b.ins().store(trusted(), v, exn, off as i32);
        }
        self.throw_exn(exn);
        self.reachable = false;
    }

    /// `throw_ref`: rethrows the exception on the stack (null traps).
    pub(super) fn throw_ref(&mut self) {
        let exn = self.pop();
        self.trapz(exn, TrapCode::NullReference);
        self.throw_exn(exn);
        self.reachable = false;
    }

    /// Legacy `try`: a block whose exceptions go to a dispatch block, filled in by its
    /// `catch` clauses.
    pub(super) fn legacy_try(&mut self, bt: wasmparser::BlockType, offset: usize) -> Result<()> {
        let (params, results) = self.block_type(bt, offset)?;
        let dispatch = self.b.create_block();
        self.b.append_block_param(dispatch, I64);
        let next = self.block_with_params(&results);
        self.control.push(Frame {
            kind: FrameKind::Try {
                dispatch,
                catch: None,
            },
            next,
            num_params: params.len(),
            num_results: results.len(),
            height: self.stack.len() - params.len(),
            branched_to: false,
        });
        Ok(())
    }

    /// Legacy `catch tag` (`tag` given) or `catch_all`: ends the body or the previous clause,
    /// and opens this clause where the previous ones did not match.
    pub(super) fn catch(&mut self, tag: Option<u32>) {
        let frame = self
            .control
            .last_mut()
            .expect("validated: catch inside try");
        let FrameKind::Try { dispatch, catch } = frame.kind else {
            unreachable!("validated: catch inside try")
        };
        if self.reachable {
            frame.branched_to = true;
            let (next, n) = (frame.next, frame.num_results);
            let results = self.peekn(n).to_vec();
            self.jump(next, &results);
        }
        let height = self.control.last().expect("try frame").height;
        self.stack.truncate(height);
        let clause = match catch {
            // The body is translated: every throw to the dispatch block is known.
            None => {
                self.b.seal_block(dispatch);
                dispatch
            }
            Some(c) => c.unmatched.expect("validated: no catch after catch_all"),
        };
        self.b.switch_to_block(clause);
        let exn = self.b.block_params(dispatch)[0];
        let unmatched = match tag {
            Some(tag) => {
                let (payload, otherwise) = self.match_tag(exn, tag);
                self.stack.extend(payload);
                otherwise
            }
            None => None,
        };
        let frame = self.control.last_mut().expect("try frame");
        frame.kind = FrameKind::Try {
            dispatch,
            catch: Some(LegacyCatch { unmatched }),
        };
        self.reachable = true;
    }

    /// Legacy `rethrow depth`: throws again the exception caught by the `catch` clause at
    /// label `depth`.
    pub(super) fn rethrow(&mut self, depth: u32) {
        let frame = &self.control[self.control.len() - 1 - depth as usize];
        let FrameKind::Try {
            dispatch,
            catch: Some(_),
        } = frame.kind
        else {
            unreachable!("validated: rethrow targets a catch clause")
        };
        let exn = self.b.block_params(dispatch)[0];
        self.throw_exn(exn);
        self.reachable = false;
    }

    /// At the `end` (or `delegate depth`) of a legacy `try`, whose frame is popped: exceptions
    /// no clause caught go to the enclosing handler, or to the one in effect inside label
    /// `depth`. Leaves the current block terminated.
    pub(super) fn end_try(
        &mut self,
        dispatch: ir::Block,
        catch: Option<LegacyCatch>,
        delegate: Option<u32>,
    ) {
        let unmatched = match catch {
            None => {
                self.b.seal_block(dispatch);
                Some(dispatch)
            }
            Some(c) => c.unmatched,
        };
        let Some(block) = unmatched else { return };
        self.b.switch_to_block(block);
        let exn = self.b.block_params(dispatch)[0];
        let frame = self.control.len() - 1 - delegate.unwrap_or(0) as usize;
        self.throw_to(self.handler_within(frame), exn);
    }
}
