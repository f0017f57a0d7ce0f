//! `w2n_rt_main`: the entry point of produced executables, called by the `main` the compiler
//! emits. Sets up WASI from the process (arguments, environment, preopens), instantiates the
//! module (creating the shared memories it imports), runs its start function and `_start`, and
//! turns a trap into the report and exit status ([`TRAP_EXIT_STATUS`]) that wasmtime gives.
//! Returning ends the process, even while threads it spawned are running.

use crate::abi::DecodeError;
use crate::abi::ModuleImage;
use crate::abi::OptionalTables;
use crate::abi::exe::ExeConfig;
use crate::abi::meta::ImportKind;
use crate::instance::{Extern, Instance, InstantiateError, Module};
use crate::memory::{LinearMemory, MemoryError};
use crate::trap::{self, TRAP_EXIT_STATUS, Trap};
use std::ffi::{CStr, c_char, c_int};
use std::sync::Arc;

fn fail(msg: &str) -> c_int {
    let line = format!("error: {msg}\n");
    // SAFETY: writing to stderr.
    unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
    1
}

/// Runs the module described by `image` as a WASI command.
///
/// # Safety
/// Called once, from `main`, with the process's `argc`/`argv` and the image compiled into the
/// executable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn w2n_rt_main(
    argc: c_int,
    argv: *const *const c_char,
    image: *const ModuleImage,
) -> c_int {
    // Once, for the life of the process: this is its first thread (threads that wasi-threads
    // spawns install their own alternate stacks).
    trap::install_handlers();
    trap::install_alt_stack();
    // SAFETY: the image is part of this executable.
    let module = match unsafe { Module::from_image(image) } {
        Ok(m) => m,
        Err(e) => return fail(&e.0),
    };
    let args: Vec<Vec<u8>> = (0..argc.max(0) as usize)
        // SAFETY: argv holds argc C strings.
        .map(|i| unsafe { CStr::from_ptr(*argv.add(i)) }.to_bytes().to_vec())
        .collect();
    // SAFETY: the image is part of this executable and `from_image` checked its ABI version.
    let exe = match unsafe { exe_config(&*image) } {
        Ok(exe) => exe,
        Err(e) => return fail(&e.to_string()),
    };
    match crate::wasi::config_from_process(&exe, args) {
        Ok(cfg) => crate::wasi::init(cfg),
        Err(e) => return fail(&e),
    }
    let memories = match imported_memories(&module) {
        Ok(m) => m,
        Err(e) => return fail(&e.0),
    };
    let imports: Vec<Extern> = memories.iter().map(Extern::shared_memory).collect();
    let instance = match Instance::new(
        module,
        &imports,
        &crate::builtins::TABLE,
        &OptionalTables::NONE,
    ) {
        Ok(i) => i,
        Err(InstantiateError::Trap(t)) => return report(&t),
        Err(e) => return fail(&e.to_string()),
    };
    let status = match instance.export("_start") {
        Some(Extern::Func(start)) => match instance.call(&start, &[]) {
            Ok(_) => 0,
            Err(t) => report(&t),
        },
        _ => 0,
    };
    // The process is about to exit (other threads may still use the memories): unmapping
    // them would only cost time.
    std::mem::forget(instance);
    std::mem::forget(memories);
    status
}

/// The memories `module` imports, created from their types, in import order. The compiler lets
/// an executable import only shared memories, which wasi-threads programs do (wasmtime creates
/// them the same way); the functions are bound at link time.
fn imported_memories(module: &Module) -> Result<Vec<Arc<LinearMemory>>, MemoryError> {
    let guard = !module.explicit_bounds_checks();
    module
        .meta
        .imports
        .iter()
        .filter_map(|i| match &i.kind {
            ImportKind::Memory(mt) => Some(LinearMemory::new_shared(mt, guard)),
            _ => None,
        })
        .collect()
}

/// The configuration baked into the executable.
///
/// # Safety
/// `image` is a module image of the current ABI version.
unsafe fn exe_config(image: &ModuleImage) -> Result<ExeConfig, DecodeError> {
    // SAFETY: the image holds `exe_config_len` bytes there.
    let bytes = unsafe { std::slice::from_raw_parts(image.exe_config, image.exe_config_len) };
    ExeConfig::decode(bytes)
}

fn report(trap: &Trap) -> c_int {
    trap::report_fatal(&trap.report());
    TRAP_EXIT_STATUS
}
