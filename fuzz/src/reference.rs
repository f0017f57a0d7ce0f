//! The reference: wasmtime, in-process, with the four WASI functions the wrapper imports
//! implemented here (fd_write into a buffer, args_sizes_get, args_get, proc_exit).

use crate::outcome::{End, Run, TrapKind};
use anyhow::{Context, Result};
use std::time::Duration;
use wasmtime::{Caller, Config, Engine, Extern, Linker, Module, OptLevel, Store};

/// Host stack of the thread running wasm; wasm may use [`MAX_WASM_STACK`] of it.
const HOST_STACK: usize = 64 << 20;
/// wasmtime's limit on wasm stack use (its default is 512 KiB).
const MAX_WASM_STACK: usize = 16 << 20;
/// Epoch ticks (of [`TICK`]) a run may take before it is interrupted.
const DEADLINE_TICKS: u64 = 50;
const TICK: Duration = Duration::from_millis(100);

/// WASI errno EFAULT.
const EFAULT: i32 = 21;

/// A wasmtime engine configured for exactly the features wasm2native supports.
#[derive(Clone)]
pub struct Reference {
    engine: Engine,
}

/// Host state of one run.
struct Host {
    stdout: Vec<u8>,
    args: Vec<Vec<u8>>,
}

/// `proc_exit(code)`, carried out of wasm as an error.
#[derive(Debug)]
struct Exit(i32);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "proc_exit({})", self.0)
    }
}

impl std::error::Error for Exit {}

/// Whether wasmtime's relaxed SIMD results are wasm2native's on this host. In its default
/// (non-deterministic) mode wasmtime computes the x86 instructions' results, as wasm2native
/// does (its deterministic mode gives the non-relaxed instructions' results), but it fuses
/// `relaxed_madd` only on a CPU with FMA; wasm2native always fuses.
pub fn relaxed_simd_matches() -> bool {
    std::arch::is_x86_feature_detected!("fma")
}

impl Reference {
    /// An engine (the generated features only, epoch interruption, a large wasm stack) whose
    /// epoch a background thread advances.
    pub fn new() -> Result<Reference> {
        let mut config = Config::new();
        config
            .cranelift_opt_level(OptLevel::Speed)
            .epoch_interruption(true)
            .async_stack_size(MAX_WASM_STACK)
            .max_wasm_stack(MAX_WASM_STACK)
            .wasm_simd(true)
            .wasm_relaxed_simd(true)
            .relaxed_simd_deterministic(false)
            .wasm_tail_call(true)
            .wasm_custom_page_sizes(false)
            .wasm_function_references(false)
            .wasm_wide_arithmetic(false)
            .wasm_gc(false)
            .wasm_multi_memory(true)
            .wasm_memory64(false)
            .wasm_extended_const(true)
            .wasm_stack_switching(false)
            .wasm_exceptions(true)
            .wasm_threads(true)
            .shared_memory(true);
        let engine = Engine::new(&config).map_err(anyhow::Error::from)?;
        let ticker = engine.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(TICK);
                ticker.increment_epoch();
            }
        });
        Ok(Reference { engine })
    }

    /// Compiles `wasm`.
    pub fn compile(&self, wasm: &[u8]) -> Result<Module> {
        Module::new(&self.engine, wasm)
            .map_err(anyhow::Error::from)
            .context("wasmtime rejected the module")
    }

    /// Runs `_start` of `module` with `argv[1] = k`, on a thread with a large stack.
    pub fn run(&self, module: &Module, k: u32) -> Run {
        let (engine, module) = (self.engine.clone(), module.clone());
        let thread = std::thread::Builder::new()
            .stack_size(HOST_STACK)
            .spawn(move || run_on_this_thread(&engine, &module, k));
        match thread.map(|t| t.join()) {
            Ok(Ok(run)) => run,
            Ok(Err(_)) => crash("wasmtime thread panicked"),
            Err(e) => crash(&format!("cannot spawn wasmtime thread: {e}")),
        }
    }
}

fn crash(why: &str) -> Run {
    Run {
        stdout: vec![],
        end: End::Crash(why.to_string()),
    }
}

fn run_on_this_thread(engine: &Engine, module: &Module, k: u32) -> Run {
    let host = Host {
        stdout: vec![],
        args: vec![b"case".to_vec(), k.to_string().into_bytes()],
    };
    let mut store = Store::new(engine, host);
    store.set_epoch_deadline(DEADLINE_TICKS);
    store.epoch_deadline_trap();
    let end = match instantiate_and_start(&mut store, module) {
        Ok(()) => End::Exit(0),
        Err(e) => end_of(&e),
    };
    Run {
        stdout: std::mem::take(&mut store.data_mut().stdout),
        end,
    }
}

