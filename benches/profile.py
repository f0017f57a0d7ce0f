#!/usr/bin/env python3
"""Where wasm2native's executables spend more than native code, and how they compare with
wasmtime's code for the same modules (Python 3.11 standard library).

    python3 benches/profile.py                    # every program; about 8 minutes on 2 cores
    python3 benches/profile.py sqlite lua         # a subset

Counts the instructions each program executes, natively and as a wasm2native executable, with
valgrind's callgrind (instruction counts do not depend on what else the machine is doing, unlike
times), on a smaller workload than the timed runs (PROFILE_ARGS). Functions are matched by name:
the wasm build's function names come from its name section, the C names; libc's string and
formatting routines, which differ between glibc and wasi-libc, are grouped under one name each.
The native builds are made for the CPU level of the wasm2native executables (--w2n-flags'
--target-cpu; benches/build.py). Writes benches/PROFILE.md (or --out DIR): per program, the
totals and the functions with the most extra instructions.

When a wasmtime is found ($WASMTIME or PATH, as run.py), every module also runs under
`wasmtime run --allow-precompiled` and its total count is reported next to wasm2native's: the
same Cranelift, so the difference is what each does around it. Both compile for x86-64-v3 (see
TARGET_V3): valgrind's emulated CPU does not report every feature of the host (AVX-512,
AVX-VNNI), and wasmtime refuses to load a module compiled for features the CPU lacks.

Needs what benches/build.py needs, plus valgrind, and wasm2native built
(`cargo build --release -p wasm2native`, or $WASM2NATIVE).
"""
from __future__ import annotations

import argparse
import datetime
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import build  # noqa: E402
from run import find_wasmtime  # noqa: E402

REPO = build.REPO
OUT = build.BUILD / "profile"
HELLO = REPO / "tests" / "programs" / "wasm" / "hello.wasm"

# Workloads small enough for callgrind (~50x slower than native), large enough that start-up
# and setup do not dominate.
PROFILE_ARGS = {
    "sqlite": ["10000"],
    "lua": [],
    "zstd": ["1"],
    "bzip2": ["1"],
    "zlib": ["1"],
    "lz4": ["1"],
    "nbody": ["2000000"],
    "sha256": ["4"],
    "matmul": ["256", "4"],
    "regex": ["1", "1"],
    "serde_json": ["5000", "1"],
    "meshopt": ["128", "1"],
}

# x86-64-v3, for both compilers (the module docstring says why): wasm2native's preset and the
# same Cranelift settings for `wasmtime compile`.
TARGET_V3 = ["--target-cpu", "x86-64-v3"]
WASMTIME_V3 = ["--target", "x86_64-unknown-linux-gnu"] + [
    f"-Ccranelift-has-{f}" for f in
    ("sse3", "ssse3", "sse41", "sse42", "popcnt", "avx", "avx2", "bmi1", "bmi2", "fma", "lzcnt")]

