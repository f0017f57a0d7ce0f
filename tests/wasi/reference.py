#!/usr/bin/env python3
"""Runs the cases of cases.txt under the reference runtime, wasmtime, and checks (default) or
writes (--write) their expectations expected/NAME.stdout and expected/NAME.status.

The reference is the `wasmtime` command (`wasmtime run`, found with --wasmtime PATH, on PATH or in
~/.cargo/bin) or, without one, the `wasmtime` PyPI package (python3 -m venv /tmp/wtvenv &&
/tmp/wtvenv/bin/pip install wasmtime; then run this script with /tmp/wtvenv/bin/python).
tests/wasi.rs sets the cases up the same way (directories, environment, standard input) and
compares wasm2native's runs with these files.

Usage: reference.py [--write] [--wasmtime PATH] [--python] [CASE...]
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_cases(path=os.path.join(HERE, "cases.txt")):
    """The cases as dicts: name, program, args, env, stdin (bytes), dirs [(kind, guest)], flags."""
    cases = []
    with open(path, "rb") as f:
        lines = f.read().decode("utf-8").split("\n")
    cur = None
    for line in lines:
        if line.startswith("#") or line == "":
            continue
        key, _, value = line.partition(" ")
        if key == "case":
            cur = {"name": value, "program": None, "args": [], "env": [], "stdin": b"",
                   "dirs": [], "flags": [], "w2n_status": None}
            cases.append(cur)
        elif cur is None:
            raise ValueError(f"line outside a case: {line!r}")
        elif key == "program":
            cur["program"] = value
        elif key == "arg":
            cur["args"].append(value)
        elif key == "env":
            k, eq, v = value.partition("=")
            if not eq:
                raise ValueError(f"env line without '=': {line!r}")
            cur["env"].append((k, v))
        elif key == "stdin-text":
            cur["stdin"] = value.replace("\\n", "\n").encode("utf-8")
        elif key == "stdin-lines":
            cur["stdin"] = "".join(f"line {i}\n" for i in range(1, int(value) + 1)).encode()
        elif key == "dir":
            kind, _, guest = value.partition(" ")
            if kind not in ("empty", "marked", "fixture", "sandbox") or not guest:
                raise ValueError(f"bad dir line: {line!r}")
            cur["dirs"].append((kind, guest))
        elif key == "flags":
            cur["flags"].extend(value.split())
        elif key == "w2n-status":
            cur["w2n_status"] = int(value)
        else:
            raise ValueError(f"unknown key in {line!r}")
    for c in cases:
        if not c["program"]:
            raise ValueError(f"case {c['name']} has no program")
    return cases


def make_sandbox(root):
    """The layout c/sandbox.c expects: root/sandbox (returned) next to root/outside."""
    out = os.path.join(root, "outside")
    sb = os.path.join(root, "sandbox")
    os.makedirs(os.path.join(out, "subdir"))
    os.makedirs(os.path.join(sb, "sub"))
    for path, text in [(os.path.join(out, "secret"), "secret"),
                       (os.path.join(sb, "file"), "inside"),
                       (os.path.join(sb, "sub", "nested"), "nested")]:
        with open(path, "w") as f:
            f.write(text)
    links = [
        ("abs_file", os.path.join(out, "secret")),
        ("abs_dir", out),
        ("abs_dangling", os.path.join(out, "created_abs")),
        ("rel_file", "../outside/secret"),
        ("rel_dir", "../outside"),
        ("rel_dangling", "../outside/created_rel"),
        ("sub/deep_rel", "../../outside/secret"),
        ("guest_abs", "/sandbox/file"),
        ("chain1", "chain2"),
        ("chain2", "sub/chain3"),
        ("sub/chain3", "../../outside/secret"),
        ("loop1", "loop2"),
        ("loop2", "loop1"),
        ("self_loop", "self_loop"),
        ("up_and_in", "../sandbox/file"),
        ("ok_link", "sub/nested"),
    ]
    for name, target in links:
        os.symlink(target, os.path.join(sb, name))
    return sb


def setup_dirs(case, root):
    """Creates the case's directories under root; returns [(host, guest)]."""
    dirs = []
    for i, (kind, guest) in enumerate(case["dirs"]):
        if kind == "sandbox":
            host = make_sandbox(root)
        else:
            host = os.path.join(root, f"d{i}")
            if kind == "fixture":
                shutil.copytree(os.path.join(HERE, "fixture"), host)
            else:
                os.makedirs(host)
            if kind == "marked":
                with open(os.path.join(host, "marker.txt"), "w") as f:
                    f.write(f"marker of {guest}\n")
        dirs.append((host, guest))
    return dirs


