//! Builds the runtime library as a static archive and hands its path to the compiler binary,
//! which embeds it (`include_bytes!`): an installed `wasm2native` needs no source tree.
//!
//! The archive comes from a nested `cargo rustc --crate-type staticlib` of `runtime-lib` in a
//! target directory of its own under OUT_DIR (so it never waits on the outer build's lock).

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let runtime = manifest_dir.join("../runtime-lib");
    for path in ["src", "abi/src", "Cargo.toml", "abi/Cargo.toml", "build.rs"] {
        println!("cargo:rerun-if-changed={}", runtime.join(path).display());
    }
    let target_dir = out_dir.join("runtime-target");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([
        "rustc",
        "--release",
        "--lib",
        "--crate-type",
        "staticlib",
        "--manifest-path",
    ])
    .arg(runtime.join("Cargo.toml"))
    .arg("--target-dir")
    .arg(&target_dir);
    // Settings meant for the outer build must not leak into the runtime's.
    for var in [
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_PROFILE_RELEASE_DEBUG",
        // `cargo clippy` lints through this wrapper; the archive is a plain build.
        "RUSTC_WORKSPACE_WRAPPER",
        "CLIPPY_ARGS",
    ] {
        cmd.env_remove(var);
    }
    // Small executables: one LTO'd object without unwinding (a runtime panic aborts).
    for (var, value) in [
        ("CARGO_PROFILE_RELEASE_LTO", "fat"),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1"),
        ("CARGO_PROFILE_RELEASE_PANIC", "abort"),
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "s"),
    ] {
        cmd.env(var, value);
    }
    let status = cmd
        .status()
        .expect("failed to run cargo to build the runtime archive");
    assert!(status.success(), "building the runtime archive failed");
    let archive = target_dir.join("release/libwasm2native_runtime.a");
    let dest = out_dir.join("libwasm2native_runtime.a");
    std::fs::copy(&archive, &dest).expect("runtime archive missing after build");
    // Drop what an executable never uses: debug info, the runtime's local symbol names (wasm
    // function names live in the module's object and stay), and unwind tables (panics abort).
    // Optional: without objcopy the archive is only larger.
    let stripped = Command::new("objcopy")
        .args([
            "--strip-debug",
            "--discard-all",
            "--remove-section=.eh_frame",
        ])
        .arg(&dest)
        .status();
    if !matches!(stripped, Ok(s) if s.success()) {
        println!("cargo:warning=objcopy unavailable: the runtime archive is not stripped");
        std::fs::copy(&archive, &dest).expect("runtime archive missing after build");
    }
}
