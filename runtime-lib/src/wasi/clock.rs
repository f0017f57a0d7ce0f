//! `clock_res_get` and `clock_time_get`.
//!
//! As in wasmtime, the realtime clock is the host's wall clock and the monotonic clock counts
//! nanoseconds from the context's creation (program start); the CPU-time clocks are not
//! provided (`badf`), and an unknown clock id is `inval`. Values saturate, never wrap.

use super::ctx::WasiCtx;
use super::error::Error;
use super::host::realtime_now;
use super::mem;
use super::types::{Errno, clockid, timestamp};

/// The host clock behind a guest clock id.
fn host_clock(id: u32) -> Result<libc::clockid_t, Errno> {
    match id {
        clockid::REALTIME => Ok(libc::CLOCK_REALTIME),
        clockid::MONOTONIC => Ok(libc::CLOCK_MONOTONIC),
        clockid::PROCESS_CPUTIME_ID | clockid::THREAD_CPUTIME_ID => Err(Errno::Badf),
        _ => Err(Errno::Inval),
    }
}

/// `clock_res_get(id, resolution_ptr)`.
pub fn clock_res_get(
    _ctx: &mut WasiCtx,
    mem: &mut [u8],
    id: u32,
    resolution: u32,
) -> Result<(), Error> {
    let clock = host_clock(id)?;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid out-parameter.
    unsafe { libc::clock_getres(clock, &mut ts) };
    mem::write_u64(mem, resolution, timestamp(ts.tv_sec, ts.tv_nsec).max(1))
}

/// `clock_time_get(id, precision, time_ptr)`; the precision is a hint and ignored.
pub fn clock_time_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    id: u32,
    _precision: u64,
    time: u32,
) -> Result<(), Error> {
    let now = match host_clock(id)? {
        libc::CLOCK_MONOTONIC => ctx.guest_monotonic(),
        _ => realtime_now(),
    };
    mem::write_u64(mem, time, now)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::errno;
    use super::*;

    #[test]
    fn realtime_is_the_wall_clock() {
        let mut ctx = WasiCtx::new_stdio();
        let mut m = vec![0u8; 16];
        clock_time_get(&mut ctx, &mut m, clockid::REALTIME, 0, 8).unwrap();
        let t = mem::read_u64(&m, 8).unwrap();
        let sys = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        assert!(sys.abs_diff(t) < 5_000_000_000, "{t} vs {sys}");
    }

    #[test]
    fn monotonic_starts_near_zero_and_advances() {
        let mut ctx = WasiCtx::new_stdio();
        let mut m = vec![0u8; 16];
        clock_time_get(&mut ctx, &mut m, clockid::MONOTONIC, 0, 0).unwrap();
        let a = mem::read_u64(&m, 0).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        clock_time_get(&mut ctx, &mut m, clockid::MONOTONIC, 0, 0).unwrap();
        let b = mem::read_u64(&m, 0).unwrap();
        assert!(a < 1_000_000_000, "{a}");
        assert!(b >= a + 2_000_000, "{a} {b}");
    }

    #[test]
    fn errors() {
        let mut ctx = WasiCtx::new_stdio();
        let mut m = vec![0u8; 16];
        assert_eq!(
            clock_time_get(&mut ctx, &mut m, clockid::PROCESS_CPUTIME_ID, 0, 0).map_err(errno),
            Err(Errno::Badf)
        );
        assert_eq!(
            clock_time_get(&mut ctx, &mut m, 4, 0, 0).map_err(errno),
            Err(Errno::Inval)
        );
        assert_eq!(
            clock_time_get(&mut ctx, &mut m, 0, 0, 9).map_err(errno),
            Err(Errno::Fault)
        );
        assert_eq!(
            clock_res_get(&mut ctx, &mut m, 7, 0).map_err(errno),
            Err(Errno::Inval)
        );
        clock_res_get(&mut ctx, &mut m, clockid::MONOTONIC, 0).unwrap();
        let res = mem::read_u64(&m, 0).unwrap();
        assert!((1..=1_000_000).contains(&res), "{res}");
        assert_eq!(
            clock_res_get(&mut ctx, &mut m, 0, 12).map_err(errno),
            Err(Errno::Fault)
        );
    }
}
