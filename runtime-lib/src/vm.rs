//! Access to an instance's state from host functions that receive a `vmctx`.

use crate::instance::Instance;

/// The default linear memory (index 0) of the instance owning `vmctx`, or an empty slice when it
/// has none.
///
/// # Safety
/// `vmctx` must be the VM context of a live instance, as passed to a host function by compiled
/// code, and the returned slice must not outlive the call (memory.grow may change its length).
pub unsafe fn guest_memory<'a>(vmctx: *mut u8) -> &'a mut [u8] {
    // SAFETY: per the contract.
    let inst = unsafe { Instance::from_vmctx(vmctx) };
    match inst.memory(0) {
        // SAFETY: the host function has exclusive use of memory during the call from this
        // instance. (Other threads' instances may access a shared memory meanwhile: a data race
        // of the guest's own making, as with its plain loads and stores.)
        Some(m) => unsafe { m.as_mut_slice() },
        None => &mut [],
    }
}
