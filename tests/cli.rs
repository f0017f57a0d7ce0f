//! End-to-end tests of the `wasm2native` command line: compile the committed test programs of
//! `tests/programs/`, run the executables and compare with the expectations recorded there (see
//! `tests/programs/build.sh`, which made them from native runs or, for MicroPython, from
//! wasmtime, and `verify_wasmtime.py` and `verify_node.mjs`, which checked them against wasmtime
//! and Node.js).
//!
//! Registered from `cli/Cargo.toml` as `[[test]] name = "cli" path = "../tests/cli.rs"`.
//! Only std is used. Set `W2N_KEEP_TEST_DIRS=1` to keep the temporary directories.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod support;
use support::{Run, TempDir, file_stems, first_line};

/// Exit status of a program that trapped (as `wasmtime run` exits: 128 + SIGABRT).
const TRAP_STATUS: i32 = 134;
const COMPILE_TIMEOUT: Duration = Duration::from_secs(300);
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

// ------------------------------------------------------------------------------------ helpers

fn compiler() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_wasm2native"))
}

fn programs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/programs")
}

/// A temporary directory `w2n-cli-TAG-…`.
fn temp_dir(tag: &str) -> TempDir {
    TempDir::new("w2n-cli", tag)
}

/// Runs `cmd` with `stdin` as its standard input, killing it after `timeout`.
fn run_cmd(mut cmd: Command, stdin: &[u8], timeout: Duration) -> Run {
    // Keep the environment of the runs free of the runtime's own knobs.
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("WASM2NATIVE_") {
            cmd.env_remove(&k);
        }
    }
    support::run(cmd, stdin, timeout)
}

/// `wasm2native ARGS...`
fn w2n<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(compiler());
    cmd.args(args);
    run_cmd(cmd, b"", COMPILE_TIMEOUT)
}

/// Compiles `input` to `out` (plus `extra` flags) and asserts that it worked.
fn compile(input: &Path, out: &Path, extra: &[&str]) {
    let mut args: Vec<&OsStr> = vec![input.as_os_str(), OsStr::new("-o"), out.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    let run = w2n(&args);
    assert!(
        run.status.success(),
        "compiling {} failed; {}",
        input.display(),
        run.describe()
    );
    assert!(
        out.is_file(),
        "compiler succeeded but wrote no {}; {}",
        out.display(),
        run.describe()
    );
}

/// The inputs of a program's run, as build.sh uses them, and its extra compile flags.
struct Inputs {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Vec<u8>,
    flags: Vec<String>,
}

/// The lines of a file, the last one ending in `\n` or not; an empty line is an empty string.
fn line_list(bytes: Vec<u8>, what: &str) -> Vec<String> {
    let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{what} file is not UTF-8"));
    let mut v: Vec<String> = text.split('\n').map(str::to_string).collect();
    if v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

fn inputs(name: &str) -> Inputs {
    let dir = programs().join("inputs");
    let read = |ext: &str| fs::read(dir.join(format!("{name}.{ext}"))).ok();
    let args = read("args").map_or_else(Vec::new, |b| line_list(b, "args"));
    let env = match read("env") {
        Some(bytes) => String::from_utf8(bytes)
            .expect("env file is not UTF-8")
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (k, v) = l.split_once('=').expect("env line without '='");
                (k.to_string(), v.to_string())
            })
            .collect(),
        None => Vec::new(),
    };
    Inputs {
        args,
        env,
        stdin: read("stdin").unwrap_or_default(),
        flags: read("flags").map_or_else(Vec::new, |b| line_list(b, "flags")),
    }
}

fn expected(name: &str, ext: &str) -> Option<Vec<u8>> {
    fs::read(programs().join("expected").join(format!("{name}.{ext}"))).ok()
}

fn expected_status(name: &str) -> i32 {
    let text = expected(name, "status").unwrap_or_else(|| panic!("no expected/{name}.status"));
    String::from_utf8(text)
        .unwrap()
        .trim()
        .parse()
        .expect("bad status file")
}

/// Runs a compiled program with its inputs. The guest environment comes from `--env` flags
/// given at compile time (see `compile_program`); the process environment does not hold the
/// variables.
fn run_program(exe: &Path, inputs: &Inputs) -> Run {
    let mut cmd = Command::new(exe);
    cmd.args(&inputs.args);
    cmd.env_remove("W2N_TEST_VAR");
    for (k, _) in &inputs.env {
        cmd.env_remove(k);
    }
    run_cmd(cmd, &inputs.stdin, RUN_TIMEOUT)
}

/// Compiles `wasm/NAME.wasm` into `dir`, with `--env` for the program's environment and the
/// flags of `inputs/NAME.flags`.
fn compile_program(name: &str, dir: &TempDir, opt: Option<&str>) -> PathBuf {
    let wasm = programs().join("wasm").join(format!("{name}.wasm"));
    let exe = dir.join(&format!("{name}{}", opt.unwrap_or("")));
    let inp = inputs(name);
    let env_flags: Vec<String> = inp.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut extra: Vec<&str> = inp.flags.iter().map(String::as_str).collect();
    for f in &env_flags {
        extra.push("--env");
        extra.push(f);
    }
    if let Some(o) = opt {
        extra.push(o);
    }
    compile(&wasm, &exe, &extra);
    exe
}

