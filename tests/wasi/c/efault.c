/* WASI calls given pointers outside linear memory. wasmtime traps; wasm2native returns `fault`,
 * or traps (naming the call) when the program was compiled with --trap-on-efault. argv[1] picks
 * the call; the program prints what it is about to do, then the result. */
#include "common.h"

#define BAD 0xfffffff0u

#define IMPORT(name) \
    __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

IMPORT(fd_write) int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t nwritten);
IMPORT(fd_read) int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t nread);
IMPORT(args_sizes_get) int32_t raw_args_sizes_get(int32_t argc, int32_t size);
IMPORT(clock_time_get) int32_t raw_clock_time_get(int32_t id, int64_t prec, int32_t out);
IMPORT(random_get) int32_t raw_random_get(int32_t buf, int32_t len);
IMPORT(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path,
                                        int32_t path_len, int32_t oflags, int64_t base,
                                        int64_t inheriting, int32_t fdflags, int32_t out);
IMPORT(poll_oneoff) int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t nevents);

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "";
    int e;
    static __wasi_ciovec_t iov;
    static __wasi_size_t n;
    printf("calling %s with a bad pointer\n", what);
    fflush(stdout);
    if (strcmp(what, "fd_write-iovs") == 0) {
        e = raw_fd_write(1, (int32_t)BAD, 1, (int32_t)(uintptr_t)&n);
    } else if (strcmp(what, "fd_write-buf") == 0) {
        iov.buf = (const uint8_t *)(uintptr_t)BAD;
        iov.buf_len = 8;
        e = raw_fd_write(1, (int32_t)(uintptr_t)&iov, 1, (int32_t)(uintptr_t)&n);
    } else if (strcmp(what, "fd_read-result") == 0) {
        static char buf[4];
        iov.buf = (const uint8_t *)buf;
        iov.buf_len = 0;
        e = raw_fd_read(0, (int32_t)(uintptr_t)&iov, 1, (int32_t)BAD);
    } else if (strcmp(what, "args_sizes_get") == 0) {
        e = raw_args_sizes_get((int32_t)BAD, (int32_t)(uintptr_t)&n);
    } else if (strcmp(what, "clock_time_get") == 0) {
        e = raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, (int32_t)BAD);
    } else if (strcmp(what, "random_get") == 0) {
        e = raw_random_get((int32_t)BAD, 100);
    } else if (strcmp(what, "path_open") == 0) {
        e = raw_path_open(3, 0, (int32_t)BAD, 10, 0, 0, 0, 0, (int32_t)(uintptr_t)&n);
    } else if (strcmp(what, "poll_oneoff") == 0) {
        e = raw_poll_oneoff((int32_t)BAD, (int32_t)BAD, 1, (int32_t)(uintptr_t)&n);
    } else {
        printf("unknown call\n");
        return 2;
    }
    printf("%s returned %s\n", what, ename(e));
    return e == __WASI_ERRNO_FAULT ? 0 : 1;
}
