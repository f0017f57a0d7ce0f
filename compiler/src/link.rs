//! Linking an object into an executable or shared object with the system C toolchain (found by
//! the `cc` crate, honouring `CC`). The output appears only when the link succeeded: the linker
//! writes a temporary file beside it, renamed into place at the end.

use crate::error::{Error, Result};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |err| Error::Io {
        path: path.to_path_buf(),
        err,
    }
}

/// A temporary file beside the output, renamed onto it by [`TempOutput::commit`] and removed if
/// dropped before: a failed compilation never leaves a partial output.
///
/// An output that exists and is not a regular file (`/dev/null`, a FIFO, a terminal) is never
/// replaced: the temporary file then lives in the system's temporary directory and its bytes
/// are written into the output at commit.
struct TempOutput<'a> {
    output: &'a Path,
    tmp: PathBuf,
    special: bool,
    committed: bool,
}

/// Whether `path` exists and is something other than a regular file or a directory.
fn is_special_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

impl<'a> TempOutput<'a> {
    fn new(output: &'a Path, mode: u32) -> Result<TempOutput<'a>> {
        let special = is_special_file(output);
        let parent = match output.parent() {
            _ if special => std::env::temp_dir(),
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = output.file_name().unwrap_or_default().to_string_lossy();
        let tmp = parent.join(format!(".{name}.wasm2native-{}", std::process::id()));
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&tmp)
            .map_err(io_err(output))?;
        Ok(TempOutput {
            output,
            tmp,
            special,
            committed: false,
        })
    }

    fn commit(mut self) -> Result<()> {
        if self.special {
            let mut from = std::fs::File::open(&self.tmp).map_err(io_err(self.output))?;
            let mut to = std::fs::OpenOptions::new()
                .write(true)
                .open(self.output)
                .map_err(io_err(self.output))?;
            std::io::copy(&mut from, &mut to).map_err(io_err(self.output))?;
            // Dropping removes the temporary file.
            return Ok(());
        }
        std::fs::rename(&self.tmp, self.output).map_err(io_err(self.output))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for TempOutput<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The system C compiler driver, used as the linker.
fn linker() -> Result<Command> {
    let tool = cc::Build::new()
        .cargo_metadata(false)
        .cargo_warnings(false)
        .target("x86_64-unknown-linux-gnu")
        .host("x86_64-unknown-linux-gnu")
        .opt_level(0)
        .try_get_compiler()
        .map_err(|e| Error::Link(format!("no C compiler found: {e}")))?;
    let mut cmd = Command::new(tool.path());
    // Only the driver itself: the flags `cc` would add are for compiling.
    cmd.envs(tool.get_envs());
    Ok(cmd)
}

/// Runs `cmd`, which links into a temporary file, and moves the result to `output`.
fn run_linker(mut cmd: Command, output: &Path) -> Result<()> {
    let tmp = TempOutput::new(output, 0o755)?;
    cmd.arg("-o").arg(&tmp.tmp);
    let out = cmd
        .output()
        .map_err(|e| Error::Link(format!("cannot run the C compiler: {e}")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr
            .lines()
            .find(|l| l.contains("error") || l.contains("undefined"))
            .or_else(|| stderr.lines().next())
            .unwrap_or("linker failed");
        return Err(Error::Link(first.trim().to_string()));
    }
    tmp.commit()
}

/// The runtime as it travels inside the compiler: its static archive and the C library it was
/// built against, which decides how executables are linked.
#[derive(Clone, Copy)]
pub struct RuntimeKit<'a> {
    /// `libwasm2native_runtime.a`.
    pub archive: &'a [u8],
    /// The C library the archive was built for.
    pub libc: RuntimeLibc<'a>,
}

/// The C library of a [`RuntimeKit`].
#[derive(Clone, Copy)]
pub enum RuntimeLibc<'a> {
    /// musl (`x86_64-unknown-linux-musl`): executables are static PIEs, linked with these files
    /// (`rcrt1.o`, `crti.o`, `crtbeginS.o`, `crtendS.o`, `crtn.o`, `libc.a`, the startup files
    /// and C library Rust's musl target ships). They start like static C programs and run on
    /// any x86-64 Linux.
    Musl {
        /// File name and contents of each file.
        files: &'a [(&'a str, &'a [u8])],
    },
    /// glibc (`x86_64-unknown-linux-gnu`): executables link dynamically against the system's
    /// glibc (the fallback when the musl target was not installed at build time).
    SystemGlibc,
}

/// Links `object` with the runtime into the executable `output`.
pub fn link_executable(object: &[u8], runtime: &RuntimeKit, output: &Path) -> Result<()> {
    let dir = tempfile::tempdir().map_err(io_err(Path::new("temporary directory")))?;
    let write = |name: &str, bytes: &[u8]| -> Result<PathBuf> {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).map_err(io_err(&path))?;
        Ok(path)
    };
    let obj_path = write("module.o", object)?;
    let rt_path = write("libwasm2native_runtime.a", runtime.archive)?;
    let mut cmd = linker()?;
    match runtime.libc {
        RuntimeLibc::Musl { files } => {
            let file = |name: &str| -> Result<PathBuf> {
                let (_, bytes) = files.iter().find(|(n, _)| *n == name).ok_or_else(|| {
                    Error::Link(format!("the embedded runtime lacks musl's {name}"))
                })?;
                write(name, bytes)
            };
            // Nothing from the system toolchain: its startup files and libgcc are for glibc.
            cmd.args(["-nostdlib", "-nostartfiles", "-static-pie"])
                .arg(file("rcrt1.o")?)
                .arg(file("crti.o")?)
                .arg(file("crtbeginS.o")?)
                .arg(&obj_path)
                .arg(&rt_path)
                .arg(file("libc.a")?)
                .arg(file("crtendS.o")?)
                .arg(file("crtn.o")?);
        }
        RuntimeLibc::SystemGlibc => {
            cmd.arg(&obj_path)
                .arg(&rt_path)
                // glibc 2.34+ has threads and dlopen in libc itself; libm only if a libcall
                // needs it. libgcc (the unwinder std references) is linked in: one shared
                // library fewer to load at start-up for 28 KB.
                .args(["-static-libgcc", "-Wl,--as-needed", "-lm"]);
        }
    }
    if spawns_threads(object) {
        for symbol in THREAD_LIBC_SYMBOLS {
            cmd.arg(format!("-Wl,--undefined={symbol}"));
        }
    }
    cmd.args([
        "-Wl,--gc-sections",
        "-Wl,-z,noexecstack",
        "-Wl,-O1",
        "-Wl,--strip-debug",
    ])
    // Compact relative relocations (glibc 2.36+, musl 1.2.4+): smaller files, faster start-up.
    .arg("-Wl,-z,pack-relative-relocs");
    run_linker(cmd, output)
}

/// The C library functions the runtime's `thread-spawn` references weakly
/// (`runtime-lib/src/thread.rs`), so that only programs that spawn threads link the C library's
/// thread support.
const THREAD_LIBC_SYMBOLS: [&str; 2] = ["pthread_create", "pthread_attr_init"];

/// Whether the module `object` calls wasi-threads' `thread-spawn`: only then does its
/// executable link the C library's threads.
fn spawns_threads(object: &[u8]) -> bool {
    use cranelift_object::object::{File, Object, ObjectSymbol};
    let symbol = wasm2native_abi::wasi_symbol!(thread_spawn);
    File::parse(object).is_ok_and(|file| {
        file.symbols()
            .any(|s| s.is_undefined() && s.name() == Ok(symbol))
    })
}

/// Links `object` into a shared object for embedders; builtins are reached through the VM
/// context, so the result has no undefined runtime symbols.
pub fn link_shared(object: &[u8], output: &Path) -> Result<()> {
    let dir = tempfile::tempdir().map_err(io_err(Path::new("temporary directory")))?;
    let obj_path = dir.path().join("module.o");
    std::fs::write(&obj_path, object).map_err(io_err(&obj_path))?;
    let mut cmd = linker()?;
    cmd.arg("-shared")
        .arg(&obj_path)
        .args(["-Wl,-z,noexecstack", "-lm"]);
    run_linker(cmd, output)
}

/// Writes `bytes` to `output` through a temporary file beside it, so a failure leaves no
/// partial file.
pub fn write_atomically(output: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = TempOutput::new(output, 0o644)?;
    std::fs::write(&tmp.tmp, bytes).map_err(io_err(output))?;
    tmp.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_null_is_written_not_replaced() {
        write_atomically(Path::new("/dev/null"), b"object bytes").unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null was replaced by a regular file");
    }

    #[test]
    fn regular_outputs_are_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::write(&out, b"old contents, longer than the new").unwrap();
        write_atomically(&out, b"new").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file left"
        );
    }
}
