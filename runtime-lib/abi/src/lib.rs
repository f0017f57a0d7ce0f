//! The contract between code compiled by wasm2native and the runtime library.
//!
//! Everything the two sides must agree on lives here and nowhere else:
//! - the layout of the VM context ([`VMOffsets`]) passed as the first argument of every compiled
//!   wasm function, and of the records it holds ([`VMMemory`], [`VMTable`], [`VMGlobal`],
//!   [`VMFuncImport`], [`VMFuncRef`]);
//! - the [`ModuleImage`] the compiler emits into every object and the runtime reads;
//! - trap codes with their spec messages ([`TrapCode`]);
//! - the builtin (libcall) tables ([`Builtin`], declared in [`foreach_builtin!`], and
//!   [`ExceptionBuiltin`], declared in [`foreach_exception_builtin!`]);
//! - wasi-libc's string routines the runtime has builtins for ([`LibcRoutine`]);
//! - the serialized module metadata ([`meta`]) and an executable's configuration ([`exe`]).
//!
//! A change to any layout here must bump [`ABI_VERSION`]: the runtime refuses an image built for
//! another version instead of misreading it.

pub mod builtin;
mod codec;
pub mod exe;
pub mod libc;
pub mod meta;
pub mod trap;
pub mod vmctx;
pub mod wasi;

pub use builtin::{
    Builtin, BuiltinTable, BuiltinType, ExceptionBuiltin, ExceptionBuiltinTable, OptionalTable,
    OptionalTables, WaitBuiltin, WaitBuiltinTable,
};
pub use codec::DecodeError;
pub use libc::LibcRoutine;
pub use trap::TrapCode;
pub use vmctx::*;

/// Version of this ABI; stored in every [`ModuleImage`] and checked when a module is loaded.
pub const ABI_VERSION: u32 = 7;

/// Name of the symbol holding a module's [`ModuleImage`] in a shared object built for embedding
/// (the spec-test harness loads such objects). In executables it is a local symbol.
pub const IMAGE_SYMBOL: &str = "w2n_module_image";

/// Name of the runtime's entry point called by the `main` the compiler emits into executables:
/// `int w2n_rt_main(int argc, char **argv, const ModuleImage *image)`.
pub const RT_MAIN_SYMBOL: &str = "w2n_rt_main";

/// Prefix of the runtime's WASI implementations: import `wasi_snapshot_preview1.fd_write` is the
/// symbol `w2n_wasi_fd_write`, with signature `(vmctx, wasm params...) -> wasm results`.
pub const WASI_SYMBOL_PREFIX: &str = "w2n_wasi_";

/// Prefix of the runtime's implementations of the older `wasi_unstable` module, for functions
/// whose behaviour differs from preview1 (the others share the preview1 symbol).
pub const WASI_UNSTABLE_SYMBOL_PREFIX: &str = "w2n_wasi_unstable_";

/// `ModuleImage::flags`: the module was compiled with explicit bounds checks, so its memories
/// need no guard region and their base may move on growth.
pub const IMAGE_FLAG_EXPLICIT_BOUNDS_CHECKS: u32 = 1 << 0;

/// `ModuleImage::flags`: the module's code addresses memory 0 relative to the gs segment base,
/// which must hold memory 0's base on every thread before that code runs.
pub const IMAGE_FLAG_MEMORY0_GS: u32 = 1 << 1;

/// One 32-bit linear memory's reservation in guard-page mode: 4 GiB addressable plus a 4 GiB
/// guard, plus a little slack so that an access of up to 16 bytes at `u32::MAX + u32::MAX`
/// still faults inside the reservation.
pub const GUARD_MODE_RESERVATION: u64 = (8 << 30) + (64 << 10);

/// Most address space a 64-bit memory reserves (64 GiB), in either bounds-check mode: it
/// reserves its declared maximum up to this, so its base never moves, and `memory.grow` beyond
/// it returns -1. Every memory64 access is checked explicitly (no guard region can cover a
/// 64-bit index), so no guard is reserved after it.
pub const MEMORY64_MAX_RESERVATION: u64 = 64 << 30;

/// WebAssembly page size.
pub const WASM_PAGE_SIZE: u64 = 65536;

