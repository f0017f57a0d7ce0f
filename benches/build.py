#!/usr/bin/env python3
"""Builds the benchmark corpus of wasm2native natively and for wasm32-wasi (Python 3.11 stdlib).

    python3 benches/build.py [--rebuild] [PROGRAM ...]

run.py calls this itself; running it alone only builds. Every C or C++ program is compiled
twice with the same clang, the same -O2 and the same -D/-I flags:

    native:        clang-19 -O2 -march=LEVEL -ffp-contract=off FLAGS ...      -> NAME.native
    wasm32-wasi:   clang-19 --target=wasm32-wasi --sysroot=S -O2 FLAGS ...   -> NAME.wasm

(C++: clang-19 --driver-mode=g++, libstdc++ natively and Debian's wasm32 libc++), and, for more
configurations, once more for wasm per entry of EXTRA_TARGETS: with -msimd128 added
(wasm-simd/NAME.wasm; native x86-64 code gets SSE2 vectors from clang's vectorizers by default,
wasm32 only with simd128 enabled) and with -mbulk-memory added (wasm-bulk/NAME.wasm; clang then
compiles memcpy, memmove and memset calls to memory.copy and memory.fill). LEVEL is
the CPU level of the wasm2native executables compared with it (wasm2native's --target-cpu:
x86-64-v2, x86-64-v3 or native, which are also clang's -march and rustc's -C target-cpu names);
native code of each level goes to target/benches/native-LEVEL/.

The Rust programs (benches/rust/, lang="rust") are built by cargo from the same source and the
same locked crate versions: natively with -C target-cpu=LEVEL, for wasm32-wasip1, and for
wasm32-wasip1 with -C target-feature=+simd128. They have no -mbulk-memory configuration: rustc
enables bulk memory for wasm32-wasip1 by default, so their wasm32-wasip1 modules already use it.

The third-party C and C++ sources come from crates.io packages pinned in benches/corpus/Cargo.toml
and Cargo.lock: `cargo metadata --locked` downloads those exact versions into cargo's cache and
says where they are; nothing is copied into the repository. Outputs go to target/benches/.

Needs clang-19, lld-19 (wasm-ld), wasi-libc, libclang-rt-19-dev-wasm32 and libc++-19-dev-wasm32
(Debian names), cargo with Rust's wasm32-wasip1 target, and a glibc C/C++ toolchain for the native
builds (plus libc.a for the static hello world). The
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
# The Rust programs: one Cargo project, one binary per program (its own lock file).
RUST_MANIFEST = BENCHES / "rust" / "Cargo.toml"
# The parallel benchmark: a Rust program using rayon (its own Cargo project and lock file).
PARALLEL_MANIFEST = BENCHES / "parallel" / "Cargo.toml"
PARALLEL_NAME = "mandelbrot_rayon"
BUILD = REPO / "target" / "benches"

OPT = ["-O2"]
# Native code only: wasm has no fused multiply-add, so clang never fuses a*b+c there, while natively
# at a CPU level with FMA (x86-64-v3, most `native`s) it would by default, rounding differently
# and printing other digits than the wasm builds.
NATIVE_OPT = ["-ffp-contract=off"]
# wasm2native's default --target-cpu, the lowest level it generates code for.
DEFAULT_LEVEL = "x86-64-v2"
# wasm32-wasi link options. --strip-debug: Debian's wasi-libc carries DWARF. The 1 MiB shadow stack
# (wasm-ld's default is 64 KiB) only matters for deep C recursion; the native stack is 8 MiB.
WASM_LDFLAGS = ["-Wl,--strip-debug", "-Wl,-z,stack-size=1048576"]


@dataclasses.dataclass(frozen=True)
class ExtraTarget:
    """An extra wasm configuration: what its build adds to the wasm build's flags."""
    clang: tuple[str, ...]  # C and C++: clang flags
    rustflags: str | None   # Rust: RUSTFLAGS; None: not built (the same as the wasm build)