/// Checks that stderr is a trap report: first line as given, then backtrace lines naming `frame`.
fn assert_trap(run: &Run, first: &str, frame: Option<&str>) {
    assert_eq!(
        first_line(&run.stderr),
        first,
        "first stderr line of a trap; {}",
        run.describe()
    );
    run.assert_code(TRAP_STATUS);
    let stderr = run.stderr_str();
    let rest: Vec<&str> = stderr.lines().skip(1).collect();
    assert!(
        !rest.is_empty(),
        "a trap report should name at least one wasm function frame after the first line; {}",
        run.describe()
    );
    assert_eq!(
        stderr.matches("error: wasm trap").count(),
        1,
        "one trap report, even when threads trap at once; {}",
        run.describe()
    );
    if let Some(frame) = frame {
        assert!(
            rest.iter().any(|l| l.contains(frame)),
            "the trap report's frames should mention the wasm function `{frame}`; {}",
            run.describe()
        );
    }
    assert!(
        !stderr.contains("panicked"),
        "panic text in stderr; {}",
        run.describe()
    );
}

// -------------------------------------------------------------------------------- programs

/// Compiles `wasm/NAME.wasm` (with `opt`, a wasm2native flag, if given), runs it and compares
/// with `expected/NAME.*`.
fn check_program(name: &str, opt: Option<&str>) {
    let dir = temp_dir(name);
    let exe = compile_program(name, &dir, opt);
    check_run(name, &run_program(&exe, &inputs(name)));
}

/// Compares a run of program `name` with `expected/NAME.*`.
fn check_run(name: &str, run: &Run) {
    let want_stdout =
        expected(name, "stdout").unwrap_or_else(|| panic!("no expected/{name}.stdout"));
    if let Some(first) = expected(name, "stderr1") {
        let first = String::from_utf8(first).unwrap();
        let frame =
            expected(name, "frame").map(|f| String::from_utf8(f).unwrap().trim().to_string());
        assert_trap(run, first.trim_end(), frame.as_deref());
        assert_eq!(expected_status(name), TRAP_STATUS);
        run.assert_stdout(&want_stdout, name);
    } else {
        run.assert_stdout(&want_stdout, name);
        run.assert_code(expected_status(name));
        if let Some(want_stderr) = expected(name, "stderr") {
            assert_eq!(
                run.stderr_str(),
                String::from_utf8_lossy(&want_stderr),
                "{name}: stderr differs; {}",
                run.describe()
            );
        }
    }
}

macro_rules! program_tests {
    ($($name:ident),* $(,)?) => {
        const PROGRAMS: &[&str] = &[$(stringify!($name)),*];
        mod program {
            $(
                #[test]
                fn $name() {
                    super::check_program(stringify!($name), None);
                }
            )*
        }
    };
}

program_tests!(
    hello,
    sort,
    exit3,
    exit_call,
    args_env,
    cat,
    qsort_big,
    trap_div,
    trap_oob,
    trap_unreachable,
    recurse,
    simd_autovec,
    simd_intrinsics,
    setjmp_longjmp,
    setjmp_longjmp_exnref,
    exceptions,
    exceptions_exnref,
    exception_uncaught,
    micropython,
    tail_interp,
    // Threads: pthreads/*.c and rust/*/, built for wasm32-wasip1-threads.
    pthreads,
    thread_trap,
    thread_exit,
    threads_std,
    rayon_sort,
    stress_atomic_add,
    stress_spawn,
    stress_ping_pong,
);

/// Programs in wasm/ without a source of their own in c/ or cpp/: build.sh copies them from a
/// package, or derives them from another program's module (`NAME_exnref`: in the Wasm 3.0
/// exception encoding).
const SOURCELESS_PROGRAMS: &[&str] = &["micropython", "exceptions_exnref", "setjmp_longjmp_exnref"];

/// The stress programs (`pthreads/stress_*.c`: contended atomic adds, 1,000 threads, wait/notify
/// ping-pong) are compiled once and run `W2N_STRESS_RUNS` times in a row (default 3, a few
/// seconds; `W2N_STRESS_RUNS=20 cargo test --release --test cli stress` is the issue's bar), on
/// top of their run as programs: a race shows up in some runs only.
#[test]
fn stress_programs_repeated() {
    let runs: usize = std::env::var("W2N_STRESS_RUNS")
        .map_or(3, |s| s.parse().expect("W2N_STRESS_RUNS is not a number"));
    for name in PROGRAMS.iter().filter(|p| p.starts_with("stress_")) {
        let dir = temp_dir(name);
        let exe = compile_program(name, &dir, None);
        for i in 1..=runs {
            eprintln!("{name}: run {i} of {runs}");
            check_run(name, &run_program(&exe, &inputs(name)));
        }
    }
}

/// Threaded programs with explicit bounds checks as well: there every access of a shared memory
/// is checked against the length that all threads share.
#[test]
fn thread_programs_with_explicit_bounds_checks() {
    for name in [
        "pthreads",
        "threads_std",
        "stress_atomic_add",
        "thread_trap",
    ] {
        check_program(name, Some("--bounds-checks=explicit"));
    }
}

