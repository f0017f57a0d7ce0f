//! Prints the canonical hash (see `wasm2native_compiler::libc`) of every function that a
//! module's name section calls `memcpy`, `memmove`, `memset`, `memcmp` or `strlen` (or zig's
//! `compiler_rt.NAME`), for the
//! table of known builds in `compiler/src/libc.rs`, and whether it is recognised today:
//!
//! ```sh
//! cargo run -p wasm2native-compiler --example libc_hashes -- program.wasm...
//! ```

use wasm2native_compiler::abi::LibcRoutine;
use wasm2native_compiler::{Config, UnknownImports, libc, module};

fn main() {
    for path in std::env::args().skip(1) {
        let wasm = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let config = Config {
            unknown_imports: UnknownImports::Trap,
            ..Config::default()
        };
        let info = module::parse(&wasm, &config).unwrap_or_else(|e| panic!("{path}: {e}"));
        // Assume the names, so that a caller's hash names its callees as recognition will.
        let by_name: Vec<Option<LibcRoutine>> = info
            .names
            .iter()
            .map(|n| {
                // zig names its compiler_rt routines `compiler_rt.NAME`.
                let n = n.as_deref()?;
                let n = n.strip_prefix("compiler_rt.").unwrap_or(n);
                LibcRoutine::ALL.into_iter().find(|r| r.libc_name() == n)
            })
            .collect();
        let recognized = libc::recognize(&info);
        for (f, routine) in by_name.iter().enumerate() {
            let Some(routine) = routine else { continue };
            let hash = libc::canonical_hash(&info, f as u32, &by_name);
            let known = recognized[f].is_some();
            println!(
                "{path}: function {f} {}: {} (recognised: {known})",
                routine.libc_name(),
                hash.as_deref().unwrap_or("-")
            );
        }
    }
}
