#!/usr/bin/env python3
"""Checks tests/spec/wast/relaxed_simd.wast against wasmtime (the `wasmtime` PyPI package).

Every `assert_return` of the file becomes a module: the file's module plus a function that
calls the invoked export with the given arguments and compares the result with the expected
v128 bit for bit. Prints each assertion's outcome, in wasmtime's default relaxed SIMD mode and
in its deterministic mode (`--deterministic` to require that mode).

    python3 -m venv /tmp/wt48 && /tmp/wt48/bin/pip install wasmtime==48.*
    /tmp/wt48/bin/python tests/spec/verify_relaxed_simd.py
"""

import pathlib
import re
import sys

import wasmtime

WAST = pathlib.Path(__file__).parent / "wast" / "relaxed_simd.wast"


def sexprs(text):
    """The top-level parenthesised forms of `text` (comments removed), as strings."""
    text = re.sub(r";;[^\n]*", "", text)
    forms, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                forms.append(text[start : i + 1])
    return forms


def children(form):
    """The parenthesised children of one form."""
    return sexprs(form[1:-1])


def check_module(module, assertion):
    """`module` with an export "check" returning 1 if `assertion` holds."""
    invoke, expected = children(assertion)
    name = re.match(r'\(invoke\s+"([^"]+)"', invoke).group(1)
    exports = re.findall(r'\(func \(export "([^"]+)"\)', module)
    args = " ".join(children(invoke))
    check = (
        f'(func (export "check") (result i32) {args} (call {exports.index(name)}) '
        f"{expected} (i8x16.eq) (i8x16.all_true))"
    )
    return module[: module.rindex(")")] + check + ")", name


def run(deterministic):
    config = wasmtime.Config()
    config.wasm_relaxed_simd = True
    config.wasm_relaxed_simd_deterministic = deterministic
    engine = wasmtime.Engine(config)
    forms = sexprs(WAST.read_text())
    module = forms[0]
    failed = []
    for assertion in forms[1:]:
        text, name = check_module(module, assertion)
        store = wasmtime.Store(engine)
        instance = wasmtime.Instance(store, wasmtime.Module(engine, text), [])
        if instance.exports(store)["check"](store) != 1:
            failed.append(name)
    total = len(forms) - 1
    mode = "deterministic" if deterministic else "default"
    print(f"wasmtime {mode} mode: {total - len(failed)}/{total} pass; fail: {failed}")
    return not failed


if __name__ == "__main__":
    if "--deterministic" in sys.argv:
        sys.exit(0 if run(True) else 1)
    ok = run(False)
    run(True)
    sys.exit(0 if ok else 1)
