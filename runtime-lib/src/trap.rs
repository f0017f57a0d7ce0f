//! Traps: how they are caught and how they are reported.
//!
//! Compiled code traps by executing `ud2` (explicit checks) or by faulting on a guard page: a
//! linear memory's (memory accesses in guard-page mode) or the one below the stack (stack
//! overflow; compiled functions have no prologue check). The signal handler,
//! running on an alternate stack, looks the faulting PC up in the trap tables of the registered
//! module images; if it is a trap site, it records the trap code and the wasm frames (walking
//! frame pointers, which compiled code keeps) and jumps back to the innermost [`catch`]. Anything
//! else is not ours: the default action is restored and the fault repeats.

use crate::abi::meta::function_name;
use crate::abi::{FuncInfo, InlinedFrame, ModuleImage, TrapCode, TrapSite};
use std::cell::Cell;
use std::fmt;
use std::sync::Once;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// Where an active [`catch`] resumes: the callee-saved registers, the stack pointer and the
/// return address of its call to [`call_catching`] (x86-64 System V).
#[repr(C)]
#[derive(Default)]
struct CatchPoint {
    /// rbx, rbp, r12, r13, r14, r15, rsp after the return, return address.
    regs: [usize; 8],
}

/// Saves the resume point in `point`, then calls `tramp(code, vmctx, values)` and returns 0.
/// When a trap unwinds to `point` ([`resume_at`]), this call returns 1 instead.
///
/// Rust cannot call `setjmp`; this is its one-shot equivalent. The call returns exactly once
/// either way, with the callee-saved registers and stack pointer of its caller, so the caller
/// needs none of `setjmp`'s "returns twice" care. The signal mask is not saved: handlers run
/// with `SA_NODEFER`, so a catch costs no system call.
#[unsafe(naked)]
unsafe extern "C" fn call_catching(
    point: *mut CatchPoint,
    tramp: unsafe extern "C" fn(*const u8, *mut u8, *mut u128),
    code: *const u8,
    vmctx: *mut u8,
    values: *mut u128,
) -> u32 {
    core::arch::naked_asm!(
        "mov [rdi], rbx",
        "mov [rdi + 8], rbp",
        "mov [rdi + 16], r12",
        "mov [rdi + 24], r13",
        "mov [rdi + 32], r14",
        "mov [rdi + 40], r15",
        "lea rax, [rsp + 8]",
        "mov [rdi + 48], rax",
        "mov rax, [rsp]",
        "mov [rdi + 56], rax",
        // A frame of our own keeps the stack aligned and the frame-pointer chain whole.
        "push rbp",
        "mov rbp, rsp",
        "mov rax, rsi",
        "mov rdi, rdx",
        "mov rsi, rcx",
        "mov rdx, r8",
        "call rax",
        "pop rbp",
        "xor eax, eax",
        "ret",
    )
}

/// Returns 1 from the [`call_catching`] that filled `point`, abandoning every frame above it.
#[unsafe(naked)]
unsafe extern "C" fn resume_at(point: *const CatchPoint) -> ! {
    core::arch::naked_asm!(
        "mov rbx, [rdi]",
        "mov rbp, [rdi + 8]",
        "mov r12, [rdi + 16]",
        "mov r13, [rdi + 24]",
        "mov r14, [rdi + 32]",
        "mov r15, [rdi + 40]",
        "mov rsp, [rdi + 48]",
        "mov eax, 1",
        "jmp qword ptr [rdi + 56]",
    )
}

/// Most frames recorded in a backtrace.
const MAX_FRAMES: usize = 64;

/// What the signal handler records about a trap (plain data: written in a signal handler).
#[derive(Clone, Copy)]
struct TrapRecord {
    code: u32,
    nframes: usize,
    frames: [usize; MAX_FRAMES],
}

thread_local! {
    static LAST_TRAP: Cell<TrapRecord> = const {
        Cell::new(TrapRecord { code: 0, nframes: 0, frames: [0; MAX_FRAMES] })
    };
    static ALT_STACK_INSTALLED: Cell<bool> = const { Cell::new(false) };
    /// The innermost active catch on this thread, or null.
    static CATCH_POINT: Cell<*const CatchPoint> = const { Cell::new(std::ptr::null()) };
}

/// One wasm frame of a backtrace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Function index.
    pub funcidx: u32,
    /// Name from the name section, if any.
    pub name: Option<String>,
}

/// A trap that ended a call into wasm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    pub code: TrapCode,
    /// Innermost first; functions inlined by the compiler appear as frames of their own.
    pub frames: Vec<Frame>,
    /// Whether the stack held more wasm frames than were recorded.
    pub truncated: bool,
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.code.message())
    }
}