# The extra wasm configurations: target directory -> the flags added to the wasm build's.
EXTRA_TARGETS = {
    "wasm-simd": ExtraTarget(("-msimd128",), "-C target-feature=+simd128"),
    # rustc (1.87 onwards, with LLVM 20) already enables bulk memory for wasm32-wasip1; clang 19
    # does not.
    "wasm-bulk": ExtraTarget(("-mbulk-memory",), None),
}


def target_cpu(w2n_flags: list[str]) -> str:
    """The --target-cpu that wasm2native options ask for (its default when they do not): the CPU
    level the native builds compared with those executables are made for."""
    level = DEFAULT_LEVEL
    for i, f in enumerate(w2n_flags):
        if f == "--target-cpu" and i + 1 < len(w2n_flags):
            level = w2n_flags[i + 1]
        elif f.startswith("--target-cpu="):
            level = f.split("=", 1)[1]
    return level


def with_target_cpu(w2n_flags: list[str], level: str) -> list[str]:
    """wasm2native options with their --target-cpu replaced by (or set to) `level`."""
    out, skip = [], False
    for f in w2n_flags:
        if skip:
            skip = False
        elif f == "--target-cpu":
            skip = True
        elif not f.startswith("--target-cpu="):
            out.append(f)
    return out + ["--target-cpu", level]


def native_target(level: str) -> str:
    """The build target (and folder of target/benches/) of native code for CPU level `level`."""
    return f"native-{level}"


@dataclasses.dataclass
class Program:
    name: str
    what: str                      # one line for the report
    driver: str                    # our C/C++ file in benches/programs/, or the Rust binary's name
    lang: str = "c"                # "c", "c++" or "rust" (a binary of benches/rust/)
    crate: str | None = None       # crates.io package of the library (C/C++: carrying its sources)
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
    Program(
        "regex", "Rust regex: 8 patterns over 4 MiB of text, captures, a RegexSet per line, "
        "replace_all; twice", "regex_bench", lang="rust", crate="regex",
    ),
    Program(
        "serde_json", "Rust serde_json: 30k derived records to JSON (compact, pretty) and back, "
        "typed and as Value; twice", "json_bench", lang="rust", crate="serde_json",
    ),
    Program(
        "meshopt", "C++ meshoptimizer: terrain of 200k triangles deduplicated, optimized (vertex "
        "cache, overdraw, fetch), simplified, meshlets, buffer codecs; twice",
        "meshopt_bench.cpp", lang="c++", crate="meshopt", subdir="vendor/src",
        sources=tuple(f"{n}.cpp" for n in
                      "allocator clusterizer indexanalyzer indexcodec indexgenerator meshletcodec "
                      "meshletutils opacitymap overdrawoptimizer partition quantization rasterizer "
                      "remesher simplifier spatialorder stripifier tangentspace vcacheoptimizer "
                      "vertexcodec vertexfilter vfetchoptimizer".split()),
        includes=(".",),
        # As the meshopt crate builds it (release: no asserts); the library throws no exceptions.
        cflags=("-DNDEBUG", "-fno-exceptions"),
        upstream="meshoptimizer 1.3",
    ),
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
    """name -> {version, dir} of the pinned crates, those bundling C/C++ sources and those the Rust
    programs use (downloads them into cargo's cache if needed)."""
    crates = {}
    for manifest in (CORPUS_MANIFEST, RUST_MANIFEST):
        cmd = ["cargo", "metadata", "--locked", "--format-version", "1",
               "--manifest-path", str(manifest)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"build.py: {' '.join(cmd)} failed:\n{r.stderr}")
        crates.update({p["name"]: {"version": p["version"], "dir": Path(p["manifest_path"]).parent}
                       for p in json.loads(r.stdout)["packages"]})
    return crates


def _run_quiet(cmd: list[str], env: dict | None = None) -> None:
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}{r.stderr}")


