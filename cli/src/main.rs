//! `wasm2native`: compile a WebAssembly module (binary or text) to a native executable.

use anyhow::{Context, Result, anyhow};
use clap::{Parser, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use wasm2native_compiler::abi::exe::parse_dir_mapping;
use wasm2native_compiler::{
    BoundsChecks, Config, MemoryBase, OptLevel, OutputKind, TargetCpu, UnknownImports, link,
};

// `RUNTIME_KIT`: the runtime library (and, for static executables, musl's startup files and
// libc.a), linked into every executable. Written by build.rs.
include!(concat!(env!("OUT_DIR"), "/runtime_kit.rs"));

/// `--version`: the package version and how executables are linked.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (executables: ",
    env!("WASM2NATIVE_EXE_LINK"),
    ")"
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Emit {
    /// A native executable.
    Exe,
    /// The relocatable object, before linking.
    Obj,
    /// Cranelift IR of every function.
    Clif,
    /// Disassembly of every function.
    Asm,
}

/// Compile a WebAssembly (WASI) module to a self-contained native executable.
///
/// The executable behaves as the module would under a WASI runtime: its arguments, environment
/// (minus WASM2NATIVE_* variables) and preopened directories reach the guest; a trap prints
/// `error: wasm trap: ...` with a wasm backtrace and exits with status 134.
#[derive(Debug, Parser)]
#[command(name = "wasm2native", version = VERSION, about, long_about)]
struct Args {
    /// The module to compile (.wasm binary or .wat text).
    input: PathBuf,
    /// Output file [default: the input's name without extension; .o/.clif/.s for --emit]; `-`
    /// writes --emit obj/clif/asm to standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Optimization level.
    #[arg(short = 'O', value_name = "LEVEL", value_enum, default_value_t = OptLevel::O2)]
    opt_level: OptLevel,
    /// What to produce.
    #[arg(long, value_enum, default_value_t = Emit::Exe)]
    emit: Emit,
    /// How out-of-bounds memory accesses are caught.
    #[arg(long, value_enum, default_value_t = BoundsChecks::Guard)]
    bounds_checks: BoundsChecks,
    /// Where code finds memory 0's base address.
    #[arg(long, value_enum, default_value_t = MemoryBase::Gs)]
    memory_base: MemoryBase,
    /// Which CPUs the executable must run on.
    #[arg(long, value_enum, default_value_t = TargetCpu::X86_64V2)]
    target_cpu: TargetCpu,
    /// What to do with imports no runtime function provides.
    #[arg(long, value_enum, default_value_t = UnknownImports::Error)]
    unknown_imports: UnknownImports,
    /// Add NAME=VALUE to the program's environment (repeatable).
    #[arg(long, value_name = "NAME=VALUE")]
    env: Vec<String>,
    /// Do not pass the process environment to the program; only --env variables.
    #[arg(long)]
    no_inherit_env: bool,
    /// Preopen host directory HOST as GUEST (default: the same name); repeatable. Without any,
    /// the current directory is preopened as `.`.
    #[arg(long, value_name = "HOST[::GUEST]")]
    dir: Vec<String>,
    /// Make the program ignore every WASM2NATIVE_* variable at run time.
    #[arg(long)]
    sealed: bool,
    /// Make a WASI call given a pointer outside linear memory trap instead of returning EFAULT.
    #[arg(long)]
    trap_on_efault: bool,
    /// Print each phase with its duration.
    #[arg(short, long)]
    verbose: bool,
}

fn default_output(input: &Path, emit: Emit) -> PathBuf {
    let stem = input
        .file_stem()
        .map(PathBuf::from)
        .unwrap_or_else(|| "a.out".into());
    match emit {
        Emit::Exe => stem,
        Emit::Obj => stem.with_extension("o"),
        Emit::Clif => stem.with_extension("clif"),
        Emit::Asm => stem.with_extension("s"),
    }
}

fn config(args: &Args) -> Result<Config> {
    let mut config = Config {
        opt_level: args.opt_level,
        bounds_checks: args.bounds_checks,
        memory_base: args.memory_base,
        target_cpu: args.target_cpu,
        unknown_imports: args.unknown_imports,
        output: OutputKind::Executable,
        keep_clif: args.emit == Emit::Clif,
        keep_disasm: args.emit == Emit::Asm,
        ..Config::default()
    };
    for kv in &args.env {
        let (name, value) = kv
            .split_once('=')
            .filter(|(n, _)| !n.is_empty())
            .ok_or_else(|| anyhow!("--env {kv}: expected NAME=VALUE"))?;
        config.exe.env.push((name.to_string(), value.to_string()));
    }
    config.exe.inherit_env = !args.no_inherit_env;
    for d in &args.dir {
        let mapping = parse_dir_mapping(d).map_err(|e| anyhow!("--dir {d}: {e}"))?;
        config.exe.dirs.push(mapping);
    }
    config.exe.sealed = args.sealed;
    config.exe.trap_on_efault = args.trap_on_efault;
    Ok(config)
}

fn run(args: &Args) -> Result<()> {
    let config = config(args)?;
    if args.emit == Emit::Exe && args.output.as_deref() == Some(Path::new("-")) {
        anyhow::bail!(
            "-o -: an executable cannot be written to standard output (use --emit obj, clif or asm)"
        );
    }
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.input, args.emit));
    let name = args.input.display().to_string();
    let start = Instant::now();
    let bytes = std::fs::read(&args.input).with_context(|| name.clone())?;
    let wasm = wasm2native_compiler::wasm_from_bytes(&bytes).with_context(|| name.clone())?;
    let read_time = start.elapsed();
    let compiled = wasm2native_compiler::compile(&wasm, &config).with_context(|| name.clone())?;
    if args.verbose {
        eprintln!("read input: {read_time:.1?}");
        for (phase, time) in &compiled.timings {
            eprintln!("{phase}: {time:.1?}");
        }
        eprintln!("functions compiled: {}", compiled.num_functions);
        if compiled.num_landing_pads > 0 {
            eprintln!(
                "calls with exception landing pads: {}",
                compiled.num_landing_pads
            );
        }
    }
    let start = Instant::now();
    let bytes = match args.emit {
        Emit::Exe => {
            link::link_executable(&compiled.object, &RUNTIME_KIT, &output)?;
            if args.verbose {
                eprintln!("link {}: {:.1?}", output.display(), start.elapsed());
            }
            return Ok(());
        }
        Emit::Obj => &compiled.object[..],
        Emit::Clif => compiled.clif.as_bytes(),
        Emit::Asm => compiled.asm.as_bytes(),
    };
    if output == Path::new("-") {
        use std::io::Write;
        std::io::stdout()
            .write_all(bytes)
            .context("writing to standard output")?;
    } else {
        link::write_atomically(&output, bytes)?;
    }
    if args.verbose {
        eprintln!("write {}: {:.1?}", output.display(), start.elapsed());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // One line, as for every other error: clap's message without its usage block.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("error: {first} (see --help)");
            return ExitCode::FAILURE;
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("error: {}", msg.join(": "));
            ExitCode::FAILURE
        }
    }
}
