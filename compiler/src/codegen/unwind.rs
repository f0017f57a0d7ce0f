//! The image's unwind table ([`wasm2native_abi::ModuleImage::unwind`]): for each defined function, its calls
//! inside a `try_table` (or legacy `try`) with their handlers. The runtime's throw walks frames
//! with it.

use crate::module::ModuleInfo;
use cranelift_codegen::MachBufferFinalized;
use cranelift_codegen::{Final, FinalizedMachExceptionHandler};

/// What the unwind table records about one function.
#[derive(Debug, Default)]
pub(super) struct FuncUnwind {
    /// `(return address offset, handler offset, frame pointer minus stack pointer)`.
    sites: Vec<(u32, u32, u32)>,
}

impl FuncUnwind {
    /// Reads the handlers of the call sites.
    pub(super) fn of(buffer: &MachBufferFinalized<Final>) -> FuncUnwind {
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
        FuncUnwind { sites }
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
        records.push(f.sites.len() as u32);
        records.extend(f.sites.iter().flat_map(|&(a, h, s)| [a, h, s]));
    }
    index
        .into_iter()
        .chain(records)
        .flat_map(u32::to_le_bytes)
        .collect()
}
