#!/usr/bin/env python3
"""Builds the benchmark corpus of wasm2native natively and for wasm32-wasi (Python 3.11 stdlib).

    python3 benches/build.py [--rebuild] [PROGRAM ...]

run.py calls this itself; running it alone only builds. Every program is compiled twice with the
same clang, the same -O2 and the same -D/-I flags:

    native:        clang-19 -O2 FLAGS ...                                    -> NAME.native
    wasm32-wasi:   clang-19 --target=wasm32-wasi --sysroot=S -O2 FLAGS ...   -> NAME.wasm

and, for more configurations, once more for wasm per entry of EXTRA_TARGETS: with -msimd128
added (wasm-simd/NAME.wasm; native x86-64 code gets SSE2 vectors from clang's vectorizers by
default, wasm32 only with simd128 enabled) and with -mbulk-memory added (wasm-bulk/NAME.wasm;
clang then compiles memcpy and memset calls to memory.copy and memory.fill).

The third-party C sources come from crates.io packages pinned in benches/corpus/Cargo.toml and
Cargo.lock: `cargo metadata --locked` downloads those exact versions into cargo's cache and says
where they are; nothing is copied into the repository. Outputs go to target/benches/.

Needs clang-19, lld-19 (wasm-ld), wasi-libc and libclang-rt-19-dev-wasm32 (Debian names), cargo,
and a glibc C toolchain for the native builds (plus libc.a for the static hello world). The
parallel benchmark (benches/parallel/, Rust and rayon; Builder.build_parallel, which run.py calls)
also needs `rustup target add wasm32-wasip1-threads`.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHES = REPO / "benches"
PROGRAMS = BENCHES / "programs"
CORPUS_MANIFEST = BENCHES / "corpus" / "Cargo.toml"
# The parallel benchmark: a Rust program using rayon (its own Cargo project and lock file).
PARALLEL_MANIFEST = BENCHES / "parallel" / "Cargo.toml"
PARALLEL_NAME = "mandelbrot_rayon"
BUILD = REPO / "target" / "benches"

OPT = ["-O2"]
# The extra wasm configurations: target directory -> the flags added to the wasm build's.
EXTRA_TARGETS = {"wasm-simd": ["-msimd128"], "wasm-bulk": ["-mbulk-memory"]}
# wasm32-wasi link options. --strip-debug: Debian's wasi-libc carries DWARF. The 1 MiB shadow stack
# (wasm-ld's default is 64 KiB) only matters for deep C recursion; the native stack is 8 MiB.
WASM_LDFLAGS = ["-Wl,--strip-debug", "-Wl,-z,stack-size=1048576"]


@dataclasses.dataclass
class Program:
    name: str
    what: str                      # one line for the report
    driver: str                    # our C file in benches/programs/
    crate: str | None = None       # crates.io package carrying the library's C sources
    subdir: str = ""               # folder of the sources inside the crate
    sources: tuple[str, ...] = ()  # library sources, relative to subdir
    includes: tuple[str, ...] = ()  # include dirs relative to subdir ("@/x": benches/programs/x)
    cflags: tuple[str, ...] = ()   # -D etc., for both targets
    wasm_libs: tuple[str, ...] = ()  # wasi-libc emulation libraries
    args: tuple[str, ...] = ()     # run arguments (the drivers have sized defaults)
    upstream: str = ""             # the library's own name and version, for the report


LUA_SOURCES = tuple(
    f"{n}.c"
    for n in "lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser "
    "lstate lstring ltable ltm lundump lvm lzio lauxlib lbaselib lmathlib lstrlib ltablib "
    "lutf8lib".split()
)

CORPUS: list[Program] = [
    Program(
        "sqlite", "SQLite: in-memory db, 100k+200k inserts, indexes, lookups, joins, aggregates",
        "sqlite_bench.c", crate="libsqlite3-sys", subdir="sqlite3", sources=("sqlite3.c",),
        includes=(".",),
        # No threads, no extension loading, temporary b-trees in memory. The WASI defines are the
        # ones libsqlite3-sys itself uses for wasm32-wasi (they are inert natively).
        cflags=("-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION", "-DSQLITE_TEMP_STORE=3",
                "-DSQLITE_DEFAULT_MEMSTATUS=0", "-DLONGDOUBLE_TYPE=double",
                "-D_WASI_EMULATED_GETPID", "-D_WASI_EMULATED_MMAN",
                "-D_WASI_EMULATED_PROCESS_CLOCKS"),
        wasm_libs=("-lwasi-emulated-getpid", "-lwasi-emulated-mman",
                   "-lwasi-emulated-process-clocks"),
        upstream="SQLite 3.54.1",
    ),
    Program(
        "lua", "Lua 5.4 interpreter running an embedded script (fib, mandelbrot, strings, sort, "
        "metatables, sieve)",
        "lua_bench.c", crate="lua-src", subdir="lua-5.4.9", sources=LUA_SOURCES,
        includes=(".", "@/shim"),
        # lua_config.h: no setjmp/longjmp (the script raises no errors), fixed string-hash seed.
        cflags=("-include", str(PROGRAMS / "lua_config.h")),
        upstream="Lua 5.4.9",
    ),
    Program(
        "zstd", "zstd: compress 10 MiB of text at levels 1/3/9 + streaming level 5, decompress",
        "zstd_bench.c", crate="zstd-sys", subdir="zstd/lib",
        sources=tuple(
            f"{d}/{f}.c" for d, fs in {
                "common": "debug entropy_common error_private fse_decompress pool threading "
                          "xxhash zstd_common",
                "compress": "fse_compress hist huf_compress zstd_compress zstd_compress_literals "
                            "zstd_compress_sequences zstd_compress_superblock zstd_double_fast "
                            "zstd_fast zstd_lazy zstd_ldm zstd_opt zstd_preSplit",
                "decompress": "huf_decompress zstd_ddict zstd_decompress zstd_decompress_block",
            }.items() for f in fs.split()),
        includes=(".", "common"),
        # The same C code on both sides: no x86-64 assembly Huffman decoder and no BMI2 variants
        # picked at run time (zstd-sys builds the same way for wasm).
        cflags=("-DZSTD_DISABLE_ASM", "-DDYNAMIC_BMI2=0"),
        upstream="zstd 1.5.7",
    ),
    Program(
        "bzip2", "bzip2: compress 6 MiB of text (900k blocks), decompress twice",
        "bzip2_bench.c", crate="bzip2-sys", subdir="bzip2-1.0.8",
        sources=tuple(f"{n}.c" for n in
                      "blocksort huffman crctable randtable compress decompress bzlib".split()),
        includes=(".",), cflags=("-D_FILE_OFFSET_BITS=64",),
        upstream="bzip2 1.0.8",
    ),
    Program(
        "zlib", "zlib: crc32/adler32, deflate 4 MiB of text at levels 1/6/9, inflate",
        "zlib_bench.c", crate="libz-sys", subdir="src/zlib",
        sources=tuple(f"{n}.c" for n in
                      "adler32 compress crc32 deflate infback inffast inflate inftrees trees "
                      "uncompr zutil".split()),
        includes=(".",), cflags=("-DHAVE_UNISTD_H", "-DHAVE_STDARG_H"),
        upstream="zlib 1.3.2",
    ),
    Program(
        "lz4", "LZ4: fast (accel 1/8) and HC level 9 compression of 8 MiB of text, decompress",
        "lz4_bench.c", crate="lz4-sys", subdir="liblz4/lib", sources=("lz4.c", "lz4hc.c"),
        includes=(".",),
        upstream="LZ4 1.10.0",
    ),
    Program("nbody", "n-body kernel: 5 bodies, 14M steps (doubles, sqrt)", "nbody.c"),
    Program("sha256", "SHA-256 kernel: 64 x 4 MiB", "sha256.c"),
    Program("matmul", "matrix multiply kernel: 512x512 doubles, 32 times", "matmul.c"),
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def find_clang() -> str:
    for c in (os.environ.get("CLANG"), "clang-19", "clang"):
        if c and shutil.which(c):
            return shutil.which(c)
    sys.exit("build.py: clang-19 not found (apt-get install clang-19 lld-19)")


def clean_path() -> str:
    """PATH without directories holding a wasm-opt: clang runs wasm-opt silently when it finds one,
    and the modules should be what clang/wasm-ld produce. Such a directory may hold the linker too
    (Debian's binaryen puts wasm-opt into /usr/bin, where clang-19 looks for wasm-ld-19): the
    links name it with -fuse-ld=PATH (wasm_linker; Debian's clang-19 ignores --ld-path for
    wasm)."""
    dirs = [d for d in os.environ.get("PATH", "").split(":")
            if d and not os.access(os.path.join(d, "wasm-opt"), os.X_OK)]
    return ":".join(dirs)


def wasm_linker(clang: str) -> str:
    """The absolute path of the wasm-ld that clang would run, looked up with the full PATH (as
    tests/build-common.sh does), so that the links still find it under clean_path()."""
    name = subprocess.run([clang, "--target=wasm32-wasi", "-print-prog-name=wasm-ld"],
                          capture_output=True, text=True).stdout.strip()
    for cand in (name, "wasm-ld-19", "wasm-ld"):
        path = shutil.which(cand)
        if path:
            return path
    sys.exit("build.py: no wasm-ld found (apt-get install lld-19)")


def wasi_sysroot() -> Path:
    """$WASI_SYSROOT, or a sysroot of links to Debian's wasi-libc (--sysroot=/usr would let glibc
    headers leak in)."""
    if os.environ.get("WASI_SYSROOT"):
        return Path(os.environ["WASI_SYSROOT"])
    for d in ("/usr/include/wasm32-wasi", "/usr/lib/wasm32-wasi"):
        if not Path(d).is_dir():
            sys.exit(f"build.py: {d} missing (apt-get install wasi-libc libclang-rt-19-dev-wasm32)")
    root = BUILD / "wasi-sysroot"
    for sub, target in (("include", "/usr/include/wasm32-wasi"), ("lib", "/usr/lib/wasm32-wasi")):
        link = root / sub / "wasm32-wasi"
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.is_symlink():
            link.symlink_to(target)
    return root


def corpus_crates() -> dict[str, dict]:
    """name -> {version, dir} of the pinned crates (downloads them into cargo's cache if needed)."""
    cmd = ["cargo", "metadata", "--locked", "--format-version", "1",
           "--manifest-path", str(CORPUS_MANIFEST)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"build.py: {' '.join(cmd)} failed:\n{r.stderr}")
    meta = json.loads(r.stdout)
    return {p["name"]: {"version": p["version"], "dir": Path(p["manifest_path"]).parent}
            for p in meta["packages"]}


def _run_quiet(cmd: list[str], env: dict | None = None) -> None:
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}{r.stderr}")


