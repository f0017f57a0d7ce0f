//! The image's unwind table ([`wasm2native_abi::unwind`]): for each defined function, the
//! callee-saved registers its prologue saves and where, and its calls inside a `try_table` with
//! their handlers. The runtime's throw walks frames with it.

use crate::module::ModuleInfo;
use cranelift_codegen::MachBufferFinalized;
use cranelift_codegen::isa::unwind::UnwindInst;
use cranelift_codegen::{Final, FinalizedMachExceptionHandler};

/// What the unwind table records about one function.
#[derive(Debug, Default)]
pub(super) struct FuncUnwind {
    /// `(register, offset below the frame pointer)` of each saved callee-saved register.
    saves: Vec<(u32, u32)>,
    /// `(return address offset, handler offset, frame pointer minus stack pointer)`.
    sites: Vec<(u32, u32, u32)>,
}

impl FuncUnwind {
    /// Reads the prologue's unwind records and the handlers of the call sites.
    pub(super) fn of(buffer: &MachBufferFinalized<Final>) -> FuncUnwind {
        let mut saves = Vec::new();
        let mut clobbers_below_fp = 0;
        for (_, inst) in &buffer.unwind_info {
            match *inst {
                UnwindInst::DefineNewFrame {
                    offset_downward_to_clobbers,
                    ..
                } => clobbers_below_fp = offset_downward_to_clobbers,
                UnwindInst::SaveReg {
                    clobber_offset,
                    reg,
                } => saves.push((u32::from(reg.hw_enc()), clobbers_below_fp - clobber_offset)),
                _ => {}
            }
        }
        let mut sites = Vec::new();
        for site in buffer.call_sites() {
            let handler = site.exception_handlers.iter().find_map(|h| match h {
                FinalizedMachExceptionHandler::Default(off) => Some(*off),
                _ => None,
            });
            if let (Some(handler), Some(frame)) = (handler, site.frame_offset) {
                sites.push((site.ret_addr, handler, frame));
            }
        }
        sites.sort_unstable();
        FuncUnwind { saves, sites }
    }

    /// How many of the function's calls have a handler (a landing pad in the function).
    pub(super) fn num_sites(&self) -> usize {
        self.sites.len()
    }
}

/// The unwind table of a module: empty when the module has no tags and no handlers (no
/// exception can be thrown or caught in it).
pub(super) fn table<'a>(
    info: &ModuleInfo<'_>,
    funcs: impl ExactSizeIterator<Item = &'a FuncUnwind> + Clone,
) -> Vec<u8> {
    if info.meta.tags.is_empty() && funcs.clone().all(|f| f.sites.is_empty()) {
        return Vec::new();
    }
    let mut index = Vec::with_capacity(funcs.len());
    let mut records: Vec<u32> = Vec::new();
    let n = funcs.len() as u32;
    for f in funcs {
        index.push(n + records.len() as u32);
        records.push(f.saves.len() as u32);
        records.extend(f.saves.iter().flat_map(|&(r, o)| [r, o]));
        records.push(f.sites.len() as u32);
        records.extend(f.sites.iter().flat_map(|&(a, h, s)| [a, h, s]));
    }
    index
        .into_iter()
        .chain(records)
        .flat_map(u32::to_le_bytes)
        .collect()
}
