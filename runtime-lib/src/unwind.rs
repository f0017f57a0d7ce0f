//! Wasm exceptions: the exception objects `exnref`s point to, and `throw_ref`, which unwinds
//! wasm frames to the innermost handler.
//!
//! Compiled code keeps frame pointers, and the compiler emits an unwind table per image
//! ([`crate::abi::unwind`]): per defined function, where its prologue saved callee-saved
//! registers, and its calls inside a `try_table` with the offset of their handler and the
//! frame's stack pointer at the call. [`throw_ref`] captures the thrower's callee-saved
//! registers, then walks frames outward: at each return address with a handler it restores the
//! frame (the callee-saved registers as the skipped frames saved them, the frame and stack
//! pointers) and jumps to the handler with the exception in `rax` (Cranelift's first exception
//! payload register for System V); the handler itself tests the tags. Otherwise it restores the
//! registers this frame saved and goes on to its caller.
//!
//! The walk stops at the first return address that is not wasm code (the array-call trampoline
//! of the innermost call into wasm): the exception was not caught, and that call ends like a
//! trap (`uncaught wasm exception`, with the backtrace of the throw). No host frame is ever
//! unwound: host code never calls wasm except through a catching call, whose frames lie above.
//!
//! Exception objects are never freed (an `exnref` may be stored anywhere, and there is no
//! collector); each costs 32 bytes plus 16 per payload value.

use crate::abi::unwind::{R12, RBX};
use crate::abi::{
    EXN_PAYLOAD_OFFSET, ExceptionBuiltinTable, ModuleImage, TrapCode, VMException, VMTag,
};
use crate::builtins::builtin_table;
use crate::instance::Instance;
use crate::trap;

/// The exception builtins, in [`crate::abi::ExceptionBuiltin`] order: what the image of an
/// executable that throws or catches points to (by the symbol
/// [`crate::abi::EXCEPTION_BUILTINS_SYMBOL`]), and what embedders hand to
/// [`Instance::new`]. Nothing else refers to it, so programs without exceptions do not link
/// this module.
#[unsafe(export_name = "w2n_exception_builtins")]
pub static EXCEPTION_TABLE: ExceptionBuiltinTable =
    crate::abi::foreach_exception_builtin!(builtin_table);

/// Callee-saved registers and the position in a frame, as [`throw_ref`] captures them at its
/// entry and as the walk updates them frame by frame.
#[repr(C)]
#[derive(Clone, Copy)]
struct Regs {
    rbx: usize,
    /// The frame pointer.
    rbp: usize,
    /// r12..r15.
    r12_15: [usize; 4],
    /// The stack pointer after the current frame's call returns.
    sp: usize,
    /// The return address into the current frame.
    pc: usize,
}

/// Builtin `exn_new`: a new exception of tag `tagidx` (of the calling instance) with
/// `payload_bytes` bytes of payload for compiled code to fill.
///
/// # Safety
/// Called by compiled code with its own vmctx.
unsafe extern "C" fn exn_new(vmctx: *mut u8, tagidx: u32, payload_bytes: u32) -> u64 {
    // SAFETY: called from compiled code.
    let inst = unsafe { Instance::from_vmctx(vmctx) };
    let off = inst.module().offsets.tag_ptr(tagidx);
    // SAFETY: within the VM context's tag pointer region.
    let tag = unsafe { *(vmctx.add(off as usize) as *const *const VMTag) };
    let size = EXN_PAYLOAD_OFFSET as usize + payload_bytes as usize;
    let layout = std::alloc::Layout::from_size_align(size, 16).expect("small layout");
    // SAFETY: a non-zero size.
    let exn = unsafe { std::alloc::alloc_zeroed(layout) } as *mut VMException;
    if exn.is_null() {
        trap::host_trap(
            TrapCode::UncaughtException,
            "out of memory for an exception",
        );
    }
    // SAFETY: just allocated, large enough.
    unsafe {
        exn.write(VMException {
            tag,
            vmctx,
            tagidx,
            payload_len: payload_bytes,
        })
    };
    exn as u64
}

/// Builtin `throw_ref`: throws `exn` (non-null) from the calling wasm frame. Captures the
/// caller's callee-saved registers, stack pointer and return address, then walks.
///
/// # Safety
/// Called by compiled code, with a non-null exception.
#[unsafe(naked)]
unsafe extern "C" fn throw_ref(_vmctx: *mut u8, _exn: u64) {
    core::arch::naked_asm!(
        // Entry: rsp = 8 mod 16; 72 more bytes keep the call below aligned.
        "sub rsp, 72",
        "mov [rsp], rbx",
        "mov [rsp + 8], rbp",
        "mov [rsp + 16], r12",
        "mov [rsp + 24], r13",
        "mov [rsp + 32], r14",
        "mov [rsp + 40], r15",
        "lea rax, [rsp + 80]",
        "mov [rsp + 48], rax",
        "mov rax, [rsp + 72]",
        "mov [rsp + 56], rax",
        "mov rdi, rsp",
        "call {walk}",
        "ud2",
        walk = sym walk,
    )
}