impl Trap {
    /// The report printed by executables: the message, then the wasm frames (runs of the same
    /// function, as in deep recursion, are folded into one line).
    pub fn report(&self) -> String {
        let mut s = format!("error: {self}\n");
        if self.frames.is_empty() {
            return s;
        }
        s.push_str("wasm backtrace:\n");
        let mut i = 0;
        while i < self.frames.len() {
            let frame = &self.frames[i];
            let run = self.frames[i..].iter().take_while(|f| *f == frame).count();
            let name = match &frame.name {
                Some(name) => format!("{name} (function {})", frame.funcidx),
                None => format!("wasm-function[{}]", frame.funcidx),
            };
            s.push_str(&format!("  {i:>3}: {name}\n"));
            if run > 1 {
                s.push_str(&format!(
                    "       ... {} more frames of the same function\n",
                    run - 1
                ));
            }
            i += run;
        }
        if self.truncated {
            s.push_str("       ... (backtrace truncated)\n");
        }
        s
    }
}

/// Registered module images, read by the signal handler without locking.
const MAX_IMAGES: usize = 1 << 13;
static IMAGES: [AtomicPtr<ModuleImage>; MAX_IMAGES] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; MAX_IMAGES];
static NUM_IMAGES: AtomicUsize = AtomicUsize::new(0);
static REGISTER_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Makes the code of `image` known to the trap handler.
pub fn register_image(image: &'static ModuleImage) {
    let _guard = REGISTER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let n = NUM_IMAGES.load(Ordering::Acquire);
    let ptr = image as *const ModuleImage as *mut ModuleImage;
    // Reuse a free slot, or append.
    for slot in IMAGES.iter().take(n) {
        if slot.load(Ordering::Acquire) == ptr {
            return;
        }
    }
    for slot in IMAGES.iter().take(n) {
        if slot.load(Ordering::Acquire).is_null() {
            slot.store(ptr, Ordering::Release);
            return;
        }
    }
    assert!(n < MAX_IMAGES, "too many modules loaded");
    IMAGES[n].store(ptr, Ordering::Release);
    NUM_IMAGES.store(n + 1, Ordering::Release);
}