/// The root record the compiler emits into every object, describing the compiled module.
///
/// All pointers are filled by relocations at link time.
#[repr(C)]
#[derive(Debug)]
pub struct ModuleImage {
    /// Must equal [`ABI_VERSION`].
    pub abi_version: u32,
    /// `IMAGE_FLAG_*` bits.
    pub flags: u32,
    /// Serialized [`meta::ModuleMeta`].
    pub meta: *const u8,
    pub meta_len: usize,
    /// Function names for backtraces: for each function index, a LEB128 length and UTF-8 bytes
    /// (length 0 = no name). Read only when a trap is reported.
    pub names: *const u8,
    pub names_len: usize,
    /// Bytes of all data segments, concatenated; segments refer to ranges of it.
    pub data: *const u8,
    pub data_len: usize,
    /// One record per defined function, in function index order.
    pub funcs: *const FuncInfo,
    pub nfuncs: usize,
    /// For each type index, the array-call trampoline
    /// `extern "C" fn(code, callee_vmctx, values: *mut ValRaw)`, or null if none was emitted.
    pub trampolines: *const *const u8,
    pub ntrampolines: usize,
    /// For each imported function, the host function the compiler bound it to at link time
    /// (a WASI implementation or a trapping stub), or null when the embedder must supply it.
    pub host_funcs: *const *const u8,
    pub nhost_funcs: usize,
    /// Serialized [`exe::ExeConfig`]: the configuration an executable's entry point sets WASI
    /// up with (embedders ignore it).
    pub exe_config: *const u8,
    pub exe_config_len: usize,
    /// What throwing an exception needs to unwind the defined functions' frames; null and 0
    /// for a module in which no exception can be thrown or caught.
    ///
    /// A little-endian `u32` array: first, for each defined function, the index (in `u32`s) of
    /// its record; each record is `nsites`, then `nsites` triples `(return address offset,
    /// handler offset, frame pointer minus stack pointer at the call)` of its calls inside a
    /// `try_table` (or legacy `try`), sorted by return address. No registers are recorded:
    /// every such call is to a function of the wasm calling convention (Cranelift's `tail`),
    /// whose exceptional edge assumes every register clobbered, so a handler needs only its
    /// frame and stack pointers.
    pub unwind: *const u8,
    pub unwind_len: usize,
    /// Tag names for the message of an uncaught exception, as [`Self::names`] holds function
    /// names (see [`meta::name_at`]); null and 0 for a module without tags.
    pub tag_names: *const u8,
    pub tag_names_len: usize,
    /// Each [`OptionalTable`] of the runtime that the module's code calls, when the compiler
    /// linked it (executables); null for the others, and where the embedder supplies the
    /// tables (see `OFFSET_OPTIONAL_BUILTINS`).
    pub optional_builtins: OptionalTables,
}

// SAFETY: an image is immutable data in the binary's read-only sections.
unsafe impl Sync for ModuleImage {}
unsafe impl Send for ModuleImage {}

/// Where a defined function's machine code is, where it can trap, and which of its code came
/// from functions inlined into it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct FuncInfo {
    pub code: *const u8,
    pub code_len: u32,
    pub ntraps: u32,
    /// `ntraps` entries sorted by offset.
    pub traps: *const TrapSite,
    pub ninlined: u32,
    /// 1 if the function sets up no frame (a leaf using no stack, see vendor/README.md): its
    /// return address is at the stack pointer wherever it traps, and the frame pointer is its
    /// caller's.
    pub frameless: u32,
    /// `ninlined` entries sorted by offset.
    pub inlined: *const InlinedFrame,
}

/// A machine instruction that traps: its offset from the function start and the [`TrapCode`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapSite {
    pub offset: u32,
    pub code: u32,
}

/// A place in a function's code that belongs to another function inlined there: a trap site,
/// or the last byte of a call (a return address minus one), as a backtrace sees them. A
/// backtrace shows function `funcidx` as a frame of its own, called from the function holding
/// the code. (Only one level: inlined functions have nothing inlined into them.)
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlinedFrame {
    pub offset: u32,
    pub funcidx: u32,
}

/// The exception object an `exnref` points to: the tag's identity (the address of its
/// [`VMTag`]), the index of the tag in the throwing instance and that instance's VM context (to
/// name it), then the payload, one 16-byte slot per value from [`EXN_PAYLOAD_OFFSET`].
#[repr(C)]
#[derive(Debug)]
pub struct VMException {
    pub tag: *const VMTag,
    pub vmctx: *const u8,
    pub tagidx: u32,
    pub payload_len: u32,
}

/// Offset of [`VMException::tag`].
pub const EXN_TAG_OFFSET: u32 = core::mem::offset_of!(VMException, tag) as u32;
/// Offset of the first payload slot of a [`VMException`].
pub const EXN_PAYLOAD_OFFSET: u32 = 32;

/// Size in bytes of the records in the image, as the compiler writes them.
pub const FUNC_INFO_SIZE: usize = core::mem::size_of::<FuncInfo>();
/// Size in bytes of one [`TrapSite`].
pub const TRAP_SITE_SIZE: usize = core::mem::size_of::<TrapSite>();
/// Size in bytes of one [`InlinedFrame`].
pub const INLINED_FRAME_SIZE: usize = core::mem::size_of::<InlinedFrame>();

/// A value crossing the array-call boundary (exports called by the host, trampolines): 16 bytes,
/// little-endian, the value in the low bytes. References are pointers ([`VMFuncRef`]) or
/// externref words.
pub type ValRaw = u128;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_record_sizes() {
        assert_eq!(FUNC_INFO_SIZE, 40);
        assert_eq!(core::mem::offset_of!(FuncInfo, frameless), 28);
        assert_eq!(core::mem::offset_of!(FuncInfo, inlined), 32);
        assert_eq!(TRAP_SITE_SIZE, 8);
        assert_eq!(INLINED_FRAME_SIZE, 8);
        // The last field holds one pointer per optional builtin table.
        assert_eq!(
            core::mem::size_of::<ModuleImage>(),
            8 + 8 * (18 + OptionalTable::ALL.len())
        );
        assert_eq!(core::mem::offset_of!(ModuleImage, funcs), 56);
        assert_eq!(core::mem::offset_of!(ModuleImage, host_funcs), 88);
    }
}
