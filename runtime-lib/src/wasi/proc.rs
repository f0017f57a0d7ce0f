//! `proc_exit`, `proc_raise` and `sched_yield`.

use super::ctx::{WasiCtx, with_ctx};
use super::error::Error;
use super::trace::write_stderr;
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

/// `proc_exit(rval)`: ends the process with status `rval`. Nothing needs flushing: every guest
/// write has already reached its host descriptor. A status of 126 or more is an error, as in
/// wasmtime: reported on stderr, exit status 1.
pub fn proc_exit(rval: u32) -> ! {
    let trace = with_ctx(|ctx| ctx.trace);
    if trace {
        write_stderr(format!("[wasi] proc_exit({rval})\n").as_bytes());
    }
    match exit_status(rval) {
        Ok(status) => std::process::exit(status),
        Err(msg) => {
            write_stderr(format!("Error: {msg}\n").as_bytes());
            std::process::exit(1)
        }
    }
}

/// `proc_raise(sig)`: not supported by wasmtime either (`notsup`); signals are not part of the
/// sandbox.
pub fn proc_raise(_ctx: &mut WasiCtx, _mem: &mut [u8], _sig: u32) -> Result<(), Error> {
    Err(Errno::Notsup.into())
}

/// `sched_yield()`.
pub fn sched_yield(_ctx: &mut WasiCtx, _mem: &mut [u8]) -> Result<(), Error> {
    // SAFETY: no arguments; cannot fail on Linux.
    unsafe { libc::sched_yield() };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::errno;
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
        assert_eq!(
            proc_raise(&mut ctx, &mut [], 6).map_err(errno),
            Err(Errno::Notsup)
        );
        assert_eq!(sched_yield(&mut ctx, &mut []), Ok(()));
    }
}
