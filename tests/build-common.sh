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
# be what clang/wasm-ld produce. A directory dropped for holding wasm-opt may hold the linker too
# (Debian's binaryen: /usr/bin, where clang-19 looks for wasm-ld-19), so the linker that clang
# would run with the full PATH is given to it by -fuse-ld=PATH (wasm_ld; Debian's clang-19
# ignores --ld-path for wasm). benches/build.py does the same.

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
    wasm_ld="$("$clang_bin" --target=wasm32-wasi -print-prog-name=wasm-ld)"
    wasm_ld="$(command -v "$wasm_ld" || command -v wasm-ld-19 || command -v wasm-ld)" || {
        echo "build.sh: no wasm-ld found (apt-get install lld-19)" >&2
        exit 1
    }
}

# --strip-debug: Debian's wasi-libc.a carries DWARF; the name section is kept.
wasm_cc() {
    PATH="$clean_path" "$clang_bin" --target=wasm32-wasi --sysroot="$sysroot" -O2 \
        -fuse-ld="$wasm_ld" -Wl,--strip-debug "$@"
}

# wasm_threads_toolchain WORK: the wasi-libc build with pthreads (wasm32-wasip1-threads), which
# Debian's wasi-libc (2022) lacks. Its libc.a and crt1-command.o come from Rust's
# wasm32-wasip1-threads target (`rustup target add wasm32-wasip1-threads`), under
# `rustc --print sysroot`; Rust ships no headers, so those come from the wasi-libc that the
# `ziglang` PyPI package bundles (version pinned below, downloaded with pip into WORK; only its
# include/wasm-wasi-musl and include/generic-musl directories are used). Needs wasm_toolchain
# first. Sets threads_lib and threads_include.
wasm_threads_toolchain() {
    local work="$1" ziglang_version=0.17.1
    threads_lib="$(rustc --print sysroot)/lib/rustlib/wasm32-wasip1-threads/lib/self-contained"
    [[ -f "$threads_lib/libc.a" ]] || {
        echo "build.sh: $threads_lib/libc.a missing (rustup target add wasm32-wasip1-threads)" >&2
        exit 1
    }
    python3 -m pip download --quiet --no-deps --dest "$work/ziglang" "ziglang==$ziglang_version"
    threads_include="$work/ziglang/include"
    python3 - "$work/ziglang" "$threads_include" <<'PY'
import glob, os, sys, zipfile
wheel, = glob.glob(os.path.join(sys.argv[1], "ziglang-*.whl"))
prefix = "ziglang/lib/libc/include/"
with zipfile.ZipFile(wheel) as z:
    for m in z.namelist():
        sub = m[len(prefix):]
        if m.startswith(prefix) and sub.split("/")[0] in ("wasm-wasi-musl", "generic-musl"):
            path = os.path.join(sys.argv[2], sub)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(z.read(m))
PY
}

# wasm_threads_cc ARGS...: compiles and links for wasm32-wasip1-threads with -O2, as Rust links
# that target: the memory imported (`env` `memory`) and shared, at most 1 GiB, and exported too
# (wasmtime's WASI needs the export), and `wasi_thread_start` exported for wasi-threads'
# thread-spawn. compiler-rt's builtins come from
# Debian's libclang-rt-19-dev-wasm32.
wasm_threads_cc() {
    PATH="$clean_path" "$clang_bin" --target=wasm32-wasip1-threads -pthread -matomics \
        -mbulk-memory -O2 -nostdinc -isystem "$("$clang_bin" -print-resource-dir)/include" \
        -isystem "$threads_include/wasm-wasi-musl" -isystem "$threads_include/generic-musl" \
        -nostdlib "$@" "$threads_lib/crt1-command.o" "$threads_lib/libc.a" \
        "$("$clang_bin" --target=wasm32-wasi -print-libgcc-file-name)" \
        -Wl,--shared-memory -Wl,--import-memory -Wl,--export-memory -Wl,--max-memory=1073741824 \
        -Wl,--export=wasi_thread_start -Wl,--strip-debug -fuse-ld="$wasm_ld"
}
