#!/usr/bin/env bash
# Rebuilds the committed test programs of tests/cli.rs:
#
#   c/NAME.c  --clang -O2 wasm32-wasi-->  wasm/NAME.wasm          (committed)
#   c/NAME.c  --clang -O2 native------->  a temp dir, run there -> expected/NAME.{stdout,stderr,status}
#
# The tests never run this script: they only use the committed wasm/ and expected/ files. Run it
# after changing a program in c/ or an input in inputs/, and commit the results.
#
# Needs (Debian 12 package names):
#   clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32   (libc++-19-dev-wasm32 is not used by C)
#   and, for the native builds, a normal glibc C toolchain (libc6-dev, libgcc).
# Override the compiler with CLANG=..., or the WASI sysroot with WASI_SYSROOT=/path (see
# tests/build-common.sh, which also keeps binaryen's wasm-opt off PATH while linking).
#
# Inputs of the runs (the same ones tests/cli.rs and verify_wasmtime.py use):
#   inputs/NAME.args   arguments after argv[0], one per line (an empty line is an empty argument)
#   inputs/NAME.stdin  standard input (default: empty)
#   inputs/NAME.env    extra environment variables, NAME=VALUE per line
#
# SIMD programs (simd_*.c) are built with -O3, for wasm with -msimd128 (clang vectorises loops to
# wasm SIMD, and wasm_simd128.h is available), natively with -march=x86-64-v2 (SSE4.2, the
# baseline wasm2native targets; simd_intrinsics.c maps the wasm intrinsics onto SSE4.1 there).
#
# Trap programs (trap_*.c, recurse.c) behave differently natively (SIGFPE, SIGSEGV, SIGILL), so
# their expectations are NOT taken from the native run: this script writes them by hand below as
# expected/NAME.stdout (what the program printed and flushed before trapping),
# expected/NAME.stderr1 (the first line of stderr, `error: wasm trap: <message>`),
# expected/NAME.status (134, as wasmtime exits on a trap) and expected/NAME.frame (a function the
# backtrace must name).
#
# Optional check against the reference runtime (wasmtime's Python bindings):
#   python3 -m venv /tmp/wtvenv && /tmp/wtvenv/bin/pip install wasmtime
#   /tmp/wtvenv/bin/python tests/programs/verify_wasmtime.py
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

work="$(mktemp -d "${TMPDIR:-/tmp}/w2n-programs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# shellcheck source=../build-common.sh
source "$here/../build-common.sh"
wasm_toolchain "$work"
native_cc() { "$clang_bin" -O2 "$@" -lm; }

trap_programs=(trap_div trap_oob trap_unreachable recurse)
is_trap() { local p; for p in "${trap_programs[@]}"; do [[ "$p" == "$1" ]] && return 0; done; return 1; }

mkdir -p wasm expected

# Runs the native build of $1 with its inputs; writes expected/$1.{stdout,stderr,status}.
run_native() {
    local name="$1" exe="$work/$1" args=() envs=() stdin=/dev/null line
    if [[ -f "inputs/$name.args" ]]; then
        while IFS= read -r line || [[ -n "$line" ]]; do args+=("$line"); done <"inputs/$name.args"
    fi
    if [[ -f "inputs/$name.env" ]]; then
        while IFS= read -r line || [[ -n "$line" ]]; do [[ -n "$line" ]] && envs+=("$line"); done \
            <"inputs/$name.env"
    fi
    [[ -f "inputs/$name.stdin" ]] && stdin="inputs/$name.stdin"
    local status=0
    env -u W2N_TEST_VAR "${envs[@]}" "$exe" "${args[@]}" <"$stdin" \
        >"expected/$name.stdout" 2>"expected/$name.stderr" || status=$?
    echo "$status" >"expected/$name.status"
}

for src in c/*.c; do
    name="$(basename "$src" .c)"
    echo "== $name"
    wasm_flags=()
    native_flags=()
    if [[ "$name" == simd_* ]]; then
        wasm_flags=(-O3 -msimd128)
        native_flags=(-O3 -march=x86-64-v2)
    fi
    wasm_cc "${wasm_flags[@]}" "$src" -o "wasm/$name.wasm"
    if is_trap "$name"; then
        continue
    fi
    native_cc "${native_flags[@]}" "$src" -o "$work/$name"
    run_native "$name"
done

# Hand-written expectations of the trap programs (see the header).
# expected/NAME.frame names a wasm function that the backtrace after the first line must show.
hand() { # name, stdout, trap message, function in the backtrace
    printf '%s' "$2" >"expected/$1.stdout"
    printf 'error: wasm trap: %s\n' "$3" >"expected/$1.stderr1"
    echo 134 >"expected/$1.status"
    echo "$4" >"expected/$1.frame"
}
hand trap_div $'dividing by 0\n' 'integer divide by zero' main
hand trap_oob $'storing to 0x7ffffff0\n' 'out of bounds memory access' main
hand trap_unreachable $'giving up (1)\n' 'unreachable' give_up
hand recurse $'recursing\n' 'call stack exhausted' deep_recursion

echo "built $(ls wasm/*.wasm | wc -l) modules into $here/wasm"
