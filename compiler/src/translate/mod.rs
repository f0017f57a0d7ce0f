//! Translation of one wasm function body to Cranelift IR.
//!
//! The translator keeps wasm's operand stack as a `Vec<Value>` and its control stack as
//! [`Frame`]s; locals are cranelift-frontend `Variable`s. Structured control flow maps to
//! Cranelift blocks whose parameters carry block results (and loop parameters), so multi-value
//! blocks need nothing special. Code after `br`, `return` or `unreachable` is skipped up to the
//! end of the enclosing construct.
//!
//! - [`operators`]: the per-operator `match`.
//! - [`vm`]: accesses to the VM context: memories (bounds checks), tables, globals, builtins,
//!   calls.
//! - [`simd`]: the fixed-width SIMD operators.
//! - [`libc`]: the fast path of a function recognised as one of wasi-libc's routines.
//! - [`atomics`]: the threads proposal's atomic operators, `wait` and `notify`.
//! - [`zext_loads`]: a rewrite of the finished function that spares the zero-extension of
//!   loaded i32 addresses.
//!
//! v128 values: locals, block parameters, globals and signatures use `I8X16`; SIMD operators
//! bitcast their operands to the lane type they need and push results in that type, so chains of
//! `f32x4` operations carry no casts. Values are cast back to `I8X16` only where they cross a
//! boundary (branch arguments, calls, returns, locals, globals, `select`).

mod atomics;
mod exceptions;
mod libc;
mod operators;
mod references;
mod simd;
mod vm;
mod zext_loads;

