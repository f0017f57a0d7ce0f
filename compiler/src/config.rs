//! Compilation options. With the `clap` feature, the option enums are `clap::ValueEnum`s: their
//! doc comments are the CLI's help text.

use wasm2native_abi::exe::ExeConfig;
use wasm2native_abi::meta::MemoryType;

/// Cranelift optimization level (`-O0`, `-O1`, `-O2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum OptLevel {
    /// No optimization: fastest compile.
    #[cfg_attr(feature = "clap", value(name = "0"))]
    O0,
    /// Cranelift's `speed`.
    #[cfg_attr(feature = "clap", value(name = "1"))]
    O1,
    /// Cranelift's `speed`, plus inlining of small functions (the default).
    #[default]
    #[cfg_attr(feature = "clap", value(name = "2"))]
    O2,
}

/// How out-of-bounds memory accesses are caught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum BoundsChecks {
    /// Guard pages: no checks in code (8 GiB of address space per memory); a fault is the trap.
    #[default]
    Guard,
    /// A check before every memory access; memories need no guard region.
    Explicit,
}

/// How code finds memory 0's base address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum MemoryBase {
    /// The gs segment base holds it (set by the runtime on every thread that runs the code), so
    /// an access is `gs:[index + offset]`, with no base register (the default). Applies to a
    /// 32-bit memory 0 with guard pages; other memories use `register`.
    #[default]
    Gs,
    /// Loaded from the VM context into a register and added to each index.
    Register,
}

/// Which x86-64 CPUs the code may run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum TargetCpu {
    /// x86-64-v2: SSE4.2 and POPCNT, every x86-64 CPU since about 2009 (the default).
    #[default]
    #[cfg_attr(feature = "clap", value(name = "x86-64-v2"))]
    X86_64V2,
    /// x86-64-v3: adds AVX2, BMI1/2, FMA, LZCNT (Haswell, 2013, and later).
    #[cfg_attr(feature = "clap", value(name = "x86-64-v3"))]
    X86_64V3,
    /// Whatever the compiling machine has (as wasmtime does); the executable may not run on
    /// older CPUs.
    Native,
}

/// What to do with a function import the runtime does not provide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum UnknownImports {
    /// Refuse to compile, naming each unknown import.
    #[default]
    Error,
    /// Compile each unknown function import as a function that traps, naming the import, when
    /// called.
    Trap,
}

/// What the object is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputKind {
    /// An executable: the object holds `main`, WASI imports bind to the runtime, every other
    /// symbol is local.
    #[default]
    Executable,
    /// A shared object loaded by an embedder (the spec-test harness): the module image is an
    /// exported symbol and every import is supplied at instantiation.
    Embeddable,
}

/// Everything that steers a compilation.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub opt_level: OptLevel,
    pub bounds_checks: BoundsChecks,
    pub memory_base: MemoryBase,
    pub target_cpu: TargetCpu,
    pub unknown_imports: UnknownImports,
    pub output: OutputKind,
    /// Baked into executables' module image: environment, preopens, sealing.
    pub exe: ExeConfig,
    /// Keep the CLIF text of every function (for `--emit clif`).
    pub keep_clif: bool,
    /// Keep the disassembly of every function (for `--emit asm`).
    pub keep_disasm: bool,
}

impl Config {
    /// Whether code reaches memory `index`, of type `ty`, through the gs segment: the
    /// [`MemoryBase::Gs`] mode on a 32-bit memory 0 with guard pages, whose base never moves
    /// (a 64-bit or explicitly checked access needs the base in a register anyway).
    pub(crate) fn memory_in_gs(&self, index: u32, ty: &MemoryType) -> bool {
        index == 0
            && !ty.memory64
            && self.memory_base == MemoryBase::Gs
            && self.bounds_checks == BoundsChecks::Guard
    }
}
