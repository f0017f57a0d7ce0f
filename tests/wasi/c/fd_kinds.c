/* Every descriptor-taking call on every kind of descriptor (stdio, a preopened directory, an
 * opened directory, files opened read-only and read-write, a closed descriptor): the errno
 * each returns. Calls that would change something are made harmless (zero-length writes, the
 * size a file already has, no time flags; reads ask for one byte, as wasmtime answers a
 * zero-length read of a stream with `intr`). */
#include "common.h"

#define R_WO (R_RW & ~(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR))

static void calls(const char *kind, __wasi_fd_t fd) {
    char l[96];
    uint8_t buf[64];
    __wasi_iovec_t iov = {buf, 1};
    __wasi_ciovec_t civ = {buf, 0};
    __wasi_size_t n;
    __wasi_filesize_t pos;
    __wasi_fdstat_t fs;
    __wasi_filestat_t st;
    __wasi_prestat_t ps;
    __wasi_fd_t out;
    __wasi_roflags_t rof;
#define CALL(name, expr)                                   \
    do {                                                   \
        snprintf(l, sizeof l, "%s(%s)", name, kind);       \
        printf("%s: %s\n", l, ename(expr));                \
    } while (0)
    CALL("fd_advise", __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_NORMAL));
    CALL("fd_datasync", __wasi_fd_datasync(fd));
    CALL("fd_sync", __wasi_fd_sync(fd));
    CALL("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &fs));
    int e = __wasi_fd_fdstat_get(fd, &fs);
    CALL("fd_fdstat_set_flags", __wasi_fd_fdstat_set_flags(fd, e == 0 ? fs.fs_flags : 0));
    CALL("fd_filestat_get", __wasi_fd_filestat_get(fd, &st));
    e = __wasi_fd_filestat_get(fd, &st);
    CALL("fd_filestat_set_size", __wasi_fd_filestat_set_size(fd, e == 0 ? st.size : 0));
    CALL("fd_filestat_set_times", __wasi_fd_filestat_set_times(fd, 0, 0, 0));
    CALL("fd_pread", __wasi_fd_pread(fd, &iov, 1, 0, &n));
    CALL("fd_pwrite", __wasi_fd_pwrite(fd, &civ, 1, 0, &n));
    CALL("fd_read", __wasi_fd_read(fd, &iov, 1, &n));
    CALL("fd_write", __wasi_fd_write(fd, &civ, 1, &n));
    CALL("fd_readdir", __wasi_fd_readdir(fd, buf, sizeof buf, 0, &n));
    CALL("fd_seek", __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos));
    CALL("fd_tell", __wasi_fd_tell(fd, &pos));
    CALL("fd_prestat_get", __wasi_fd_prestat_get(fd, &ps));
    CALL("path_open", __wasi_path_open(fd, 0, "nothing", 0, R_RO, R_RO, 0, &out));
    CALL("path_filestat_get", __wasi_path_filestat_get(fd, 0, "nothing", &st));
    CALL("path_create_directory", __wasi_path_create_directory(fd, "never/x"));
    CALL("path_unlink_file", __wasi_path_unlink_file(fd, "nothing"));
    CALL("sock_accept", __wasi_sock_accept(fd, 0, &out));
    CALL("sock_recv", __wasi_sock_recv(fd, &iov, 1, 0, &n, &rof));
    CALL("sock_send", __wasi_sock_send(fd, &civ, 1, 0, &n));
    CALL("sock_shutdown", __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD));
#undef CALL
}

int main(void) {
    int dir = find_preopen(".");
    expect_true("a preopen named .", dir >= 0);
    __wasi_fd_t sub, ro, rw, closed;
    check("mkdir sub", __wasi_path_create_directory(dir, "sub"), 0);
    check("open sub", wopen(dir, "sub", 0, __WASI_OFLAGS_DIRECTORY, R_RO, 0, &sub), 0);
    check("create f", wopen(dir, "f", 0, __WASI_OFLAGS_CREAT, R_RW, 0, &rw), 0);
    check("open f read-only", wopen(dir, "f", 0, 0, R_RO, 0, &ro), 0);
    check("open closed", wopen(dir, "f", 0, 0, R_RO, 0, &closed), 0);
    check("close closed", __wasi_fd_close(closed), 0);
    calls("stdin", 0);
    calls("stdout", 1);
    calls("preopen", dir);
    calls("dir", sub);
    calls("file ro", ro);
    calls("file rw", rw);
    calls("closed", closed);
    return finish();
}
