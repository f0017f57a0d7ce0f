//! Wasm exceptions: the exception objects `exnref`s point to, and `throw_ref`, which unwinds
//! wasm frames to the innermost handler.
//!
//! Compiled code keeps frame pointers, and the compiler emits an unwind table per image
//! ([`ModuleImage::unwind`]): per defined function, its calls inside a `try_table` (or `try`)
//! with the offset of their handler and the frame's stack pointer at the call. [`throw_ref`]
//! captures the thrower's frame pointer and return address, then walks frames outward: at the
//! first return address with a handler it sets the frame and stack pointers and jumps to the
//! handler with the exception in `rax` (Cranelift's first exception payload register); the
//! handler itself tests the tags. Nothing else is restored: those calls are to functions of
//! the wasm calling convention (`tail`), across whose exceptional edge Cranelift keeps no value
//! in a register, and each frame restores its caller's callee-saved registers from its own
//! frame when it returns.
//!
//! The walk stops at the first return address that is not wasm code (the array-call trampoline
//! of the innermost call into wasm): the exception was not caught, and that call ends like a
//! trap (`uncaught wasm exception`, with the backtrace of the throw). No host frame is ever
//! unwound: host code never calls wasm except through a catching call, whose frames lie above.
//!
//! Exception objects are never freed (an `exnref` may be stored anywhere, and there is no
//! collector); each costs 32 bytes plus 16 per payload value.

use crate::abi::{
    EXN_PAYLOAD_OFFSET, ExceptionBuiltinTable, ModuleImage, TrapCode, VMException, VMTag,
};
use crate::builtins::builtin_table;
use crate::instance::Instance;
use crate::trap;

/// The exception builtins, in [`crate::abi::ExceptionBuiltin`] order: what the image of an
/// executable that throws or catches points to (by the symbol of
/// [`crate::abi::OptionalTable::Exceptions`]), and what embedders hand to [`Instance::new`]
/// (in [`crate::builtins::optional_tables`]). Nothing else refers to it, so programs without exceptions do not link
/// this module.
#[unsafe(export_name = "w2n_exception_builtins")]
pub static EXCEPTION_TABLE: ExceptionBuiltinTable =
    crate::abi::foreach_exception_builtin!(builtin_table);

/// The position in a frame, as [`throw_ref`] captures it at its entry and as the walk updates
/// it frame by frame.
#[repr(C)]
#[derive(Clone, Copy)]
struct Regs {
    /// The frame pointer.
    rbp: usize,
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
/// caller's frame pointer, stack pointer and return address, then walks.
///
/// # Safety
/// Called by compiled code, with a non-null exception.
#[unsafe(naked)]
unsafe extern "C" fn throw_ref(_vmctx: *mut u8, _exn: u64) {
    core::arch::naked_asm!(
        // Entry: rsp = 8 mod 16; 24 more bytes keep the call below aligned.
        "sub rsp, 24",
        "mov [rsp], rbp",
        "lea rax, [rsp + 32]",
        "mov [rsp + 8], rax",
        "mov rax, [rsp + 24]",
        "mov [rsp + 16], rax",
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
        "mov rbp, [rdi]",
        "mov rsp, [rdi + 8]",
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

/// One function's record in an unwind table: its handler sites.
struct FuncRecord<'a> {
    sites: &'a [u32],
}

impl<'a> FuncRecord<'a> {
    /// The record of defined function `i`, if the table has a well-formed one.
    fn read(table: &'a [u32], i: usize) -> Option<FuncRecord<'a>> {
        let start = *table.get(i)? as usize;
        let nsites = *table.get(start)? as usize;
        let sites = table.get(start + 1..start + 1 + 3 * nsites)?;
        Some(FuncRecord { sites })
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
