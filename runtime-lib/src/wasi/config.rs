//! The produced program's WASI configuration: what the guest sees of the process's arguments,
//! environment and directories, from the baked-in [`ExeConfig`] and the `WASM2NATIVE_*`
//! variables (the README's "produced program's contract").

use std::ffi::OsString;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

use wasm2native_abi::exe::{ExeConfig, parse_dir_mapping};

/// Prefix of the runtime's own environment variables, never shown to the guest.
pub const VAR_PREFIX: &str = "WASM2NATIVE_";
/// Replaces the baked-in preopens: `host::guest,host2::guest2` (a bare `host` maps to itself).
pub const VAR_DIRS: &str = "WASM2NATIVE_DIRS";
/// `1` traces every WASI call to stderr.
pub const VAR_TRACE: &str = "WASM2NATIVE_TRACE";
/// `ADDR[,ADDR]`: TCP listening sockets handed to the guest after the preopens (like
/// `wasmtime run --tcplisten`), for `sock_accept`.
pub const VAR_TCPLISTEN: &str = "WASM2NATIVE_TCPLISTEN";

/// A directory the guest may reach, opened once at start-up.
#[derive(Debug)]
pub struct Preopen {
    /// The name the guest sees (`fd_prestat_dir_name`).
    pub guest: String,
    /// Where it is on the host (for messages).
    pub host: PathBuf,
    /// The open directory; everything the guest does in it is resolved beneath it.
    pub dir: cap_std::fs::Dir,
}

/// Everything [`super::init`] needs, already validated: preopens are open directories.
#[derive(Debug, Default)]
pub struct WasiConfig {
    /// `argv[0]` (the program name) followed by the arguments.
    pub args: Vec<Vec<u8>>,
    /// `NAME=VALUE` strings.
    pub env: Vec<Vec<u8>>,
    /// Preopened directories, fd 3 onwards.
    pub preopens: Vec<Preopen>,
    /// Sockets given to the guest after the preopens.
    pub sockets: Vec<OwnedFd>,
    /// Trace every call to stderr.
    pub trace: bool,
    /// Trap on a bad guest pointer instead of returning `fault`.
    pub trap_on_efault: bool,
}

/// Builds the configuration of a produced program from its baked-in settings, its `argv` and the
/// process environment:
/// - `argv` reaches the guest verbatim (`argv[0]` is the program name);
/// - the environment is the process's minus `WASM2NATIVE_*` (if `inherit_env`), then `exe.env`
///   added or overriding;
/// - preopens are `exe.dirs` (`.` as `.` when empty), or `WASM2NATIVE_DIRS` if set;
/// - `WASM2NATIVE_TRACE=1` enables the call trace;
/// - with `exe.sealed`, every `WASM2NATIVE_*` variable is ignored.
///
/// Fails with a message naming the directory if a preopen cannot be opened.
pub fn config_from_process(exe: &ExeConfig, argv: Vec<Vec<u8>>) -> Result<WasiConfig, String> {
    let vars: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    config_from_parts(exe, argv, &vars)
}

/// [`config_from_process`] with the environment given explicitly (for tests).
pub fn config_from_parts(
    exe: &ExeConfig,
    argv: Vec<Vec<u8>>,
    vars: &[(OsString, OsString)],
) -> Result<WasiConfig, String> {
    let runtime_var = |name: &str| -> Option<&OsString> {
        if exe.sealed {
            return None;
        }
        vars.iter()
            .find(|(k, _)| k.as_bytes() == name.as_bytes())
            .map(|(_, v)| v)
    };

    let env = guest_env(exe, vars);

    let dirs: Vec<(String, String)> = match runtime_var(VAR_DIRS) {
        Some(spec) => parse_dirs(
            spec.to_str()
                .ok_or_else(|| format!("{VAR_DIRS} is not valid UTF-8"))?,
        )?,
        None if exe.dirs.is_empty() => vec![(".".to_owned(), ".".to_owned())],
        None => exe.dirs.clone(),
    };
    let mut preopens = Vec::with_capacity(dirs.len());
    for (host, guest) in dirs {
        let dir = cap_std::fs::Dir::open_ambient_dir(&host, cap_std::ambient_authority())
            .map_err(|e| format!("cannot open directory {host} (preopened as {guest}): {e}"))?;
        preopens.push(Preopen {
            guest,
            host: PathBuf::from(host),
            dir,
        });
    }

    let mut sockets = Vec::new();
    if let Some(spec) = runtime_var(VAR_TCPLISTEN) {
        let spec = spec
            .to_str()
            .ok_or_else(|| format!("{VAR_TCPLISTEN} is not valid UTF-8"))?;
        for addr in spec.split(',').filter(|a| !a.is_empty()) {
            let listener = listen_address(addr)
                .and_then(std::net::TcpListener::bind)
                .map_err(|e| format!("cannot listen on {addr} ({VAR_TCPLISTEN}): {e}"))?;
            sockets.push(OwnedFd::from(listener));
        }
    }

    let trace = runtime_var(VAR_TRACE).is_some_and(|v| !v.is_empty() && v.as_bytes() != b"0");

    Ok(WasiConfig {
        args: argv,
        env,
        preopens,
        sockets,
        trace,
        trap_on_efault: exe.trap_on_efault,
    })
}

