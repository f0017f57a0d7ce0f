//! `WASM2NATIVE_TRACE=1`: one line per WASI call on stderr, with its arguments, its result and,
//! for a denied path, why.

use super::types::Errno;

/// Formats one trace line: `[wasi] fd_write(1, 1024, 1, 2048) -> success`, with `: <note>`
/// appended when the call recorded a reason.
pub fn format_call(name: &str, args: &[u64], errno: Errno, note: Option<&str>) -> String {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut line = format!("[wasi] {name}({}) -> {}", args.join(", "), errno.name());
    if let Some(note) = note {
        line.push_str(": ");
        line.push_str(note);
    }
    line.push('\n');
    line
}

/// Writes the trace line of a call to the process's stderr, in one `write` so that lines of
/// the trace and of the guest's own stderr output do not interleave mid-line.
pub fn call(name: &str, args: &[u64], errno: Errno, note: Option<&str>) {
    write_stderr(format_call(name, args, errno, note).as_bytes());
}

/// Writes all of `bytes` to fd 2, ignoring errors (there is nowhere to report them).
pub fn write_stderr(mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: the pointer and length describe a live slice.
        let n = unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len()) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        bytes = &bytes[n as usize..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_format() {
        assert_eq!(
            format_call("fd_write", &[1, 1024], Errno::Success, None),
            "[wasi] fd_write(1, 1024) -> success\n"
        );
        assert_eq!(
            format_call(
                "path_open",
                &[3],
                Errno::Perm,
                Some("\"../x\" escapes preopen /data")
            ),
            "[wasi] path_open(3) -> perm: \"../x\" escapes preopen /data\n"
        );
    }
}
