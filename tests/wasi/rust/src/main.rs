//! Rust test program of wasm2native's WASI suite (tests/wasi.rs), in the style of the official
//! WASI test suite: run with the fixture directory preopened as `/`, some arguments, variables
//! and standard input. Uses only std: std::env, std::fs, std::io, std::process. Prints only what
//! is deterministic; checks what it can itself and exits with 1 if anything was wrong.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Counts failed checks.
struct Checks {
    failures: u32,
}

impl Checks {
    fn ok(&mut self, what: &str, cond: bool) {
        if cond {
            println!("{what}: yes");
        } else {
            println!("{what}: no FAIL");
            self.failures += 1;
        }
    }
}

/// Files below `dir` as `path (size)`, directories as `path/`, sorted.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        let ty = e.file_type()?;
        if ty.is_dir() {
            out.push(format!("{name}/"));
            walk(&e.path(), &format!("{name}/"), out)?;
        } else if ty.is_symlink() {
            out.push(format!("{name} -> {}", fs::read_link(e.path())?.display()));
        } else {
            out.push(format!("{name} ({} bytes)", e.metadata()?.len()));
        }
    }
    Ok(())
}

fn main() {
    let mut c = Checks { failures: 0 };
    arguments_and_environment(&mut c);
    fixture(&mut c);
    if let Err(e) = file_operations(&mut c) {
        println!("file operations failed: {e} FAIL");
        c.failures += 1;
    }
    standard_input(&mut c);
    eprintln!("this line goes to stderr");

    println!("failures: {}", c.failures);
    let status = match std::env::var("EXIT_STATUS") {
        Ok(s) => s.parse().unwrap_or(2),
        Err(_) => i32::from(c.failures > 0),
    };
    std::process::exit(status);
}

/// Arguments (lossless, argv[0] is the runtime's choice) and environment.
fn arguments_and_environment(c: &mut Checks) {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    println!("{} arguments", args.len());
    for a in &args {
        println!("  {a:?}");
    }
    let env: BTreeMap<_, _> = std::env::vars_os().collect();
    println!("{} variables", env.len());
    for (k, v) in &env {
        println!("  {k:?} = {v:?}");
    }
    c.ok(
        "no WASM2NATIVE_* variable",
        env.keys()
            .all(|k| !k.to_string_lossy().starts_with("WASM2NATIVE_")),
    );
}

/// The fixture: its tree, its files, and paths outside it.
fn fixture(c: &mut Checks) {
    let mut tree = Vec::new();
    match walk(Path::new("/"), "/", &mut tree) {
        Ok(()) => tree.iter().for_each(|l| println!("  {l}")),
        Err(e) => {
            println!("walking / failed: {e} FAIL");
            c.failures += 1;
        }
    }
    match fs::read_to_string("/hello.txt") {
        Ok(s) => print!("/hello.txt: {s}"),
        Err(e) => {
            println!("/hello.txt: {e} FAIL");
            c.failures += 1;
        }
    }
    let data = fs::read("/data.bin").unwrap_or_default();
    c.ok(
        "/data.bin is 0..=255 four times",
        data.len() == 1024 && data.iter().enumerate().all(|(i, &b)| b == i as u8),
    );
    let e = fs::read("/missing.txt").unwrap_err();
    println!("reading /missing.txt: {:?}", e.kind());
    c.ok("it is NotFound", e.kind() == ErrorKind::NotFound);
    let e = fs::read("/../etc/passwd").unwrap_err();
    println!("reading /../etc/passwd: {:?}", e.kind());
    let e = fs::read("/etc/passwd").unwrap_err();
    println!("reading /etc/passwd: {:?}", e.kind());
}

/// Writing, renaming, seeking, truncating, copying, linking, removing.
fn file_operations(c: &mut Checks) -> io::Result<()> {
    fs::create_dir_all("/out/nested")?;
    let mut f = fs::File::create("/out/nested/new.txt")?;
    writeln!(f, "first line")?;
    f.write_all(b"second line\n")?;
    f.sync_all()?;
    drop(f);
    fs::rename("/out/nested/new.txt", "/out/renamed.txt")?;
    c.ok("old name gone", !Path::new("/out/nested/new.txt").exists());
    let mut f = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/out/renamed.txt")?;
    f.seek(SeekFrom::Start(6))?;
    f.write_all(b"LINE")?;
    f.seek(SeekFrom::Start(0))?;
    let mut s = String::new();
    f.read_to_string(&mut s)?;
    print!("renamed file: {s}");
    let m = f.metadata()?;
    println!("size {}, is_file {}", m.len(), m.is_file());
    f.set_len(5)?;
    drop(f);
    println!(
        "after set_len: {:?}",
        fs::read_to_string("/out/renamed.txt")?
    );
    fs::copy("/hello.txt", "/out/copy.txt")?;
    c.ok(
        "copy is identical",
        fs::read("/out/copy.txt")? == fs::read("/hello.txt")?,
    );
    fs::hard_link("/out/copy.txt", "/out/hard.txt")?;
    // std::os::wasi::fs::symlink_path is unstable; soft_link is the stable spelling.
    #[allow(deprecated)]
    fs::soft_link("copy.txt", "/out/soft.txt")?;
    println!("soft link target: {:?}", fs::read_link("/out/soft.txt")?);
    println!(
        "through the soft link: {:?}",
        fs::read_to_string("/out/soft.txt")?
    );
    let mut listing = Vec::new();
    walk(Path::new("/out"), "/out/", &mut listing)?;
    listing.iter().for_each(|l| println!("  {l}"));
    let e = fs::remove_dir("/out").unwrap_err();
    println!("remove_dir of a non-empty directory: {:?}", e.kind());
    fs::remove_dir_all("/out")?;
    c.ok("/out removed", !Path::new("/out").exists());
    Ok(())
}

fn standard_input(c: &mut Checks) {
    let mut input = String::new();
    match io::stdin().read_to_string(&mut input) {
        Ok(n) => println!("stdin: {n} bytes, {} lines", input.lines().count()),
        Err(e) => {
            println!("stdin: {e} FAIL");
            c.failures += 1;
        }
    }
}
