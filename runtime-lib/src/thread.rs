//! wasi-threads: `wasi.thread-spawn(start_arg) -> tid`, bound at compile time to
//! [`thread_spawn`] (so only programs importing it link this module).
//!
//! As in wasmtime, each thread runs its own instance of the calling module, on a host thread of
//! its own: the instance imports the same (shared) memories, and has fresh globals and tables;
//! its start function runs, then it calls the export `wasi_thread_start(tid, start_arg)`. A
//! thread that returns from it ends, freeing its instance. A trap in any thread ends the process
//! ([`trap::report_fatal`]); `proc_exit` from any thread ends it with its status; the main
//! thread returning from `_start` ends it too, whatever the other threads are doing.

use crate::abi::meta::ValType;
use crate::instance::{Extern, Func, Instance, InstantiateError, Module};
use crate::memory::LinearMemory;
use crate::trap::{self, TRAP_EXIT_STATUS};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, mpsc};

/// The export every spawned thread calls: `(tid: i32, start_arg: i32)`.
const ENTRY_POINT: &str = "wasi_thread_start";

/// The largest thread id (wasi-threads leaves the top bits for the guest's use, as wasmtime).
const MAX_TID: u32 = 0x1FFF_FFFF;

/// Each thread's stack: as large as the main thread's usual default; mapped lazily by the
/// kernel, so an idle thread costs only what it touches.
const STACK_SIZE: usize = 8 << 20;

/// The next thread id: ids count from 1, the main thread having none.
static NEXT_TID: AtomicU32 = AtomicU32::new(1);

/// `wasi.thread-spawn(start_arg)`: starts a thread running a new instance of the caller's
/// module and returns its id (positive), or -1 when no thread can be created: the module
/// defines a memory (a thread could not share it) or lacks `wasi_thread_start`, ids ran out, or
/// the host thread or the instance could not be created.
///
/// # Safety
/// `vmctx` must be the VM context of the live instance calling this import.
#[unsafe(export_name = crate::abi::wasi_symbol!(thread_spawn))]
pub unsafe extern "C" fn thread_spawn(vmctx: *mut u8, start_arg: i32) -> i32 {
    // SAFETY: per the contract.
    let inst = unsafe { Instance::from_vmctx(vmctx) };
    spawn(inst, start_arg).map_or(-1, |tid| tid as i32)
}

/// Starts the thread; returns its id once its instance exists.
fn spawn(inst: &Instance, start_arg: i32) -> Option<u32> {
    let module = inst.module().clone();
    let memories = inst.thread_imports()?;
    entry_point(inst)?;
    let tid = NEXT_TID
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
            (t <= MAX_TID).then_some(t + 1)
        })
        .ok()?;
    let (ready, instantiated) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name(format!("wasi-thread-{tid}"))
        .stack_size(STACK_SIZE)
        .spawn(move || run(module, memories, tid, start_arg, ready))
        .ok()?;
    // The thread reports whether it could instantiate, so that failing to is a negative result.
    instantiated.recv().ok()?.then_some(tid)
}

/// The caller's `wasi_thread_start`, if it has one of the right type.
fn entry_point(inst: &Instance) -> Option<Func> {
    match inst.export(ENTRY_POINT)? {
        Extern::Func(f) if f.ty.params == [ValType::I32; 2] && f.ty.results.is_empty() => Some(f),
        _ => None,
    }
}

/// The body of thread `tid`: instantiates `module` with `memories`, says on `ready` whether it
/// could, then calls `wasi_thread_start(tid, start_arg)`. A trap ends the process.
fn run(
    module: Arc<Module>,
    memories: Vec<Arc<LinearMemory>>,
    tid: u32,
    start_arg: i32,
    ready: mpsc::SyncSender<bool>,
) {
    trap::install_alt_stack();
    let imports: Vec<Extern> = memories
        .iter()
        .map(|m| Extern::Memory(Arc::as_ptr(m).cast_mut()))
        .collect();
    let instance = match Instance::new(module, &imports, &crate::builtins::TABLE, None) {
        Ok(instance) => instance,
        Err(InstantiateError::Trap(t)) => exit_trapped(&t.report()),
        Err(_) => {
            let _ = ready.send(false);
            return trap::uninstall_alt_stack();
        }
    };
    let _ = ready.send(true);
    let start = entry_point(&instance).expect("checked by the spawning thread");
    let args = [u128::from(tid), u128::from(start_arg as u32)];
    if let Err(t) = instance.call(&start, &args) {
        exit_trapped(&t.report());
    }
    drop(instance);
    trap::uninstall_alt_stack();
}

/// Reports a trap in a spawned thread and ends the process as a trap does.
fn exit_trapped(report: &str) -> ! {
    trap::report_fatal(report);
    // SAFETY: ending the process; other threads may be running wasm, which needs no cleanup.
    unsafe { libc::_exit(TRAP_EXIT_STATUS) }
}
