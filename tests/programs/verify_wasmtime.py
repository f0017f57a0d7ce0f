#!/usr/bin/env python3
"""Checks the committed test programs against the reference runtime, wasmtime.

Optional tool (the Rust tests do not need it). Runs every wasm/NAME.wasm with the inputs of
inputs/ (as build.sh does) and every wat/*.wat, through wasmtime's Python bindings (exceptions
and memory64 enabled), and checks:

- programs: stdout equals expected/NAME.stdout, the exit status equals expected/NAME.status,
  stderr equals expected/NAME.stderr when that file exists; for trap programs
  (expected/NAME.stderr1) that wasmtime traps with the kind named there.
  and that its backtrace shows the function of expected/NAME.frame.
- wat modules: the `;; expect-trap:`, `;; expect-frame:`, `;; expect-status:` and
  `;; expect-stdout:` header lines.

Modules with legacy exception instructions (clang's -fwasm-exceptions and SjLj output) are
skipped: wasmtime refuses them; verify_node.mjs checks those. Threaded modules (they import
wasi-threads' `thread-spawn`: pthreads/*.c, rust/*) need the wasmtime CLI (the Python bindings
have no wasi-threads), and one before 47: wasmtime 47 removed wasi-threads (`-S threads` is an
error). They run with `$WASMTIME_THREADS run -W threads=y,shared-memory=y -S threads=y`, e.g. after
`cargo install wasmtime-cli --version 46.0.3 --locked --root /opt/wasmtime46`,
WASMTIME_THREADS=/opt/wasmtime46/bin/wasmtime; without it they are skipped. `--write-expected NAME...` records
wasmtime's run as expected/NAME.{stdout,stderr,status} instead (build.sh does so for
micropython, which has no native build).

Usage:
    python3 -m venv /tmp/wtvenv && /tmp/wtvenv/bin/pip install wasmtime==48.0.0
    /tmp/wtvenv/bin/python tests/programs/verify_wasmtime.py [NAME...]

Exits 0 when everything agrees; prints one line per program.
"""

import os
import shutil
import subprocess
import sys
import tempfile

import wasmtime

HERE = os.path.dirname(os.path.abspath(__file__))

# wasmtime's trap texts differ from the spec's for a few kinds.
WASMTIME_ALIASES = {
    "unreachable": "wasm `unreachable` instruction executed",
    # wasmtime ends an uncaught exception as an error, and `wasmtime run` exits with status 1
    # (wasm2native: 134, as a native C++ program's std::terminate).
    "uncaught wasm exception": "thrown Wasm exception",
}


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def inputs(name):
    base = os.path.join(HERE, "inputs", name)
    args = []
    if os.path.exists(base + ".args"):
        args = read(base + ".args", "rb").decode("utf-8").split("\n")
        if args and args[-1] == "":
            args.pop()
    env = []
    if os.path.exists(base + ".env"):
        for line in read(base + ".env", "rb").decode("utf-8").split("\n"):
            if line:
                k, _, v = line.partition("=")
                env.append((k, v))
    stdin = base + ".stdin" if os.path.exists(base + ".stdin") else None
    return args, env, stdin


def unknown_imports_trap(name):
    """Whether inputs/NAME.flags asks wasm2native for `--unknown-imports trap`."""
    path = os.path.join(HERE, "inputs", name + ".flags")
    return os.path.exists(path) and "--unknown-imports\ntrap" in read(path)


def run(wasm_bytes, argv0, args, env, stdin, trap_unknown=False):
    """Runs _start; returns (status, stdout bytes, stderr bytes, trap message or None)."""
    config = wasmtime.Config()
    config.wasm_exceptions = True
    config.wasm_memory64 = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    module = wasmtime.Module(engine, wasm_bytes)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    if trap_unknown:
        linker.define_unknown_imports_as_traps(module)
    with tempfile.TemporaryDirectory() as tmp:
        out_path = os.path.join(tmp, "stdout")
        err_path = os.path.join(tmp, "stderr")
        cfg = wasmtime.WasiConfig()
        cfg.argv = [argv0] + args
        cfg.env = env
        if stdin:
            cfg.stdin_file = stdin
        cfg.stdout_file = out_path
        cfg.stderr_file = err_path
        store.set_wasi(cfg)
        status, trap = 0, None
        try:
            instance = linker.instantiate(store, module)
            instance.exports(store)["_start"](store)
        except wasmtime.ExitTrap as e:
            status = e.code
        except wasmtime.Trap as e:
            status, trap = 134, e.message
        stdout = read(out_path, "rb")
        stderr = read(err_path, "rb")
        del store  # closes the files
    return status, stdout, stderr, trap


