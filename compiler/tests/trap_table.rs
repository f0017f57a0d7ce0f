//! The trap table: every trap code the runtime reports maps to a distinct Cranelift trap code
//! and back, and compiled code marks each trapping instruction as a trap site.

use wasm2native_abi::TrapCode;
use wasm2native_compiler::translate::{abi_trap, clif_trap};
use wasm2native_compiler::{Config, OutputKind, compile, wasm_from_bytes};

#[test]
fn trap_codes_round_trip_through_cranelift() {
    let mut seen = std::collections::HashSet::new();
    for code in TrapCode::ALL {
        let clif = clif_trap(code);
        assert!(seen.insert(clif), "{code:?} shares a Cranelift trap code");
        assert_eq!(abi_trap(clif), Some(code));
    }
}

#[test]
fn unknown_cranelift_trap_codes_are_not_ours() {
    assert_eq!(
        abi_trap(cranelift_codegen::ir::TrapCode::unwrap_user(200)),
        None
    );
}

#[test]
fn trapping_instructions_are_trap_sites() {
    let wasm = wasm_from_bytes(
        br#"(module
              (memory 1)
              (func (export "f") (param i32 i32) (result i32)
                (i32.load (local.get 0))
                (i32.div_s (local.get 1))
                (if (result i32) (local.get 0) (then (unreachable)) (else (i32.const 1)))
                i32.add))"#,
    )
    .unwrap();
    let config = Config {
        output: OutputKind::Embeddable,
        keep_disasm: true,
        ..Config::default()
    };
    let compiled = compile(&wasm, &config).unwrap();
    // Cranelift's disassembly marks each trap site: the divide-by-zero check, `unreachable`,
    // and the `idiv` itself, whose fault is the signed overflow (shown by name or number).
    for site in ["trap=int_divz", "trap=user1"] {
        assert!(
            compiled.asm.contains(site),
            "no {site} in:\n{}",
            compiled.asm
        );
    }
    let ovf = cranelift_codegen::ir::TrapCode::INTEGER_OVERFLOW.as_raw();
    assert!(
        compiled.asm.contains("trap=int_ovf") || compiled.asm.contains(&format!("trap={ovf}")),
        "no overflow trap site in:\n{}",
        compiled.asm
    );
    assert!(!compiled.object.is_empty());
}