/// The exception-handling programs in the other modes as well: the landing pads and the
/// unwinder must not depend on how memory accesses are checked, nor on inlining (-O2, the
/// default, inlines small functions into the ones that catch; -O0 does not).
#[test]
fn exception_programs_in_other_modes() {
    for name in [
        "setjmp_longjmp",
        "setjmp_longjmp_exnref",
        "exceptions",
        "exceptions_exnref",
        "exception_uncaught",
        "micropython",
    ] {
        for mode in ["--bounds-checks=explicit", "-O0"] {
            check_program(name, Some(mode));
        }
    }
}

// ------------------------------------------------------------------------- wat modules

/// The `;; expect-KEY: VALUE` header lines of a .wat file.
fn wat_expectation(text: &str, key: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with(";;"))
        .filter_map(|l| l[2..].trim().strip_prefix(key)?.strip_prefix(':'))
        .map(|v| v.trim().to_string())
        .next()
}

fn check_wat(name: &str) {
    let path = programs().join("wat").join(format!("{name}.wat"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let dir = temp_dir(name);
    let exe = dir.join(name);
    compile(&path, &exe, &[]);
    let run = run_cmd(Command::new(&exe), b"", RUN_TIMEOUT);
    if let Some(msg) = wat_expectation(&text, "expect-trap") {
        let frame = wat_expectation(&text, "expect-frame");
        assert_trap(&run, &format!("error: wasm trap: {msg}"), frame.as_deref());
        if let Some(expected) = wat_expectation(&text, "expect-backtrace") {
            let expected: Vec<&str> = expected.split(", ").collect();
            // At every optimization level: -O2 inlines, the others do not.
            for opt in ["-O0", "-O1", "-O2"] {
                let exe = dir.join(&format!("{name}{opt}"));
                compile(&path, &exe, &[opt]);
                let run = run_cmd(Command::new(&exe), b"", RUN_TIMEOUT);
                assert_eq!(
                    backtrace_names(&run.stderr_str()),
                    expected,
                    "backtrace at {opt}; {}",
                    run.describe()
                );
            }
        }
    } else {
        let status: i32 = wat_expectation(&text, "expect-status")
            .map(|s| s.parse().expect("bad expect-status"))
            .unwrap_or(0);
        let stdout = wat_expectation(&text, "expect-stdout")
            .unwrap_or_default()
            .replace("\\n", "\n");
        run.assert_stdout(stdout.as_bytes(), name);
        run.assert_code(status);
    }
}

/// The function names of a trap report's backtrace lines (`  N: name (function K)`), in order.
fn backtrace_names(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .skip_while(|l| *l != "wasm backtrace:")
        .skip(1)
        .filter_map(|l| {
            let (index, rest) = l.trim_start().split_once(": ")?;
            index.parse::<usize>().ok()?;
            Some(rest.split(" (function").next()?.to_string())
        })
        .collect()
}

macro_rules! wat_tests {
    ($($name:ident),* $(,)?) => {
        const WAT_MODULES: &[&str] = &[$(stringify!($name)),*];
        mod wat_module {
            $(
                #[test]
                fn $name() {
                    super::check_wat(stringify!($name));
                }
            )*
        }
    };
}

wat_tests!(
    hello,
    exit_status,
    trap_unreachable,
    trap_memory_oob,
    trap_memory64_oob,
    trap_table_oob,
    trap_div_by_zero,
    trap_int_overflow,
    trap_bad_conversion,
    trap_call_null,
    trap_call_undefined,
    trap_call_mismatch,
    trap_stack_overflow,
    trap_stack_overflow_big_frame,
    trap_stack_overflow_host,
    trap_in_inlined_function,
    trap_below_inlined_function,
    exception_uncaught,
    exception_caught,
    tail_call_loop,
    tail_call_depth_without_tail_calls,
    tail_call_backtrace,
    multi_memory,
    relaxed_simd,
    memory64,
    atomics,
    trap_unaligned_atomic,
    thread_spawn_counter,
    thread_spawn_trap,
    thread_spawn_proc_exit,
    thread_spawn_main_returns,
    thread_spawn_stack_overflow,
    thread_spawn_traps_at_once,
    interpreter_dispatch,
);

/// -O2 gives each handler of an interpreter loop its own copy of the dispatch `br_table`
/// (codegen/dispatch.rs); -O1 keeps the single one. `wat_module::interpreter_dispatch` runs
/// the -O2 code against the result of a reference implementation.
#[test]
fn interpreter_dispatch_is_duplicated_into_handlers() {
    let dir = temp_dir("dispatch-asm");
    let wat = programs().join("wat").join("interpreter_dispatch.wat");
    let count = |opt: &str| {
        let out = dir.join(&format!("{opt}.s"));
        compile(&wat, &out, &["--emit", "asm", opt]);
        let asm = fs::read_to_string(&out).unwrap();
        let ops = asm_mnemonics(&asm, "run");
        ops.iter().filter(|op| *op == "br_table").count()
    };
    assert_eq!(count("-O1"), 1, "-O1 should keep one dispatch");
    // At least one per handler that branches back to the loop (opcodes 1 to 9) and one for the
    // entry into the loop.
    let copies = count("-O2");
    assert!(
        copies >= 10,
        "-O2 should copy the dispatch into each handler, not {copies}"
    );
}

/// The names of the directories in `dir` (the Cargo projects of tests/programs/rust).
fn dir_names(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| {
            let e = e.ok()?;
            let is_dir = e.file_type().ok()?.is_dir();
            is_dir.then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect()
}

/// Every program in tests/programs has a test above.
#[test]
fn every_program_is_tested() {
    let list = |sub: &str, ext: &str| file_stems(&programs().join(sub), ext);
    let sorted = |s: &[&str]| {
        let mut v: Vec<String> = s.iter().map(|x| x.to_string()).collect();
        v.sort();
        v
    };
    let mut sources = list("c", "c");
    sources.extend(list("cpp", "cpp"));
    sources.extend(list("pthreads", "c"));
    sources.extend(dir_names(&programs().join("rust")));
    sources.extend(sorted(SOURCELESS_PROGRAMS));
    sources.sort();
    assert_eq!(
        sources,
        sorted(PROGRAMS),
        "tests/programs/c, cpp, pthreads, rust and the sourceless programs vs the program tests"
    );
    assert_eq!(
        list("wasm", "wasm"),
        sorted(PROGRAMS),
        "tests/programs/wasm vs the program tests"
    );
    assert_eq!(
        list("wat", "wat"),
        sorted(WAT_MODULES),
        "tests/programs/wat vs the wat_module tests"
    );
}

// ---------------------------------------------------------------- against native code

fn find_clang() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["clang-19", "clang"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// sort.c built natively by clang and compiled from wasm by wasm2native print the same bytes.
#[test]
fn sort_matches_native_clang_build() {
    let Some(clang) = find_clang() else {
        println!("skipped: no clang-19 or clang on PATH");
        return;
    };
    let dir = temp_dir("native");
    let native = dir.join("sort-native");
    let mut cmd = Command::new(&clang);
    cmd.arg("-O2")
        .arg(programs().join("c/sort.c"))
        .arg("-o")
        .arg(&native)
        .arg("-lm");
    let build = run_cmd(cmd, b"", COMPILE_TIMEOUT);
    if !build.status.success() {
        println!(
            "skipped: {} cannot build native programs here; {}",
            clang.display(),
            build.describe()
        );
        return;
    }
    let native_run = run_cmd(Command::new(&native), b"", RUN_TIMEOUT);
    native_run.assert_code(0);
    let exe = compile_program("sort", &dir, None);
    let run = run_program(&exe, &inputs("sort"));
    run.assert_code(0);
    run.assert_stdout(
        &native_run.stdout,
        "sort.c: wasm2native vs native clang -O2",
    );
}

/// -O0, -O1 and -O2 give the same program behaviour.
#[test]
fn optimization_levels_and_target_cpus_agree() {
    let dir = temp_dir("opt");
    let want = expected("sort", "stdout").unwrap();
    let mut variants = vec!["-O0", "-O1", "-O2", "--target-cpu=native"];
    // x86-64-v3 code runs only where the CPU has AVX2 and BMI2.
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    if cpuinfo.contains(" avx2") && cpuinfo.contains(" bmi2") {
        variants.push("--target-cpu=x86-64-v3");
    }
    for opt in variants {
        let exe = compile_program("sort", &dir, Some(opt));
        let run = run_program(&exe, &inputs("sort"));
        run.assert_code(0);
        run.assert_stdout(&want, &format!("sort.wasm compiled with {opt}"));
    }
}

// ------------------------------------------------------------------------ bad inputs

/// A compile that must fail cleanly: exit status 1, exactly one stderr line `error: ...`, no
/// panic, and nothing written into the (otherwise empty) output directory. Returns that line.
fn assert_clean_failure(args: &[&OsStr], out_dir: &Path, what: &str) -> String {
    let run = w2n(args);
    let stderr = run.stderr_str();
    assert_eq!(
        run.code(),
        Some(1),
        "{what}: expected exit status 1; {}",
        run.describe()
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{what}: panic text in stderr; {}",
        run.describe()
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{what}: expected exactly one stderr line; {}",
        run.describe()
    );
    assert!(
        lines[0].starts_with("error: "),
        "{what}: the stderr line should start with `error: `; {}",
        run.describe()
    );
    let left: Vec<_> = fs::read_dir(out_dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    assert!(
        left.is_empty(),
        "{what}: files left behind in the output directory: {left:?}"
    );
    lines[0].to_string()
}

/// A directory holding the input, and an empty one for the output.
fn bad_input_dirs(tag: &str) -> (TempDir, TempDir) {
    (
        temp_dir(&format!("{tag}-in")),
        temp_dir(&format!("{tag}-out")),
    )
}

fn bad_input(tag: &str, file_name: &str, bytes: &[u8], extra: &[&str]) -> String {
    let (input_dir, out_dir) = bad_input_dirs(tag);
    let input = input_dir.join(file_name);
    fs::write(&input, bytes).unwrap();
    let out = out_dir.join("out");
    let mut args: Vec<&OsStr> = vec![input.as_os_str(), OsStr::new("-o"), out.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    assert_clean_failure(&args, out_dir.path(), tag)
}

#[test]
fn bad_input_not_wasm() {
    bad_input(
        "notwasm",
        "notwasm.wasm",
        b"this is a text file, not a wasm module\n",
        &[],
    );
}

#[test]
fn bad_input_truncated_wasm() {
    let hello = fs::read(programs().join("wasm/hello.wasm")).unwrap();
    let line = bad_input("truncated", "truncated.wasm", &hello[..20], &[]);
    assert!(
        line.contains("offset"),
        "the message should give a byte offset: {line}"
    );
}

/// A module whose only function body is type-invalid: `i32.add` on an empty stack.
const INVALID_WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: [] -> [i32]
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, 0x05, 0x01, 0x03, 0x00, 0x6a, 0x0b, // code section: body {no locals; i32.add; end}
];

#[test]
fn bad_input_invalid_wasm() {
    let line = bad_input("invalid", "invalid.wasm", INVALID_WASM, &[]);
    assert!(
        line.contains("offset"),
        "the message should give a byte offset: {line}"
    );
}

/// Valid wasm that needs a proposal beyond WebAssembly 2.0 is `unsupported: <proposal>`,
/// never invalid.
#[test]
fn later_proposals_are_unsupported_not_invalid() {
    let cases = [
        (
            "shared-everything",
            "(module (type (shared (func))))",
            "shared-everything threads (shared types and references)",
        ),
        (
            "wide-arithmetic",
            "(module (func (param i64 i64 i64 i64) (result i64 i64) \
             local.get 0 local.get 1 local.get 2 local.get 3 i64.add128))",
            "wide arithmetic",
        ),
        (
            "page-sizes",
            "(module (memory 1 (pagesize 1)))",
            "custom page sizes",
        ),
        // GC is accepted by the validator (for recursion groups and subtypes) and refused here:
        // in the type section, in a value type, and as an instruction in unreachable code.
        (
            "gc-struct",
            "(module (type (struct)) (func (drop (struct.new 0))))",
            "garbage collection (struct type)",
        ),
        (
            "gc-anyref",
            "(module (func (local anyref)))",
            "garbage collection (anyref)",
        ),
        (
            "gc-i31",
            "(module (func unreachable (drop (ref.i31 (i32.const 0)))))",
            "garbage collection (RefI31)",
        ),
    ];
    for (tag, wat, proposal) in cases {
        let line = bad_input(tag, &format!("{tag}.wat"), wat.as_bytes(), &[]);
        assert!(
            line.contains(&format!("unsupported: {proposal} at offset")),
            "{wat}: {line}"
        );
        assert!(!line.contains("invalid"), "{wat}: {line}");
    }
    let line = bad_input("invalid-wat", "invalid.wasm", INVALID_WASM, &[]);
    assert!(line.contains("invalid wasm"), "{line}");
}

#[test]
fn bad_input_missing_file() {
    let (input_dir, out_dir) = bad_input_dirs("missing");
    let input = input_dir.join("does-not-exist.wasm");
    let out = out_dir.join("out");
    let line = assert_clean_failure(
        &[input.as_os_str(), OsStr::new("-o"), out.as_os_str()],
        out_dir.path(),
        "missing input",
    );
    assert!(
        line.contains("does-not-exist.wasm"),
        "the message should name the file: {line}"
    );
}

#[test]
fn bad_input_unwritable_output() {
    let (_input_dir, out_dir) = bad_input_dirs("unwritable");
    let hello = programs().join("wasm/hello.wasm");
    let out = Path::new("/nonexistent-dir/out");
    assert_clean_failure(
        &[hello.as_os_str(), OsStr::new("-o"), out.as_os_str()],
        out_dir.path(),
        "unwritable output",
    );
    assert!(!out.exists());
}

const UNKNOWN_IMPORT_WAT: &str = r#"(module
  (import "env" "foo" (func $foo))
  (memory (export "memory") 1)
  (func $call_foo
    call $foo)
  (func $_start (export "_start")
    call $call_foo))
"#;

#[test]
fn bad_input_unknown_import() {
    let line = bad_input(
        "unknownimport",
        "imports_foo.wat",
        UNKNOWN_IMPORT_WAT.as_bytes(),
        &[],
    );
    assert!(
        line.contains("env::foo") || line.contains("env.foo"),
        "the message should name the import env::foo: {line}"
    );
}

/// An executable may import a memory only if it is shared (the runtime creates it, for
/// wasi-threads programs); any other memory import is unknown.
#[test]
fn bad_input_unshared_memory_import() {
    let line = bad_input(
        "unsharedmemory",
        "imports_memory.wat",
        br#"(module (import "env" "memory" (memory 1)) (func (export "_start")))"#,
        &[],
    );
    assert!(
        line.contains("unknown import") && line.contains("env::memory"),
        "the message should name the import env::memory: {line}"
    );
}

#[test]
fn bad_flag() {
    let (_input_dir, out_dir) = bad_input_dirs("badflag");
    let hello = programs().join("wasm/hello.wasm");
    let out = out_dir.join("out");
    assert_clean_failure(
        &[
            hello.as_os_str(),
            OsStr::new("--definitely-not-a-flag"),
            OsStr::new("-o"),
            out.as_os_str(),
        ],
        out_dir.path(),
        "bad flag",
    );
}

/// With `--unknown-imports trap` the module compiles, and calling the import traps naming it.
#[test]
fn unknown_imports_trap() {
    let dir = temp_dir("unknown-trap");
    let input = dir.join("imports_foo.wat");
    fs::write(&input, UNKNOWN_IMPORT_WAT).unwrap();
    let exe = dir.join("imports_foo");
    compile(&input, &exe, &["--unknown-imports", "trap"]);
    let run = run_cmd(Command::new(&exe), b"", RUN_TIMEOUT);
    let first = first_line(&run.stderr);
    assert!(
        first.starts_with("error: wasm trap: ") && first.contains("foo"),
        "calling the unknown import should trap with a message naming env::foo; {}",
        run.describe()
    );
    run.assert_code(TRAP_STATUS);
    assert!(
        !run.stderr_str().contains("panicked"),
        "panic text; {}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------- SIMD

/// The instruction mnemonics of function `func` in `--emit asm` output.
fn asm_mnemonics(asm: &str, func: &str) -> Vec<String> {
    let header = format!("{func}:");
    let body: Vec<&str> = asm
        .lines()
        .skip_while(|l| *l != header)
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(!body.is_empty(), "no function {func} in the assembly");
    body.iter()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| !w.ends_with(':'))
        .map(str::to_string)
        .collect()
}

/// The hot loops of the SIMD programs compile to packed SSE instructions.
#[test]
fn simd_programs_use_packed_sse() {
    let dir = temp_dir("simd-asm");
    type Expectations = &'static [(&'static str, &'static [&'static str])];
    let cases: &[(&str, Expectations)] = &[
        (
            "simd_autovec",
            &[
                ("saxpy", &["mulps", "addps"]),
                ("dot_i16", &["pmulld", "paddd"]),
                ("byte_min", &["pminub"]),
                ("hypot_f64", &["mulpd", "sqrtpd"]),
            ],
        ),
        (
            "simd_intrinsics",
            &[
                ("mat4_mul", &["mulps", "addps"]),
                ("hex_encode", &["pshufb"]),
                ("count_byte", &["pcmpeqb", "pmovmskb"]),
                ("to_grey", &["pmullw", "packuswb"]),
                (
                    "quantise",
                    &["sqrtps", "minps", "maxps", "roundps", "cvttps2dq"],
                ),
            ],
        ),
    ];
    for (program, funcs) in cases {
        let wasm = programs().join("wasm").join(format!("{program}.wasm"));
        let out = dir.join(&format!("{program}.s"));
        compile(&wasm, &out, &["--emit", "asm"]);
        let asm = fs::read_to_string(&out).unwrap();
        for (func, wanted) in *funcs {
            let ops = asm_mnemonics(&asm, func);
            for w in *wanted {
                assert!(
                    ops.iter().any(|o| o == w),
                    "{program}: {func} should use {w}; it has {ops:?}"
                );
            }
        }
    }
}

/// The relaxed SIMD operators give the same results at every `--target-cpu` (madd is fused
/// with and without FMA), those of wasmtime's default mode on x86-64.
#[test]
fn relaxed_simd_is_the_same_on_every_target_cpu() {
    let dir = temp_dir("relaxed-simd");
    let wat = programs().join("wat").join("relaxed_simd.wat");
    let text = fs::read_to_string(&wat).unwrap();
    let want = wat_expectation(&text, "expect-stdout")
        .unwrap()
        .replace("\\n", "\n");
    let mut cpus = vec!["x86-64-v2", "native"];
    // x86-64-v3 code runs only where the CPU has AVX2, BMI2 and FMA.
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    if [" avx2", " bmi2", " fma"]
        .iter()
        .all(|f| cpuinfo.contains(f))
    {
        cpus.push("x86-64-v3");
    }
    for cpu in cpus {
        let exe = dir.join(&format!("relaxed-{cpu}"));
        compile(&wat, &exe, &["--target-cpu", cpu]);
        let run = run_cmd(Command::new(&exe), b"", RUN_TIMEOUT);
        run.assert_code(0);
        run.assert_stdout(want.as_bytes(), &format!("relaxed_simd.wat at {cpu}"));
    }
}

/// The relaxed SIMD operators compile to the x86 instructions whose results they return; madd
/// is `vfmadd` with FMA and a call to libm's `fmaf`/`fma` per lane without.
#[test]
fn relaxed_simd_uses_the_x86_instructions() {
    let dir = temp_dir("relaxed-simd-asm");
    let wat = programs().join("wat").join("relaxed_simd.wat");
    let common = [
        "pshufb",
        "cvttps2dq",
        "cvttpd2dq",
        "pblendvb",
        "blendvps",
        "blendvpd",
        "minps",
        "maxpd",
        "pmulhrsw",
        "pmaddubsw",
    ];
    // madd: the libcalls Cranelift names `%FmaF32`/`%FmaF64` in disassembly, or FMA.
    for (cpu, prefix, madd) in [
        ("x86-64-v2", "", ["%FmaF32", "%FmaF64"]),
        ("x86-64-v3", "v", ["vfmadd213ps", "vfnmadd213pd"]),
    ] {
        let out = dir.join(&format!("{cpu}.s"));
        compile(&wat, &out, &["--emit", "asm", "--target-cpu", cpu]);
        let asm = fs::read_to_string(&out).unwrap();
        let ops = asm_mnemonics(&asm, "_start");
        for w in common.iter().map(|op| format!("{prefix}{op}")) {
            assert!(
                ops.contains(&w),
                "{cpu}: _start should use {w}; it has {ops:?}"
            );
        }
        for w in madd {
            assert!(asm.contains(w), "{cpu}: madd should use {w}");
        }
    }
}

// ------------------------------------------------- generated code (vendor/README.md patches)

/// The blocks of function `func` in `--emit asm` output, in layout order: each block's
/// number (`blockN:`, branched to as `labelN`) and lines.
fn asm_blocks<'a>(asm: &'a str, func: &str) -> Vec<(usize, Vec<&'a str>)> {
    let header = format!("{func}:");
    let mut blocks: Vec<(usize, Vec<&str>)> = Vec::new();
    for line in asm
        .lines()
        .skip_while(|l| *l != header)
        .skip(1)
        .take_while(|l| !l.is_empty())
    {
        match line.strip_prefix("block").and_then(|n| n.strip_suffix(':')) {
            Some(n) => blocks.push((n.parse().unwrap(), Vec::new())),
            None => {
                if let Some((_, lines)) = blocks.last_mut() {
                    lines.push(line);
                }
            }
        }
    }
    assert!(!blocks.is_empty(), "no function {func} in the assembly");
    blocks
}

/// The lines of the blocks of function `func` inside a loop: from the target of a backward
/// branch to the block branching back.
fn asm_loop_lines<'a>(asm: &'a str, func: &str) -> Vec<&'a str> {
    let blocks = asm_blocks(asm, func);
    let position = |n: usize| blocks.iter().position(|(b, _)| *b == n);
    let mut in_loop = vec![false; blocks.len()];
    for (latch, (_, lines)) in blocks.iter().enumerate() {
        let targets = lines
            .iter()
            .flat_map(|l| l.split([' ', ';']))
            .filter_map(|w| w.strip_prefix("label")?.parse().ok());
        for header in targets.filter_map(position).filter(|&h| h <= latch) {
            in_loop[header..=latch].iter_mut().for_each(|b| *b = true);
        }
    }
    blocks
        .iter()
        .zip(in_loop)
        .filter(|(_, looped)| *looped)
        .flat_map(|((_, lines), _)| lines.iter().copied())
        .collect()
}

