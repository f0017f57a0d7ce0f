/* WASI calls given an enum value or flag bit that preview1 does not define. argv[1] picks the
 * call; the program prints what it is about to do, then the errno (wasmtime traps on some). */
#include "common.h"

#define IMPORT(name) \
    __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

IMPORT(clock_time_get) int32_t raw_clock_time_get(int32_t id, int64_t prec, int32_t out);
IMPORT(clock_res_get) int32_t raw_clock_res_get(int32_t id, int32_t out);
IMPORT(fd_seek) int32_t raw_fd_seek(int32_t fd, int64_t off, int32_t whence, int32_t out);
IMPORT(fd_advise) int32_t raw_fd_advise(int32_t fd, int64_t off, int64_t len, int32_t advice);
IMPORT(fd_fdstat_set_flags) int32_t raw_fd_fdstat_set_flags(int32_t fd, int32_t flags);
IMPORT(fd_filestat_set_times) int32_t raw_fd_filestat_set_times(int32_t fd, int64_t a,
                                                                int64_t m, int32_t flags);
IMPORT(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path,
                                        int32_t path_len, int32_t oflags, int64_t base,
                                        int64_t inheriting, int32_t fdflags, int32_t out);
IMPORT(path_filestat_get) int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path,
                                                        int32_t len, int32_t out);
IMPORT(sock_shutdown) int32_t raw_sock_shutdown(int32_t fd, int32_t how);
IMPORT(proc_raise) int32_t raw_proc_raise(int32_t sig);
IMPORT(sock_accept) int32_t raw_sock_accept(int32_t fd, int32_t flags, int32_t out);

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "";
    static uint64_t out[16];
    int32_t o = (int32_t)(uintptr_t)out;
    static const char name[] = "f";
    int32_t p = (int32_t)(uintptr_t)name;
    __wasi_fd_t f;
    int dir = find_preopen("/");
    if (dir < 0 || wopen(dir, "f", 0, __WASI_OFLAGS_CREAT, R_RW, 0, &f) != 0) {
        printf("setup failed\n");
        return 2;
    }
    printf("calling %s\n", what);
    fflush(stdout);
    int e;
    if (strcmp(what, "clock_time_get-id") == 0) e = raw_clock_time_get(99, 0, o);
    else if (strcmp(what, "clock_res_get-id") == 0) e = raw_clock_res_get(4, o);
    else if (strcmp(what, "fd_seek-whence") == 0) e = raw_fd_seek(f, 0, 3, o);
    else if (strcmp(what, "fd_advise-advice") == 0) e = raw_fd_advise(f, 0, 0, 6);
    else if (strcmp(what, "fd_fdstat_set_flags-flags") == 0) e = raw_fd_fdstat_set_flags(f, 0x20);
    else if (strcmp(what, "fd_filestat_set_times-flags") == 0)
        e = raw_fd_filestat_set_times(f, 0, 0, 0x10);
    else if (strcmp(what, "path_open-oflags") == 0)
        e = raw_path_open(dir, 0, p, 1, 0x10, R_RO, R_RO, 0, o);
    else if (strcmp(what, "path_open-dirflags") == 0)
        e = raw_path_open(dir, 2, p, 1, 0, R_RO, R_RO, 0, o);
    else if (strcmp(what, "path_open-fdflags") == 0)
        e = raw_path_open(dir, 0, p, 1, 0, R_RO, R_RO, 0x20, o);
    else if (strcmp(what, "path_filestat_get-flags") == 0)
        e = raw_path_filestat_get(dir, 2, p, 1, o);
    else if (strcmp(what, "sock_shutdown-how") == 0) e = raw_sock_shutdown(f, 4);
    else if (strcmp(what, "sock_accept-flags") == 0) e = raw_sock_accept(f, 1, o);
    else if (strcmp(what, "proc_raise-signal") == 0) e = raw_proc_raise(99);
    else { printf("unknown call\n"); return 2; }
    printf("%s returned %s\n", what, ename(e));
    return 0;
}