/// Parses a listening address: `IP:PORT`, `[IPv6]:PORT`, or `localhost:PORT` (the loopback).
///
/// No name resolution: resolving would link the libc resolver into every executable (and look
/// names up at start-up) for the one name a listener needs.
fn listen_address(addr: &str) -> std::io::Result<std::net::SocketAddr> {
    let invalid = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "expected IP:PORT or localhost:PORT",
        )
    };
    if let Some(port) = addr.strip_prefix("localhost:") {
        let port = port.parse().map_err(|_| invalid())?;
        return Ok((std::net::Ipv4Addr::LOCALHOST, port).into());
    }
    addr.parse().map_err(|_| invalid())
}

/// The guest's environment as `NAME=VALUE` strings.
fn guest_env(exe: &ExeConfig, vars: &[(OsString, OsString)]) -> Vec<Vec<u8>> {
    let mut env: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    if exe.inherit_env {
        for (k, v) in vars {
            if k.as_bytes().starts_with(VAR_PREFIX.as_bytes()) {
                continue;
            }
            env.push((k.clone().into_vec(), v.clone().into_vec()));
        }
    }
    for (k, v) in &exe.env {
        match env.iter_mut().find(|(name, _)| name == k.as_bytes()) {
            Some(slot) => slot.1 = v.as_bytes().to_vec(),
            None => env.push((k.as_bytes().to_vec(), v.as_bytes().to_vec())),
        }
    }
    env.into_iter()
        .map(|(mut k, v)| {
            k.push(b'=');
            k.extend_from_slice(&v);
            k
        })
        .collect()
}

/// Parses `WASM2NATIVE_DIRS`: comma-separated `host::guest` or `host` (guest = host). Empty
/// items are skipped, so an empty value means no preopens at all.
pub fn parse_dirs(spec: &str) -> Result<Vec<(String, String)>, String> {
    spec.split(',')
        .filter(|s| !s.is_empty())
        .map(|item| {
            parse_dir_mapping(item).map_err(|e| format!("{VAR_DIRS}: bad entry {item:?} ({e})"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(pairs: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
        pairs.iter().map(|(k, v)| (k.into(), v.into())).collect()
    }

    fn exe() -> ExeConfig {
        ExeConfig {
            inherit_env: true,
            ..ExeConfig::default()
        }
    }

    #[test]
    fn listen_addresses_need_no_resolver() {
        assert_eq!(
            listen_address("localhost:8080").unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(
            listen_address("[::1]:9").unwrap(),
            "[::1]:9".parse().unwrap()
        );
        assert_eq!(
            listen_address("0.0.0.0:0").unwrap(),
            "0.0.0.0:0".parse().unwrap()
        );
        for bad in ["localhost", "localhost:x", "example.com:80", "1.2.3.4"] {
            assert!(listen_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn argv_is_verbatim() {
        let argv = vec![
            b"prog".to_vec(),
            b"--dir".to_vec(),
            b"x y".to_vec(),
            vec![0xff],
        ];
        let cfg = config_from_parts(&exe(), argv.clone(), &[]).unwrap();
        assert_eq!(cfg.args, argv);
    }

    #[test]
    fn env_filters_runtime_vars_and_overrides() {
        let mut e = exe();
        e.env = vec![("B".into(), "new".into()), ("C".into(), "3".into())];
        let vars = os(&[("A", "1"), ("WASM2NATIVE_TRACE", "0"), ("B", "old")]);
        let cfg = config_from_parts(&e, vec![], &vars).unwrap();
        assert_eq!(
            cfg.env,
            vec![b"A=1".to_vec(), b"B=new".to_vec(), b"C=3".to_vec()]
        );
        assert!(!cfg.trace);

        e.inherit_env = false;
        let cfg = config_from_parts(&e, vec![], &vars).unwrap();
        assert_eq!(cfg.env, vec![b"B=new".to_vec(), b"C=3".to_vec()]);
    }

    #[test]
    fn default_preopen_is_cwd() {
        let cfg = config_from_parts(&exe(), vec![], &[]).unwrap();
        assert_eq!(cfg.preopens.len(), 1);
        assert_eq!(cfg.preopens[0].guest, ".");
    }

    #[test]
    fn dirs_variable_replaces_baked_set_unless_sealed() {
        let tmp = tempfile::tempdir().unwrap();
        let host = tmp.path().to_str().unwrap().to_owned();
        let mut e = exe();
        e.dirs = vec![(host.clone(), "/baked".into())];
        let vars = os(&[
            ("WASM2NATIVE_DIRS", &format!("{host}::/,{host}")),
            ("WASM2NATIVE_TRACE", "1"),
        ]);
        let cfg = config_from_parts(&e, vec![], &vars).unwrap();
        let names: Vec<_> = cfg.preopens.iter().map(|p| p.guest.clone()).collect();
        assert_eq!(names, vec!["/".to_owned(), host.clone()]);
        assert!(cfg.trace);
        assert!(cfg.env.is_empty(), "WASM2NATIVE_* never reach the guest");

        e.sealed = true;
        let cfg = config_from_parts(&e, vec![], &vars).unwrap();
        let names: Vec<_> = cfg.preopens.iter().map(|p| p.guest.clone()).collect();
        assert_eq!(names, vec!["/baked".to_owned()]);
        assert!(!cfg.trace);
        assert!(cfg.env.is_empty());
    }

    #[test]
    fn bad_dirs_are_reported() {
        assert!(parse_dirs("::x").is_err());
        assert!(parse_dirs("a::").is_err());
        assert_eq!(parse_dirs("").unwrap(), vec![]);
        let vars = os(&[("WASM2NATIVE_DIRS", "/definitely/not/here::/x")]);
        let err = config_from_parts(&exe(), vec![], &vars).unwrap_err();
        assert!(err.contains("/definitely/not/here"), "{err}");
    }
}