use crate::config::{BoundsChecks, Config};
use crate::error::{Error, Result};
use crate::module::{ImportBinding, ModuleInfo};
use cranelift_codegen::ir::{
    self, AbiParam, ArgumentPurpose, BlockArg, Function, InstBuilder, Signature, Type,
    UserFuncName, Value, types,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use std::collections::HashMap;
use std::sync::atomic::AtomicU32;
use wasm2native_abi::meta::{FuncType, ValType};
use wasm2native_abi::{BuiltinType, LibcRoutine, OptionalTable, TrapCode, VMOffsets};
use wasmparser::{FunctionBody, Operator};

/// Namespace of function names in `UserExternalName`s, as cranelift-module expects.
pub const FUNC_NAMESPACE: u32 = 0;

/// The Cranelift type of a wasm value type (references are pointer-sized words).
pub fn ir_type(ty: ValType) -> Type {
    match ty {
        ValType::I32 => types::I32,
        ValType::I64 => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
        ValType::Ref(_) => types::I64,
    }
}

/// The calling convention of wasm functions (defined ones and trap stubs) and of every call
/// through a function import or reference: Cranelift's `tail`, so that `return_call` can
/// replace the caller's frame. On x86-64 it passes arguments in the System V registers and
/// keeps the System V callee-saved registers; it returns more values in registers, and callees
/// pop their stack arguments. Host functions (WASI, builtins) stay System V; the compiler
/// calls them with their own convention.
pub const WASM_CALL_CONV: CallConv = CallConv::Tail;

/// The native signature of a wasm function of type `ty` ([`WASM_CALL_CONV`]).
pub fn wasm_signature(ty: &FuncType) -> Signature {
    native_signature(ty, WASM_CALL_CONV)
}

/// The native signature of a function of wasm type `ty` with `call_conv`: the VM context, then
/// the parameters.
pub fn native_signature(ty: &FuncType, call_conv: CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    sig.params
        .push(AbiParam::special(types::I64, ArgumentPurpose::VMContext));
    sig.params
        .extend(ty.params.iter().map(|t| AbiParam::new(ir_type(*t))));
    sig.returns
        .extend(ty.results.iter().map(|t| AbiParam::new(ir_type(*t))));
    sig
}

/// A builtin's parameters after the VM context, and its result, as its list declares them.
pub type BuiltinParams = (&'static [BuiltinType], Option<BuiltinType>);

/// The native signature of a builtin: the caller's VM context, then the parameters declared in
/// [`wasm2native_abi::foreach_builtin!`] (or [`wasm2native_abi::foreach_exception_builtin!`]),
/// which the runtime's implementations are checked against.
pub fn builtin_signature((params, result): BuiltinParams, call_conv: CallConv) -> Signature {
    let abi = |t: &BuiltinType| {
        AbiParam::new(match t {
            BuiltinType::I32 => types::I32,
            BuiltinType::I64 => types::I64,
        })
    };
    let mut sig = Signature::new(call_conv);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.extend(params.iter().map(abi));
    sig.returns.extend(result.iter().map(abi));
    sig
}

/// Cranelift's trap code for one of ours.
pub fn clif_trap(code: TrapCode) -> ir::TrapCode {
    match code {
        TrapCode::StackOverflow => ir::TrapCode::STACK_OVERFLOW,
        TrapCode::MemoryOutOfBounds => ir::TrapCode::HEAP_OUT_OF_BOUNDS,
        TrapCode::IntegerOverflow => ir::TrapCode::INTEGER_OVERFLOW,
        TrapCode::IntegerDivisionByZero => ir::TrapCode::INTEGER_DIVISION_BY_ZERO,
        TrapCode::BadConversionToInteger => ir::TrapCode::BAD_CONVERSION_TO_INTEGER,
        other => ir::TrapCode::unwrap_user(other as u8),
    }
}

/// Our trap code for one Cranelift recorded.
pub fn abi_trap(code: ir::TrapCode) -> Option<TrapCode> {
    Some(match code {
        ir::TrapCode::STACK_OVERFLOW => TrapCode::StackOverflow,
        ir::TrapCode::HEAP_OUT_OF_BOUNDS => TrapCode::MemoryOutOfBounds,
        ir::TrapCode::INTEGER_OVERFLOW => TrapCode::IntegerOverflow,
        ir::TrapCode::INTEGER_DIVISION_BY_ZERO => TrapCode::IntegerDivisionByZero,
        ir::TrapCode::BAD_CONVERSION_TO_INTEGER => TrapCode::BadConversionToInteger,
        other => TrapCode::from_u32(u32::from(other.as_raw().get()))?,
    })
}

/// Module-wide facts every function translation reads.
pub struct FuncEnv<'m, 'a> {
    pub module: &'m ModuleInfo<'a>,
    pub offsets: VMOffsets,
    pub config: &'m Config,
    /// cranelift-module id (as `u32`) of the symbol to call directly for each function index:
    /// defined functions, host-bound imports and trap stubs. `None` for imports called through
    /// the VM context.
    pub direct_callee: Vec<Option<u32>>,
    /// The host's calling convention: builtins' and host-bound imports' (WASI).
    pub host_call_conv: CallConv,
    pub frontend_config: cranelift_codegen::isa::TargetFrontendConfig,
    /// One bit per [`wasm2native_abi::OptionalTable`] that a translated function calls: the
    /// image then links that table of the runtime (see [`wasm2native_abi::builtin`]).
    pub optional_tables: AtomicU32,
    /// The wasi-libc routine each function index is recognised as ([`crate::libc`]).
    pub libc_routines: Vec<Option<LibcRoutine>>,
}

impl FuncEnv<'_, '_> {
    fn explicit_bounds_checks(&self) -> bool {
        self.config.bounds_checks == BoundsChecks::Explicit
    }

    /// Whether code addresses memory `mem` relative to the gs segment base.
    fn memory_in_gs(&self, mem: u32) -> bool {
        let ty = &self.module.meta.memories[mem as usize];
        self.config.memory_in_gs(mem, ty)
    }

    /// Whether a call to `funcidx` can go straight to a symbol in this object or the runtime.
    fn is_colocated(&self, funcidx: u32) -> bool {
        funcidx >= self.module.num_imported_funcs
            || self.module.import_bindings[funcidx as usize] == ImportBinding::TrapStub
    }
}

/// Whether a call returns to its caller (`call`) or replaces its frame (`return_call`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Normal,
    Tail,
}

/// What kind of construct a control frame is.
#[derive(Debug, Clone, Copy)]
enum FrameKind {
    Block,
    Loop {
        header: ir::Block,
    },
    If {
        else_block: ir::Block,
        else_seen: bool,
    },
    /// A `try_table`, whose catch clauses are tested in `dispatch`.
    TryTable {
        dispatch: ir::Block,
    },
    /// A legacy `try`: exceptions from its body enter `dispatch`; its `catch` clauses are
    /// translated as they come (see [`exceptions::LegacyCatch`]).
    Try {
        dispatch: ir::Block,
        catch: Option<exceptions::LegacyCatch>,
    },
    Function,
}

/// One entry of the control stack.
#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    /// Where control continues after `end`; its parameters are the construct's results.
    next: ir::Block,
    num_params: usize,
    num_results: usize,
    /// Operand stack height below the construct's parameters.
    height: usize,
    /// Whether some branch targets `next`.
    branched_to: bool,
}