/// An ALU operation with an immediate on a loop-invariant value stays where it is computed,
/// outside the loop, instead of being rematerialized on every iteration (vendor/README.md,
/// "no rematerialization into loops").
#[test]
fn loop_invariant_alu_immediate_is_not_recomputed_in_the_loop() {
    let dir = temp_dir("remat-loop");
    let wat = dir.join("remat.wat");
    // The bound `n & 0x7ffffffe` of matmul's unrolled inner loop, with `n` live in the loop.
    fs::write(
        &wat,
        r#"(module (memory 1)
          (func $sum (export "sum") (param $n i32) (result i32)
            (local $even i32) (local $i i32) (local $s i32)
            (local.set $even (i32.and (local.get $n) (i32.const 0x7ffffffe)))
            (loop $next
              (local.set $s (i32.add (local.get $s)
                (i32.load (i32.mul (local.get $i) (local.get $n)))))
              (local.set $i (i32.add (local.get $i) (i32.const 2)))
              (br_if $next (i32.ne (local.get $i) (local.get $even))))
            (local.get $s)))"#,
    )
    .unwrap();
    let out = dir.join("remat.s");
    compile(&wat, &out, &["--emit", "asm"]);
    let asm = fs::read_to_string(&out).unwrap();
    assert!(asm.contains("$0x7ffffffe"), "no mask in {asm}");
    let looped = asm_loop_lines(&asm, "sum");
    assert!(!looped.is_empty(), "no loop found in {asm}");
    assert!(
        !looped.iter().any(|l| l.contains("$0x7ffffffe")),
        "the mask is recomputed in the loop: {looped:#?}"
    );
}