def _cargo_build(manifest: Path, target_dir: Path, rustflags: str, args: list[str]) -> None:
    """`cargo build --release --locked` of `manifest` into `target_dir` with exactly `rustflags`
    (one target dir per set of flags, so that switching between them rebuilds nothing)."""
    env = {k: v for k, v in os.environ.items() if k != "CARGO_ENCODED_RUSTFLAGS"}
    env["RUSTFLAGS"] = rustflags
    _run_quiet(["cargo", "build", "--quiet", "--release", "--locked", "--manifest-path",
                str(manifest), "--target-dir", str(target_dir)] + args, env)


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

    def target_cmd(self, target: str, lang: str = "c") -> list[str]:
        """The compiler command for `target` (wasm, a key of EXTRA_TARGETS or
        native_target(LEVEL))."""
        clang = [self.clang] + (["--driver-mode=g++"] if lang == "c++" else [])
        if target.startswith("native-"):
            return clang + OPT + NATIVE_OPT + [f"-march={target.removeprefix('native-')}"]
        extra = list(EXTRA_TARGETS[target].clang) if target in EXTRA_TARGETS else []
        return clang + ["--target=wasm32-wasi", f"--sysroot={self.sysroot}"] + OPT + extra

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

    def build(self, programs: list[Program], jobs: int | None = None, extra: bool = True,
              levels: tuple[str, ...] = (DEFAULT_LEVEL,)
              ) -> tuple[dict[str, dict[str, Path]], dict[str, str]]:
        """Builds every program for each target: natively for each CPU level of `levels`, for
        wasm32 and (with `extra`) for each of EXTRA_TARGETS. Returns (name ->
        {native_target(LEVEL)..., wasm[, wasm-simd, wasm-bulk]} paths of the programs that built,
        name -> error text of those that did not)."""
        jobs = jobs or os.cpu_count() or 2
        targets = tuple(native_target(lv) for lv in levels) + ("wasm",) + (
            tuple(EXTRA_TARGETS) if extra else ())
        out, failed = self.build_rust([p for p in programs if p.lang == "rust"], targets)
        compile_jobs = []  # (size, program, out, cmd, env)
        links = []
        for p in programs:
            if p.lang == "rust":
                continue
            for target in targets:
                objs, jobs_p = self._compile_jobs(p, target)
                compile_jobs += jobs_p
                links.append((p.name, target) + self._link_job(p, target, objs) + (objs,))
        compile_jobs.sort(key=lambda j: -j[0])  # the big ones (sqlite3.c) first
        if compile_jobs:
            log(f"compiling {len(compile_jobs)} C/C++ files with {jobs} jobs ...")
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
        for name, target, exe, lcmd, env, objs in links:
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

    def _compile_jobs(self, p: Program, target: str) -> tuple[list[Path], list[tuple]]:
        """The objects of a C/C++ program for `target`, and the compile jobs (size, program, out,
        cmd, env) of those not up to date."""
        sdir = self.src_dir(p)
        flags = self.flags(p)
        odir = BUILD / target / p.name
        odir.mkdir(parents=True, exist_ok=True)
        env = None if target.startswith("native-") else self.env_wasm
        objs, jobs = [], []
        for s in [sdir / s for s in p.sources] + [PROGRAMS / p.driver]:
            o = odir / (s.stem + ".o")
            # -w: the library's own warnings are not ours to fix.
            quiet = ["-w"] if s.parent != PROGRAMS else []
            cmd = self.target_cmd(target, p.lang) + quiet + flags + ["-c", str(s), "-o", str(o)]
            objs.append(o)
            deps = [s] + self.our_deps(p)
            if s.parent == PROGRAMS:
                deps += self.driver_deps
            if not self._up_to_date(o, deps, cmd):
                jobs.append((s.stat().st_size, p.name, o, cmd, env))
        return objs, jobs

    def _link_job(self, p: Program, target: str, objs: list[Path]
                  ) -> tuple[Path, list[str], dict | None]:
        """(executable or module, link command, environment) of a C/C++ program for `target`."""
        cmd = self.target_cmd(target, p.lang)
        if target.startswith("native-"):
            exe = BUILD / target / (p.name + ".native")
            return exe, cmd + [str(o) for o in objs] + ["-o", str(exe), "-lm"], None
        exe = BUILD / target / (p.name + ".wasm")
        return (exe, cmd + self.wasm_ldflags + [str(o) for o in objs] + ["-o", str(exe)]
                + list(p.wasm_libs) + ["-lm"], self.env_wasm)

    def build_rust(self, programs: list[Program], targets: tuple[str, ...]
                   ) -> tuple[dict[str, dict[str, Path]], dict[str, str]]:
        """The Rust programs (binaries of benches/rust/) for each target, with cargo, which knows
        when to rebuild: natively with -C target-cpu=LEVEL, for wasm32-wasip1 (with the
        EXTRA_TARGETS rustflags for those targets; none for those without). Returns what build()
        does."""
        out: dict[str, dict[str, Path]] = {}
        failed: dict[str, str] = {}
        if not programs:
            return out, failed
        bins = [a for p in programs for a in ("--bin", p.driver)]
        for target in targets:
            if target.startswith("native-"):
                rustflags, triple = f"-C target-cpu={target.removeprefix('native-')}", []
            else:
                rustflags = EXTRA_TARGETS[target].rustflags if target in EXTRA_TARGETS else ""
                if rustflags is None:
                    continue
                triple = ["--target", "wasm32-wasip1"]
            tdir = BUILD / "rust" / target
            log(" ".join(["cargo build --release", *triple, f"(RUSTFLAGS={rustflags!r}) ..."]))
            try:
                _cargo_build(RUST_MANIFEST, tdir, rustflags, triple + bins)
            except RuntimeError as e:
                failed.update({p.name: str(e) for p in programs})
                continue
            rel = tdir / (triple[1] if triple else "") / "release"
            for p in programs:
                exe = rel / (p.driver + ("" if target.startswith("native-") else ".wasm"))
                out.setdefault(p.name, {})[target] = exe
        for name in failed:
            out.pop(name, None)
        return out, failed

    def build_parallel(self, level: str) -> dict[str, Path]:
        """The parallel benchmark (benches/parallel/) natively (-C target-cpu=LEVEL, as the
        corpus's native builds) and for wasm32-wasip1-threads from the same source, with cargo.
        Returns {native, wasm}; raises RuntimeError when a build fails."""
        tdir = BUILD / "parallel"
        _cargo_build(PARALLEL_MANIFEST, tdir / native_target(level), f"-C target-cpu={level}", [])
        _cargo_build(PARALLEL_MANIFEST, tdir, "", ["--target", "wasm32-wasip1-threads"])
        return {"native": tdir / native_target(level) / "release" / PARALLEL_NAME,
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

    def build_hello(self, hello_c: Path, level: str = DEFAULT_LEVEL) -> dict[str, Path]:
        """hello world: a static native executable and a wasm32-wasi module."""
        odir = BUILD / "hello"
        odir.mkdir(parents=True, exist_ok=True)
        res = {}
        for target, exe, extra in ((native_target(level), odir / "hello.static", ["-static"]),
                                   ("wasm", odir / "hello.wasm", self.wasm_ldflags)):
            cmd = self.target_cmd(target) + extra + [str(hello_c), "-o", str(exe)]
            if not self._up_to_date(exe, [hello_c], cmd):
                _run_quiet(cmd, None if target != "wasm" else self.env_wasm)
                self._stamp(exe, cmd)
            res["wasm" if target == "wasm" else "native"] = exe
        return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("programs", nargs="*", help="subset of: " + " ".join(p.name for p in CORPUS))
    ap.add_argument("--rebuild", action="store_true", help="ignore up-to-date outputs")
    ap.add_argument("--target-cpu", default="native", help="CPU level of the native builds "
                    "(clang's -march, rustc's -C target-cpu; default: %(default)s)")
    a = ap.parse_args()
    progs = [p for p in CORPUS if not a.programs or p.name in a.programs]
    b = Builder(rebuild=a.rebuild)
    built, failed = b.build(progs, levels=(a.target_cpu,))
    for name, t in built.items():
        print(name, t[native_target(a.target_cpu)], t["wasm"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
