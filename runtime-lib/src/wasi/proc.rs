//! `proc_exit`, `proc_raise`, `sched_yield`, and the trap raised for a bad guest pointer under
//! `--trap-on-efault`.

use wasm2native_abi::TrapCode;

use super::ctx::WasiCtx;
use super::types::Errno;

/// The message wasmtime gives for `proc_exit` with a status it refuses.
pub const INVALID_EXIT_STATUS: &str = "exit with invalid exit status outside of [0..126)";

/// The process exit status for `proc_exit(rval)`: like wasmtime, statuses from 126 up (which
/// a shell would read as "not executable", "not found" or a signal) are refused.
pub fn exit_status(rval: u32) -> Result<i32, &'static str> {
    if rval < 126 {
        Ok(rval as i32)
    } else {
        Err(INVALID_EXIT_STATUS)
    }
}

/// `wasi_snapshot_preview1.proc_exit`: ends the process with status `rval`. Nothing needs
/// flushing: every guest write has already reached its host descriptor. A status of 126 or
/// more is an error, as in wasmtime: reported on stderr, exit status 1.
///
/// # Safety
/// `vmctx` must be the VM context of the calling instance (it is not otherwise used).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn w2n_wasi_proc_exit(vmctx: *mut u8, rval: i32) -> ! {
    let _ = vmctx;
    let rval = rval as u32;
    let trace = super::ctx::with_ctx(|ctx| ctx.trace);
    if trace {
        super::trace::write_stderr(format!("[wasi] proc_exit({rval})\n").as_bytes());
    }
    match exit_status(rval) {
        Ok(status) => std::process::exit(status),
        Err(msg) => {
            super::trace::write_stderr(format!("Error: {msg}\n").as_bytes());
            std::process::exit(1)
        }
    }
}

/// `proc_raise(sig)`: not supported by wasmtime either (`notsup`); signals are not part of the
/// sandbox.
pub fn proc_raise(_ctx: &mut WasiCtx, _mem: &mut [u8], _sig: u32) -> Result<(), Errno> {
    Err(Errno::Notsup)
}

/// `sched_yield()`.
pub fn sched_yield(_ctx: &mut WasiCtx, _mem: &mut [u8]) -> Result<(), Errno> {
    // SAFETY: no arguments; cannot fail on Linux.
    unsafe { libc::sched_yield() };
    Ok(())
}

super::export!(
    /// `wasi_snapshot_preview1.proc_raise`.
    w2n_wasi_proc_raise => "proc_raise", proc_raise, (sig: u32)
);
super::export!(
    /// `wasi_snapshot_preview1.sched_yield`.
    w2n_wasi_sched_yield => "sched_yield", sched_yield, ()
);

/// Traps because WASI call `call` was given the out-of-bounds range `addr..addr+len`
/// (`--trap-on-efault`).
pub fn trap_bad_pointer(call: &str, addr: u64, len: u64) -> ! {
    crate::trap::host_trap(
        TrapCode::WasiBadPointer,
        &format!("{call}: address {addr:#x} (length {len}) is outside linear memory"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_statuses() {
        assert_eq!(exit_status(0), Ok(0));
        assert_eq!(exit_status(125), Ok(125));
        assert_eq!(exit_status(126), Err(INVALID_EXIT_STATUS));
        assert_eq!(exit_status(u32::MAX), Err(INVALID_EXIT_STATUS));
    }

    #[test]
    fn raise_and_yield() {
        let mut ctx = WasiCtx::new_stdio();
        assert_eq!(proc_raise(&mut ctx, &mut [], 6), Err(Errno::Notsup));
        assert_eq!(sched_yield(&mut ctx, &mut []), Ok(()));
    }
}
