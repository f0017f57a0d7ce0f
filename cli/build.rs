//! Builds the runtime library as a static archive and hands it to the compiler binary, which
//! embeds it (`include_bytes!`): an installed `wasm2native` needs no source tree.
//!
//! The archive comes from a nested `cargo rustc --crate-type staticlib` of `runtime-lib` in a
//! target directory of its own under OUT_DIR (so it never waits on the outer build's lock).
//!
//! It is built for `x86_64-unknown-linux-musl` when that Rust target is installed: executables
//! are then static PIEs, linked with the musl startup files and `libc.a` that target ships
//! (embedded too). Without it the runtime is built for glibc and executables link dynamically
//! against the system's glibc (slower start-up), with a build warning saying how to get the
//! static kind. `WASM2NATIVE_RUNTIME_LIBC=musl|glibc` forces either.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const MUSL: &str = "x86_64-unknown-linux-musl";
const GNU: &str = "x86_64-unknown-linux-gnu";
/// The musl files a static link needs, from the target's `self-contained` directory.
const MUSL_FILES: [&str; 6] = [
    "rcrt1.o",
    "crti.o",
    "crtbeginS.o",
    "crtendS.o",
    "crtn.o",
    "libc.a",
];

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let runtime = manifest_dir.join("../runtime-lib");
    for path in ["src", "abi/src", "Cargo.toml", "abi/Cargo.toml"] {
        println!("cargo:rerun-if-changed={}", runtime.join(path).display());
    }
    println!("cargo:rerun-if-env-changed=WASM2NATIVE_RUNTIME_LIBC");

    let musl = match env::var("WASM2NATIVE_RUNTIME_LIBC").as_deref() {
        Ok("musl") => Some(
            musl_self_contained()
                .unwrap_or_else(|why| panic!("WASM2NATIVE_RUNTIME_LIBC=musl, but {why}")),
        ),
        Ok("glibc") => None,
        Ok(other) => panic!("WASM2NATIVE_RUNTIME_LIBC={other}: expected musl or glibc"),
        Err(_) => match musl_self_contained() {
            Ok(dir) => Some(dir),
            Err(why) => {
                println!(
                    "cargo:warning=executables will link dynamically against glibc: {why} \
                     (for static executables: rustup target add {MUSL})"
                );
                None
            }
        },
    };
    let target = if musl.is_some() { MUSL } else { GNU };
    let archive = build_runtime(&runtime, &out_dir, target);

    // The generated `RUNTIME_KIT` (see `wasm2native_compiler::link::RuntimeKit`).
    let mut kit = String::from(
        "/// The runtime library and how executables are linked with it.\n\
         static RUNTIME_KIT: link::RuntimeKit<'static> = link::RuntimeKit {\n",
    );
    writeln!(
        kit,
        "    archive: include_bytes!({:?}),",
        path_str(&archive)
    )
    .unwrap();
    match &musl {
        Some(dir) => {
            kit.push_str("    libc: link::RuntimeLibc::Musl { files: &[\n");
            for name in MUSL_FILES {
                let src = dir.join(name);
                println!("cargo:rerun-if-changed={}", src.display());
                let dest = out_dir.join(name);
                std::fs::copy(&src, &dest).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
                strip(&dest, &["--strip-debug"]);
                writeln!(
                    kit,
                    "        ({name:?}, include_bytes!({:?})),",
                    path_str(&dest)
                )
                .unwrap();
            }
            kit.push_str("    ] },\n");
            println!("cargo:rustc-env=WASM2NATIVE_EXE_LINK=static PIE, musl libc");
        }
        None => {
            kit.push_str("    libc: link::RuntimeLibc::SystemGlibc,\n");
            println!("cargo:rustc-env=WASM2NATIVE_EXE_LINK=dynamic, system glibc");
        }
    }
    kit.push_str("};\n");
    std::fs::write(out_dir.join("runtime_kit.rs"), kit).unwrap();
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("OUT_DIR is not valid UTF-8")
}

/// The musl target's `self-contained` directory, if the target (its std and those files) is
/// installed for the rustc building us.
fn musl_self_contained() -> Result<PathBuf, String> {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc)
        .args(["--print", "target-libdir", "--target", MUSL])
        .output()
        .map_err(|e| format!("cannot run {rustc}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{rustc} does not know the {MUSL} target"));
    }
    let libdir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let has_std = std::fs::read_dir(&libdir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
    });
    if !has_std {
        return Err(format!("the {MUSL} target is not installed"));
    }
    let dir = libdir.join("self-contained");
    match MUSL_FILES.iter().find(|f| !dir.join(f).is_file()) {
        Some(missing) => Err(format!("{} is missing", dir.join(missing).display())),
        None => Ok(dir),
    }
}

/// Builds the runtime staticlib for `target`; returns the stripped archive's path.
fn build_runtime(runtime: &Path, out_dir: &Path, target: &str) -> PathBuf {
    let target_dir = out_dir.join("runtime-target");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([
        "rustc",
        "--release",
        "--lib",
        "--crate-type",
        "staticlib",
        "--target",
        target,
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
    let archive = target_dir
        .join(target)
        .join("release/libwasm2native_runtime.a");
    let dest = out_dir.join("libwasm2native_runtime.a");
    std::fs::copy(&archive, &dest).expect("runtime archive missing after build");
    // Drop what an executable never uses: debug info, the runtime's local symbol names (wasm
    // function names live in the module's object and stay), and unwind tables (panics abort).
    strip(
        &dest,
        &[
            "--strip-debug",
            "--discard-all",
            "--remove-section=.eh_frame",
        ],
    );
    dest
}

/// Runs `objcopy` with `args` on `file` in place. Optional: without objcopy (or if it fails)
/// the file is only larger.
fn strip(file: &Path, args: &[&str]) {
    let tmp = file.with_extension("stripped");
    let ok = Command::new("objcopy")
        .args(args)
        .arg(file)
        .arg(&tmp)
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        std::fs::rename(&tmp, file).expect("replacing a stripped file");
    } else {
        let _ = std::fs::remove_file(&tmp);
        println!(
            "cargo:warning=objcopy failed: {} is not stripped",
            file.display()
        );
    }
}