class Builder:
    def __init__(self, rebuild: bool = False):
        self.clang = find_clang()
        self.sysroot = wasi_sysroot()
        self.crates = corpus_crates()
        self.rebuild = rebuild
        self.env_wasm = dict(os.environ, PATH=clean_path())
        self.wasm_ldflags = WASM_LDFLAGS + [f"-fuse-ld={wasm_linker(self.clang)}"]
        # Our files next to the drivers (bench_common.h, lua_bench.lua, ...): a driver depends on
        # all of them.
        self.driver_deps = [f for f in PROGRAMS.iterdir() if f.is_file()]

    def src_dir(self, p: Program) -> Path | None:
        return self.crates[p.crate]["dir"] / p.subdir if p.crate else None

    def flags(self, p: Program) -> list[str]:
        base = self.src_dir(p)
        out = []
        for inc in p.includes:
            out.append("-I" + str(PROGRAMS / inc[2:] if inc.startswith("@/") else base / inc))
        out.append("-I" + str(PROGRAMS))
        return out + list(p.cflags)

    def target_cmd(self, target: str) -> list[str]:
        if target == "native":
            return [self.clang] + OPT
        extra = EXTRA_TARGETS.get(target, [])
        return [self.clang, "--target=wasm32-wasi", f"--sysroot={self.sysroot}"] + OPT + extra

    def our_deps(self, p: Program) -> list[Path]:
        """Our files that the library's sources see: force-included headers and @/ include dirs."""
        deps = [Path(f) for f in p.cflags if f.startswith(str(PROGRAMS))]
        for inc in p.includes:
            if inc.startswith("@/"):
                deps += [f for f in (PROGRAMS / inc[2:]).rglob("*") if f.is_file()]
        return deps

    def _up_to_date(self, out: Path, inputs: list[Path], cmd: list[str]) -> bool:
        stamp = out.with_name(out.name + ".cmd")
        key = hashlib.sha256("\0".join(cmd).encode()).hexdigest()
        if self.rebuild or not out.exists() or not stamp.exists() or stamp.read_text() != key:
            return False
        t = out.stat().st_mtime
        return all(i.stat().st_mtime <= t for i in inputs)

    def _stamp(self, out: Path, cmd: list[str]) -> None:
        out.with_name(out.name + ".cmd").write_text(
            hashlib.sha256("\0".join(cmd).encode()).hexdigest())

    def build(self, programs: list[Program], jobs: int | None = None, extra: bool = True
              ) -> tuple[dict[str, dict[str, Path]], dict[str, str]]:
        """Builds every program for each target (EXTRA_TARGETS too when `extra`). Returns
        (name -> {native, wasm[, wasm-simd, wasm-bulk]}
        paths of the programs that built, name -> error text of those that did not)."""
        jobs = jobs or os.cpu_count() or 2
        compile_jobs = []  # (size, program, out, cmd, env)
        links = []
        for p in programs:
            sdir = self.src_dir(p)
            flags = self.flags(p)
            srcs = [sdir / s for s in p.sources] + [PROGRAMS / p.driver]
            for target in ("native", "wasm") + (tuple(EXTRA_TARGETS) if extra else ()):
                odir = BUILD / target / p.name
                odir.mkdir(parents=True, exist_ok=True)
                objs = []
                env = None if target == "native" else self.env_wasm
                wasm = target != "native"
                for s in srcs:
                    o = odir / (s.stem + ".o")
                    # -w: the library's own warnings are not ours to fix.
                    quiet = ["-w"] if s.parent != PROGRAMS else []
                    cmd = self.target_cmd(target) + quiet + flags + ["-c", str(s), "-o", str(o)]
                    objs.append(o)
                    deps = [s] + self.our_deps(p)
                    if s.parent == PROGRAMS:
                        deps += self.driver_deps
                    if not self._up_to_date(o, deps, cmd):
                        compile_jobs.append((s.stat().st_size, p.name, o, cmd, env))
                exe = BUILD / target / (p.name + (".wasm" if wasm else ".native"))
                if not wasm:
                    lcmd = self.target_cmd(target) + [str(o) for o in objs] + ["-o", str(exe), "-lm"]
                else:
                    lcmd = (self.target_cmd(target) + self.wasm_ldflags + [str(o) for o in objs]
                            + ["-o", str(exe)] + list(p.wasm_libs) + ["-lm"])
                links.append((p.name, target, exe, objs, lcmd, env))
        compile_jobs.sort(key=lambda j: -j[0])  # the big ones (sqlite3.c) first
        if compile_jobs:
            log(f"compiling {len(compile_jobs)} C files with {jobs} jobs ...")
        failed: dict[str, str] = {}
        with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
            futs = {ex.submit(_run_quiet, cmd, env): (name, o, cmd)
                    for _, name, o, cmd, env in compile_jobs}
            for f in concurrent.futures.as_completed(futs):
                name, o, cmd = futs[f]
                try:
                    f.result()
                    self._stamp(o, cmd)
                except RuntimeError as e:
                    failed.setdefault(name, str(e))
        out: dict[str, dict[str, Path]] = {}
        for name, target, exe, objs, lcmd, env in links:
            if name in failed:
                continue
            if not self._up_to_date(exe, objs, lcmd):
                try:
                    _run_quiet(lcmd, env)
                except RuntimeError as e:
                    failed[name] = str(e)
                    continue
                self._stamp(exe, lcmd)
            out.setdefault(name, {})[target] = exe
        for name in failed:
            out.pop(name, None)
            log(f"BUILD FAILED: {name}\n" + "\n".join(failed[name].splitlines()[:40]))
        return out, failed

    def build_parallel(self) -> dict[str, Path]:
        """The parallel benchmark (benches/parallel/) natively (x86-64 baseline, as the C corpus)
        and for wasm32-wasip1-threads from the same source, with cargo, which knows when to
        rebuild. Returns {native, wasm}; raises RuntimeError when a build fails."""
        tdir = BUILD / "parallel"
        for target in ([], ["--target", "wasm32-wasip1-threads"]):
            _run_quiet(["cargo", "build", "--quiet", "--release", "--locked", "--manifest-path",
                        str(PARALLEL_MANIFEST), "--target-dir", str(tdir)] + target)
        return {"native": tdir / "release" / PARALLEL_NAME,
                "wasm": tdir / "wasm32-wasip1-threads" / "release" / (PARALLEL_NAME + ".wasm")}

    def build_runmeasure(self) -> Path:
        """The harness's measuring helper (benches/tools/runmeasure.c), static so that its own
        footprint, which ends up in the children's ru_maxrss, stays tiny."""
        src = BENCHES / "tools" / "runmeasure.c"
        exe = BUILD / "runmeasure"
        cmd = [self.clang] + OPT + ["-static", str(src), "-o", str(exe)]
        if not self._up_to_date(exe, [src], cmd):
            BUILD.mkdir(parents=True, exist_ok=True)
            _run_quiet(cmd)
            self._stamp(exe, cmd)
        return exe

    def build_hello(self, hello_c: Path) -> dict[str, Path]:
        """hello world: a static native executable and a wasm32-wasi module."""
        odir = BUILD / "hello"
        odir.mkdir(parents=True, exist_ok=True)
        res = {}
        for target, exe, extra in (("native", odir / "hello.static", ["-static"]),
                                   ("wasm", odir / "hello.wasm", self.wasm_ldflags)):
            cmd = self.target_cmd(target) + extra + [str(hello_c), "-o", str(exe)]
            if not self._up_to_date(exe, [hello_c], cmd):
                _run_quiet(cmd, None if target == "native" else self.env_wasm)
                self._stamp(exe, cmd)
            res[target] = exe
        return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("programs", nargs="*", help="subset of: " + " ".join(p.name for p in CORPUS))
    ap.add_argument("--rebuild", action="store_true", help="ignore up-to-date outputs")
    a = ap.parse_args()
    progs = [p for p in CORPUS if not a.programs or p.name in a.programs]
    b = Builder(rebuild=a.rebuild)
    built, failed = b.build(progs)
    for name, t in built.items():
        print(name, t["native"], t["wasm"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
