//! Builds the C shim that catches traps with sigsetjmp (Rust cannot call setjmp itself).
fn main() {
    println!("cargo:rerun-if-changed=src/catch.c");
    cc::Build::new()
        .file("src/catch.c")
        .opt_level(2)
        .flag_if_supported("-fno-omit-frame-pointer")
        .compile("wasm2native_catch");
}
