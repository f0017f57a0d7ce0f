//! The code registry: the module images whose code traps can come from, and lookups of a PC in
//! them. The signal handler reads it, so lookups take no lock.

use crate::abi::{FuncInfo, InlinedFrame, ModuleImage, TrapCode, TrapSite};
use std::sync::Mutex;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// Most images registered at once.
const MAX_IMAGES: usize = 1 << 13;
/// Registered module images; null slots were unregistered and can be reused.
static IMAGES: [AtomicPtr<ModuleImage>; MAX_IMAGES] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; MAX_IMAGES];
/// Number of slots of `IMAGES` ever used.
static NUM_IMAGES: AtomicUsize = AtomicUsize::new(0);
/// Serializes (un)registration; lookups do not take it.
static REGISTER_LOCK: Mutex<()> = Mutex::new(());

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

/// The defined functions of `image`, in function index order.
pub(crate) fn funcs(image: &ModuleImage) -> &[FuncInfo] {
    if image.nfuncs == 0 {
        return &[];
    }
    // SAFETY: the image describes `nfuncs` records.
    unsafe { std::slice::from_raw_parts(image.funcs, image.nfuncs) }
}

/// The image and defined-function index whose code contains `pc`.
pub(crate) fn find_function(pc: usize) -> Option<(&'static ModuleImage, usize)> {
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
pub(super) fn trap_code_at(pc: usize) -> Option<TrapCode> {
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

/// The function inlined at `offset` in `f`'s code, if the compiler recorded one there.
pub(super) fn inlined_at(f: &FuncInfo, offset: u32) -> Option<u32> {
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
pub(super) fn imported_funcs(image: &ModuleImage) -> u32 {
    image.nhost_funcs as u32
}

/// The image's function names blob (see [`ModuleImage::names`]).
pub(super) fn names(image: &ModuleImage) -> &[u8] {
    if image.names_len == 0 {
        return &[];
    }
    // SAFETY: the image's names blob.
    unsafe { std::slice::from_raw_parts(image.names, image.names_len) }
}