/// A leaf function that saves no register and uses no stack sets up no frame; a function that
/// calls does (vendor/README.md, "frameless leaf functions"). That a trap in a frameless leaf
/// still shows its caller is `trap_below_inlined_function.wat`'s backtrace.
#[test]
fn leaf_functions_without_stack_have_no_frame() {
    let dir = temp_dir("frameless");
    let wat = dir.join("leaf.wat");
    fs::write(
        &wat,
        r#"(module (memory 1)
          (func $leaf (param $p i32) (result i32)
            (i32.add (i32.load (local.get $p)) (i32.const 1)))
          (func $caller (export "caller") (param $p i32) (result i32)
            (i32.mul (call $leaf (local.get $p)) (call $leaf (i32.const 8)))))"#,
    )
    .unwrap();
    let out = dir.join("leaf.s");
    compile(&wat, &out, &["--emit", "asm", "-O", "1"]);
    let asm = fs::read_to_string(&out).unwrap();
    let leaf = asm_mnemonics(&asm, "leaf");
    assert!(
        !leaf.iter().any(|op| op == "pushq"),
        "the leaf sets up a frame: {leaf:?}"
    );
    let caller = asm_mnemonics(&asm, "caller");
    assert_eq!(
        caller.first().map(String::as_str),
        Some("pushq"),
        "{caller:?}"
    );
}