impl Frame {
    /// The block a branch to this frame jumps to and how many values it carries.
    fn branch_target(&self) -> (ir::Block, usize) {
        match self.kind {
            FrameKind::Loop { header } => (header, self.num_params),
            _ => (self.next, self.num_results),
        }
    }
}

/// Translation state of one function.
pub(crate) struct Translator<'f, 'e, 'm, 'a> {
    b: FunctionBuilder<'f>,
    env: &'e FuncEnv<'m, 'a>,
    vmctx: Value,
    locals: Vec<Variable>,
    stack: Vec<Value>,
    control: Vec<Frame>,
    reachable: bool,
    /// Nesting depth of constructs opened in unreachable code (skipped entirely).
    unreachable_depth: u32,
    sigs: HashMap<u32, ir::SigRef>,
    funcs: HashMap<u32, ir::FuncRef>,
    /// Signatures of the builtins called so far, by (table, entry) offsets.
    builtin_sigs: HashMap<(Option<OptionalTable>, u32), ir::SigRef>,
    /// Instructions the inliner does not count: those emitted only to pass 32-bit operands to
    /// the 64-bit builtins and narrow their results back (see [`Translator::widen`]), and the
    /// fast paths at calls of recognised wasi-libc routines.
    widenings: usize,
}

/// Translates defined function `funcidx` with body `body` into `func` (which must be empty).
/// Returns how many of its instructions only widen 32-bit builtin operands and narrow builtin
/// results, or are the fast path at a call of a wasi-libc routine: the inliner leaves them out
/// of a function's size, so that builtins taking 64-bit operands (for memory64 and table64) and
/// the fast paths changed no inlining decision.
pub fn translate_function(
    env: &FuncEnv<'_, '_>,
    funcidx: u32,
    body: &FunctionBody<'_>,
    func: &mut Function,
    fb_ctx: &mut FunctionBuilderContext,
) -> Result<usize> {
    let ty = env.module.func_type(funcidx).clone();
    func.signature = wasm_signature(&ty);
    func.name = UserFuncName::user(FUNC_NAMESPACE, funcidx);

    // No stack check in the prologue: the guard page below the stack catches overflow in wasm
    // code (see `check_host_stack` for calls out of it).
    let mut b = FunctionBuilder::new(func, fb_ctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let vmctx = b.block_params(entry)[0];

    let params = b.block_params(entry)[1..].to_vec();
    let mut locals = Vec::new();
    for (i, t) in ty.params.iter().enumerate() {
        let var = b.declare_var(ir_type(*t));
        let param = b.block_params(entry)[i + 1];
        b.def_var(var, param);
        locals.push(var);
    }
    let mut reader = body.get_locals_reader()?;
    for _ in 0..reader.get_count() {
        let offset = reader.original_position();
        let (count, wasm_ty) = reader.read()?;
        let t = crate::module::val_type_at(wasm_ty, offset)?;
        let zero = match t {
            ValType::F32 => b.ins().f32const(0.0),
            ValType::F64 => b.ins().f64const(0.0),
            ValType::V128 => {
                let zeros = b.func.dfg.constants.insert(vec![0u8; 16].into());
                b.ins().vconst(types::I8X16, zeros)
            }
            other => b.ins().iconst(ir_type(other), 0),
        };
        for _ in 0..count {
            let var = b.declare_var(ir_type(t));
            b.def_var(var, zero);
            locals.push(var);
        }
    }

    let exit = b.create_block();
    for t in &ty.results {
        b.append_block_param(exit, ir_type(*t));
    }

    let mut t = Translator {
        b,
        env,
        vmctx,
        locals,
        stack: Vec::new(),
        control: vec![Frame {
            kind: FrameKind::Function,
            next: exit,
            num_params: 0,
            num_results: ty.results.len(),
            height: 0,
            branched_to: false,
        }],
        reachable: true,
        unreachable_depth: 0,
        sigs: HashMap::new(),
        funcs: HashMap::new(),
        builtin_sigs: HashMap::new(),
        widenings: 0,
    };
    if let Some(routine) = env.libc_routines[funcidx as usize] {
        t.libc_fast_path(routine, &params);
    }

    let mut ops = body.get_operators_reader()?;
    while !ops.eof() {
        let (op, offset) = ops.read_with_offset()?;
        t.translate(&op, offset)?;
    }
    // The final `end` switched to the exit block and pushed the results.
    if t.reachable {
        let results = std::mem::take(&mut t.stack);
        t.b.ins().return_(&results);
    }
    let widenings = t.widenings;
    t.b.finalize(env.frontend_config);
    if env.config.opt_level != crate::config::OptLevel::O0 {
        zext_loads::rewrite(func);
    }
    Ok(widenings)
}

impl Translator<'_, '_, '_, '_> {
    fn pop(&mut self) -> Value {
        self.stack
            .pop()
            .expect("validated: operand stack underflow")
    }

    fn pop2(&mut self) -> (Value, Value) {
        let b = self.pop();
        let a = self.pop();
        (a, b)
    }

    fn pop3(&mut self) -> (Value, Value, Value) {
        let c = self.pop();
        let (a, b) = self.pop2();
        (a, b, c)
    }

    fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    fn peekn(&self, n: usize) -> &[Value] {
        &self.stack[self.stack.len() - n..]
    }

    fn popn(&mut self, n: usize) -> Vec<Value> {
        self.stack.split_off(self.stack.len() - n)
    }

    /// Parameter and result types of a block type.
    fn block_type(
        &self,
        bt: wasmparser::BlockType,
        offset: usize,
    ) -> Result<(Vec<Type>, Vec<Type>)> {
        Ok(match bt {
            wasmparser::BlockType::Empty => (vec![], vec![]),
            wasmparser::BlockType::Type(t) => (
                vec![],
                vec![ir_type(crate::module::val_type_at(t, offset)?)],
            ),
            wasmparser::BlockType::FuncType(i) => {
                let ft = &self.env.module.meta.types[i as usize];
                (
                    ft.params.iter().map(|t| ir_type(*t)).collect(),
                    ft.results.iter().map(|t| ir_type(*t)).collect(),
                )
            }
        })
    }

    fn block_with_params(&mut self, tys: &[Type]) -> ir::Block {
        let block = self.b.create_block();
        for t in tys {
            self.b.append_block_param(block, *t);
        }
        block
    }

    /// A vector value as the canonical `I8X16` every boundary (block parameter, local, global,
    /// call argument or result) uses; other values unchanged.
    fn canon(&mut self, v: Value) -> Value {
        let ty = self.b.func.dfg.value_type(v);
        if ty.is_vector() && ty != types::I8X16 {
            self.b
                .ins()
                .bitcast(types::I8X16, simd::lane_cast_flags(), v)
        } else {
            v
        }
    }

    fn canon_all(&mut self, values: &[Value]) -> Vec<Value> {
        values.iter().map(|v| self.canon(*v)).collect()
    }

    /// Branch arguments, vectors cast to `I8X16`.
    fn block_args(&mut self, values: &[Value]) -> Vec<BlockArg> {
        values
            .iter()
            .map(|v| BlockArg::Value(self.canon(*v)))
            .collect()
    }

    fn jump(&mut self, target: ir::Block, args: &[Value]) {
        let args = self.block_args(args);
        self.b.ins().jump(target, &args);
    }

    /// Translates one operator, handling the skipping of unreachable code.
    fn translate(&mut self, op: &Operator<'_>, offset: usize) -> Result<()> {
        // Checked in unreachable code too: a module that uses GC anywhere is refused.
        if let Some(what) = crate::proposals::gc_in_operator(op) {
            return Err(crate::proposals::garbage_collection(&what, offset));
        }
        if !self.reachable {
            match op {
                Operator::Block { .. }
                | Operator::Loop { .. }
                | Operator::If { .. }
                | Operator::TryTable { .. }
                | Operator::Try { .. } => {
                    self.unreachable_depth += 1;
                }
                Operator::Else if self.unreachable_depth == 0 => self.op_else(),
                Operator::Catch { tag_index } if self.unreachable_depth == 0 => {
                    self.catch(Some(*tag_index))
                }
                Operator::CatchAll if self.unreachable_depth == 0 => self.catch(None),
                Operator::End if self.unreachable_depth == 0 => self.op_end(None),
                Operator::Delegate { relative_depth } if self.unreachable_depth == 0 => {
                    self.op_end(Some(*relative_depth))
                }
                Operator::End | Operator::Delegate { .. } => self.unreachable_depth -= 1,
                _ => {}
            }
            return Ok(());
        }
        match op {
            Operator::Block { blockty } => {
                let (params, results) = self.block_type(*blockty, offset)?;
                let next = self.block_with_params(&results);
                self.control.push(Frame {
                    kind: FrameKind::Block,
                    next,
                    num_params: params.len(),
                    num_results: results.len(),
                    height: self.stack.len() - params.len(),
                    branched_to: false,
                });
            }
            Operator::Loop { blockty } => {
                let (params, results) = self.block_type(*blockty, offset)?;
                let header = self.block_with_params(&params);
                let next = self.block_with_params(&results);
                let args = self.popn(params.len());
                self.jump(header, &args);
                self.b.switch_to_block(header);
                let header_params = self.b.block_params(header).to_vec();
                let height = self.stack.len();
                self.stack.extend(header_params);
                self.control.push(Frame {
                    kind: FrameKind::Loop { header },
                    next,
                    num_params: params.len(),
                    num_results: results.len(),
                    height,
                    branched_to: false,
                });
            }
            Operator::If { blockty } => {
                let (params, results) = self.block_type(*blockty, offset)?;
                let cond = self.pop();
                let then_block = self.block_with_params(&params);
                let else_block = self.block_with_params(&params);
                let next = self.block_with_params(&results);
                let args = self.popn(params.len());
                let args = self.block_args(&args);
                self.b
                    .ins()
                    .brif(cond, then_block, &args, else_block, &args);
                self.b.seal_block(then_block);
                self.b.seal_block(else_block);
                self.b.switch_to_block(then_block);
                let height = self.stack.len();
                let then_params = self.b.block_params(then_block).to_vec();
                self.stack.extend(then_params);
                self.control.push(Frame {
                    kind: FrameKind::If {
                        else_block,
                        else_seen: false,
                    },
                    next,
                    num_params: params.len(),
                    num_results: results.len(),
                    height,
                    branched_to: false,
                });
            }
            Operator::Else => self.op_else(),
            Operator::End => self.op_end(None),
            Operator::TryTable { try_table } => self.try_table(try_table, offset)?,
            Operator::Throw { tag_index } => self.throw(*tag_index),
            Operator::ThrowRef => self.throw_ref(),
            Operator::Try { blockty } => self.legacy_try(*blockty, offset)?,
            Operator::Catch { tag_index } => self.catch(Some(*tag_index)),
            Operator::CatchAll => self.catch(None),
            Operator::Rethrow { relative_depth } => self.rethrow(*relative_depth),
            Operator::Delegate { relative_depth } => self.op_end(Some(*relative_depth)),
            Operator::Br { relative_depth } => {
                self.br(*relative_depth);
                self.reachable = false;
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.pop();
                let (target, n) = self.branch_target(*relative_depth);
                let args = self.peekn(n).to_vec();
                let args = self.block_args(&args);
                let cont = self.b.create_block();
                self.b.ins().brif(cond, target, &args, cont, &[]);
                self.b.seal_block(cont);
                self.b.switch_to_block(cont);
            }
            Operator::BrTable { targets } => {
                let index = self.pop();
                let depths = targets
                    .targets()
                    .collect::<std::result::Result<Vec<u32>, _>>()?;
                let default = targets.default();
                self.br_table(index, &depths, default);
                self.reachable = false;
            }
            Operator::Return => self.return_from_function(),
            Operator::Unreachable => {
                self.b.ins().trap(clif_trap(TrapCode::Unreachable));
                self.reachable = false;
            }
            Operator::BrOnNull { relative_depth } => self.br_on_null(*relative_depth),
            Operator::BrOnNonNull { relative_depth } => self.br_on_non_null(*relative_depth),
            _ => self.translate_operator(op, offset)?,
        }
        Ok(())
    }

    /// `return`: returns the function's results from the stack.
    fn return_from_function(&mut self) {
        let n = self.control[0].num_results;
        let results = self.popn(n);
        let results = self.canon_all(&results);
        self.b.ins().return_(&results);
        self.reachable = false;
    }

    /// The block a branch of `depth` jumps to and its argument count; marks the frame as a
    /// branch target.
    fn branch_target(&mut self, depth: u32) -> (ir::Block, usize) {
        let i = self.control.len() - 1 - depth as usize;
        let frame = &mut self.control[i];
        if !matches!(frame.kind, FrameKind::Loop { .. }) {
            frame.branched_to = true;
        }
        frame.branch_target()
    }

    fn br(&mut self, depth: u32) {
        let (target, n) = self.branch_target(depth);
        let args = self.peekn(n).to_vec();
        self.jump(target, &args);
    }

    fn br_table(&mut self, index: Value, depths: &[u32], default: u32) {
        let (_, n) = self.branch_target(default);
        let args = self.peekn(n).to_vec();
        // Jump table entries carry no arguments: route targets that need values through a
        // landing block per distinct depth.
        let mut landing: HashMap<u32, ir::Block> = HashMap::new();
        let mut entry_for = |t: &mut Self, depth: u32| -> ir::Block {
            let (target, _) = t.branch_target(depth);
            if n == 0 {
                return target;
            }
            *landing.entry(depth).or_insert_with(|| t.b.create_block())
        };
        let default_block = entry_for(self, default);
        let table: Vec<ir::Block> = depths.iter().map(|d| entry_for(self, *d)).collect();
        let default_call = self.b.func.dfg.block_call(default_block, &[]);
        let calls: Vec<_> = table
            .iter()
            .map(|blk| self.b.func.dfg.block_call(*blk, &[]))
            .collect();
        let jt = self
            .b
            .create_jump_table(ir::JumpTableData::new(default_call, &calls));
        self.b.ins().br_table(index, jt);
        let mut landings: Vec<(u32, ir::Block)> = landing.into_iter().collect();
        landings.sort_by_key(|(d, _)| *d);
        for (depth, block) in landings {
            self.b.seal_block(block);
            self.b.switch_to_block(block);
            let (target, _) = self.branch_target(depth);
            self.jump(target, &args);
        }
    }

    fn op_else(&mut self) {
        let frame = self.control.last_mut().expect("validated: else inside if");
        let FrameKind::If {
            else_block,
            ref mut else_seen,
        } = frame.kind
        else {
            unreachable!("validated: else inside if")
        };
        *else_seen = true;
        let next = frame.next;
        let height = frame.height;
        let num_results = frame.num_results;
        if self.reachable {
            frame.branched_to = true;
            let args = self.peekn(num_results).to_vec();
            self.jump(next, &args);
        }
        self.stack.truncate(height);
        self.b.switch_to_block(else_block);
        let params = self.b.block_params(else_block).to_vec();
        self.stack.extend(params);
        self.reachable = true;
    }

    /// `end`, or `delegate` with its label (which only a legacy `try` has).
    fn op_end(&mut self, delegate: Option<u32>) {
        let frame = self.control.pop().expect("validated: balanced end");
        let mut reachable = frame.branched_to;
        if self.reachable {
            let args = self.peekn(frame.num_results).to_vec();
            self.jump(frame.next, &args);
            reachable = true;
        }
        match frame.kind {
            FrameKind::If {
                else_block,
                else_seen: false,
            } => {
                // No else: the false branch forwards the parameters (same types as results).
                self.b.switch_to_block(else_block);
                let params = self.b.block_params(else_block).to_vec();
                self.jump(frame.next, &params);
                reachable = true;
            }
            FrameKind::Loop { header } => self.b.seal_block(header),
            FrameKind::TryTable { dispatch } => self.b.seal_block(dispatch),
            FrameKind::Try { dispatch, catch } => self.end_try(dispatch, catch, delegate),
            _ => {}
        }
        self.stack.truncate(frame.height);
        self.b.switch_to_block(frame.next);
        self.b.seal_block(frame.next);
        let results = self.b.block_params(frame.next).to_vec();
        self.stack.extend(results);
        self.reachable = reachable;
        if !reachable {
            // Nothing reaches the continuation: give the (empty) block a terminator.
            self.b.ins().trap(clif_trap(TrapCode::Unreachable));
        }
    }

    /// Raises `code` if `cond` is nonzero.
    fn trapnz(&mut self, cond: Value, code: TrapCode) {
        self.b.ins().trapnz(cond, clif_trap(code));
    }

    /// Raises `code` if `cond` is zero.
    fn trapz(&mut self, cond: Value, code: TrapCode) {
        self.b.ins().trapz(cond, clif_trap(code));
    }

    fn unsupported(&self, what: &str, offset: usize) -> Error {
        Error::unsupported(what, offset)
    }
}
