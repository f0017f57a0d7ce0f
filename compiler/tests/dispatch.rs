//! Dispatch duplication (codegen/dispatch.rs) keeps the CLIF valid: in debug builds Cranelift's
//! verifier checks every function (SSA dominance, block arguments) before compiling it, so
//! compiling interpreters here fails on any use the rewriting left without a reaching
//! definition. Their behaviour is checked by running them (tests/cli.rs: the interpreter wat
//! module and MicroPython).

use wasm2native_compiler::{Config, OutputKind, UnknownImports, compile, wasm_from_bytes};

fn compile_interpreter(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/programs")
        .join(file);
    let wasm = wasm_from_bytes(&std::fs::read(&path).unwrap()).unwrap();
    let config = Config {
        output: OutputKind::Embeddable,
        unknown_imports: UnknownImports::Trap,
        keep_clif: true,
        ..Config::default()
    };
    compile(&wasm, &config)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .clif
}

#[test]
fn duplicated_dispatch_verifies() {
    let clif = compile_interpreter("wat/interpreter_dispatch.wat");
    // The CLIF kept is what Cranelift compiled, after the duplication: the header's br_table
    // and its copies.
    assert!(
        clif.matches("br_table").count() >= 10,
        "the dispatch should be copied into each handler:\n{clif}"
    );
    compile_interpreter("wasm/micropython.wasm");
}