def check_trap(problems, trap, want):
    if trap is None:
        problems.append("expected trap %r, did not trap" % want)
        return
    got = trap_text(trap)
    # wasm2native names the tag of an uncaught exception ("... (tag NAME)"); wasmtime does not.
    want = want.split(" (tag ")[0]
    if want not in got and WASMTIME_ALIASES.get(want, "\0") not in got:
        problems.append("expected trap %r, got %r" % (want, got))


def check_frame(problems, trap, func):
    """wasmtime's backtrace lines look like `0:  0x236 - trap_div.wasm!main`."""
    if trap is not None and not any(
        line.rstrip().endswith("!" + func) for line in trap.splitlines()
    ):
        problems.append("backtrace does not show function %r" % func)


def trap_text(trap):
    """The `wasm trap: ...` line of a wasmtime trap message (it follows the backtrace)."""
    for line in trap.splitlines():
        if "wasm trap:" in line:
            return line.split("wasm trap:", 1)[1].strip()
    return trap.strip().splitlines()[-1] if trap.strip() else ""


def run_program(name):
    path = os.path.join(HERE, "wasm", name + ".wasm")
    wasm = read(path, "rb")
    args, env, stdin = inputs(name)
    if b"thread-spawn" in wasm:
        return run_cli(path, args, env, stdin)
    return run(wasm, name + ".wasm", args, env, stdin, unknown_imports_trap(name))


class NoCli(Exception):
    """No wasmtime CLI that runs wasi-threads modules (the message says why)."""


def wasmtime_cli():
    """$WASMTIME_THREADS, checked to be a wasmtime before 47 (which removed wasi-threads)."""
    cli = os.environ.get("WASMTIME_THREADS")
    if not cli or not shutil.which(cli):
        raise NoCli("threaded module: set WASMTIME_THREADS to a wasmtime CLI before 47")
    version = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout
    if int(version.split()[1].split(".")[0]) >= 47:
        raise NoCli("threaded module: %s has no wasi-threads (removed in 47)" % version.strip())
    return shutil.which(cli)


def run_cli(path, args, env, stdin):
    """Runs a threaded module with the wasmtime CLI; returns what run() does. The CLI exits with
    134 on a trap (as wasm2native) and prints the backtrace and `wasm trap: ...` to stderr."""
    cmd = [wasmtime_cli(), "run", "-W", "threads=y,shared-memory=y", "-S", "threads=y"]
    for k, v in env:
        cmd += ["--env", "%s=%s" % (k, v)]
    with open(stdin or os.devnull, "rb") as inp:
        r = subprocess.run(cmd + [path] + args, stdin=inp, capture_output=True, timeout=300)
    # wasmtime 46 warns on stderr that -S threads is going away (a line, then one of blanks).
    stderr = r.stderr
    warning = stderr.startswith(b"WARNING: the `-Sthreads` flag")
    if warning:
        lines = stderr.splitlines(keepends=True)[1:]
        stderr = b"".join(lines[1:] if lines and not lines[0].strip() else lines)
    trap = stderr.decode("utf-8", "replace") if b"wasm trap:" in stderr else None
    return r.returncode, r.stdout, stderr, trap


def write_expected(name):
    """Records wasmtime's run of a program that has no native build as its expectation."""
    status, stdout, stderr, trap = run_program(name)
    if trap is not None:
        sys.exit("%s trapped under wasmtime: %s" % (name, trap))
    exp = os.path.join(HERE, "expected", name)
    for ext, data in (("stdout", stdout), ("stderr", stderr), ("status", b"%d\n" % status)):
        with open(exp + "." + ext, "wb") as f:
            f.write(data)
    print("wrote expected/%s.{stdout,stderr,status} from wasmtime (status %d)" % (name, status))