fn instantiate_and_start(store: &mut Store<Host>, module: &Module) -> wasmtime::Result<()> {
    let linker = linker(store.engine())?;
    let instance = linker.instantiate(&mut *store, module)?;
    let start = instance.get_typed_func::<(), ()>(&mut *store, "_start")?;
    start.call(&mut *store, ())
}

/// How an error out of wasmtime ends the run.
fn end_of(e: &wasmtime::Error) -> End {
    if let Some(exit) = e.downcast_ref::<Exit>() {
        return End::Exit(exit.0);
    }
    if e.downcast_ref::<wasmtime::ThrownException>().is_some() {
        return End::Trap(TrapKind::UncaughtException);
    }
    match e.downcast_ref::<wasmtime::Trap>() {
        Some(wasmtime::Trap::Interrupt) => End::Timeout,
        Some(&trap) => End::Trap(TrapKind::from_wasmtime(trap)),
        None => End::Crash(format!("wasmtime error: {e:?}")),
    }
}

fn linker(engine: &Engine) -> wasmtime::Result<Linker<Host>> {
    let mut l = Linker::new(engine);
    let m = "wasi_snapshot_preview1";
    l.func_wrap(m, "fd_write", fd_write)?;
    l.func_wrap(m, "args_sizes_get", args_sizes_get)?;
    l.func_wrap(m, "args_get", args_get)?;
    l.func_wrap(m, "proc_exit", |code: i32| -> wasmtime::Result<()> {
        Err(wasmtime::Error::new(Exit(code)))
    })?;
    Ok(l)
}

/// Memory export `memory` of the caller (shared or not), as a byte slice, and the host state.
fn memory<'a>(caller: &'a mut Caller<'_, Host>) -> Option<(&'a mut [u8], &'a mut Host)> {
    match caller.get_export("memory")? {
        Extern::Memory(mem) => Some(mem.data_and_store_mut(caller)),
        Extern::SharedMemory(mem) => {
            let data = mem.data();
            // SAFETY: the instance, which keeps the memory alive, runs on this thread alone,
            // and it is in this host call.
            let bytes =
                unsafe { std::slice::from_raw_parts_mut(data.as_ptr() as *mut u8, data.len()) };
            Some((bytes, caller.data_mut()))
        }
        _ => None,
    }
}

fn slice(mem: &[u8], at: u32, len: u32) -> Option<&[u8]> {
    mem.get(at as usize..(at as usize).checked_add(len as usize)?)
}

fn put(mem: &mut [u8], at: u32, bytes: &[u8]) -> Option<()> {
    let end = (at as usize).checked_add(bytes.len())?;
    mem.get_mut(at as usize..end)?.copy_from_slice(bytes);
    Some(())
}

fn word(mem: &[u8], at: u32) -> Option<u32> {
    Some(u32::from_le_bytes(slice(mem, at, 4)?.try_into().ok()?))
}

fn fd_write(mut caller: Caller<'_, Host>, fd: i32, iovs: u32, n: u32, nwritten: u32) -> i32 {
    let Some((mem, host)) = memory(&mut caller) else {
        return EFAULT;
    };
    let mut total = 0u32;
    for i in 0..n {
        let iov = iovs.wrapping_add(8 * i);
        let chunk = word(mem, iov)
            .zip(word(mem, iov.wrapping_add(4)))
            .and_then(|(buf, len)| slice(mem, buf, len));
        let Some(chunk) = chunk else { return EFAULT };
        if fd == 1 {
            host.stdout.extend_from_slice(chunk);
        }
        total = total.wrapping_add(chunk.len() as u32);
    }
    match put(mem, nwritten, &total.to_le_bytes()) {
        Some(()) => 0,
        None => EFAULT,
    }
}

fn args_sizes_get(mut caller: Caller<'_, Host>, argc: u32, buf_size: u32) -> i32 {
    let Some((mem, host)) = memory(&mut caller) else {
        return EFAULT;
    };
    let size: usize = host.args.iter().map(|a| a.len() + 1).sum();
    let ok = put(mem, argc, &(host.args.len() as u32).to_le_bytes())
        .and_then(|()| put(mem, buf_size, &(size as u32).to_le_bytes()));
    if ok.is_some() { 0 } else { EFAULT }
}

fn args_get(mut caller: Caller<'_, Host>, argv: u32, buf: u32) -> i32 {
    let Some((mem, host)) = memory(&mut caller) else {
        return EFAULT;
    };
    let mut at = buf;
    for (i, arg) in host.args.iter().enumerate() {
        let ok = put(mem, argv.wrapping_add(4 * i as u32), &at.to_le_bytes())
            .and_then(|()| put(mem, at, arg))
            .and_then(|()| put(mem, at.wrapping_add(arg.len() as u32), &[0]));
        if ok.is_none() {
            return EFAULT;
        }
        at = at.wrapping_add(arg.len() as u32 + 1);
    }
    0
}
