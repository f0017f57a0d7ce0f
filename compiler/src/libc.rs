//! Recognition of wasi-libc's `memcpy`, `memmove`, `memset`, `memcmp` and `strlen`: a defined
//! function whose type and body are exactly those of a known build is compiled with a fast
//! path through the runtime's routine ([`LibcRoutine`]; see `translate/libc.rs` for what the
//! path checks). Names play no part: they are often stripped, and any function may be called
//! `memcpy`.
//!
//! A body is identified by the SHA-256 of its canonical form: the function's type, then its
//! body bytes (locals and code) with each `call` replaced by the name of the routine it calls,
//! which must itself be recognised (wasi-libc's `memmove` calls its `memcpy`, at an index that
//! differs from module to module). Any other difference, one byte of code or a call to an
//! unrecognised function, and the function is compiled as it is.

use crate::module::ModuleInfo;
use sha2::{Digest, Sha256};
use wasm2native_abi::LibcRoutine;
use wasm2native_abi::meta::ValType;
use wasmparser::{FunctionBody, Operator};

/// A known build of a routine: the SHA-256 of its canonical form, in hex.
struct KnownBody {
    routine: LibcRoutine,
    sha256: &'static str,
}

/// Every known build.
///
/// To add a toolchain's build: compile a C program that calls the five functions with that
/// toolchain (`-O2`), then `cargo run -p wasm2native-compiler --example libc_hashes --
/// program.wasm` prints the canonical hash of each function its name section calls by one of
/// the five names (the names only find the functions to list here; recognition never uses
/// them). A body that two builds share is listed once. Check that the new body computes the
/// routine (reads and writes no byte outside its ranges, `memcmp` returns the byte difference)
/// before listing it.
const KNOWN: &[KnownBody] = &[
    // Debian 12's wasi-libc (0.0~git20230113, musl's C routines, clang-19 -O2 without
    // bulk memory): what the benchmark corpus and `tests/programs` link. Rust 1.95's
    // self-contained wasi-libc for `wasm32-wasip1` has the same `memcmp`; it builds with bulk
    // memory, so its `memcpy`, `memmove` and `memset` are `memory.copy` and `memory.fill`.
    known(
        LibcRoutine::Memcpy,
        "d48e2964996805d9c2054f28d78e62fa794e3193f24b83ecdd63919c1d280be9",
    ),
    known(
        LibcRoutine::Memmove,
        "10739328fddb554a6bd58382fe7155240b3418da1eb8bd77474eb4ac8d25add5",
    ),
    known(
        LibcRoutine::Memset,
        "7638fcd84e4876a4fcf614d289de5a4c22f761b33dab45a59b76e7d903cbe9cb",
    ),
    known(
        LibcRoutine::Memcmp,
        "8dd5b41fe62829b32572a8e3538ee68b9d3292b10d6f9514cc7c0fe253a2bbdb",
    ),
    known(
        LibcRoutine::Strlen,
        "32fe8b77b847ccce87016b726d8fedd052e7b33f3c74d69162d95da089a3534d",
    ),
    // Rust 1.95's wasm32-wasip1 self-contained wasi-libc.
    known(
        LibcRoutine::Strlen,
        "34b5cd6f6220a23a45ab997f2a45996841fc527069f5ddf7e8b123d7a417b7f3",
    ),
    // zig 0.17.1 (PyPI `ziglang`), `zig cc -target wasm32-wasi -O2`: `strlen` and `memcmp` are
    // zig's compiler_rt (`compiler_rt.NAME` in the name section), as are `memcpy` and `memmove`
    // with `-mcpu=mvp` (by default they are `memory.copy`).
    known(
        LibcRoutine::Strlen,
        "31276835d4850a098d970685062562835186b3b880facfdb6a31cd420fd6aa2c",
    ),
    known(
        LibcRoutine::Memcmp,
        "cab4a66d4c92766fc94be1f13757c210c708ab9ac05c87885d0ecb85234a041a",
    ),
    known(
        LibcRoutine::Memcpy,
        "170e6c6a5c8ed4baf347f193a9502bd32c29ab64092fc9534ee3cb42604b9aa0",
    ),
    known(
        LibcRoutine::Memmove,
        "c5fd5e500dc1e388aff30e62e931a84c5daa34f1aa35e6e6810e08e89c29cdd6",
    ),
];

const fn known(routine: LibcRoutine, sha256: &'static str) -> KnownBody {
    KnownBody { routine, sha256 }
}

/// The wasm type every build of `routine` has.
fn routine_type(routine: LibcRoutine) -> (&'static [ValType], &'static [ValType]) {
    use ValType::I32;
    match routine {
        LibcRoutine::Strlen => (&[I32], &[I32]),
        _ => (&[I32, I32, I32], &[I32]),
    }
}

/// The routine each function index is recognised as.
pub fn recognize(info: &ModuleInfo<'_>) -> Vec<Option<LibcRoutine>> {
    let mut found = vec![None; info.meta.funcs.len()];
    // Every build accesses memory 0 with 32-bit addresses.
    if info.meta.memories.first().is_none_or(|m| m.memory64) {
        return found;
    }
    // Callers are recognised after their callees: repeat until nothing new is found.
    loop {
        let mut progress = false;
        for f in info.num_imported_funcs..info.meta.funcs.len() as u32 {
            if found[f as usize].is_some() {
                continue;
            }
            // The canonical form starts with the type, so a known hash has the routine's type.
            let routine = canonical_hash(info, f, &found)
                .and_then(|hash| KNOWN.iter().find(|k| k.sha256 == hash).map(|k| k.routine));
            if routine.is_some() {
                found[f as usize] = routine;
                progress = true;
            }
        }
        if !progress {
            return found;
        }
    }
}

