//! An executable's baked-in configuration: how the program's WASI environment is set up. The CLI
//! fills it from `--env`, `--no-inherit-env`, `--dir`, `--sealed` and `--trap-on-efault`; codegen
//! writes it into the module image ([`crate::ModuleImage::exe_config`]); the runtime's entry point
//! reads it at start-up. It is run-time policy, not part of the module: objects built for
//! embedding carry none.

use std::fmt;

use crate::codec::{self, Codec, DecodeError, Reader, Writer, struct_codec};

/// How an executable sets up its WASI environment; fixed at compile time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExeConfig {
    /// `--env NAME=VAL`, added to (or, with `inherit_env` false, forming) the guest environment.
    pub env: Vec<(String, String)>,
    /// Whether the guest sees the process environment (minus `WASM2NATIVE_*`).
    pub inherit_env: bool,
    /// `--dir HOST::GUEST` preopens as `(host, guest)`; empty means the current directory as `.`.
    pub dirs: Vec<(String, String)>,
    /// Ignore every `WASM2NATIVE_*` variable at run time.
    pub sealed: bool,
    /// A WASI call given a pointer outside memory traps instead of returning EFAULT.
    pub trap_on_efault: bool,
}

struct_codec!(ExeConfig {
    env,
    inherit_env,
    dirs,
    sealed,
    trap_on_efault
});

impl ExeConfig {
    /// Serializes for embedding in the module image.
    pub fn encode(&self) -> Vec<u8> {
        codec::encode(self)
    }

    /// Reads what [`ExeConfig::encode`] wrote.
    pub fn decode(bytes: &[u8]) -> Result<ExeConfig, DecodeError> {
        codec::decode(bytes)
    }
}

/// A directory mapping that is not `HOST` or `HOST::GUEST` with both names non-empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadDirMapping;

impl fmt::Display for BadDirMapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected HOST or HOST::GUEST")
    }
}

impl std::error::Error for BadDirMapping {}

/// Parses one `HOST[::GUEST]` directory mapping into `(host, guest)`, as `--dir` and
/// `WASM2NATIVE_DIRS` write it: a bare `HOST` is seen by the guest under the same name.
pub fn parse_dir_mapping(spec: &str) -> Result<(String, String), BadDirMapping> {
    let (host, guest) = spec.split_once("::").unwrap_or((spec, spec));
    if host.is_empty() || guest.is_empty() {
        return Err(BadDirMapping);
    }
    Ok((host.to_owned(), guest.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let exe = ExeConfig {
            env: vec![("A".into(), "é".into())],
            inherit_env: true,
            dirs: vec![(".".into(), "/".into())],
            sealed: false,
            trap_on_efault: true,
        };
        let bytes = exe.encode();
        assert_eq!(ExeConfig::decode(&bytes), Ok(exe));
        assert!(ExeConfig::decode(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn dir_mappings() {
        let pair = |h: &str, g: &str| Ok((h.to_owned(), g.to_owned()));
        assert_eq!(parse_dir_mapping("data"), pair("data", "data"));
        assert_eq!(parse_dir_mapping("/tmp/x::/"), pair("/tmp/x", "/"));
        assert_eq!(parse_dir_mapping("a::b::c"), pair("a", "b::c"));
        for bad in ["", "::g", "h::"] {
            assert_eq!(parse_dir_mapping(bad), Err(BadDirMapping), "{bad:?}");
        }
    }
}
