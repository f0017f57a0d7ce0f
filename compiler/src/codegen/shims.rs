//! Small functions the compiler synthesizes around the wasm code: array-call trampolines, stubs
//! for unknown imports, and the executable's `main`.

use crate::error::{Error, Result};
use crate::module::ModuleInfo;
use crate::translate::{FuncEnv, builtin_signature, clif_trap, ir_type, wasm_signature};
use cranelift_codegen::Context;
use cranelift_codegen::ir::types::{I32, I64};
use cranelift_codegen::ir::{
    self, AbiParam, Function, InstBuilder, MemFlagsData, Signature, UserFuncName,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{DataId, FuncId, Linkage, Module};
use cranelift_object::ObjectModule;
use wasm2native_abi::{Builtin, OFFSET_BUILTINS, RT_MAIN_SYMBOL, TrapCode};

/// Compiles the function in `ctx` and defines it as `id`.
fn define(obj: &mut ObjectModule, id: FuncId, ctx: &mut Context) -> Result<()> {
    obj.define_function(id, ctx).map_err(|e| match e {
        cranelift_module::ModuleError::Compilation(c) => Error::Codegen {
            func: u32::MAX,
            message: format!("{c:?}"),
        },
        other => other.into(),
    })
}

/// A stub for an unknown import (`--unknown-imports trap`): tells the runtime which import was
/// called (it reports the trap, naming the import, and ends the program).
pub(super) fn define_trap_stub(
    obj: &mut ObjectModule,
    env: &FuncEnv<'_, '_>,
    import: u32,
    id: FuncId,
    ctx: &mut Context,
    fb: &mut FunctionBuilderContext,
) -> Result<()> {
    ctx.clear();
    ctx.func.signature = wasm_signature(env.module.func_type(import));
    let mut b = FunctionBuilder::new(&mut ctx.func, fb);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let vmctx = b.block_params(block)[0];
    let flags = MemFlagsData::trusted().with_readonly();
    let table = b.ins().load(I64, flags, vmctx, OFFSET_BUILTINS as i32);
    let f = b.ins().load(
        I64,
        flags,
        table,
        Builtin::UnknownImport.table_offset() as i32,
    );
    let sig = b.import_signature(builtin_signature(
        Builtin::UnknownImport.signature(),
        env.host_call_conv,
    ));
    let idx = b.ins().iconst(I32, i64::from(import));
    b.ins().call_indirect(sig, f, &[vmctx, idx]);
    b.ins().trap(clif_trap(TrapCode::UnknownImport));
    b.finalize(obj.isa().frontend_config());
    define(obj, id, ctx)
}

/// The adapter of host-bound import `import` (`host`, a System V runtime function) where it
/// escapes: as a function reference or export it is called with the wasm calling convention,
/// which differs from the host's in who pops stack arguments (see
/// [`crate::translate::WASM_CALL_CONV`]).
pub(super) fn define_host_adapter(
    obj: &mut ObjectModule,
    env: &FuncEnv<'_, '_>,
    import: u32,
    id: FuncId,
    host: FuncId,
    ctx: &mut Context,
    fb: &mut FunctionBuilderContext,
) -> Result<()> {
    ctx.clear();
    ctx.func.signature = wasm_signature(env.module.func_type(import));
    let host = obj.declare_func_in_func(host, &mut ctx.func);
    let mut b = FunctionBuilder::new(&mut ctx.func, fb);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let args = b.block_params(block).to_vec();
    let call = b.ins().call(host, &args);
    let results = b.inst_results(call).to_vec();
    b.ins().return_(&results);
    b.finalize(obj.isa().frontend_config());
    define(obj, id, ctx)
}

/// One array-call trampoline per type index: `extern "C" fn(code, vmctx, values: *mut ValRaw)`
/// (`host_call_conv`) loads the arguments from `values`, calls the wasm function `code`, and
/// stores the results back.
pub(super) fn define_trampolines(
    obj: &mut ObjectModule,
    info: &ModuleInfo<'_>,
    host_call_conv: CallConv,
    ctx: &mut Context,
    fb: &mut FunctionBuilderContext,
) -> Result<Vec<FuncId>> {
    let mut ids = Vec::new();
    for (i, ty) in info.meta.types.iter().enumerate() {
        let mut sig = Signature::new(host_call_conv);
        sig.params.extend([AbiParam::new(I64); 3]);
        let id =
            obj.declare_function(&format!("wasm2native trampoline {i}"), Linkage::Local, &sig)?;
        ctx.clear();
        ctx.func.signature = sig;
        let mut b = FunctionBuilder::new(&mut ctx.func, fb);
        let block = b.create_block();
        b.append_block_params_for_function_params(block);
        b.switch_to_block(block);
        b.seal_block(block);
        let (code, vmctx, values) = {
            let p = b.block_params(block);
            (p[0], p[1], p[2])
        };
        // Slots are 16 bytes; v128 accesses do not assume 16-byte alignment of the array.
        let flags = |t: ir::Type| {
            if t.is_vector() {
                MemFlagsData::new().with_notrap()
            } else {
                MemFlagsData::trusted()
            }
        };
        let mut args = vec![vmctx];
        for (j, t) in ty.params.iter().enumerate() {
            let t = ir_type(*t);
            args.push(b.ins().load(t, flags(t), values, (j * 16) as i32));
        }
        let callee_sig = b.import_signature(wasm_signature(ty));
        let call = b.ins().call_indirect(callee_sig, code, &args);
        let results = b.inst_results(call).to_vec();
        for (j, r) in results.into_iter().enumerate() {
            let t = b.func.dfg.value_type(r);
            b.ins().store(flags(t), r, values, (j * 16) as i32);
        }
        b.ins().return_(&[]);
        b.finalize(obj.isa().frontend_config());
        define(obj, id, ctx)?;
        ids.push(id);
    }
    Ok(ids)
}

/// `int main(int argc, char **argv) { return w2n_rt_main(argc, argv, &image); }`
pub(super) fn define_main(
    obj: &mut ObjectModule,
    image: DataId,
    call_conv: CallConv,
    ctx: &mut Context,
    fb: &mut FunctionBuilderContext,
) -> Result<()> {
    let mut main_sig = Signature::new(call_conv);
    main_sig.params.push(AbiParam::new(I32));
    main_sig.params.push(AbiParam::new(I64));
    main_sig.returns.push(AbiParam::new(I32));
    let main = obj.declare_function("main", Linkage::Export, &main_sig)?;
    let mut rt_sig = main_sig.clone();
    rt_sig.params.push(AbiParam::new(I64));
    let rt_main = obj.declare_function(RT_MAIN_SYMBOL, Linkage::Import, &rt_sig)?;

    ctx.clear();
    ctx.func = Function::with_name_signature(UserFuncName::default(), main_sig);
    let rt_ref = obj.declare_func_in_func(rt_main, &mut ctx.func);
    let image_gv = obj.declare_data_in_func(image, &mut ctx.func);
    let mut b = FunctionBuilder::new(&mut ctx.func, fb);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let (argc, argv) = (b.block_params(block)[0], b.block_params(block)[1]);
    let image_addr = b.ins().symbol_value(I64, image_gv);
    let call = b.ins().call(rt_ref, &[argc, argv, image_addr]);
    let status = b.inst_results(call)[0];
    b.ins().return_(&[status]);
    b.finalize(obj.isa().frontend_config());
    define(obj, main, ctx)
}
