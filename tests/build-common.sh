# shellcheck shell=bash
# The clang/wasi-libc set-up shared by tests/programs/build.sh and tests/wasi/build.sh, which
# source this file (it is not run on its own).
#
# wasm_toolchain WORK: picks the compiler (CLANG=..., by default clang-19 or else clang) and the
# WASI sysroot (WASI_SYSROOT=/path, e.g. the share/wasi-sysroot of a wasi-sdk; by default a
# throwaway sysroot in WORK/sysroot made from links to Debian's /usr/include/wasm32-wasi and
# /usr/lib/wasm32-wasi, as --sysroot=/usr would let glibc headers leak in). Sets CLANG,
# clang_bin, sysroot and clean_path; exits with a message when something is missing.
#
# wasm_cc ARGS...: compiles for wasm32-wasi with -O2. binaryen's wasm-opt is kept off PATH while
# linking (clean_path): clang runs it silently when it finds it, and the committed modules should
# be what clang/wasm-ld produce.

wasm_toolchain() {
    local work="$1" d path_dirs
    CLANG="${CLANG:-}"
    if [[ -z "$CLANG" ]]; then
        if command -v clang-19 >/dev/null 2>&1; then CLANG=clang-19; else CLANG=clang; fi
    fi
    command -v "$CLANG" >/dev/null 2>&1 || { echo "build.sh: $CLANG not found" >&2; exit 1; }

    if [[ -n "${WASI_SYSROOT:-}" ]]; then
        sysroot="$WASI_SYSROOT"
    else
        for d in /usr/include/wasm32-wasi /usr/lib/wasm32-wasi; do
            [[ -d "$d" ]] || { echo "build.sh: $d missing (apt-get install wasi-libc)" >&2; exit 1; }
        done
        # clang-19 --target=wasm32-wasi looks in SYSROOT/include/wasm32-wasi, SYSROOT/include and
        # SYSROOT/lib/wasm32-wasi.
        sysroot="$work/sysroot"
        mkdir -p "$sysroot/include" "$sysroot/lib"
        ln -s /usr/include/wasm32-wasi "$sysroot/include/wasm32-wasi"
        ln -s /usr/lib/wasm32-wasi "$sysroot/lib/wasm32-wasi"
    fi

    # PATH without any directory that holds a wasm-opt.
    clean_path=""
    IFS=: read -r -a path_dirs <<<"$PATH"
    for d in "${path_dirs[@]}"; do
        [[ -n "$d" && ! -x "$d/wasm-opt" ]] && clean_path="${clean_path:+$clean_path:}$d"
    done
    clang_bin="$(command -v "$CLANG")"
}

# --strip-debug: Debian's wasi-libc.a carries DWARF; the name section is kept.
wasm_cc() {
    PATH="$clean_path" "$clang_bin" --target=wasm32-wasi --sysroot="$sysroot" -O2 \
        -Wl,--strip-debug "$@"
}
