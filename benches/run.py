#!/usr/bin/env python3
"""wasm2native benchmark harness (Python 3.11 standard library only).

    python3 benches/run.py                 # everything: ~20 minutes on 2 cores (+10 the first time)
    python3 benches/run.py --quick         # 1 run each, short start-up loop, report in target/benches/
    python3 benches/run.py --programs sqlite,lua --runs 3

Steps:
  1. builds wasm2native (`cargo build --release -p wasm2native`) and the corpus (benches/build.py:
     every C/C++ program natively and for wasm32-wasi with clang-19 -O2, the Rust ones with cargo
     natively and for wasm32-wasip1; natively for the CPU level of --w2n-flags' --target-cpu and
     for x86-64-v2, the baseline pair's; for wasm once more with simd128 and once with bulk
     memory (C/C++ only: rustc enables it by default) for the extra configurations, which
     --no-extra skips),
  2. compiles every module with wasm2native and, when a wasmtime is found ($WASMTIME or PATH), with
     `wasmtime compile`,
  3. runs each program once under native, wasm2native and wasmtime and checks that stdout and the
     exit status are identical (a wasm2native output that differs from native is a compiler bug:
     it is reported loudly, left out of the timings, and the harness exits with status 1),
  4. times native, wasm2native and wasmtime (and both again on the modules of each extra
     configuration) interleaved (--runs rounds, the runner order rotating), then the baseline
     pair, native and wasm2native both for x86-64-v2 (--baseline-runs rounds),
  5. times the parallel benchmark (benches/parallel/, Rust and rayon, natively and for
     wasm32-wasip1-threads) under native, wasm2native and wasmtime with 1 and 2 threads
     (RAYON_NUM_THREADS), interleaved, for the 2-thread/1-thread speedups (--no-parallel skips it),
  6. measures start-up (hello world) and compilation (the largest module), and
  7. writes RESULTS.md and results.svg (into benches/, or --out) and the raw numbers as
     target/benches/results.json.
"""
from __future__ import annotations

import argparse
import shlex
import dataclasses
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no benches/__pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import build  # noqa: E402  (benches/build.py)

REPO = build.REPO
BUILD = build.BUILD
HELLO_C = REPO / "tests" / "programs" / "c" / "hello.c"
WASMTIME_HINT = ("cargo install wasmtime-cli --version 48.0.8 --locked   (about 20 minutes), then put "
                 "~/.cargo/bin on PATH or set WASMTIME=/path/to/wasmtime")
RUNNERS = ("native", "wasm2native", "wasmtime")


@dataclasses.dataclass(frozen=True)
class ExtraConfig:
    """The same programs built for wasm with more flags (build.EXTRA_TARGETS), run under
    wasm2native and wasmtime in the same rounds and reported in a table of their own."""
    target: str   # build.py's target directory, a key of build.EXTRA_TARGETS
    tag: str      # runner suffix: "wasm2native+TAG"
    title: str    # the report's heading
    why: str      # the report's explanation

    @property
    def runners(self) -> tuple[str, str]:
        return (f"wasm2native+{self.tag}", f"wasmtime+{self.tag}")

    @property
    def flag(self) -> str:
        """The clang flags the configuration adds."""
        return " ".join(build.EXTRA_TARGETS[self.target].clang)


EXTRA_CONFIGS = (
    ExtraConfig("wasm-simd", "simd128", "Second configuration: wasm built with `-msimd128`",
                "clang vectorizes native x86-64 code with the vectors of its CPU level (SSE2 at "
                "least, AVX2 from x86-64-v3); for wasm32 it needs `-msimd128`."),
    ExtraConfig("wasm-bulk", "bulk-memory", "Third configuration: wasm built with `-mbulk-memory`",
                "With `-mbulk-memory` clang compiles the program's `memcpy`, `memmove` and `memset` "
                "calls to `memory.copy` and `memory.fill`, which wasm2native checks in compiled "
                "code and runs with its runtime's routines (wasi-libc's own routines still run "
                "where libc calls them). C and C++ programs only: rustc enables bulk memory for "
                "wasm32-wasip1 by default, so the Rust modules above already use it."),
)
EXTRA_RUNNERS = tuple(r for c in EXTRA_CONFIGS for r in c.runners)
# The baseline pair: native code and wasm2native executables both for wasm2native's default (and
# lowest) CPU level, timed in rounds of their own when the main pair is for another level.
BASELINE = build.DEFAULT_LEVEL
BASELINE_RUNNERS = (f"native@{BASELINE}", f"wasm2native@{BASELINE}")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Measuring one process


@dataclasses.dataclass
class Meas:
    wall: float      # seconds, spawn to reap
    cpu: float       # user + system seconds
    rss_kb: int      # peak resident set size (ru_maxrss)
    status: int


RUNMEASURE: Path | None = None  # benches/tools/runmeasure.c, built in main()


def measure(argv: list[str], stdout: str = os.devnull, stderr: str = os.devnull,
            env: dict[str, str] | None = None) -> Meas:
    """Runs argv (argv[0] an absolute path) under the runmeasure helper, which times it from fork to
    wait4 and reports its rusage (see benches/tools/runmeasure.c for why not from Python), with the
    environment variables `env` added to ours."""
    result = BUILD / "runmeasure.out"
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    helper = [str(RUNMEASURE), str(result)]
    pid = os.posix_spawn(helper[0], helper + argv, dict(os.environ, **(env or {})),
                         file_actions=actions)
    _, status, _ = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"runmeasure failed on {argv}")
    wall_ns, rss, ut, st, code = (int(x) for x in result.read_text().split())
    return Meas(wall_ns / 1e9, (ut + st) / 1e6, rss, code)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def geomean(xs: list[float]) -> float:
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def run_text(cmd: list[str], **kw) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, **kw)
        return (r.stdout or r.stderr).strip()
    except OSError as e:
        return f"unavailable ({e})"


# --------------------------------------------------------------------------------------------
# Machine and tool facts


