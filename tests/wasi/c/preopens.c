/* Lists the preopened directories (fd_prestat_get, fd_prestat_dir_name) and, for each, the
 * content of marker.txt inside it (or the errno). Used for the contract of --dir and
 * WASM2NATIVE_DIRS. */
#include "common.h"

int main(void) {
    int count = 0;
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        int e = __wasi_fd_prestat_get(fd, &ps);
        if (e == __WASI_ERRNO_BADF) break;
        if (e) { printf("fd %u: prestat %s\n", fd, ename(e)); continue; }
        char name[256];
        size_t len = ps.u.dir.pr_name_len;
        if (len >= sizeof name) { printf("fd %u: name too long\n", fd); continue; }
        e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len);
        name[e ? 0 : len] = 0;
        char marker[256];
        e = get_file(fd, "marker.txt", marker, sizeof marker);
        size_t ml = strlen(marker);
        while (ml && marker[ml - 1] == '\n') marker[--ml] = 0;
        printf("fd %u: preopen \"%s\", marker.txt: %s\n", fd, name, e ? ename(e) : marker);
        count++;
    }
    printf("%d preopen(s)\n", count);
    return 0;
}