# Library routines implemented differently by glibc (native) and wasi-libc (wasm), under one name.
LIBC_GROUPS = [
    ("memcpy/memmove", r"(__)?mem(cpy|move)(_.*)?$|__memmove_.*|__memcpy_.*"),
    ("memset", r"(__)?memset(_.*)?$|__memset_.*"),
    ("memcmp", r"(__)?(memcmp|bcmp)(_.*)?$|__memcmp_.*"),
    ("strlen/strcmp/strchr", r"(__)?str(len|nlen|cmp|ncmp|chr|rchr|chrnul)(_.*)?$|__str.*_(avx|sse|evex).*"),
    ("printf", r"printf_core|__vfprintf_internal|vfprintf|fmt_fp|__printf_fp.*|pop_arg|"
               r"__printf_buffer.*|__translated_number_width|out|pad"),
    ("malloc/free", r"(dl)?malloc|(dl)?free|(dl)?realloc|calloc|_int_malloc|_int_free|"
                    r"malloc_consolidate|tcache.*|_int_realloc|unlink_chunk.*|default_malloc|"
                    r"internal_memalign|dispose_chunk|sbrk|__libc_malloc(_impl)?|__libc_free|__libc_realloc|"
                    r"cfree|alloc_slot|alloc_group|get_meta|enframe"),
    ("qsort", r"qsort(_r)?|__qsort_r|msort_with_tmp.*|sift|trinkle|wrapper_cmp|cycle|shl|shr|pntz"),
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# Escapes of Rust's legacy symbol mangling.
RUST_ESCAPES = {"$LT$": "<", "$GT$": ">", "$RF$": "&", "$BP$": "*", "$C$": ",", "$LP$": "(",
                "$RP$": ")", "$u20$": " ", "$u27$": "'", "$u5b$": "[", "$u5d$": "]",
                "$u7b$": "{", "$u7d$": "}", "$u7e$": "~", "..": "::"}


def demangle_rust(fn: str) -> str:
    """A Rust legacy-mangled name (`_ZN` length-prefixed parts, `17h<hash>E`) as valgrind shows
    native Rust functions (`a::b::c`, no hash): the wasm name section keeps them mangled."""
    m = re.fullmatch(r"_ZN((?:\d+[^\d].*?)*)17h[0-9a-f]{16}E", fn)
    if not m:
        return fn
    parts, rest = [], m.group(1)
    while rest:
        n = re.match(r"\d+", rest)
        size = int(n.group())
        parts.append(rest[n.end():n.end() + size])
        rest = rest[n.end() + size:]
    name = "::".join(p.removeprefix("_") if p.startswith("_$") else p for p in parts)
    for k, v in RUST_ESCAPES.items():
        name = name.replace(k, v)
    return name


def canonical(fn: str) -> str:
    """Function name without callgrind's file prefix, wasm name-section suffixes (`main#8`) and
    glibc's symbol versions and implementation suffixes, grouped per LIBC_GROUPS; Rust names
    demangled."""
    fn = fn.split(":", 1)[1] if ":" in fn else fn
    fn = re.sub(r"#\d+$", "", fn)
    fn = re.sub(r"'\d+$", "", fn)
    fn = demangle_rust(fn)
    for group, pattern in LIBC_GROUPS:
        if re.fullmatch(pattern, fn):
            return group
    return fn


def instructions(argv: list[str], out: Path) -> tuple[dict[str, int], str]:
    """Instructions executed per function (exclusive) by argv under callgrind, and its stdout."""
    r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
                       capture_output=True, text=True)
    if r.returncode != 0 or not out.exists():
        raise RuntimeError(f"callgrind failed on {shlex.join(argv)}:\n{r.stderr[-2000:]}")
    text = subprocess.run(["callgrind_annotate", "--threshold=100", str(out)],
                          capture_output=True, text=True, check=True).stdout
    funcs: dict[str, int] = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(\S.*?)(\s+\[.*\])?$", line)
        if m and "PROGRAM TOTALS" not in line:
            name = canonical(m.group(2))
            funcs[name] = funcs.get(name, 0) + int(m.group(1).replace(",", ""))
    return funcs, r.stdout


def fmt_m(n: int) -> str:
    return f"{n / 1e6:,.1f}"


