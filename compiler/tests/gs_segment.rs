//! The vendored Cranelift's gs-relative memory accesses (vendor/README.md): every instruction
//! form that accesses memory through a `gs`-flagged address carries the 0x65 prefix as its first
//! byte, the access's trap site is that byte, and the address is never materialized.

use cranelift_codegen::ir::types::{F64, I8X16, I16, I32, I64};
use cranelift_codegen::ir::{
    AbiParam, AtomicRmwOp, Function, InstBuilder, MemFlagsData, Signature, TrapCode, UserFuncName,
    Value,
};
use cranelift_codegen::isa::{self, CallConv};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{Context, control::ControlPlane};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Flags of a gs-relative wasm heap access.
fn gs() -> MemFlagsData {
    MemFlagsData::new()
        .with_trap_code(Some(TrapCode::HEAP_OUT_OF_BOUNDS))
        .with_gs()
}

/// Compiles a function of `(i64 address, i64 value) -> i64` whose body `body` builds, for x86-64
/// with `avx` or not; returns its code and the offsets of its heap trap sites.
fn compile(
    avx: bool,
    body: impl Fn(&mut FunctionBuilder, Value, Value) -> Value,
) -> (Vec<u8>, Vec<u32>, String) {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").unwrap();
    let mut isa = isa::lookup_by_name("x86_64").unwrap();
    for f in ["has_sse3", "has_ssse3", "has_sse41", "has_sse42"] {
        isa.enable(f).unwrap();
    }
    if avx {
        isa.enable("has_avx").unwrap();
        isa.enable("has_avx2").unwrap();
    }
    let isa = isa.finish(settings::Flags::new(flags)).unwrap();
    let frontend_config = isa.frontend_config();
    let mut sig = Signature::new(CallConv::SystemV);
    sig.params = vec![AbiParam::new(I64), AbiParam::new(I64)];
    sig.returns = vec![AbiParam::new(I64)];
    let mut func = Function::with_name_signature(UserFuncName::user(0, 0), sig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let (addr, value) = (b.block_params(block)[0], b.block_params(block)[1]);
    let result = body(&mut b, addr, value);
    b.ins().return_(&[result]);
    b.finalize(frontend_config);
    let mut ctx = Context::for_function(func);
    ctx.set_disasm(true);
    let code = ctx
        .compile(&*isa, &mut ControlPlane::default())
        .expect("compiles");
    let traps = (code.buffer.traps().iter())
        .filter(|t| t.code == TrapCode::HEAP_OUT_OF_BOUNDS)
        .map(|t| t.offset)
        .collect();
    let disasm = code.vcode.clone().unwrap_or_default();
    (code.code_buffer().to_vec(), traps, disasm)
}

/// Each form's function makes `accesses` heap accesses; each must be a trap site at a 0x65 byte
/// that starts an instruction.
fn check(
    name: &str,
    avx: bool,
    accesses: usize,
    body: impl Fn(&mut FunctionBuilder, Value, Value) -> Value,
) {
    let (code, traps, disasm) = compile(avx, body);
    assert_eq!(traps.len(), accesses, "{name}: trap sites in\n{disasm}");
    for t in &traps {
        assert_eq!(
            code[*t as usize], 0x65,
            "{name}: no gs prefix at trap site {t}:\n{disasm}"
        );
    }
    // The compare-exchange loop prints as one pseudo-instruction, without its address.
    if !disasm.contains("atomically") {
        let shown = disasm.matches("%gs:").count();
        assert_eq!(shown, accesses, "{name}:\n{disasm}");
    }
    assert!(
        !disasm.contains("lea"),
        "{name}: an address was materialized:\n{disasm}"
    );
}

#[test]
fn every_access_form_carries_the_gs_prefix_at_its_trap_site() {
    for avx in [false, true] {
        check("load", avx, 1, |b, a, _| b.ins().load(I64, gs(), a, 8));
        check("uload8", avx, 1, |b, a, _| b.ins().uload8(I64, gs(), a, 0));
        check("sload16 with index", avx, 1, |b, a, v| {
            let p = b.ins().iadd(a, v);
            b.ins().sload16(I64, gs(), p, 100)
        });
        check("store", avx, 1, |b, a, v| {
            b.ins().istore16(gs(), v, a, 2);
            v
        });
        check("load sunk into add", avx, 1, |b, a, v| {
            let x = b.ins().load(I64, gs(), a, 16);
            b.ins().iadd(v, x)
        });
        check("f64 round trip", avx, 2, |b, a, v| {
            let x = b.ins().load(F64, gs(), a, 0);
            let y = b.ins().fadd(x, x);
            b.ins().store(gs(), y, a, 8);
            v
        });
        check("v128 round trip", avx, 2, |b, a, v| {
            let x = b.ins().load(I8X16, gs(), a, 0);
            let y = b.ins().iadd(x, x);
            b.ins().store(gs(), y, a, 16);
            v
        });
        check("v128 load sunk into add", avx, 1, |b, a, v| {
            let byte = b.ins().ireduce(cranelift_codegen::ir::types::I8, v);
            let s = b.ins().splat(I8X16, byte);
            let x = b.ins().load(I8X16, gs(), a, 32);
            let y = b.ins().iadd(s, x);
            let z = b.ins().extractlane(y, 0);
            b.ins().uextend(I64, z)
        });
        check("atomic add", avx, 1, |b, a, v| {
            b.ins().atomic_rmw(I64, gs(), AtomicRmwOp::Add, a, v)
        });
        check("atomic cmpxchg", avx, 1, |b, a, v| {
            let v32 = b.ins().ireduce(I32, v);
            let old = b.ins().atomic_cas(gs(), a, v32, v32);
            b.ins().uextend(I64, old)
        });
        check("atomic store", avx, 1, |b, a, v| {
            let v16 = b.ins().ireduce(I16, v);
            b.ins().atomic_store(gs(), v16, a);
            v
        });
        // The compare-exchange loop: a load and a `lock cmpxchg`, both through gs.
        check("atomic nand", avx, 2, |b, a, v| {
            b.ins().atomic_rmw(I64, gs(), AtomicRmwOp::Nand, a, v)
        });
    }
}

/// An address whose load is gs-relative is never also used as a pointer: two loads of the same
/// address value, one through gs and one not, read different memory.
#[test]
fn a_gs_access_does_not_alias_a_plain_one() {
    let (_, traps, disasm) = compile(false, |b, a, _| {
        let x = b.ins().load(I64, gs(), a, 0);
        let y = b.ins().load(I64, MemFlagsData::new(), a, 0);
        b.ins().iadd(x, y)
    });
    assert_eq!(traps.len(), 2, "both loads are kept:\n{disasm}");
    assert_eq!(disasm.matches("%gs:").count(), 1, "{disasm}");
}
