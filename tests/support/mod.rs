//! Helpers shared by the end-to-end tests `tests/cli.rs` and `tests/wasi.rs` (each includes this
//! module with `mod support;`): temporary directories, running a process with a timeout, and
//! describing what it did in assertion messages. Only std is used.

use std::fs;
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// A directory removed (with its contents) when dropped, unless `W2N_KEEP_TEST_DIRS` is set.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory `PREFIX-TAG-PID-N` in the system's temporary directory.
    pub fn new(prefix: &str, tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let base = std::env::temp_dir();
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = base.join(format!("{prefix}-{tag}-{}-{n}", std::process::id()));
            match fs::create_dir(&dir) {
                Ok(()) => return TempDir(dir),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => panic!("cannot create temp dir {}: {e}", dir.display()),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("W2N_KEEP_TEST_DIRS").is_none() {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

/// What a finished process did.
pub struct Run {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub what: String,
}

impl Run {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Everything about the run, for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "{}\n  status: {}\n  stdout ({} bytes):\n{}\n  stderr ({} bytes):\n{}",
            self.what,
            describe_status(self.status),
            self.stdout.len(),
            indent(&clip(&self.stdout_str())),
            self.stderr.len(),
            indent(&clip(&self.stderr_str())),
        )
    }

    pub fn assert_code(&self, want: i32) {
        assert_eq!(
            self.code(),
            Some(want),
            "expected exit status {want}; {}",
            self.describe()
        );
    }

    /// Asserts that stdout is exactly `want`; `what` names the run in the message.
    pub fn assert_stdout(&self, want: &[u8], what: &str) {
        if self.stdout != want {
            panic!(
                "{what}: stdout differs; {}\n{}",
                first_difference(&self.stdout, want),
                self.describe()
            );
        }
    }
}

fn describe_status(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exit code {c}"),
        (None, Some(s)) => format!(
            "killed by signal {s}{}",
            if status.core_dumped() {
                " (core dumped)"
            } else {
                ""
            }
        ),
        _ => format!("{status:?}"),
    }
}

fn clip(s: &str) -> String {
    const MAX: usize = 6000;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut cut = MAX;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}\n... ({} more bytes)", &s[..cut], s.len() - cut)
}

fn indent(s: &str) -> String {
    if s.is_empty() {
        return "    <empty>".to_string();
    }
    s.lines()
        .map(|l| format!("    | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first line where `got` and `want` differ, for assertion messages.
pub fn first_difference(got: &[u8], want: &[u8]) -> String {
    let got = String::from_utf8_lossy(got);
    let want = String::from_utf8_lossy(want);
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    for i in 0..g.len().max(w.len()) {
        let (a, b) = (g.get(i), w.get(i));
        if a != b {
            return format!(
                "first difference at line {}:\n  expected: {}\n  got:      {}",
                i + 1,
                b.copied().unwrap_or("<end of output>"),
                a.copied().unwrap_or("<end of output>")
            );
        }
    }
    format!(
        "lengths differ: expected {} bytes, got {}",
        want.len(),
        got.len()
    )
}

/// Runs `cmd` (with the environment it was given) with `stdin` as its standard input, killing
/// it after `timeout`.
pub fn run(mut cmd: Command, stdin: &[u8], timeout: Duration) -> Run {
    let what = format!("{cmd:?}");
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut child_in = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = thread::spawn(move || {
        // A program may exit without reading all of its input.
        let _ = child_in.write_all(&input);
    });
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait failed") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("timed out after {timeout:?}: {what}");
        }
        thread::sleep(Duration::from_millis(2));
    };
    let _ = writer.join();
    Run {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
        what,
    }
}

/// First line of `bytes`, without its newline.
pub fn first_line(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    s.lines().next().unwrap_or("").to_string()
}

/// The sorted stems of the files of `dir` whose names end in `.EXT`.
pub fn file_stems(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| {
            let p = e.ok()?.path();
            if p.extension()? != ext {
                return None;
            }
            Some(p.file_stem()?.to_string_lossy().into_owned())
        })
        .collect();
    v.sort();
    v
}