def report_program(name: str, native: dict[str, int], w2n: dict[str, int], top: int) -> list[str]:
    tn, tw = sum(native.values()), sum(w2n.values())
    libc = {g for g, _ in LIBC_GROUPS}
    lines = [f"### {name}", "",
             f"{fmt_m(tn)} M instructions natively, {fmt_m(tw)} M as a wasm2native executable: "
             f"**{tw / tn:.2f}×**. Functions with the most extra instructions (millions; the "
             f"share is of the whole difference, {fmt_m(tw - tn)} M):", "",
             "| function | native | wasm2native | ratio | share of the difference |",
             "|---|---:|---:|---:|---:|"]
    names = set(native) | set(w2n)
    extra = sorted(names, key=lambda f: w2n.get(f, 0) - native.get(f, 0), reverse=True)
    shown = [f for f in extra[:top]
             if tw != tn and abs(w2n.get(f, 0) - native.get(f, 0)) >= 0.005 * abs(tw - tn)]
    for f in shown:
        n, w = native.get(f, 0), w2n.get(f, 0)
        ratio = f"{w / n:.2f}" if n else "—"
        label = f"{f} (libc)" if f in libc else f
        share = (w - n) / (tw - tn) if tw != tn else 0
        lines.append(f"| {label} | {fmt_m(n)} | {fmt_m(w)} | {ratio} | {share:.0%} |")
    libc_n = sum(native.get(g, 0) for g in libc)
    libc_w = sum(w2n.get(g, 0) for g in libc)
    lines += ["", f"libc routines listed above as (libc): {fmt_m(libc_n)} M natively, "
              f"{fmt_m(libc_w)} M in wasm ({(libc_w - libc_n) / max(tw - tn, 1):.0%} of the "
              f"difference).", ""]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("programs", nargs="*", help="subset of: " + " ".join(PROFILE_ARGS))
    ap.add_argument("--out", type=Path, default=REPO / "benches", help="directory for PROFILE.md")
    ap.add_argument("--top", type=int, default=8, help="functions listed per program")
    ap.add_argument("--w2n-flags", default=" ".join(TARGET_V3),
                    help="wasm2native options (default: %(default)s, as wasmtime's here)")
    a = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("profile.py: valgrind is missing (apt-get install valgrind)")
    w2n = Path(os.environ.get("WASM2NATIVE", REPO / "target" / "release" / "wasm2native"))
    if not w2n.exists():
        sys.exit(f"profile.py: {w2n} missing: cargo build --release -p wasm2native")
    wasmtime, wasmtime_why = find_wasmtime()
    if not wasmtime:
        log(f"no wasmtime ({wasmtime_why}): its column is left out")
    wasmtime_version = (subprocess.run([wasmtime, "--version"], capture_output=True, text=True)
                        .stdout.strip() if wasmtime else "")
    progs = [p for p in build.CORPUS if p.name in PROFILE_ARGS
             and (not a.programs or p.name in a.programs)]
    builder = build.Builder()
    flags = shlex.split(a.w2n_flags)
    # Native code for the same CPU level as the wasm2native executables (benches/build.py).
    level = build.target_cpu(flags)
    native_target = build.native_target(level)
    built, failed = builder.build(progs, extra=False, levels=(level,))
    for name, err in failed.items():
        log(f"{name} failed to build:\n{err}")
    OUT.mkdir(parents=True, exist_ok=True)
    summary = ["| program | workload | native M instr. | wasm2native M instr. | wasm2native / native |"
               + (" wasmtime M instr. | wasm2native / wasmtime |" if wasmtime else ""),
               "|---|---|---:|---:|---:|" + ("---:|---:|" if wasmtime else "")]
    problems: list[str] = []
    sections: list[str] = []
    for p in progs:
        if p.name not in built:
            continue
        exe = OUT / p.name
        subprocess.run([str(w2n), *flags, str(built[p.name]["wasm"]), "-o", str(exe)], check=True)
        args = PROFILE_ARGS[p.name]
        log(f"callgrind: {p.name} {' '.join(args)} (native, wasm2native, wasmtime) ...")
        native, out_n = instructions([str(built[p.name][native_target]), *args],
                                     OUT / f"{p.name}.native.cg")
        wasm, out_w = instructions([str(exe), *args], OUT / f"{p.name}.w2n.cg")
        if out_w != out_n:
            problems.append(f"{p.name}: the wasm2native output differs from native")
        tn, tw = sum(native.values()), sum(wasm.values())
        row = (f"| {p.name} | `{' '.join(args) or '(default)'}` | {fmt_m(tn)} | "
               f"{fmt_m(tw)} | {tw / tn:.2f} |")
        if wasmtime:
            cwasm = OUT / f"{p.name}.cwasm"
            subprocess.run([wasmtime, "compile", *WASMTIME_V3, str(built[p.name]["wasm"]),
                            "-o", str(cwasm)], check=True)
            wt, out_t = instructions([wasmtime, "run", "--allow-precompiled", str(cwasm), *args],
                                     OUT / f"{p.name}.wasmtime.cg")
            if out_t != out_n:
                problems.append(f"{p.name}: the wasmtime output differs from native")
            tt = sum(wt.values())
            row += f" {fmt_m(tt)} | {tw / tt:.3f} |"
        summary.append(row)
        sections += report_program(p.name, native, wasm, a.top)
    if wasmtime:
        # wasmtime's own start-up, which its counts include: a hello world's total.
        hello = OUT / "hello.cwasm"
        subprocess.run([wasmtime, "compile", *WASMTIME_V3, str(HELLO), "-o", str(hello)],
                       check=True)
        hello_counts, _ = instructions([wasmtime, "run", "--allow-precompiled", str(hello)],
                                       OUT / "hello.wasmtime.cg")
        wasmtime_startup = sum(hello_counts.values())
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    doc = ["# Where the extra instructions are", "",
           f"Generated by `python3 benches/profile.py` on {date} (wasm2native git {rev}, flags "
           f"`{a.w2n_flags}`, {builder.clang}). Do not edit by hand.", "",
           f"Instructions executed, counted by valgrind's callgrind, natively (clang -O2 "
           f"-march={level}, glibc; Rust: -C target-cpu={level}) "
           "and as wasm2native executables (the same source, clang -O2 for wasm32-wasi, wasi-libc; "
           "Rust: wasm32-wasip1), on "
           "the workloads below (smaller than the timed runs of RESULTS.md). Counts are exact "
           "and repeatable; time per instruction is not the same on both sides, so the ratios "
           "here are not run-time ratios. The analysis of these figures is in "
           "[README.md](README.md#where-the-time-goes).", "",
           *([f"The wasmtime column counts `wasmtime run --allow-precompiled` ({wasmtime_version}) on a module "
              f"from `wasmtime compile {shlex.join(WASMTIME_V3)}` (the same x86-64-v3 "
              f"features as wasm2native's); it includes wasmtime's own start-up, "
              f"{fmt_m(wasmtime_startup)} M instructions for a hello world.", ""]
             if wasmtime else []),
           *summary, "",
           *([f"**Problems:** {'; '.join(problems)}.", ""] if problems else []),
           *sections]
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "PROFILE.md").write_text("\n".join(doc) + "\n")
    log(f"wrote {a.out / 'PROFILE.md'}")
    for problem in problems:
        log(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