def verify_c(name):
    """(problems, wasmtime's trap text or None), or (None, why) when wasmtime cannot run it."""
    problems = []
    exp = os.path.join(HERE, "expected", name)
    try:
        status, stdout, stderr, trap = run_program(name)
    except NoCli as e:
        return None, str(e)
    except wasmtime.WasmtimeError as e:
        if "legacy_exceptions" in str(e):
            return None, "legacy exceptions, which wasmtime refuses: see verify_node.mjs"
        raise
    want_status = int(read(exp + ".status").strip())
    if status != want_status:
        problems.append("status %d, expected %d" % (status, want_status))
    want_stdout = read(exp + ".stdout", "rb")
    if stdout != want_stdout:
        problems.append("stdout differs:\n" + diff(want_stdout, stdout))
    if os.path.exists(exp + ".stderr1"):
        want = read(exp + ".stderr1").strip()
        prefix = "error: wasm trap: "
        assert want.startswith(prefix), exp + ".stderr1"
        check_trap(problems, trap, want[len(prefix):])
        if os.path.exists(exp + ".frame"):
            check_frame(problems, trap, read(exp + ".frame").strip())
    else:
        if trap is not None:
            problems.append("unexpected trap: " + trap_text(trap))
        if os.path.exists(exp + ".stderr") and stderr != read(exp + ".stderr", "rb"):
            problems.append("stderr differs: %r" % stderr[:500])
    return problems, trap


def wat_expectations(path):
    exp = {}
    for line in read(path).splitlines():
        if not line.startswith(";;"):
            break
        body = line[2:].strip()
        for key in ("expect-trap", "expect-frame", "expect-status", "expect-stdout"):
            if body.startswith(key + ":"):
                exp[key] = body[len(key) + 1:].strip()
    return exp


def verify_wat(path):
    problems = []
    exp = wat_expectations(path)
    wasm = wasmtime.wat2wasm(read(path))
    status, stdout, _stderr, trap = run(wasm, os.path.basename(path), [], [], None)
    if "expect-trap" in exp:
        check_trap(problems, trap, exp["expect-trap"])
        if "expect-frame" in exp:
            check_frame(problems, trap, exp["expect-frame"])
        if status != 134:
            problems.append("status %d, expected 134" % status)
    else:
        if trap is not None:
            problems.append("unexpected trap: " + trap_text(trap))
        want_status = int(exp.get("expect-status", "0"))
        if status != want_status:
            problems.append("status %d, expected %d" % (status, want_status))
        want_stdout = exp.get("expect-stdout", "").replace("\\n", "\n").encode()
        if stdout != want_stdout:
            problems.append("stdout %r, expected %r" % (stdout, want_stdout))
    return problems, trap


def diff(a, b):
    al, bl = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    lines = []
    for i in range(max(len(al), len(bl))):
        x = al[i] if i < len(al) else "<missing>"
        y = bl[i] if i < len(bl) else "<missing>"
        if x != y:
            lines.append("  line %d\n    expected: %s\n    wasmtime: %s" % (i + 1, x, y))
            if len(lines) >= 20:
                lines.append("  ...")
                break
    return "\n".join(lines) or "  (differs in line endings or trailing bytes)"


def main():
    if sys.argv[1:2] == ["--write-expected"]:
        for name in sys.argv[2:]:
            write_expected(name)
        return 0
    only = set(sys.argv[1:])
    failed = 0
    names = sorted(f[:-5] for f in os.listdir(os.path.join(HERE, "wasm")) if f.endswith(".wasm"))
    for name in names:
        if only and name not in only:
            continue
        problems, trap = verify_c(name)
        if problems is None:
            print("skip wasm/%s.wasm (%s)" % (name, trap))
            continue
        failed += report("wasm/%s.wasm" % name, problems, trap)
    wat_dir = os.path.join(HERE, "wat")
    for f in sorted(os.listdir(wat_dir)):
        if not f.endswith(".wat") or (only and f[:-4] not in only):
            continue
        problems, trap = verify_wat(os.path.join(wat_dir, f))
        failed += report("wat/" + f, problems, trap)
    print("%s" % ("all agree with wasmtime" if not failed else "%d disagree" % failed))
    return 1 if failed else 0


def report(what, problems, trap):
    if problems:
        print("FAIL %s" % what)
        for p in problems:
            print("  " + p)
        return 1
    extra = " (wasmtime: wasm trap: %s)" % trap_text(trap) if trap else ""
    print("ok   %s%s" % (what, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
