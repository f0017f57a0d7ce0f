# shellcheck shell=bash
# The C++ exception runtime for the programs in cpp/, sourced by build.sh (not run on its own).
#
# Debian's wasm32 libc++ (libc++-19-dev-wasm32; its libc++.a also holds libc++abi) is built
# without exception support: `__cxa_throw` and `__wasm_lpad_context` are missing, and
# cxa_noexception.o stands in for the exception runtime. So this builds, from the LLVM 19.1.7
# sources of the same Debian release as the installed clang-19 and libc++ headers:
#
#   libc++abi.a  all of libc++abi (cxa_exception.cpp, cxa_personality.cpp, ... but not
#                cxa_noexception.cpp) with -fwasm-exceptions, plus libunwind's wasm part
#                (Unwind-wasm.c: _Unwind_RaiseException, __wasm_lpad_context)
#   libc++.a     Debian's libc++.a without its libc++abi members (they would clash with the
#                above); it stays built without exceptions, which only matters for library
#                functions that throw (they abort instead), and the test programs use none.
#
# The sources: `apt-get source --download-only llvm-toolchain-19` (the 164 MB orig tarball,
# checked against the SHA-256 below), through a private apt configuration that turns the
# machine's `deb` entries into `deb-src` ones, so no system file changes (it needs network
# access to the Debian mirror the machine already uses). Only libcxxabi/, libunwind/ and
# libcxx/src/include/ are unpacked, as released upstream (Debian's patches are not applied:
# those touching libcxxabi and libunwind are for ARM EHABI, CMake files and tests). Everything
# goes to LLVM_SRC_CACHE (default ~/.cache/wasm2native/llvm-19), kept between runs: nothing of
# it is committed.
#
# cxx_eh_runtime WORK: builds the two archives into WORK/cxx-eh (needs wasm_toolchain first).
# wasm_cxx ARGS...: compiles and links C++ for wasm32-wasi with -O2 -fwasm-exceptions against
# them.

llvm_deb_version="1:19.1.7-3~deb12u1"
llvm_orig="llvm-toolchain-19_19.1.7.orig.tar.xz"
llvm_orig_sha256="ae498f3bc58ae2d9f64ef5f0c035c4240152bf015a5b7738b15c22e93bdc97ce"
llvm_top="llvm-toolchain-19_19.1.7"

# Downloads and unpacks the needed LLVM sources; prints their directory.
llvm_sources() {
    local cache="${LLVM_SRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasm2native/llvm-19}"
    local src="$cache/$llvm_top"
    if [[ -f "$src/.complete" ]]; then
        echo "$src"
        return
    fi
    mkdir -p "$cache"
    if ! echo "$llvm_orig_sha256  $cache/$llvm_orig" | sha256sum -c --status 2>/dev/null; then
        download_llvm_orig "$cache" >&2
        echo "$llvm_orig_sha256  $cache/$llvm_orig" | sha256sum -c --status || {
            echo "build.sh: $cache/$llvm_orig does not have the expected SHA-256" >&2
            exit 1
        }
    fi
    rm -rf "$src"
    tar -xJf "$cache/$llvm_orig" -C "$cache" --wildcards \
        "$llvm_top/libcxxabi/include/*" "$llvm_top/libcxxabi/src/*" \
        "$llvm_top/libcxxabi/LICENSE.TXT" "$llvm_top/libunwind/include/*" \
        "$llvm_top/libunwind/src/*" "$llvm_top/libcxx/src/include/*"
    touch "$src/.complete"
    echo "$src"
}

# `apt-get source` with the machine's Debian entries turned into deb-src ones, in a private
# apt state under CACHE/apt.
download_llvm_orig() {
    local cache="$1" apt="$1/apt" f
    rm -rf "$apt"
    mkdir -p "$apt/sources.d" "$apt/lists/partial" "$apt/cache/archives/partial"
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] && sed 's/^Types:.*/Types: deb-src/' "$f" >"$apt/sources.d/$(basename "$f")"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f "$f" ]] && sed -n 's/^deb /deb-src /p' "$f" >>"$apt/sources.d/from-lists.list"
    done
    local opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/sources.d"
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1)
    apt-get "${opts[@]}" update
    (cd "$cache" && apt-get "${opts[@]}" source --download-only "llvm-toolchain-19=$llvm_deb_version")
}

cxx_eh_runtime() {
    local work="$1" src obj name
    src="$(llvm_sources)"
    cxx_eh="$work/cxx-eh"
    obj="$cxx_eh/obj"
    mkdir -p "$obj"
    # As libc++abi's CMake build for a single-threaded, static, release libc++abi would.
    local flags=(--target=wasm32-wasi --sysroot="$sysroot" -O2 -DNDEBUG -fwasm-exceptions
        -D_LIBCXXABI_BUILDING_LIBRARY -D_LIBCPP_BUILDING_LIBRARY -D_LIBCXXABI_HAS_NO_THREADS
        -D_LIBUNWIND_HIDE_SYMBOLS -I"$src/libcxxabi/include" -I"$src/libcxx/src"
        -I"$src/libunwind/include")
    for name in cxa_aux_runtime cxa_default_handlers cxa_demangle cxa_exception_storage \
        cxa_guard cxa_handlers cxa_vector cxa_virtual stdlib_exception stdlib_stdexcept \
        stdlib_typeinfo abort_message fallback_malloc private_typeinfo stdlib_new_delete \
        cxa_exception cxa_personality; do
        "$clang_bin" "${flags[@]}" -std=c++20 -c "$src/libcxxabi/src/$name.cpp" -o "$obj/$name.o"
    done
    "$clang_bin" "${flags[@]}" -std=c11 -c "$src/libunwind/src/Unwind-wasm.c" \
        -o "$obj/Unwind-wasm.o"
    llvm_ar="$(dirname "$(readlink -f "$clang_bin")")/llvm-ar"
    rm -f "$cxx_eh/libc++abi.a" "$cxx_eh/libc++.a"
    (cd "$obj" && "$llvm_ar" rcs --format=gnu "$cxx_eh/libc++abi.a" ./*.o)
    cp "$sysroot/lib/wasm32-wasi/libc++.a" "$cxx_eh/libc++.a"
    chmod u+w "$cxx_eh/libc++.a"
    # shellcheck disable=SC2046 # one member name per word
    "$llvm_ar" d "$cxx_eh/libc++.a" $("$llvm_ar" t "$sysroot/lib/wasm32-wasi/libc++abi.a")
}

wasm_cxx() {
    PATH="$clean_path" "$clang_bin" --driver-mode=g++ --target=wasm32-wasi --sysroot="$sysroot" \
        -O2 -fwasm-exceptions -Wl,--strip-debug -nostdlib++ "$@" \
        "$cxx_eh/libc++.a" "$cxx_eh/libc++abi.a"
}