// -------------------------------------------------------------------- other options

#[test]
fn emit_obj_clif_asm() {
    let dir = temp_dir("emit");
    let hello = programs().join("wasm/hello.wasm");
    for (kind, file) in [
        ("obj", "hello.o"),
        ("clif", "hello.clif"),
        ("asm", "hello.s"),
    ] {
        let out = dir.join(file);
        compile(&hello, &out, &["--emit", kind]);
        let bytes = fs::read(&out).unwrap();
        assert!(
            !bytes.is_empty(),
            "--emit {kind} wrote an empty {}",
            out.display()
        );
        if kind == "obj" {
            assert_eq!(
                &bytes[..4],
                b"\x7fELF",
                "--emit obj should write an ELF object"
            );
        }
        // `-o -` is standard output, with the same bytes (the object is deterministic).
        let run = w2n([
            hello.as_os_str(),
            OsStr::new("--emit"),
            OsStr::new(kind),
            OsStr::new("-o"),
            OsStr::new("-"),
        ]);
        run.assert_code(0);
        assert_eq!(
            run.stdout, bytes,
            "--emit {kind} -o - should write what -o FILE writes"
        );
    }
    // An executable cannot go to standard output, and no file named `-` appears.
    let run = w2n([hello.as_os_str(), OsStr::new("-o"), OsStr::new("-")]);
    run.assert_code(1);
    assert!(
        run.stderr_str().contains("standard output"),
        "{}",
        run.describe()
    );
}