/// Jumps to `handler` in the frame `regs` describes, with `exn` in the payload register.
#[unsafe(naked)]
unsafe extern "C" fn resume_handler(_regs: *const Regs, _exn: u64, _handler: usize) -> ! {
    core::arch::naked_asm!(
        "mov rax, rsi",
        "mov rbx, [rdi]",
        "mov rbp, [rdi + 8]",
        "mov r12, [rdi + 16]",
        "mov r13, [rdi + 24]",
        "mov r14, [rdi + 32]",
        "mov r15, [rdi + 40]",
        "mov rsp, [rdi + 48]",
        "jmp rdx",
    )
}

/// The unwind table of `image` as `u32`s (empty for a module without exceptions).
fn unwind_table(image: &ModuleImage) -> &[u32] {
    if image.unwind_len < 4 {
        return &[];
    }
    // SAFETY: the image's unwind table, 4-byte aligned.
    unsafe { std::slice::from_raw_parts(image.unwind.cast::<u32>(), image.unwind_len / 4) }
}

/// One function's record in an unwind table: its saved registers and handler sites.
struct FuncRecord<'a> {
    saves: &'a [u32],
    sites: &'a [u32],
}

impl<'a> FuncRecord<'a> {
    /// The record of defined function `i`, if the table has a well-formed one.
    fn read(table: &'a [u32], i: usize) -> Option<FuncRecord<'a>> {
        let start = *table.get(i)? as usize;
        let nsaves = *table.get(start)? as usize;
        let saves = table.get(start + 1..start + 1 + 2 * nsaves)?;
        let at = start + 1 + 2 * nsaves;
        let nsites = *table.get(at)? as usize;
        let sites = table.get(at + 1..at + 1 + 3 * nsites)?;
        Some(FuncRecord { saves, sites })
    }

    /// `(handler offset, frame pointer minus stack pointer)` of the call returning to `ret`.
    fn handler(&self, ret: u32) -> Option<(u32, u32)> {
        let (mut lo, mut hi) = (0, self.sites.len() / 3);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let site = &self.sites[3 * mid..3 * mid + 3];
            match site[0].cmp(&ret) {
                std::cmp::Ordering::Equal => return Some((site[1], site[2])),
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }

    /// Restores, in `regs`, the callee-saved registers this frame's prologue saved.
    ///
    /// # Safety
    /// `regs.rbp` must be this function's live frame.
    unsafe fn restore_saved(&self, regs: &mut Regs) {
        for save in self.saves.chunks_exact(2) {
            // SAFETY: the prologue stored the register there.
            let value = unsafe { *((regs.rbp - save[1] as usize) as *const usize) };
            match save[0] {
                RBX => regs.rbx = value,
                r @ R12..=15 => regs.r12_15[(r - R12) as usize] = value,
                _ => {}
            }
        }
    }
}

/// Walks from the frame `regs` describes to the handler of `exn`, or ends the call into wasm.
extern "C" fn walk(regs: &Regs, exn: u64) -> ! {
    // SAFETY: the throwing wasm frame is live, below the innermost catch.
    unsafe { trap::record_throw(exn, regs.pc, regs.rbp) };
    let mut r = *regs;
    let limit = trap::innermost_catch_sp();
    while let Some((image, i)) = trap::find_function(r.pc.wrapping_sub(1)) {
        if limit != 0 && r.sp >= limit {
            // Never: host code calls wasm only through a catch, whose frames lie above.
            trap::host_trap(TrapCode::UncaughtException, "unwinding through host frames");
        }
        let Some(record) = FuncRecord::read(unwind_table(image), i) else {
            break;
        };
        let code = trap::funcs(image)[i].code as usize;
        if let Some((handler, sp_to_fp)) = record.handler((r.pc - code) as u32) {
            r.sp = r.rbp - sp_to_fp as usize;
            // SAFETY: the frame is live; its handler expects exactly this state.
            unsafe { resume_handler(&r, exn, code + handler as usize) };
        }
        // SAFETY: a live wasm frame, linked by its frame pointer.
        unsafe {
            record.restore_saved(&mut r);
            r.pc = *((r.rbp + 8) as *const usize);
            r.sp = r.rbp + 16;
            r.rbp = *(r.rbp as *const usize);
        }
    }
    trap::raise_uncaught(exn, tag_name)
}

/// The name of `exn`'s tag in the module that threw it (see [`ModuleImage::tag_names`]).
fn tag_name(exn: u64) -> Option<String> {
    // SAFETY: a live exception object (they are never freed) of a live instance.
    let (inst, tagidx) = unsafe {
        let exn = &*(exn as *const VMException);
        (Instance::from_vmctx(exn.vmctx.cast_mut()), exn.tagidx)
    };
    let image = inst.module().image;
    if image.tag_names_len == 0 {
        return None;
    }
    // SAFETY: the image's tag names blob.
    let names = unsafe { std::slice::from_raw_parts(image.tag_names, image.tag_names_len) };
    let name = crate::abi::meta::name_at(names, tagidx)?;
    Some(String::from_utf8_lossy(name).into_owned())
}