/// Forgets `image` (before the code is unloaded).
pub fn unregister_image(image: &'static ModuleImage) {
    let _guard = REGISTER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let ptr = image as *const ModuleImage as *mut ModuleImage;
    for slot in IMAGES.iter().take(NUM_IMAGES.load(Ordering::Acquire)) {
        let _ = slot.compare_exchange(
            ptr,
            std::ptr::null_mut(),
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }
}

fn funcs(image: &ModuleImage) -> &[FuncInfo] {
    if image.nfuncs == 0 {
        return &[];
    }
    // SAFETY: the image describes `nfuncs` records.
    unsafe { std::slice::from_raw_parts(image.funcs, image.nfuncs) }
}

/// The image and defined-function index whose code contains `pc`.
fn find_function(pc: usize) -> Option<(&'static ModuleImage, usize)> {
    for slot in IMAGES.iter().take(NUM_IMAGES.load(Ordering::Acquire)) {
        let ptr = slot.load(Ordering::Acquire);
        if ptr.is_null() {
            continue;
        }
        // SAFETY: registered images stay valid until unregistered.
        let image: &'static ModuleImage = unsafe { &*ptr };
        for (i, f) in funcs(image).iter().enumerate() {
            let start = f.code as usize;
            if pc >= start && pc < start + f.code_len as usize {
                return Some((image, i));
            }
        }
    }
    None
}

/// The trap code recorded for the instruction at `pc`, if it is a trap site.
fn trap_code_at(pc: usize) -> Option<TrapCode> {
    let (image, i) = find_function(pc)?;
    let f = &funcs(image)[i];
    if f.ntraps == 0 {
        return None;
    }
    // SAFETY: the image describes `ntraps` sites for this function.
    let sites: &[TrapSite] = unsafe { std::slice::from_raw_parts(f.traps, f.ntraps as usize) };
    let offset = (pc - f.code as usize) as u32;
    let site = sites.iter().find(|s| s.offset == offset)?;
    TrapCode::from_u32(site.code)
}

/// Records the wasm frames from `pc`, frame pointer `fp` and stack pointer `sp` into `rec`.
///
/// # Safety
/// `fp` and `sp` must be the frame and stack pointers of the wasm code executing `pc`.
unsafe fn walk_frames(pc: usize, mut fp: usize, sp: usize, rec: &mut TrapRecord) {
    rec.frames[0] = pc;
    rec.nframes = 1;
    // A stack overflow can fault on a function's first instruction (`push rbp`), before it
    // links its frame: the caller's return address is then on top of the stack, and `fp` is
    // still the caller's frame.
    if find_function(pc).is_some_and(|(image, i)| funcs(image)[i].code as usize == pc) {
        // SAFETY: at a function's entry the stack pointer points at its return address.
        let ret = unsafe { *(sp as *const usize) };
        if find_function(ret.wrapping_sub(1)).is_some() {
            rec.frames[1] = ret.wrapping_sub(1);
            rec.nframes = 2;
        }
    }
    while rec.nframes < MAX_FRAMES && fp != 0 && fp.is_multiple_of(8) {
        // SAFETY: wasm frames are linked by frame pointers; the walk stops at the first return
        // address that is not wasm code (the trampoline's caller).
        let (next_fp, ret) = unsafe { (*(fp as *const usize), *((fp + 8) as *const usize)) };
        if find_function(ret.wrapping_sub(1)).is_none() {
            break;
        }
        rec.frames[rec.nframes] = ret.wrapping_sub(1);
        rec.nframes += 1;
        if next_fp <= fp {
            break;
        }
        fp = next_fp;
    }
}

fn frames_of(rec: &TrapRecord) -> Vec<Frame> {
    let mut frames = Vec::new();
    for &pc in &rec.frames[..rec.nframes] {
        let Some((image, i)) = find_function(pc) else {
            continue;
        };
        let names = if image.names_len == 0 {
            &[][..]
        } else {
            // SAFETY: the image's names blob.
            unsafe { std::slice::from_raw_parts(image.names, image.names_len) }
        };
        let frame = |funcidx: u32| Frame {
            funcidx,
            name: function_name(names, funcidx).map(|n| String::from_utf8_lossy(n).into_owned()),
        };
        let f = &funcs(image)[i];
        if let Some(inlined) = inlined_at(f, (pc - f.code as usize) as u32) {
            frames.push(frame(inlined));
        }
        frames.push(frame(imported_funcs(image) + i as u32));
    }
    frames
}

/// The function inlined at `offset` in `f`'s code, if the compiler recorded one there.
fn inlined_at(f: &FuncInfo, offset: u32) -> Option<u32> {
    if f.ninlined == 0 {
        return None;
    }
    // SAFETY: the image describes `ninlined` records for this function, sorted by offset.
    let records: &[InlinedFrame] =
        unsafe { std::slice::from_raw_parts(f.inlined, f.ninlined as usize) };
    let i = records.binary_search_by_key(&offset, |r| r.offset).ok()?;
    Some(records[i].funcidx)
}

/// Number of imported functions of an image (function indices of defined functions follow).
fn imported_funcs(image: &ModuleImage) -> u32 {
    image.nhost_funcs as u32
}

static HANDLERS: Once = Once::new();

const SIGNALS: [libc::c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

unsafe extern "C" fn handle_signal(
    sig: libc::c_int,
    _info: *mut libc::siginfo_t,
    ctx: *mut libc::c_void,
) {
    // SAFETY: the kernel passes a ucontext_t to SA_SIGINFO handlers.
    let uc = unsafe { &*(ctx as *const libc::ucontext_t) };
    let pc = uc.uc_mcontext.gregs[libc::REG_RIP as usize] as usize;
    let fp = uc.uc_mcontext.gregs[libc::REG_RBP as usize] as usize;
    let sp = uc.uc_mcontext.gregs[libc::REG_RSP as usize] as usize;
    let point = CATCH_POINT.with(|c| c.get());
    if !point.is_null() {
        let code = trap_code_at(pc).or_else(|| {
            // A fault in wasm code that is not a trap site: the guard page below the stack
            // (compiled code has no other stack check; see `thread_stack_limit`).
            (sig == libc::SIGSEGV && find_function(pc).is_some()).then_some(TrapCode::StackOverflow)
        });
        if let Some(code) = code {
            let mut rec = TrapRecord {
                code: code as u32,
                nframes: 0,
                frames: [0; MAX_FRAMES],
            };
            // SAFETY: `fp` and `sp` belong to the wasm code at `pc`.
            unsafe { walk_frames(pc, fp, sp, &mut rec) };
            LAST_TRAP.with(|t| t.set(rec));
            // SAFETY: `point` is the innermost active catch on this thread; its frame is live.
            unsafe { resume_at(point) };
        }
    }
    // Not a wasm trap: restore the default action; returning re-executes the fault.
    // SAFETY: resetting a signal disposition.
    unsafe { libc::signal(sig, libc::SIG_DFL) };
}

/// Installs the signal handlers (once per process) and this thread's alternate signal stack.
pub fn init_thread() {
    HANDLERS.call_once(|| {
        for sig in SIGNALS {
            // SAFETY: installing a handler with a zeroed, then filled, sigaction.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = handle_signal as *const () as usize;
                sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut());
            }
        }
    });
    if !ALT_STACK_INSTALLED.with(|c| c.get()) {
        const SIZE: usize = 256 * 1024;
        // SAFETY: a fresh mapping used only as this thread's signal stack (kept for its life).
        unsafe {
            let stack = libc::mmap(
                std::ptr::null_mut(),
                SIZE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if stack != libc::MAP_FAILED {
                let ss = libc::stack_t {
                    ss_sp: stack,
                    ss_flags: 0,
                    ss_size: SIZE,
                };
                libc::sigaltstack(&ss, std::ptr::null_mut());
            }
        }
        ALT_STACK_INSTALLED.with(|c| c.set(true));
    }
}

thread_local! {
    static STACK_LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// The lowest stack pointer at which wasm code on this thread may call host code (WASI,
/// builtins): the end of the thread's stack plus room for host functions. Computed once per
/// thread.
///
/// Wasm code itself is not checked against it: it runs until it faults on the guard page below
/// the stack, which the signal handler reports as "call stack exhausted". Compiled code checks
/// the limit only before calling host code, so that host code never overflows.
pub fn thread_stack_limit() -> usize {
    let cached = STACK_LIMIT.with(|c| c.get());
    if cached != 0 {
        return cached;
    }
    let limit = compute_stack_limit();
    STACK_LIMIT.with(|c| c.set(limit));
    limit
}

fn compute_stack_limit() -> usize {
    /// Kept free below the limit for host code (WASI calls, builtins).
    const HOST_RESERVE: usize = 256 * 1024;
    // SAFETY: plain system queries about the calling thread.
    unsafe {
        if libc::getpid() == libc::gettid() {
            // The main thread's stack grows on demand up to RLIMIT_STACK. (glibc's
            // pthread_getattr_np would read /proc/self/maps for this: too slow for start-up.)
            const DEFAULT_SIZE: usize = 8 << 20;
            let mut rl: libc::rlimit = std::mem::zeroed();
            let size = if libc::getrlimit(libc::RLIMIT_STACK, &mut rl) != 0 {
                DEFAULT_SIZE
            } else if rl.rlim_cur == libc::RLIM_INFINITY {
                // An unlimited stack would let runaway recursion grow the stack until memory
                // runs out instead of reaching a guard: bound it as the usual default does.
                rl.rlim_cur = DEFAULT_SIZE as libc::rlim_t;
                libc::setrlimit(libc::RLIMIT_STACK, &rl);
                DEFAULT_SIZE
            } else {
                (rl.rlim_cur as usize).min(1 << 30)
            };
            // The kernel copies the executable's path to the very top of the main stack (above
            // argv and the environment, which count toward the limit too): its page end is
            // the top of the stack mapping. (Portable across libcs, unlike __libc_stack_end.)
            let execfn = libc::getauxval(libc::AT_EXECFN) as usize;
            if execfn == 0 {
                return 0;
            }
            let top =
                (execfn + libc::strlen(execfn as *const libc::c_char) + 1).next_multiple_of(4096);
            // With a small RLIMIT_STACK the reserve shrinks so that wasm keeps half the stack.
            return top.saturating_sub(size) + HOST_RESERVE.min(size / 2);
        }
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return 0;
        }
        let mut addr = std::ptr::null_mut();
        let mut size = 0;
        libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        addr as usize + HOST_RESERVE
    }
}

/// Calls `tramp(code, vmctx, values)`, catching any trap it raises.
///
/// # Safety
/// `tramp` must be an array-call trampoline for `code`'s type and `values` must hold room for
/// its parameters and results.
pub unsafe fn catch(
    tramp: unsafe extern "C" fn(*const u8, *mut u8, *mut u128),
    code: *const u8,
    vmctx: *mut u8,
    values: *mut u128,
) -> Result<(), Trap> {
    init_thread();
    let mut point = CatchPoint::default();
    let point: *mut CatchPoint = &mut point;
    let prev = CATCH_POINT.with(|c| c.replace(point));
    // SAFETY: per the contract; `point` outlives the call.
    let trapped = unsafe { call_catching(point, tramp, code, vmctx, values) } != 0;
    CATCH_POINT.with(|c| c.set(prev));
    if !trapped {
        return Ok(());
    }
    let rec = LAST_TRAP.with(|t| t.get());
    Err(Trap {
        code: TrapCode::from_u32(rec.code).unwrap_or(TrapCode::Unreachable),
        frames: frames_of(&rec),
        truncated: rec.nframes == MAX_FRAMES,
    })
}

/// Reports a trap detected in host code (a WASI call under `--trap-on-efault`, a call to an
/// unknown import) and ends the program with status 134, as a trap in wasm code does.
pub fn host_trap(code: TrapCode, detail: &str) -> ! {
    let msg = if detail.is_empty() {
        format!("error: wasm trap: {}\n", code.message())
    } else {
        format!("error: wasm trap: {}: {detail}\n", code.message())
    };
    // SAFETY: writing to stderr.
    unsafe { libc::write(2, msg.as_ptr().cast(), msg.len()) };
    // SAFETY: ending the process.
    unsafe { libc::_exit(134) }
}