/// `-v` counts the calls that unwind into a handler of their function, and `--emit clif|asm`
/// show those calls with their landing pads (a legacy `try` here).
#[test]
fn landing_pads_are_shown() {
    let dir = temp_dir("landing-pads");
    let wat = dir.join("try.wat");
    fs::write(
        &wat,
        r#"(module
             (tag $e (param i32))
             (func $f (param i32) (throw $e (local.get 0)))
             (func (export "_start")
               try
                 (call $f (i32.const 1))
               catch $e
                 drop
               end))"#,
    )
    .unwrap();
    let verbose = w2n([
        wat.as_os_str(),
        OsStr::new("-v"),
        OsStr::new("-o"),
        dir.join("try").as_os_str(),
    ]);
    verbose.assert_code(0);
    assert!(
        verbose
            .stderr_str()
            .contains("calls with exception landing pads: 1"),
        "{}",
        verbose.describe()
    );
    for phase in ["read input: ", "emit object: ", "link "] {
        assert!(
            verbose.stderr_str().contains(phase),
            "-v should report `{phase}`: {}",
            verbose.describe()
        );
    }
    for (kind, shows) in [("clif", "try_call"), ("asm", "catch [default:")] {
        let run = w2n([
            wat.as_os_str(),
            OsStr::new("--emit"),
            OsStr::new(kind),
            OsStr::new("-o"),
            OsStr::new("-"),
        ]);
        run.assert_code(0);
        assert!(
            String::from_utf8_lossy(&run.stdout).contains(shows),
            "--emit {kind} should show `{shows}`: {}",
            run.describe()
        );
    }
    let run = run_program(&dir.join("try"), &inputs("none"));
    run.assert_code(0);
}