/// Whether function `f` has the type of `routine`.
fn has_type(info: &ModuleInfo<'_>, f: u32, routine: LibcRoutine) -> bool {
    let ty = info.func_type(f);
    let (params, results) = routine_type(routine);
    ty.params == params && ty.results == results
}

/// The hex SHA-256 of function `f`'s canonical form (see the module docs), or `None` when it
/// calls a function that is not recognised (`found`) or is not of a routine's type.
pub fn canonical_hash(
    info: &ModuleInfo<'_>,
    f: u32,
    found: &[Option<LibcRoutine>],
) -> Option<String> {
    if !LibcRoutine::ALL.iter().any(|r| has_type(info, f, *r)) {
        return None;
    }
    let ty = info.func_type(f);
    let body = &info.bodies[(f - info.num_imported_funcs) as usize];
    let mut hasher = Sha256::new();
    hasher.update(format!("{:?} -> {:?}\n", ty.params, ty.results));
    hash_body(body, found, &mut hasher)?;
    Some(
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// Feeds `body`'s bytes to `hasher`, each `call` as the name of the routine it calls.
fn hash_body(
    body: &FunctionBody<'_>,
    found: &[Option<LibcRoutine>],
    hasher: &mut Sha256,
) -> Option<()> {
    let bytes = body.as_bytes();
    let start = body.range().start;
    let mut ops = body.get_operators_reader().ok()?;
    let mut copied = 0;
    while !ops.eof() {
        let (op, offset) = ops.read_with_offset().ok()?;
        if let Operator::Call { function_index } = op {
            let callee = found.get(function_index as usize).copied().flatten()?;
            hasher.update(&bytes[copied..offset - start]);
            hasher.update(format!("call {}", callee.libc_name()));
            copied = ops.original_position() - start;
        }
    }
    hasher.update(&bytes[copied..]);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// The module of `tests/spec/wast/libc_routines.wast`: Debian's five bodies (functions
    /// 0-4), then each with a `nop` added (5-9).
    fn wast_module() -> String {
        let wast = include_str!("../../tests/spec/wast/libc_routines.wast");
        let start = wast.find("(module").expect("a module");
        let end = wast
            .find("\n;; memcpy(")
            .expect("assertions after the module");
        wast[start..end].to_string()
    }

    fn recognized(wat: &str) -> Vec<Option<LibcRoutine>> {
        let wasm = wat::parse_str(wat).expect("valid wat");
        let info = crate::module::parse(&wasm, &Config::default()).expect("valid module");
        recognize(&info)
    }

    #[test]
    fn exact_bodies_are_recognised_whatever_their_names() {
        let found = recognized(&wast_module());
        assert_eq!(&found[..5], LibcRoutine::ALL.map(Some));
        assert_eq!(&found[5..10], [None; 5], "a nop more is another function");
        // Renamed, without a name section: the same.
        let renamed = wast_module()
            .replace("$memcpy ", "$a ")
            .replace("call $memcpy\n", "call $a\n")
            .replace("(export \"memcpy\")", "");
        assert_eq!(&recognized(&renamed)[..5], LibcRoutine::ALL.map(Some));
    }

    #[test]
    fn a_caller_of_an_unrecognised_function_is_not_recognised() {
        // memmove calling the memcpy with a nop: its body is Debian's, its callee is not.
        let module = wast_module();
        let memmove = module.find("(func $memmove ").unwrap();
        let call = memmove + module[memmove..].find("call $memcpy\n").unwrap();
        let changed = format!(
            "{}call $memcpy_ref\n{}",
            &module[..call],
            &module[call + "call $memcpy\n".len()..]
        );
        let found = recognized(&changed);
        assert_eq!(found[0], Some(LibcRoutine::Memcpy));
        assert_eq!(found[1], None);
    }

    #[test]
    fn one_changed_instruction_or_type_is_not_recognised() {
        let module = wast_module();
        // memcmp's `i32.sub` of the differing bytes, made an add.
        let memcmp = module.find("(func $memcmp ").unwrap();
        let sub = memcmp + module[memcmp..].find("i32.sub").unwrap();
        let changed = format!("{}i32.add{}", &module[..sub], &module[sub + 7..]);
        assert_eq!(recognized(&changed)[3], None);
        // No memory: nothing to recognise.
        assert!(recognized("(module (func $f (param i32) (result i32) local.get 0))")[0].is_none());
    }

    #[test]
    fn the_programs_built_with_debian_wasi_libc_have_the_known_bodies() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/programs/wasm/sort.wasm"
        );
        let wasm = std::fs::read(path).expect("sort.wasm");
        let info = crate::module::parse(&wasm, &Config::default()).expect("valid module");
        let found = recognize(&info);
        for routine in LibcRoutine::ALL {
            let f = info
                .names
                .iter()
                .position(|n| n.as_deref() == Some(routine.libc_name()))
                .expect("named in the name section");
            assert_eq!(found[f], Some(routine));
        }
    }
}
