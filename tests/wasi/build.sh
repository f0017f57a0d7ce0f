#!/usr/bin/env bash
# Rebuilds the committed WASI test programs of tests/wasi.rs:
#
#   c/NAME.c         --clang-19 -O2, wasi-libc-->  wasm/NAME.wasm        (committed)
#   rust/            --cargo, wasm32-wasip1---->  wasm/rust_fs.wasm     (committed)
#   as/              --asc, wasi-shim---------->  wasm/as_hello.wasm    (committed)
#
# and, with --expected, the expectations expected/CASE.{stdout,status} of every case in
# cases.txt, from the reference runtime wasmtime (see reference.py). The tests never run this
# script: they use the committed wasm/ and expected/ files.
#
# Usage: tests/wasi/build.sh [c] [rust] [as] [--expected]     (no part named: c rust as)
#
# Needs: clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 (Debian 12 names) for C, as in
# tests/programs/build.sh (both use tests/build-common.sh: same throwaway sysroot, same
# wasm-opt-free PATH); rustup's wasm32-wasip1 target for Rust; node + npm for AssemblyScript
# (`npm ci` in as/, which installs the versions pinned by as/package-lock.json); wasmtime for
# --expected (a `wasmtime` on PATH, or the `wasmtime` PyPI package: python3 -m venv /tmp/wtvenv
# && /tmp/wtvenv/bin/pip install wasmtime, then PYTHON=/tmp/wtvenv/bin/python).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

parts=()
expected=0
for a in "$@"; do
    case "$a" in
        c | rust | as) parts+=("$a") ;;
        --expected) expected=1 ;;
        *) echo "build.sh: unknown argument $a" >&2; exit 2 ;;
    esac
done
if [[ ${#parts[@]} -eq 0 && $expected -eq 0 ]]; then parts=(c rust as); fi
has() { local p; for p in "${parts[@]}"; do [[ "$p" == "$1" ]] && return 0; done; return 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/w2n-wasi.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p wasm expected

if has c; then
    # shellcheck source=../build-common.sh
    source "$here/../build-common.sh"
    wasm_toolchain "$work"
    for src in c/*.c; do
        name="$(basename "$src" .c)"
        echo "== c/$name.c"
        wasm_cc -Wall -Wextra -Wno-unused-parameter "$src" -o "wasm/$name.wasm"
    done
fi

if has rust; then
    echo "== rust/"
    (cd rust && cargo build --release --target wasm32-wasip1 --target-dir "$work/rust-target")
    cp "$work/rust-target/wasm32-wasip1/release/rust_fs.wasm" wasm/rust_fs.wasm
fi

if has as; then
    echo "== as/"
    (cd as && npm ci --no-audit --no-fund && npx asc assembly/index.ts --config asconfig.json \
        --target release --outFile ../wasm/as_hello.wasm)
fi

if [[ $expected -eq 1 ]]; then
    echo "== expected/ (wasmtime)"
    "${PYTHON:-python3}" reference.py --write
fi
echo "done"