#[test]
fn version_and_help() {
    let version = w2n(["--version"]);
    version.assert_code(0);
    assert!(
        version.stdout_str().contains(env!("CARGO_PKG_VERSION")),
        "--version should print the version; {}",
        version.describe()
    );
    let help = w2n(["--help"]);
    help.assert_code(0);
    let text = help.stdout_str();
    for word in ["--emit", "-o"] {
        assert!(
            text.contains(word),
            "--help should mention {word}; {}",
            help.describe()
        );
    }
}

/// `PT_INTERP` in an ELF executable's program headers: it needs a dynamic loader.
fn elf_has_interpreter(elf: &[u8]) -> bool {
    const PT_INTERP: u32 = 3;
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let phoff = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap()) as usize;
    let (phentsize, phnum) = (u16_at(0x36), u16_at(0x38));
    (0..phnum).any(|i| {
        let at = phoff + i * phentsize;
        u32::from_le_bytes(elf[at..at + 4].try_into().unwrap()) == PT_INTERP
    })
}

/// Hello world stays small, and a compiler whose runtime was built for musl (see
/// `cli/build.rs`; `--version` says which) produces static executables: no dynamic loader,
/// nothing to install beside them.
#[test]
fn executable_form_and_size() {
    let dir = temp_dir("form");
    let out = dir.path().join("hello");
    compile(&programs().join("wasm/hello.wasm"), &out, &[]);
    let elf = fs::read(&out).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF");
    assert!(
        elf.len() <= 400 * 1024,
        "hello world is {} bytes, over 400 KB",
        elf.len()
    );
    let version = w2n(["--version"]).stdout_str();
    let static_kit = version.contains("static");
    assert_eq!(
        !elf_has_interpreter(&elf),
        static_kit,
        "--version says {version:?}"
    );
    let run = run_cmd(Command::new(&out), b"", RUN_TIMEOUT);
    assert_eq!(run.stdout_str(), "Hello, world!\n");
}