def find_wasmtime():
    for d in os.environ.get("PATH", "").split(os.pathsep) + [os.path.expanduser("~/.cargo/bin")]:
        p = os.path.join(d, "wasmtime")
        if d and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def wasmtime_command(wasmtime, case, wasm, dirs):
    """The `wasmtime run` command line of a case (tests/wasi.rs builds the same one)."""
    cmd = [wasmtime, "run"]
    for host, guest in dirs:
        cmd += ["--dir", f"{host}::{guest}"]
    for k, v in case["env"]:
        cmd += ["--env", f"{k}={v}"]
    return cmd + [wasm] + case["args"]


def run_cli(wasmtime, case, wasm, dirs):
    p = subprocess.run(wasmtime_command(wasmtime, case, wasm, dirs), input=case["stdin"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={}, timeout=120)
    return p.returncode, p.stdout, p.stderr


def run_python(case, wasm, dirs, tmp):
    """The same run through the wasmtime Python package, in a child process (the guest's exit
    must not end this script)."""
    import json
    spec = os.path.join(tmp, "spec.json")
    with open(spec, "w") as f:
        json.dump({"wasm": wasm, "args": case["args"], "env": case["env"], "dirs": dirs}, f)
    child = r'''
import json, os, sys, wasmtime
s = json.load(open(sys.argv[1]))
engine = wasmtime.Engine()
store = wasmtime.Store(engine)
linker = wasmtime.Linker(engine)
linker.define_wasi()
cfg = wasmtime.WasiConfig()
cfg.argv = [os.path.basename(s["wasm"])] + s["args"]
cfg.env = [tuple(kv) for kv in s["env"]]
cfg.inherit_stdin(); cfg.inherit_stdout(); cfg.inherit_stderr()
for host, guest in s["dirs"]:
    cfg.preopen_dir(host, guest)
store.set_wasi(cfg)
code = 0
try:
    module = wasmtime.Module.from_file(engine, s["wasm"])
    linker.instantiate(store, module).exports(store)["_start"](store)
except wasmtime.ExitTrap as e:
    code = e.code
except wasmtime.Trap as e:
    print(e, file=sys.stderr); code = 134
except wasmtime.WasmtimeError as e:
    # A host function's error (a bad pointer, an undefined enum value, a refused exit status):
    # `wasmtime run` prints it and exits with status 1.
    print(e, file=sys.stderr)
    code = 1
sys.stdout.flush()
os._exit(code)
'''
    p = subprocess.run([sys.executable, "-c", child, spec], input=case["stdin"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout, p.stderr


def main(argv):
    write = "--write" in argv
    use_python = "--python" in argv
    wasmtime = None
    names = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--wasmtime":
            wasmtime = argv[i + 1]
            i += 1
        elif not a.startswith("--"):
            names.append(a)
        i += 1
    if not use_python and wasmtime is None:
        wasmtime = find_wasmtime()
    if use_python:
        wasmtime = None
    print(f"reference: {wasmtime or 'the wasmtime Python package'}")
    if wasmtime:
        print(subprocess.run([wasmtime, "--version"], stdout=subprocess.PIPE).stdout.decode().strip())
    cases = [c for c in parse_cases() if not names or c["name"] in names]
    bad = 0
    for case in cases:
        wasm = os.path.join(HERE, "wasm", case["program"] + ".wasm")
        with tempfile.TemporaryDirectory(prefix="w2n-wasi-ref-") as tmp:
            root = os.path.join(tmp, "root")
            os.makedirs(root)
            dirs = setup_dirs(case, root)
            if wasmtime:
                status, out, err = run_cli(wasmtime, case, wasm, dirs)
            else:
                status, out, err = run_python(case, wasm, dirs, tmp)
        if not wasmtime and b"unknown import: `wasi_unstable::" in err:
            print(f"{case['name']}: skipped (the Python package has no wasi_unstable)")
            continue
        base = os.path.join(HERE, "expected", case["name"])
        if write:
            with open(base + ".stdout", "wb") as f:
                f.write(out)
            with open(base + ".status", "w") as f:
                f.write(f"{status}\n")
            print(f"{case['name']}: status {status}, {len(out)} bytes written")
            continue
        try:
            want_out = open(base + ".stdout", "rb").read()
            want_status = int(open(base + ".status").read().strip())
        except OSError as e:
            print(f"{case['name']}: no expectation ({e})")
            bad += 1
            continue
        if out == want_out and status == want_status:
            print(f"{case['name']}: ok")
        else:
            bad += 1
            print(f"{case['name']}: DIFFERS (status {status}, expected {want_status}; "
                  f"stdout {'same' if out == want_out else 'differs'})")
            if err:
                print("  stderr: " + err.decode("utf-8", "replace").strip().replace("\n", "\n  "))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
