//! The system under test: the `wasm2native` binary, in one of its code generation modes.

use crate::outcome::{End, Run, TrapKind};
use anyhow::{Context, Result, bail};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Time limit for running one executable.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(5);
/// Time limit for one compilation.
pub const COMPILE_TIMEOUT: Duration = Duration::from_secs(60);

/// A code generation mode: bounds checks x optimization level x target CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// `--bounds-checks explicit` rather than guard pages.
    pub explicit: bool,
    /// `-O0` or `-O2`.
    pub opt: u8,
    /// `--target-cpu`.
    pub cpu: &'static str,
}

impl Mode {
    /// Every mode this host can run: {guard, explicit} x {-O0, -O2} x {x86-64-v2,
    /// x86-64-v3 (with AVX2), native}.
    pub fn all() -> Vec<Mode> {
        let mut cpus = vec!["x86-64-v2"];
        if std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("bmi2")
        {
            cpus.push("x86-64-v3");
        }
        cpus.push("native");
        let mut modes = vec![];
        for explicit in [false, true] {
            for opt in [0, 2] {
                for &cpu in &cpus {
                    modes.push(Mode { explicit, opt, cpu });
                }
            }
        }
        modes
    }

    /// The compiler flags of this mode.
    pub fn flags(&self) -> Vec<String> {
        let bounds = if self.explicit { "explicit" } else { "guard" };
        vec![
            format!("-O{}", self.opt),
            "--bounds-checks".into(),
            bounds.into(),
            "--target-cpu".into(),
            self.cpu.into(),
        ]
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.flags().join(" "))
    }
}

/// The `wasm2native` binary.
#[derive(Debug, Clone)]
pub struct Native {
    /// Its path.
    pub bin: PathBuf,
}

impl Native {
    /// `path`, or `wasm2native` next to this executable (the cargo target directory).
    pub fn locate(path: Option<PathBuf>) -> Result<Native> {
        let bin = match path {
            Some(p) => p,
            None => std::env::current_exe()?
                .parent()
                .context("executable has no directory")?
                .join("wasm2native"),
        };
        if !bin.is_file() {
            bail!(
                "wasm2native binary not found at {} (build it with `cargo build --release -p \
                 wasm2native`, or pass --wasm2native PATH)",
                bin.display()
            );
        }
        Ok(Native { bin })
    }

    /// Runs the compiler on `input` with `args`; the raw result (`None` on timeout).
    pub fn compile_raw(&self, input: &Path, args: &[String]) -> Result<Option<Output>> {
        let mut cmd = Command::new(&self.bin);
        cmd.arg(input).args(args);
        run_with_timeout(cmd, COMPILE_TIMEOUT)
    }

    /// Compiles `wasm` in `mode` into the executable `exe`.
    pub fn compile(&self, wasm: &Path, mode: Mode, exe: &Path) -> Result<()> {
        let mut args = mode.flags();
        args.extend(["-o".into(), exe.display().to_string()]);
        match self.compile_raw(wasm, &args)? {
            None => bail!("wasm2native timed out"),
            Some(out) if out.status.success() => Ok(()),
            Some(out) => bail!(
                "wasm2native failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        }
    }

    /// Runs the executable `exe` with `argv[1] = k`.
    pub fn run(exe: &Path, k: u32) -> Result<Run> {
        let mut cmd = Command::new(exe);
        cmd.arg(k.to_string());
        Ok(match run_with_timeout(cmd, RUN_TIMEOUT)? {
            None => Run {
                stdout: vec![],
                end: End::Timeout,
            },
            Some(out) => Run {
                end: end_of(&out),
                stdout: out.stdout,
            },
        })
    }
}

/// How a wasm2native executable's exit ends the run.
fn end_of(out: &Output) -> End {
    use std::os::unix::process::ExitStatusExt;
    let stderr = String::from_utf8_lossy(&out.stderr);
    match (out.status.code(), out.status.signal()) {
        (Some(134), _) => match stderr
            .lines()
            .find_map(|l| l.strip_prefix("error: wasm trap: "))
        {
            Some(msg) => End::Trap(TrapKind::from_native(msg)),
            None => End::Crash(format!("exit 134 without a trap message: {stderr}")),
        },
        (Some(code), _) if stderr.is_empty() => End::Exit(code),
        (Some(code), _) => End::Crash(format!("exit {code}, stderr: {}", stderr.trim())),
        (None, Some(sig)) => End::Crash(format!("signal {sig}, stderr: {}", stderr.trim())),
        (None, None) => End::Crash("unknown exit status".into()),
    }
}

/// Runs `cmd` (stdin closed, output captured), killing it after `limit`: `None` then.
pub fn run_with_timeout(mut cmd: Command, limit: Duration) -> Result<Option<Output>> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot run {:?}", cmd.get_program()))?;
    let pid = child.id() as libc::pid_t;
    let (tx, rx) = mpsc::channel();
    let mut stdout = child.stdout.take().context("stdout")?;
    let mut stderr = child.stderr.take().context("stderr")?;
    let waiter = std::thread::spawn(move || {
        let err_reader = std::thread::spawn(move || {
            let mut buf = vec![];
            let _ = stderr.read_to_end(&mut buf);
            buf
        });
        let mut out = vec![];
        let _ = stdout.read_to_end(&mut out);
        let err = err_reader.join().unwrap_or_default();
        let status = child.wait();
        let _ = tx.send(status.map(|status| Output {
            status,
            stdout: out,
            stderr: err,
        }));
    });
    match rx.recv_timeout(limit) {
        Ok(out) => {
            let _ = waiter.join();
            Ok(Some(out?))
        }
        Err(_) => {
            // SAFETY: kill(2) on our own child, which has not been reaped (the waiter thread
            // is still blocked reading its pipes or waiting for it).
            unsafe { libc::kill(pid, libc::SIGKILL) };
            let _ = waiter.join();
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_cover_both_bounds_and_levels() {
        let modes = Mode::all();
        assert!(modes.len() >= 8);
        assert!(modes.iter().any(|m| m.explicit && m.opt == 0));
        assert!(
            modes
                .iter()
                .any(|m| !m.explicit && m.opt == 2 && m.cpu == "native")
        );
        assert_eq!(
            Mode {
                explicit: true,
                opt: 2,
                cpu: "native"
            }
            .to_string(),
            "-O2 --bounds-checks explicit --target-cpu native"
        );
    }

    #[test]
    fn timeout_kills() {
        let mut cmd = Command::new("sleep");
        cmd.arg("10");
        let t = std::time::Instant::now();
        assert!(
            run_with_timeout(cmd, Duration::from_millis(200))
                .unwrap()
                .is_none()
        );
        assert!(t.elapsed() < Duration::from_secs(5));
    }
}
