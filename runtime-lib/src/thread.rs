//! wasi-threads: `wasi.thread-spawn(start_arg) -> tid`, bound at compile time to
//! [`thread_spawn`] (so only programs importing it link this module).
//!
//! As in wasmtime, each thread runs its own instance of the calling module, on a host thread of
//! its own: the instance imports the same (shared) memories, and has fresh globals and tables;
//! its start function runs, then it calls the export `wasi_thread_start(tid, start_arg)`. A
//! thread that returns from it ends, freeing its instance. A trap in any thread ends the process
//! ([`trap::report_fatal`]); `proc_exit` from any thread ends it with its status; the main
//! thread returning from `_start` ends it too, whatever the other threads are doing.

use crate::abi::OptionalTables;
use crate::abi::meta::ValType;
use crate::instance::{Extern, Func, Instance, InstantiateError, Module};
use crate::memory::LinearMemory;
use crate::trap::{self, TRAP_EXIT_STATUS};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// The export every spawned thread calls: `(tid: i32, start_arg: i32)`.
const ENTRY_POINT: &str = "wasi_thread_start";

/// The largest thread id (wasi-threads leaves the top bits for the guest's use, as wasmtime).
const MAX_TID: u32 = 0x1FFF_FFFF;

/// Each thread's stack: as large as the main thread's usual default; mapped lazily by the
/// kernel, so an idle thread costs only what it touches (the C library puts a guard page below
/// it, where a stack overflow faults).
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
    let memories = inst.thread_imports()?;
    entry_point(inst)?;
    let tid = NEXT_TID
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
            (t <= MAX_TID).then_some(t + 1)
        })
        .ok()?;
    crate::wasi::ctx::calls_from_threads();
    let ready = Arc::new(Ready::default());
    let start = Box::new(Start {
        module: inst.module().clone(),
        memories,
        tid,
        start_arg,
        ready: ready.clone(),
    });
    start_host_thread(start)?;
    // The thread says whether it could instantiate, so that failing to is a negative result.
    ready.wait().then_some(tid)
}

/// What a new thread is given.
struct Start {
    module: Arc<Module>,
    /// The memories its instance imports (shared with every other thread's).
    memories: Vec<Arc<LinearMemory>>,
    tid: u32,
    start_arg: i32,
    ready: Arc<Ready>,
}

/// Whether a new thread could instantiate its module, once it knows.
#[derive(Default)]
struct Ready {
    instantiated: Mutex<Option<bool>>,
    known: Condvar,
}

impl Ready {
    fn set(&self, instantiated: bool) {
        *self
            .instantiated
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(instantiated);
        self.known.notify_one();
    }

    fn wait(&self) -> bool {
        let guard = self
            .instantiated
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let known = self.known.wait_while(guard, |i| i.is_none());
        known
            .unwrap_or_else(PoisonError::into_inner)
            .unwrap_or(false)
    }
}

// The C library's `pthread_create` and `pthread_attr_init` (with musl, the latter links the
// former) are referenced weakly, so that a program that does not spawn threads links none of the
// C library's thread support: with musl, linking `pthread_create` alone switches stdio and
// `exit` to their multi-threaded paths. The link of a program importing `thread-spawn` defines
// them (`THREAD_LIBC_SYMBOLS` in the compiler's `link.rs`).
core::arch::global_asm!(".weak pthread_create", ".weak pthread_attr_init");

/// `pthread_create`'s address: null when it was not linked.
static PTHREAD_CREATE: unsafe extern "C" fn(
    *mut libc::pthread_t,
    *const libc::pthread_attr_t,
    extern "C" fn(*mut libc::c_void) -> *mut libc::c_void,
    *mut libc::c_void,
) -> libc::c_int = libc::pthread_create;

/// `pthread_attr_init`'s address: null when it was not linked.
static PTHREAD_ATTR_INIT: unsafe extern "C" fn(*mut libc::pthread_attr_t) -> libc::c_int =
    libc::pthread_attr_init;

/// Starts a detached host thread with a [`STACK_SIZE`] stack running [`thread_main`] on `start`
/// (std's threads would reference `pthread_create` strongly).
fn start_host_thread(start: Box<Start>) -> Option<()> {
    // SAFETY: reading statics; volatile, for the compiler assumes function addresses non-null.
    let (create, attr_init) = unsafe {
        (
            std::ptr::read_volatile(&raw const PTHREAD_CREATE),
            std::ptr::read_volatile(&raw const PTHREAD_ATTR_INIT),
        )
    };
    if create as usize == 0 || attr_init as usize == 0 {
        return None;
    }
    let arg = Box::into_raw(start);
    // SAFETY: plain pthread calls on a local attribute object; `arg` goes to the thread, or is
    // freed here when there is none.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        attr_init(&mut attr);
        libc::pthread_attr_setstacksize(&mut attr, STACK_SIZE);
        libc::pthread_attr_setdetachstate(&mut attr, libc::PTHREAD_CREATE_DETACHED);
        let mut thread: libc::pthread_t = std::mem::zeroed();
        let rc = create(&mut thread, &attr, thread_main, arg.cast());
        libc::pthread_attr_destroy(&mut attr);
        if rc != 0 {
            drop(Box::from_raw(arg));
            return None;
        }
    }
    Some(())
}

/// The host thread's entry: runs [`run`] on the [`Start`] it is given.
extern "C" fn thread_main(arg: *mut libc::c_void) -> *mut libc::c_void {
    // SAFETY: `start_host_thread` passes a boxed `Start` it gives up.
    let start = unsafe { Box::from_raw(arg.cast::<Start>()) };
    run(*start);
    std::ptr::null_mut()
}

/// The caller's `wasi_thread_start`, if it has one of the right type.
fn entry_point(inst: &Instance) -> Option<Func> {
    match inst.export(ENTRY_POINT)? {
        Extern::Func(f) if f.ty.params == [ValType::I32; 2] && f.ty.results.is_empty() => Some(f),
        _ => None,
    }
}

/// The body of a thread: instantiates the module with the shared memories, says whether it
/// could, then calls `wasi_thread_start(tid, start_arg)`. A trap ends the process.
fn run(start: Start) {
    trap::install_alt_stack();
    let imports: Vec<Extern> = start.memories.iter().map(Extern::shared_memory).collect();
    let instance = match Instance::new(
        start.module,
        &imports,
        &crate::builtins::TABLE,
        &OptionalTables::NONE,
    ) {
        Ok(instance) => instance,
        Err(InstantiateError::Trap(t)) => exit_trapped(&t.report()),
        Err(_) => {
            start.ready.set(false);
            return trap::uninstall_alt_stack();
        }
    };
    start.ready.set(true);
    let entry = entry_point(&instance).expect("checked by the spawning thread");
    let args = [u128::from(start.tid), u128::from(start.start_arg as u32)];
    if let Err(t) = instance.call(&entry, &args) {
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