def machine_facts() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    osname = platform.system()
    try:
        osname = re.search(r'PRETTY_NAME="([^"]*)"', Path("/etc/os-release").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    return {"nproc": run_text(["nproc"]), "cpu": cpu, "memory": mem, "os": osname,
            "kernel": platform.release()}


def wasm2native_rev() -> str:
    rev = run_text(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"])
    dirty = run_text(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no",
                      "--", ".", ":(exclude)benches"])
    return rev + (" + uncommitted changes" if dirty else "")


def cranelift_version() -> str:
    try:
        m = re.search(r'name = "cranelift-codegen"\nversion = "([^"]+)"',
                      (REPO / "Cargo.lock").read_text())
        return m.group(1) if m else "?"
    except OSError:
        return "?"


def find_wasmtime() -> tuple[str | None, str]:
    """(path, explanation)."""
    env = os.environ.get("WASMTIME")
    if env:
        p = shutil.which(env) or (env if os.access(env, os.X_OK) else None)
        if p:
            return os.path.abspath(p), f"$WASMTIME={env}"
        return None, f"$WASMTIME={env} is not an executable file"
    p = shutil.which("wasmtime")
    if p:
        return p, "found on PATH"
    return None, "no `wasmtime` on PATH and $WASMTIME is not set"


def find_wasmtime_threads(wasmtime: str | None) -> tuple[str | None, str]:
    """The wasmtime for the parallel benchmark, and what it is or why there is none: wasmtime 47
    removed wasi-threads, so $WASMTIME_THREADS (a wasmtime before 47), else the main wasmtime if
    it is older than 47."""
    cand = os.environ.get("WASMTIME_THREADS") or wasmtime
    if not cand:
        return None, "no wasmtime"
    version = run_text([cand, "--version"])
    m = re.match(r"wasmtime (\d+)\.", version)
    if not m:
        return None, f"`{cand} --version` says `{version}`"
    if int(m.group(1)) >= 47:
        return None, (f"{version} has no wasi-threads (removed in 47): set WASMTIME_THREADS to a "
                      "wasmtime before 47 (`cargo install wasmtime-cli --version 46.0.3 --locked "
                      "--root DIR`)")
    return cand, version


def build_wasm2native(skip: bool) -> Path:
    env = os.environ.get("WASM2NATIVE")
    if env:
        return Path(env).resolve()
    exe = REPO / "target" / "release" / "wasm2native"
    if not skip:
        # Static executables need Rust's musl target where wasm2native is built (cli/build.rs);
        # the Rust programs are built for wasm32-wasip1, the parallel benchmark for
        # wasm32-wasip1-threads.
        if shutil.which("rustup"):
            targets = ["x86_64-unknown-linux-musl", "wasm32-wasip1", "wasm32-wasip1-threads"]
            log(f"rustup target add {' '.join(targets)} ...")
            subprocess.run(["rustup", "target", "add", *targets], cwd=REPO)
        log("cargo build --release -p wasm2native ...")
        r = subprocess.run(["cargo", "build", "--release", "-p", "wasm2native"], cwd=REPO)
        if r.returncode != 0:
            sys.exit("run.py: building wasm2native failed")
    if not exe.exists():
        sys.exit(f"run.py: {exe} missing (build it, or set WASM2NATIVE=/path)")
    return exe


# --------------------------------------------------------------------------------------------
# The benchmark


def compile_module(cmd: list[str], out: Path) -> tuple[Meas, str]:
    errf = BUILD / "compile.stderr"
    m = measure(cmd, stderr=str(errf))
    err = errf.read_text(errors="replace") if m.status != 0 else ""
    return m, err


def _leb(b: bytes, i: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = b[i]
        i += 1
        n |= (byte & 0x7F) << shift
        if byte < 0x80:
            return n, i
        shift += 7


def _leb_bytes(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def code_bytes(module: Path) -> int:
    """The size of a module's code section: what the compilers work on (regex's module is larger
    than SQLite's by its Unicode tables, data that both copy as it is)."""
    b = module.read_bytes()
    i = 8
    while i < len(b):
        size, j = _leb(b, i + 1)
        if b[i] == 10:
            return size
        i = j + size
    return 0


def enlarged_module(src: Path, copies: int, dst: Path) -> Path:
    """`src` with every defined function's body present `copies` times (the copies call the
    originals): a module of `copies` times the code, made of real function bodies, for measuring
    the compilers on a big module."""
    b = src.read_bytes()
    out, i = bytearray(b[:8]), 8
    while i < len(b):
        sid = b[i]
        size, j = _leb(b, i + 1)
        payload = b[j:j + size]
        i = j + size
        if sid in (3, 10):  # function section (type indices), code section (sized bodies)
            count, k = _leb(payload, 0)
            items = payload[k:]
            payload = _leb_bytes(count * copies) + items * copies
        out += bytes([sid]) + _leb_bytes(len(payload)) + payload
    dst.write_bytes(out)
    return dst


def first_difference(a: bytes, b: bytes) -> str:
    la, lb = a.decode(errors="replace").splitlines(), b.decode(errors="replace").splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<end of output>"
        y = lb[i] if i < len(lb) else "<end of output>"
        if x != y:
            return f"line {i + 1}: native `{x}` vs `{y}`"
    return "same lines, different bytes (line endings or trailing data)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9, help="timed runs of each program per runner")
    ap.add_argument("--baseline-runs", type=int, default=3,
                    help=f"timed rounds of the baseline pair (native and wasm2native both for "
                    f"{BASELINE}; 0 skips it; default: %(default)s)")
    ap.add_argument("--startup-runs", type=int, default=200, help="runs of each hello world")
    ap.add_argument("--compile-runs", type=int, default=3, help="runs of each compiler on the largest module")
    ap.add_argument("--programs", default="", help="comma-separated subset of the corpus")
    ap.add_argument("--no-extra", action="store_true",
                    help="skip the extra configurations (wasm built with "
                    + ", ".join(c.flag for c in EXTRA_CONFIGS) + ")")
    ap.add_argument("--no-parallel", action="store_true",
                    help="skip the parallel benchmark (1 and 2 threads)")
    ap.add_argument("--quick", action="store_true",
                    help="1 run, 20 start-up runs, 1 compile run; report goes to target/benches/")
    ap.add_argument("--out", type=Path, help="directory for RESULTS.md and results.svg "
                    "(default benches/, or target/benches/ with --quick)")
    ap.add_argument("--no-cargo-build", action="store_true",
                    help="use the existing target/release/wasm2native")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the corpus from scratch")
    ap.add_argument("--w2n-flags", default="--target-cpu native",
                    help="wasm2native options for every module (default: %(default)s, which, "
                    "like wasmtime, generates code for this machine's CPU); the native builds are "
                    "made for the same --target-cpu (clang -march, rustc -C target-cpu)")
    a = ap.parse_args()
    w2n_flags = shlex.split(a.w2n_flags)
    if a.quick:
        a.runs, a.startup_runs, a.compile_runs, a.baseline_runs = 1, 20, 1, 1
    level = build.target_cpu(w2n_flags)
    baseline = level != BASELINE and a.baseline_runs > 0
    out_dir = a.out or (BUILD if a.quick else REPO / "benches")
    out_dir.mkdir(parents=True, exist_ok=True)
    command = "python3 benches/run.py" + "".join(" " + x for x in sys.argv[1:])
    started = time.time()
    load_start = os.getloadavg()[0]
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    # ---- tools
    w2n = build_wasm2native(a.no_cargo_build)
    wasmtime, wasmtime_why = find_wasmtime()
    if not wasmtime:
        log("=" * 78)
        log(f"WASMTIME MISSING: {wasmtime_why}. The wasmtime columns are skipped.")
        log(f"Install it with: {WASMTIME_HINT}")
        log("=" * 78)
    builder = build.Builder(rebuild=a.rebuild)
    global RUNMEASURE
    RUNMEASURE = builder.build_runmeasure()
    tools = {
        "clang": run_text([builder.clang, "--version"]).splitlines()[0],
        "wasmtime": run_text([wasmtime, "--version"]) if wasmtime else f"not available: {wasmtime_why}",
        "wasm2native": f"{run_text([str(w2n), '--version'])}, git {wasm2native_rev()}, "
                       f"Cranelift {cranelift_version()}, flags `{' '.join(w2n_flags) or '(none)'}`",
        "native builds": f"`clang -O2 -march={level} {' '.join(build.NATIVE_OPT)}`, Rust "
                         f"`cargo build --release` with `-C target-cpu={level}`"
                         + (f"; baseline pair: `-march={BASELINE}`" if baseline else ""),
        "rustc": run_text(["rustc", "--version"]),
        "python": platform.python_version(),
    }
    corpus_versions = {n: c["version"] for n, c in builder.crates.items()}

    # ---- build the corpus and the hello worlds
    selected = [p for p in build.CORPUS
                if not a.programs or p.name in a.programs.split(",")]
    if not selected:
        sys.exit(f"run.py: no program matches --programs {a.programs}")
    t = time.time()
    built, build_failed = builder.build(selected, extra=not a.no_extra,
                                        levels=(level,) + ((BASELINE,) if baseline else ()))
    hello = builder.build_hello(HELLO_C, level)
    hello_dyn = BUILD / "hello" / "hello.dynamic"
    build._run_quiet([builder.clang, "-O2", str(HELLO_C), "-o", str(hello_dyn)])
    log(f"corpus built in {time.time() - t:.0f} s")

    # ---- compile every module with wasm2native and wasmtime
    problems: list[str] = []  # human-readable failures for the report
    untimed: dict[str, str] = {n: "failed to build" for n in build_failed}  # name -> why
    for name, err in build_failed.items():
        problems.append(f"**{name}** failed to build:\n\n```\n{err.strip()[:3000]}\n```")
    w2n_dir, cw_dir = BUILD / "w2n", BUILD / "cwasm"
    w2n_dir.mkdir(exist_ok=True)
    cw_dir.mkdir(exist_ok=True)
    modules = {name: t["wasm"] for name, t in built.items()}
    modules["hello"] = hello["wasm"]
    exes: dict[str, dict[str, list[str]]] = {}
    per_module: dict[str, dict] = {}
    for name, wasm in modules.items():
        info = {"wasm_bytes": wasm.stat().st_size}
        exe = w2n_dir / name
        m, err = compile_module([str(w2n), *w2n_flags, str(wasm), "-o", str(exe)], exe)
        if m.status != 0:
            problems.append(f"**{name}**: wasm2native failed to compile it:\n\n```\n{err.strip()[:3000]}\n```")
            log(f"WASM2NATIVE COMPILE FAILED: {name}\n{err}")
            untimed[name] = "wasm2native failed to compile it"
            continue
        info.update(w2n_compile_s=m.wall, w2n_bytes=exe.stat().st_size)
        runners = {"wasm2native": [str(exe)]}
        if wasmtime:
            cw = cw_dir / (name + ".cwasm")
            m, err = compile_module([wasmtime, "compile", str(wasm), "-o", str(cw)], cw)
            if m.status != 0:
                problems.append(f"**{name}**: `wasmtime compile` failed:\n\n```\n{err.strip()[:3000]}\n```")
            else:
                info.update(wasmtime_compile_s=m.wall, cwasm_bytes=cw.stat().st_size)
                runners["wasmtime"] = [wasmtime, "run", "--allow-precompiled", str(cw)]
        if name in built:
            native = built[name][build.native_target(level)]
            info["native_bytes"] = native.stat().st_size
            runners["native"] = [str(native)]
            if baseline:
                runners.update(baseline_runners(name, built[name], w2n, w2n_flags, problems))
        for c in EXTRA_CONFIGS:
            module = built.get(name, {}).get(c.target)
            if not module:
                continue
            w2n_runner, wt_runner = c.runners
            sexe = w2n_dir / (name + "." + c.tag)
            m, err = compile_module([str(w2n), *w2n_flags, str(module), "-o", str(sexe)], sexe)
            if m.status != 0:
                problems.append(f"**{name}** ({c.flag}): wasm2native failed to compile it:"
                                f"\n\n```\n{err.strip()[:3000]}\n```")
                continue
            runners[w2n_runner] = [str(sexe)]
            if wasmtime:
                cw = cw_dir / (name + "." + c.tag + ".cwasm")
                m, err = compile_module([wasmtime, "compile", str(module), "-o", str(cw)], cw)
                if m.status == 0:
                    runners[wt_runner] = [wasmtime, "run", "--allow-precompiled", str(cw)]
        exes[name] = runners
        per_module[name] = info
        log(f"compiled {name}: wasm2native {info['w2n_compile_s']:.2f} s"
            + (f", wasmtime {info['wasmtime_compile_s']:.2f} s" if "wasmtime_compile_s" in info else ""))

    # ---- check outputs (this run also warms the page cache)
    out_dir_runs = BUILD / "outputs"
    out_dir_runs.mkdir(exist_ok=True)
    mismatched: dict[str, str] = {}
    progs = [p for p in selected if p.name in exes and "native" in exes[p.name]]
    for p in progs:
        outs = {}
        for r, argv in exes[p.name].items():
            res = subprocess.run(argv + list(p.args), capture_output=True, stdin=subprocess.DEVNULL)
            (out_dir_runs / f"{p.name}.{r}.stdout").write_bytes(res.stdout)
            (out_dir_runs / f"{p.name}.{r}.stderr").write_bytes(res.stderr)
            outs[r] = (res.stdout, res.returncode, res.stderr)
        nat = outs["native"]
        if nat[1] != 0:
            problems.append(f"**{p.name}**: the native build exited with status {nat[1]}: "
                            f"`{nat[2].decode(errors='replace').strip()[:500]}`")
            mismatched[p.name] = "native build failed"
            untimed[p.name] = "the native build failed"
            continue
        for r in [r for r in outs if r != "native"]:
            got = outs[r]
            if got[:2] != nat[:2]:
                why = (f"exit status {got[1]} vs native {nat[1]}" if got[1] != nat[1]
                       else first_difference(nat[0], got[0]))
                err = got[2].decode(errors="replace").strip()
                msg = (f"**{p.name}**: {r} output differs from native: {why}"
                       + (f"; stderr: `{err[:800]}`" if err else "")
                       + f" (outputs in `{out_dir_runs.relative_to(REPO)}/{p.name}.*`)")
                problems.append(msg)
                log("!" * 78 + f"\nOUTPUT MISMATCH: {msg}\n" + "!" * 78)
                if r == "wasm2native":
                    mismatched[p.name] = why
                    untimed[p.name] = "wasm2native output differs from native"
                else:
                    exes[p.name].pop(r)  # keep timing the others
        log(f"checked {p.name}: " + ("MISMATCH" if p.name in mismatched else "outputs identical"))
    progs = [p for p in progs if p.name not in mismatched]

    # ---- timed runs, interleaved, runner order rotating each round
    times = timed_rounds(progs, exes, RUNNERS + EXTRA_RUNNERS, a.runs, problems)
    if baseline:
        for name, t in timed_rounds(progs, exes, BASELINE_RUNNERS, a.baseline_runs, problems,
                                    "baseline pair ").items():
            times[name].update(t)

    # ---- the parallel benchmark, 1 and 2 threads
    wasmtime_threads, wasmtime_threads_why = find_wasmtime_threads(wasmtime)
    parallel = None if a.no_parallel else parallel_section(builder, level, w2n, w2n_flags,
                                                           wasmtime_threads, a.runs, problems)

    # ---- start-up: hello world
    startup_argv = {"native (static)": [str(hello["native"])],
                    "native (dynamic glibc)": [str(hello_dyn)]}
    if "hello" in exes:
        startup_argv["wasm2native"] = exes["hello"]["wasm2native"]
        if "wasmtime" in exes["hello"]:
            startup_argv["wasmtime"] = exes["hello"]["wasmtime"]
    expect = subprocess.run(startup_argv["native (static)"], capture_output=True).stdout
    for r, argv in startup_argv.items():
        got = subprocess.run(argv, capture_output=True).stdout
        if got != expect:
            problems.append(f"**hello**: {r} printed {got!r}, native printed {expect!r}")
    startup: dict[str, list[Meas]] = {r: [] for r in startup_argv}
    for i in range(a.startup_runs):
        for r, argv in startup_argv.items():
            startup[r].append(measure(argv))
    log(f"start-up: {a.startup_runs} runs each done")

    # ---- compilation of the largest module
    compile_stats = {}
    big_stats = None
    largest = max((n for n in modules if n != "hello" and n in per_module),
                  key=lambda n: code_bytes(modules[n]), default=None)
    if largest:
        cmds = {"wasm2native": [str(w2n), *w2n_flags, str(modules[largest]), "-o",
                                str(BUILD / "largest.exe")]}
        if wasmtime:
            cmds["wasmtime compile"] = [wasmtime, "compile", str(modules[largest]),
                                        "-o", str(BUILD / "largest.cwasm")]
        ms = {k: [] for k in cmds}
        for i in range(a.compile_runs):
            for k, c in cmds.items():
                ms[k].append(measure(c))
        compile_stats = {k: v for k, v in ms.items()}
        log(f"compile: {a.compile_runs} runs each on {largest} done")
        # A module of about 20 MB (the size of GCC's cc1 in wasm): the largest one's functions,
        # several times over.
        copies = max(1, round((20 << 20) / modules[largest].stat().st_size))
        big = enlarged_module(modules[largest], copies, BUILD / f"{largest}-x{copies}.wasm")
        big_cmds = {"wasm2native": [str(w2n), *w2n_flags, str(big), "-o", str(BUILD / "big.exe")]}
        if wasmtime:
            big_cmds["wasmtime compile"] = [wasmtime, "compile", str(big), "-o",
                                            str(BUILD / "big.cwasm")]
        big_stats = {"copies": copies, "wasm_bytes": big.stat().st_size,
                     "runs": {k: [measure(c)] for k, c in big_cmds.items()}}
        big_stats["output_bytes"] = {
            "wasm2native": (BUILD / "big.exe").stat().st_size,
            "wasmtime compile": (BUILD / "big.cwasm").stat().st_size if wasmtime else None}
        log(f"compile: {big.name} ({big_stats['wasm_bytes'] / (1 << 20):.1f} MiB) done")

    # ---- report
    elapsed = time.time() - started
    data = {
        "date": date, "command": command, "machine": machine_facts(), "tools": tools,
        "corpus_crates": corpus_versions, "runs": a.runs, "startup_runs": a.startup_runs,
        "cpu_level": level, "baseline_runs": a.baseline_runs if baseline else 0,
        "compile_runs": a.compile_runs, "elapsed_s": elapsed,
        "programs": {p.name: {r: [dataclasses.asdict(m) for m in ms] for r, ms in times[p.name].items()}
                     for p in progs},
        "startup": {r: [dataclasses.asdict(m) for m in ms] for r, ms in startup.items()},
        "compile": {"module": largest,
                    "runs": {k: [dataclasses.asdict(m) for m in v] for k, v in compile_stats.items()}},
        "compile_big": big_stats and dict(big_stats, runs={
            k: [dataclasses.asdict(m) for m in v] for k, v in big_stats["runs"].items()}),
        "parallel": parallel and {r: [dataclasses.asdict(m) for m in ms]
                                  for r, ms in parallel.items()},
        "parallel_wasmtime": wasmtime_threads_why,
        "modules": per_module, "problems": problems, "mismatched": mismatched,
        "build_failed": list(build_failed), "untimed": untimed,
        "wasmtime_bytes": Path(wasmtime).stat().st_size if wasmtime else None,
        "load": (load_start, os.getloadavg()[0]),
    }
    (BUILD / "results.json").write_text(json.dumps(data, indent=1, default=str))
    svg_name = "results.svg"
    (out_dir / svg_name).write_text(render_svg(progs, times))
    md = render_markdown(data, selected, progs, times, startup, compile_stats, largest, per_module,
                         svg_name, wasmtime is not None, wasmtime_why, big_stats, parallel)
    (out_dir / "RESULTS.md").write_text(md)
    print(md[md.index("## Run time"):md.index("## Corpus")].rstrip())
    log(f"wrote {out_dir / 'RESULTS.md'} and {out_dir / svg_name} "
        f"(raw numbers: {BUILD / 'results.json'}); total {elapsed / 60:.1f} min")
    if untimed:
        log("FAILED: " + ", ".join(f"{n} ({w})" for n, w in untimed.items()) +
            " (see the report's Problems section)")
        return 1
    return 0


def baseline_runners(name: str, built: dict[str, Path], w2n: Path, w2n_flags: list[str],
                     problems: list[str]) -> dict[str, list[str]]:
    """The baseline pair of one program (BASELINE_RUNNERS -> argv): its native build for BASELINE
    and its module compiled by wasm2native with `--target-cpu BASELINE`."""
    exe = BUILD / "w2n" / f"{name}.{BASELINE}"
    m, err = compile_module([str(w2n), *build.with_target_cpu(w2n_flags, BASELINE),
                             str(built["wasm"]), "-o", str(exe)], exe)
    if m.status != 0:
        problems.append(f"**{name}** (--target-cpu {BASELINE}): wasm2native failed to compile it:"
                        f"\n\n```\n{err.strip()[:3000]}\n```")
        return {}
    return dict(zip(BASELINE_RUNNERS, ([str(built[build.native_target(BASELINE)])], [str(exe)])))


def timed_rounds(progs, exes: dict[str, dict[str, list[str]]], runners: tuple[str, ...], runs: int,
                 problems: list[str], what: str = "") -> dict[str, dict[str, list[Meas]]]:
    """`runs` rounds; in each, every program runs under each of `runners` it has, back to back,
    the runner order rotating from round to round. Returns program -> runner -> runs."""
    times: dict[str, dict[str, list[Meas]]] = {p.name: {} for p in progs}
    for rnd in range(runs):
        t = time.time()
        for p in progs:
            order = [r for r in runners if r in exes[p.name]]
            k = rnd % len(order) if order else 0
            for r in order[k:] + order[:k]:
                m = measure(exes[p.name][r] + list(p.args))
                if m.status != 0:
                    problems.append(f"**{p.name}**: {r} exited with status {m.status} in timed "
                                    f"{what}run {rnd + 1}")
                times[p.name].setdefault(r, []).append(m)
        log(f"{what}round {rnd + 1}/{runs} done in {time.time() - t:.0f} s")
    return times


PARALLEL_THREADS = (1, 2)


def parallel_runners(built: dict[str, Path], w2n: Path, w2n_flags: list[str],
                     wasmtime: str | None, problems: list[str]) -> dict[str, list[str]]:
    """The parallel benchmark's executables: native, wasm2native and (compiled with threads
    enabled) wasmtime; runner -> argv, the rayon thread count still to be given."""
    runners = {"native": [str(built["native"])]}
    exe = BUILD / "w2n" / build.PARALLEL_NAME
    exe.parent.mkdir(parents=True, exist_ok=True)
    m, err = compile_module([str(w2n), *w2n_flags, str(built["wasm"]), "-o", str(exe)], exe)
    if m.status == 0:
        runners["wasm2native"] = [str(exe)]
    else:
        problems.append(f"**{build.PARALLEL_NAME}**: wasm2native failed to compile it:"
                        f"\n\n```\n{err.strip()[:3000]}\n```")
    if wasmtime:
        cw = BUILD / "cwasm" / (build.PARALLEL_NAME + ".cwasm")
        cw.parent.mkdir(parents=True, exist_ok=True)
        m, err = compile_module([wasmtime, "compile", "-W", "threads=y,shared-memory=y",
                                 str(built["wasm"]), "-o", str(cw)], cw)
        if m.status == 0:
            runners["wasmtime"] = [wasmtime, "run", "-W", "threads=y,shared-memory=y", "-S",
                                   "threads=y", "--allow-precompiled", str(cw)]
        else:
            problems.append(f"**{build.PARALLEL_NAME}**: `wasmtime compile` failed:"
                            f"\n\n```\n{err.strip()[:3000]}\n```")
    return runners


def with_threads(runner: str, argv: list[str], n: int) -> tuple[list[str], dict[str, str]]:
    """argv and environment for a run on n rayon threads: wasmtime passes no environment to the
    guest unless told (`--env`, before the module); the others inherit RAYON_NUM_THREADS."""
    if runner == "wasmtime":
        return argv[:-1] + ["--env", f"RAYON_NUM_THREADS={n}", argv[-1]], {}
    return argv, {"RAYON_NUM_THREADS": str(n)}


def parallel_section(builder, level: str, w2n: Path, w2n_flags: list[str],
                     wasmtime: str | None, runs: int, problems: list[str]
                     ) -> dict[str, list[Meas]] | None:
    """Builds, checks and times the parallel benchmark: every runner with 1 and 2 threads, in
    `runs` interleaved rounds (the order rotating). Returns "RUNNER/N" -> timed runs, or None
    when it did not build. A runner whose output differs from native's on 1 thread is reported
    and left out."""
    try:
        built = builder.build_parallel(level)
    except RuntimeError as e:
        problems.append(f"**{build.PARALLEL_NAME}** failed to build:\n\n```\n{str(e)[:3000]}\n```")
        return None
    runners = parallel_runners(built, w2n, w2n_flags, wasmtime, problems)
    jobs = {f"{r}/{n}": with_threads(r, argv, n) for r, argv in runners.items()
            for n in PARALLEL_THREADS}
    outs = {k: subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL,
                              env=dict(os.environ, **env))
            for k, (argv, env) in jobs.items()}
    want = outs["native/1"]
    for k, res in outs.items():
        if (res.stdout, res.returncode) != (want.stdout, want.returncode):
            err = res.stderr.decode(errors="replace").strip()[:800]
            msg = (f"**{build.PARALLEL_NAME}** ({k} threads): output differs from native on 1 "
                   f"thread: status {res.returncode}, "
                   f"{first_difference(want.stdout, res.stdout)}; stderr: `{err}`")
            problems.append(msg)
            log("!" * 78 + f"\nOUTPUT MISMATCH: {msg}\n" + "!" * 78)
            jobs.pop(k)
    times: dict[str, list[Meas]] = {k: [] for k in jobs}
    order = list(jobs)
    for rnd in range(runs):
        k0 = rnd % len(order)
        for k in order[k0:] + order[:k0]:
            argv, env = jobs[k]
            times[k].append(measure(argv, env=env))
        log(f"parallel: round {rnd + 1}/{runs} done")
    return times


# --------------------------------------------------------------------------------------------
# Rendering


def fmt_s(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.2f}"


def fmt_ms(x: float) -> str:
    return f"{x * 1000:.2f}"


def fmt_bytes(n: int | None) -> str:
    if n is None:
        return "–"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.2f} MiB"
    return f"{n / 1024:.0f} KiB"


def paired(t: dict[str, list[Meas]], a: str, b: str, key: str = "wall") -> list[float]:
    """The per-round ratios a/b of one program's runs (round i ran every runner once, back to
    back, so t[a][i] and t[b][i] were measured seconds apart)."""
    return [getattr(x, key) / getattr(y, key) for x, y in zip(t[a], t[b])]


def paired_ratio(t: dict[str, list[Meas]], a: str, b: str, key: str = "wall") -> float:
    """The median of the per-round ratios a/b: the machine's slower and faster phases (other
    tenants of a shared host) affect both runs of a round alike and cancel."""
    return median(paired(t, a, b, key))


def summarize(ms: list[Meas]) -> tuple[float, float, float]:
    w = [m.wall for m in ms]
    return median(w), min(w), max(w)


def wall_ratios(progs, times) -> dict[str, dict[str, float]]:
    """Per program, the wall-time ratios of the run-time table: "native" (wasm2native/native),
    and with wasmtime, "wasmtime" (wasm2native/wasmtime) and "wasmtime/native"."""
    out = {}
    for p in progs:
        t = times[p.name]
        r = {"native": paired_ratio(t, "wasm2native", "native")}
        if "wasmtime" in t:
            r["wasmtime"] = paired_ratio(t, "wasm2native", "wasmtime")
            r["wasmtime/native"] = paired_ratio(t, "wasmtime", "native")
        out[p.name] = r
    return out


def render_targets(ratios, startup, compile_stats, per_module, big_stats, parallel=None
                   ) -> list[str]:
    """The performance targets of the project's benchmark issue, each with the figure measured
    in this run and whether it is met (`ratios` from `wall_ratios`). Targets this run could not
    measure are left out."""
    rows = []

    def row(target: str, measured: str, met: bool) -> None:
        rows.append(f"| {target} | {measured} | {'met' if met else '**missed**'} |")

    if ratios:
        nat = geomean([r["native"] for r in ratios.values()])
        row("run time, geometric mean ≤ 1.10× native (built for the same CPU level)",
            f"{nat:.2f}×", nat <= 1.10)
        vs = {n: r["wasmtime"] for n, r in ratios.items() if "wasmtime" in r}
        if vs:
            slower = [f"{n} {r:.2f}" for n, r in vs.items() if r >= 1]
            row("faster than wasmtime on every program",
                f"faster on {len(vs) - len(slower)} of {len(vs)}"
                + (f"; not on {', '.join(slower)}" if slower else ""), not slower)
    wall = {r: median([x.wall for x in ms]) for r, ms in startup.items()}
    if "wasm2native" in wall:
        st = wall["wasm2native"] / wall["native (static)"]
        row("hello world start-up ≤ 1.2× a static native C hello world", f"{st:.2f}×", st <= 1.2)
        if "wasmtime" in wall:
            wt = wall["wasmtime"] / wall["wasm2native"]
            row("… about 7× faster than wasmtime running a precompiled module",
                f"{wt:.1f}× faster", wt >= 7)
    if "wasmtime compile" in compile_stats:
        c = (median([x.wall for x in compile_stats["wasm2native"]])
             / median([x.wall for x in compile_stats["wasmtime compile"]]))
        row("compiling the largest module at least as fast as `wasmtime compile`",
            f"{c:.2f}× its wall time", c <= 1)
    if big_stats:
        runs = big_stats["runs"]
        rss = runs["wasm2native"][0].rss_kb * 1024
        big = fmt_bytes(big_stats['wasm_bytes'])
        row(f"compile memory < 1 GiB for a ~20 MB module ({big})",
            f"{fmt_bytes(rss)} peak", rss < 1 << 30)
        if "wasmtime compile" in runs:
            wall = runs["wasm2native"][0].wall / runs["wasmtime compile"][0].wall
            row("compiling the ~20 MB module at least as fast as `wasmtime compile`",
                f"{wall:.2f}× its wall time", wall <= 1)
            wt_rss = runs["wasmtime compile"][0].rss_kb * 1024
            row("… with less peak memory", f"{fmt_bytes(rss)} against {fmt_bytes(wt_rss)}",
                rss < wt_rss)
            out = big_stats["output_bytes"]
            row("… and an executable no larger than the .cwasm",
                f"{fmt_bytes(out['wasm2native'])} against {fmt_bytes(out['wasmtime compile'])}",
                out["wasm2native"] <= out["wasmtime compile"])
    if per_module.get("hello", {}).get("w2n_bytes"):
        size = per_module["hello"]["w2n_bytes"]
        row("hello world executable ≤ 400 KB", f"{size / 1000:.0f} KB", size <= 400_000)
    if parallel and all(f"wasm2native/{n}" in parallel for n in PARALLEL_THREADS):
        sp = paired_ratio(parallel, "wasm2native/1", "wasm2native/2")
        row("parallel benchmark: wasm2native on 2 threads ≥ 1.8× faster than on 1", f"{sp:.2f}×",
            sp >= 1.8)
        if "wasmtime/2" in parallel:
            vs = paired_ratio(parallel, "wasm2native/2", "wasmtime/2")
            row("parallel benchmark: wasm2native at least as fast as wasmtime (2 threads)",
                f"{vs:.2f}× its wall time", vs <= 1)
    if not rows:
        return []
    return ["## Targets\n",
            "Measured in this run (ratios as in the tables below). Where a target is missed, "
            "[README.md](README.md#where-the-time-goes) and [PROFILE.md](PROFILE.md) say where "
            "the time goes, from instruction counts per function.\n",
            "| target | measured | |", "|---|---|---|", *rows, ""]


def render_markdown(d, selected, progs, times, startup, compile_stats, largest, per_module,
                    svg_name, have_wasmtime, wasmtime_why, big_stats=None, parallel=None) -> str:
    m = d["machine"]
    L = []
    L.append("# wasm2native benchmark results\n")
    L.append(f"Generated by `{d['command']}` on {d['date']} in {d['elapsed_s'] / 60:.1f} minutes. "
             "Do not edit by hand: rerun the command (see `benches/README.md`).\n")
    L.append("| | |\n|---|---|")
    L.append(f"| machine | {m['nproc']} CPUs (`nproc`), {m['cpu']}, {m['memory']} RAM |")
    L.append(f"| system | {m['os']}, Linux {m['kernel']} |")
    L.append(f"| load average (1 min) | {d['load'][0]:.2f} at the start, {d['load'][1]:.2f} at the "
             "end (other work on the machine makes the timings noisier) |")
    for k in ("clang", "native builds", "wasmtime", "wasm2native", "rustc", "python"):
        L.append(f"| {k} | {d['tools'][k]} |")
    crates = ", ".join(f"{n} {v}" for n, v in sorted(d["corpus_crates"].items())
                       if any(p.crate == n for p in selected))
    L.append(f"| corpus crates | {crates} |")
    base = f"; {d['baseline_runs']} rounds of the baseline pair" if d["baseline_runs"] else ""
    L.append(f"| runs | {d['runs']} timed runs per program and runner (interleaved{base}), "
             f"{d['startup_runs']} start-up runs, {d['compile_runs']} compile runs |")
    L.append("")
    if not have_wasmtime:
        L.append(f"> **wasmtime was not available** ({wasmtime_why}), so its columns are empty. "
                 f"Install it with `{WASMTIME_HINT}`.\n")

    ratios = wall_ratios(progs, times)
    L += render_targets(ratios, startup, compile_stats, per_module, big_stats, parallel)

    # throughput
    L.append("## Run time\n")
    L.append("Wall time in seconds: median (min–max) of the timed runs. Each round runs every "
             "program under every runner back to back; a ratio is the median over the rounds of "
             "the ratio within a round, so that slower and faster phases of the machine (other "
             "work on a shared host) cancel. Below 1 means faster than the reference. native: "
             f"built for the CPU level of wasm2native's `--target-cpu {d['cpu_level']}` (clang "
             f"`-march={d['cpu_level']}`, rustc `-C target-cpu={d['cpu_level']}`); wasmtime "
             "generates code for this machine's CPU.\n")
    L.append("| program | native | wasm2native | wasmtime | wasm2native / native "
             "| wasm2native / wasmtime | wasmtime / native |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    r_nat, r_wt, r_wtn = [], [], []
    for p in progs:
        t = times[p.name]
        cells = []
        for r in RUNNERS:
            if r in t:
                md_, lo, hi = summarize(t[r])
                cells.append(f"{fmt_s(md_)} ({fmt_s(lo)}–{fmt_s(hi)})")
            else:
                cells.append("–")
        a = ratios[p.name]["native"]
        r_nat.append(a)
        b = ratios[p.name].get("wasmtime")
        c = ratios[p.name].get("wasmtime/native")
        if b is not None:
            r_wt.append(b)
            r_wtn.append(c)
        L.append(f"| {p.name} | " + " | ".join(cells) + f" | **{a:.2f}** | "
                 + (f"**{b:.2f}**" if b else "–") + " | " + (f"{c:.2f}" if c else "–") + " |")
    for name, why in d["untimed"].items():
        L.append(f"| {name} | **not timed: {why}** (see Problems) | | | | | |")
    if progs:
        L.append(f"| **geometric mean** | | | | **{geomean(r_nat):.2f}** | "
                 + (f"**{geomean(r_wt):.2f}**" if r_wt else "–") + " | "
                 + (f"{geomean(r_wtn):.2f}" if r_wtn else "–") + " |")
    L.append("")
    if progs:
        L.append("The same runs by CPU time (user + system; medians, and ratios as above):\n")
        L.append("| program | native CPU s | wasm2native CPU s | wasmtime CPU s "
                 "| wasm2native / native | wasm2native / wasmtime |")
        L.append("|---|---:|---:|---:|---:|---:|")
        c_nat, c_wt = [], []
        for p in progs:
            t = times[p.name]
            med = {r: median([x.cpu for x in t[r]]) for r in RUNNERS if r in t}
            a = paired_ratio(t, "wasm2native", "native", "cpu")
            c_nat.append(a)
            b = paired_ratio(t, "wasm2native", "wasmtime", "cpu") if "wasmtime" in med else None
            if b:
                c_wt.append(b)
            L.append(f"| {p.name} | " + " | ".join(fmt_s(med[r]) if r in med else "–"
                                                 for r in RUNNERS)
                     + f" | {a:.2f} | " + (f"{b:.2f}" if b else "–") + " |")
        L.append(f"| **geometric mean** | | | | **{geomean(c_nat):.2f}** | "
                 + (f"**{geomean(c_wt):.2f}**" if c_wt else "–") + " |")
        L.append("")
    for c in EXTRA_CONFIGS:
        L += render_extra_config(c, [p for p in progs if c.runners[0] in times[p.name]], times)
    L += render_baseline(progs, times, d["baseline_runs"])
    L.append(f"![run time relative to native]({svg_name})\n")

    # start-up
    if parallel:
        L += render_parallel(parallel, d["parallel_wasmtime"])
    L.append("## Start-up (hello world)\n")
    L.append(f"`tests/programs/c/hello.c`, {d['startup_runs']} runs of each, interleaved. Wall time "
             "from fork to wait4 in a small static helper (`benches/tools/runmeasure.c`); peak RSS is "
             "the child's `ru_maxrss`, which includes the helper's own ~0.1 MiB from before "
             "`execv`.\n")
    L.append("| variant | median ms | min ms | p90 ms | peak RSS (median) |")
    L.append("|---|---:|---:|---:|---:|")
    for r, ms in startup.items():
        w = sorted(x.wall for x in ms)
        p90 = w[min(len(w) - 1, int(0.9 * len(w)))]
        L.append(f"| {r} | {fmt_ms(median(w))} | {fmt_ms(w[0])} | {fmt_ms(p90)} | "
                 f"{median([x.rss_kb for x in ms]) / 1024:.1f} MiB |")
    L.append("")
    L.append("Commands: `hello.static` (`clang-19 -O2 -static`), `hello.dynamic` (`clang-19 -O2`), "
             "`./hello` (wasm2native), `wasmtime run --allow-precompiled hello.cwasm`.\n")

    # compile
    L.append("## Compilation\n")
    if largest:
        L.append(f"Compiling the largest module, `{largest}.wasm` "
                 f"({fmt_bytes(per_module[largest]['wasm_bytes'])}), {d['compile_runs']} runs each: "
                 "median wall time, CPU time (user + system, all threads) and peak RSS.\n")
        L.append("| compiler | wall s | CPU s | peak RSS | output |")
        L.append("|---|---:|---:|---:|---:|")
        for k, ms in compile_stats.items():
            out = per_module[largest].get("w2n_bytes" if k == "wasm2native" else "cwasm_bytes")
            kind = "executable" if k == "wasm2native" else ".cwasm"
            L.append(f"| {k} | {fmt_s(median([x.wall for x in ms]))} | "
                     f"{fmt_s(median([x.cpu for x in ms]))} | "
                     f"{median([x.rss_kb for x in ms]) / 1024:.1f} MiB | {fmt_bytes(out)} {kind} |")
        L.append("")
    if big_stats:
        L.append(f"A bigger module: `{largest}.wasm` with every function body present "
                 f"{big_stats['copies']} times (the copies call the originals), "
                 f"{fmt_bytes(big_stats['wasm_bytes'])}; one run each.\n")
        L.append("| compiler | wall s | CPU s | peak RSS | output |")
        L.append("|---|---:|---:|---:|---:|")
        for k, ms in big_stats["runs"].items():
            kind = "executable" if k == "wasm2native" else ".cwasm"
            L.append(f"| {k} | {fmt_s(ms[0].wall)} | {fmt_s(ms[0].cpu)} | "
                     f"{ms[0].rss_kb / 1024:.1f} MiB | "
                     f"{fmt_bytes(big_stats['output_bytes'][k])} {kind} |")
        L.append("")
    L.append("### Sizes and compile times of every module\n")
    wt_size = f" ({fmt_bytes(d['wasmtime_bytes'])})" if d.get("wasmtime_bytes") else ""
    L.append("One compile each (the build step). The wasm2native output is a complete executable "
             f"(runtime included); a .cwasm still needs the wasmtime binary{wt_size} to run. "
             "Native executables are dynamically linked against glibc, except hello's.\n")
    L.append("| module | .wasm | native exe | wasm2native exe | .cwasm | wasm2native compile s | wasmtime compile s |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    for name, info in per_module.items():
        nb = info.get("native_bytes")
        if name == "hello":
            nb = Path(BUILD / "hello" / "hello.static").stat().st_size
        L.append(f"| {name}{' (native: static)' if name == 'hello' else ''} | "
                 f"{fmt_bytes(info['wasm_bytes'])} | {fmt_bytes(nb)} | "
                 f"{fmt_bytes(info.get('w2n_bytes'))} | {fmt_bytes(info.get('cwasm_bytes'))} | "
                 f"{fmt_s(info['w2n_compile_s'])} | "
                 + (fmt_s(info['wasmtime_compile_s']) if 'wasmtime_compile_s' in info else "–") + " |")
    L.append("")

    # corpus
    L.append("## Corpus\n")
    level = d["cpu_level"]
    L.append("Every C and C++ program is built by `benches/build.py` twice with the same "
             "`clang-19 -O2` and the same flags: natively (glibc, libstdc++; "
             f"`-march={level} -ffp-contract=off`, the CPU level of the wasm2native executables "
             "they are compared with) and with `--target=wasm32-wasi` (Debian's wasi-libc and "
             "libc++; linked with `-Wl,-z,stack-size=1048576`), and for the extra "
             "configurations once more for wasm with "
             + " and once with ".join(f"`{c.flag}`" for c in EXTRA_CONFIGS)
             + ". Library sources come "
             "from the pinned crates in `benches/corpus/Cargo.lock`; the drivers are "
             "`benches/programs/*.c*`. The Rust programs are binaries of `benches/rust/` "
             "(crate versions in its `Cargo.lock`), built by `cargo build --release` natively "
             f"with `-C target-cpu={level}` and for `wasm32-wasip1` (and with "
             + " and with ".join(f"`{t.rustflags}`" for t in build.EXTRA_TARGETS.values()
                                 if t.rustflags is not None)
             + ").\n")
    L.append("| program | what it does | library | flags (both targets) |")
    L.append("|---|---|---|---|")
    for p in selected:
        version = d["corpus_crates"].get(p.crate, "?")
        lib = (f"crate {p.crate} {version} (Rust)" if p.lang == "rust"
               else f"{p.upstream} from crate {p.crate} {version}" if p.crate else "ours")
        flags = " ".join(f for f in p.cflags if f != "-include")
        flags = flags.replace(str(build.PROGRAMS) + "/", "-include ")
        L.append(f"| {p.name} | {p.what} | {lib} | `{flags}` |" if flags else
                 f"| {p.name} | {p.what} | {lib} | |")
    L.append("")

    # problems
    L.append("## Problems\n")
    if d["problems"]:
        for pr in d["problems"]:
            L.append(f"- {pr}")
    else:
        L.append("None: every program built, and wasm2native's (and wasmtime's) output equals the "
                 "native build's for every program.")
    L.append("")
    return "\n".join(L)


def render_extra_config(c: ExtraConfig, progs: list, times: dict[str, dict[str, list[Meas]]]
                        ) -> list[str]:
    """The report's table of one extra configuration (empty when no program ran in it)."""
    if not progs:
        return []
    w2n_runner, wt_runner = c.runners
    rustflags = build.EXTRA_TARGETS[c.target].rustflags
    L = [f"### {c.title}\n",
         f"{c.why} The same programs and flags plus `{c.flag}`"
         + (f" (Rust: `{rustflags}`)" if rustflags else "")
         + ", timed in the same interleaved rounds as the table above (native column repeated). "
         "Wall time, median (min–max); ratios as above.\n",
         "| program | native | wasm2native | wasmtime | wasm2native / native "
         "| wasm2native / wasmtime |",
         "|---|---:|---:|---:|---:|---:|"]
    s_nat, s_wt = [], []
    for p in progs:
        t = times[p.name]
        cells, med = [], {}
        for r in ("native",) + c.runners:
            if r in t:
                md_, lo, hi = summarize(t[r])
                med[r] = md_
                cells.append(f"{fmt_s(md_)} ({fmt_s(lo)}–{fmt_s(hi)})")
            else:
                cells.append("–")
        a = paired_ratio(t, w2n_runner, "native")
        s_nat.append(a)
        b = None
        if wt_runner in med:
            b = paired_ratio(t, w2n_runner, wt_runner)
            s_wt.append(b)
        L.append(f"| {p.name} | " + " | ".join(cells) + f" | **{a:.2f}** | "
                 + (f"**{b:.2f}**" if b else "–") + " |")
    L.append(f"| **geometric mean** | | | | **{geomean(s_nat):.2f}** | "
             + (f"**{geomean(s_wt):.2f}**" if s_wt else "–") + " |")
    L.append("")
    return L


def render_baseline(progs, times, runs: int) -> list[str]:
    """The baseline pair's table: native code and wasm2native executables both for BASELINE,
    wall time and the median of the per-round ratios, as in the main table."""
    nat, w2n = BASELINE_RUNNERS
    base = [p for p in progs if w2n in times[p.name] and nat in times[p.name]]
    if not base:
        return []
    L = [f"### Baseline pair: both for {BASELINE}\n",
         f"The portable pair: native code built with `-march={BASELINE}` (Rust: `-C target-cpu="
         f"{BASELINE}`) against wasm2native's executables for its default `--target-cpu "
         f"{BASELINE}` (it has no lower level), the same modules; {runs} interleaved rounds of "
         "their own. Wall time, median (min–max); ratio as above.\n",
         f"| program | native ({BASELINE}) | wasm2native ({BASELINE}) | wasm2native / native |",
         "|---|---:|---:|---:|"]
    ratios = []
    for p in base:
        t = times[p.name]
        cells = [f"{fmt_s(m)} ({fmt_s(lo)}–{fmt_s(hi)})" for m, lo, hi in
                 (summarize(t[nat]), summarize(t[w2n]))]
        ratios.append(paired_ratio(t, w2n, nat))
        L.append(f"| {p.name} | {cells[0]} | {cells[1]} | **{ratios[-1]:.2f}** |")
    L += [f"| **geometric mean** | | | **{geomean(ratios):.2f}** |", ""]
    return L


def render_parallel(times: dict[str, list[Meas]], wasmtime: str) -> list[str]:
    """The parallel benchmark's section: times on 1 and 2 threads, the speedups, and the ratios
    between runners at each thread count (medians of per-round ratios); `wasmtime` says which
    wasmtime ran it, or why none did."""
    runners = [r for r in RUNNERS if all(f"{r}/{n}" in times for n in PARALLEL_THREADS)]
    L = ["## Parallel (rayon, 1 and 2 threads)\n",
         f"`benches/parallel/` (`{build.PARALLEL_NAME}`): a Mandelbrot set rendered by rayon one "
         "row per work item, the same Rust source built natively and for wasm32-wasip1-threads "
         "(shared memory, wasi-threads), run with RAYON_NUM_THREADS=1 and 2 (wasmtime: `run -W "
         "threads=y,shared-memory=y -S threads=y --env RAYON_NUM_THREADS=N`). Every runner and thread count runs "
         "once per round, interleaved. Wall time in seconds: median (min–max); the speedup is the "
         "median over the rounds of the 1-thread time over the 2-thread time. wasmtime: "
         f"{wasmtime}.\n",
         "| runner | 1 thread | 2 threads | speedup (2 threads) | CPU time, 2 threads |",
         "|---|---:|---:|---:|---:|"]
    for r in runners:
        cells = []
        for n in PARALLEL_THREADS:
            med, lo, hi = summarize(times[f"{r}/{n}"])
            cells.append(f"{fmt_s(med)} ({fmt_s(lo)}–{fmt_s(hi)})")
        speedup = paired_ratio(times, f"{r}/1", f"{r}/2")
        cpu = median([m.cpu for m in times[f"{r}/2"]])
        L.append(f"| {r} | {cells[0]} | {cells[1]} | {speedup:.2f}× | {fmt_s(cpu)} |")
    L.append("")
    pairs = [(a, b) for a, b in (("wasm2native", "wasmtime"), ("wasm2native", "native"),
                                 ("wasmtime", "native")) if a in runners and b in runners]
    if pairs:
        L += ["| wall-time ratio | 1 thread | 2 threads |", "|---|---:|---:|"]
        for a, b in pairs:
            rs = [paired_ratio(times, f"{a}/{n}", f"{b}/{n}") for n in PARALLEL_THREADS]
            L.append(f"| {a} / {b} | {rs[0]:.3f} | {rs[1]:.3f} |")
        L.append("")
    return L


def render_svg(progs, times) -> str:
    """Horizontal grouped bars: wall time relative to native (native = 1; the median of the
    per-round ratios), per program and the geometric mean, with min–max whiskers."""
    rows = []
    for p in progs:
        t = times[p.name]
        row = {"name": p.name}
        for r in ("wasm2native", "wasmtime"):
            if r in t:
                w = paired(t, r, "native")
                row[r] = (median(w), min(w), max(w))
        rows.append(row)
    gm = {"name": "geomean"}
    for r in ("wasm2native", "wasmtime"):
        vals = [row[r][0] for row in rows if r in row]
        if vals:
            g = geomean(vals)
            gm[r] = (g, g, g)
    rows.append(gm)
    series = [("wasm2native", "#d9480f"), ("wasmtime", "#1c7ed6")]
    series = [s for s in series if any(s[0] in row for row in rows)]
    bar_h, gap, left, right, top = 13, 12, 110, 70, 46
    width = 760
    group_h = bar_h * len(series) + gap
    height = top + group_h * len(rows) + 52
    vmax = max([row[r][2] for row in rows for r, _ in series if r in row] + [1.0])
    vmax = math.ceil(vmax * 2) / 2 + 0.25
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + plot_w * v / vmax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14" font-weight="bold">Run time relative to native '
           f'(median of per-round ratios; lower is better; whiskers: min–max)</text>']
    for i, (r, color) in enumerate(series):
        lx = left + i * 130
        out.append(f'<rect x="{lx}" y="28" width="12" height="10" fill="{color}"/>'
                   f'<text x="{lx + 16}" y="37">{r}</text>')
    step = 0.5 if vmax <= 4 else 1.0
    v = 0.0
    while v <= vmax + 1e-9:
        out.append(f'<line x1="{x(v):.1f}" y1="{top - 4}" x2="{x(v):.1f}" y2="{height - 42}" '
                   f'stroke="#ddd"/><text x="{x(v):.1f}" y="{height - 28}" text-anchor="middle" '
                   f'fill="#555">{v:g}×</text>')
        v += step
    out.append(f'<line x1="{x(1):.1f}" y1="{top - 4}" x2="{x(1):.1f}" y2="{height - 42}" '
               f'stroke="#000" stroke-dasharray="4 3"/>'
               f'<text x="{x(1):.1f}" y="{height - 14}" text-anchor="middle" font-size="11" '
               f'fill="#555">(native)</text>')
    for gi, row in enumerate(rows):
        y0 = top + gi * group_h
        weight = ' font-weight="bold"' if row["name"] == "geomean" else ""
        out.append(f'<text x="{left - 8}" y="{y0 + bar_h * len(series) / 2 + 4:.1f}" '
                   f'text-anchor="end"{weight}>{row["name"]}</text>')
        for si, (r, color) in enumerate(series):
            if r not in row:
                continue
            med_, lo, hi = row[r]
            y = y0 + si * bar_h
            out.append(f'<rect x="{left}" y="{y + 1}" width="{x(med_) - left:.1f}" '
                       f'height="{bar_h - 2}" fill="{color}"/>')
            if hi > lo:
                cy = y + bar_h / 2
                out.append(f'<line x1="{x(lo):.1f}" y1="{cy}" x2="{x(hi):.1f}" y2="{cy}" '
                           f'stroke="#222"/>')
            out.append(f'<text x="{max(x(med_), x(hi)) + 4:.1f}" y="{y + bar_h - 2}" '
                       f'font-size="11">{med_:.2f}×</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
