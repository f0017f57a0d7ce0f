/* sock_accept, sock_recv, sock_send, sock_shutdown.
 *   sock errors   each call on descriptors that are not sockets (stdio, a preopen, a file) and
 *                 on a closed one
 *   sock serve    finds the listening socket handed to the program (wasmtime --tcplisten,
 *                 WASM2NATIVE_TCPLISTEN), accepts one connection, reads until the peer shuts
 *                 down its side, sends back "got N bytes: <upper-cased data>", shuts down and
 *                 closes. */
#include "common.h"

static int find_socket(void) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_fdstat_t fs;
        if (__wasi_fd_fdstat_get(fd, &fs) == 0 && fs.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM)
            return fd;
    }
    return -1;
}

static void errors(void) {
    uint8_t buf[16];
    __wasi_iovec_t iov = {buf, sizeof buf};
    __wasi_ciovec_t civ = {buf, sizeof buf};
    __wasi_size_t n;
    __wasi_roflags_t rof;
    __wasi_fd_t fd;
    int pre = find_preopen("/");
    expect_true("a preopen named /", pre >= 0);
    __wasi_fd_t file;
    check("create a file", wopen(pre, "f", 0, __WASI_OFLAGS_CREAT, R_RW, 0, &file), 0);
    __wasi_fd_t fds[4] = {0, 1, (__wasi_fd_t)pre, file};
    const char *names[4] = {"stdin", "stdout", "a preopen", "a file"};
    for (int i = 0; i < 4; i++) {
        char l[64];
        snprintf(l, sizeof l, "sock_accept(%s)", names[i]);
        check(l, __wasi_sock_accept(fds[i], 0, &fd), __WASI_ERRNO_NOTSOCK);
        snprintf(l, sizeof l, "sock_recv(%s)", names[i]);
        check(l, __wasi_sock_recv(fds[i], &iov, 1, 0, &n, &rof), __WASI_ERRNO_NOTSOCK);
        snprintf(l, sizeof l, "sock_send(%s)", names[i]);
        check(l, __wasi_sock_send(fds[i], &civ, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
        snprintf(l, sizeof l, "sock_shutdown(%s)", names[i]);
        check(l, __wasi_sock_shutdown(fds[i], __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
    }
    check("close the file", __wasi_fd_close(file), 0);
    check("sock_accept(closed)", __wasi_sock_accept(file, 0, &fd), __WASI_ERRNO_BADF);
    check("sock_recv(closed)", __wasi_sock_recv(file, &iov, 1, 0, &n, &rof), __WASI_ERRNO_BADF);
    check("sock_send(closed)", __wasi_sock_send(file, &civ, 1, 0, &n), __WASI_ERRNO_BADF);
    check("sock_shutdown(closed)", __wasi_sock_shutdown(file, __WASI_SDFLAGS_RD),
          __WASI_ERRNO_BADF);
    expect_true("no socket was handed to the program", find_socket() < 0);
}

static void serve(void) {
    int l = find_socket();
    expect_true("a listening socket", l >= 0);
    if (l < 0) return;
    __wasi_fdstat_t fs;
    check("fd_fdstat_get(listener)", __wasi_fd_fdstat_get(l, &fs), 0);
    expect_true("listener may accept", (fs.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT) != 0);
    fflush(stdout);
    /* Wait for the client (accept is non-blocking in wasmtime: poll first). */
    __wasi_subscription_t sub[2];
    memset(sub, 0, sizeof sub);
    sub[0].userdata = 1;
    sub[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    sub[0].u.u.fd_read.file_descriptor = l;
    sub[1].userdata = 2;
    sub[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    sub[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    sub[1].u.u.clock.timeout = 30ull * 1000000000ull;
    __wasi_event_t ev[2];
    __wasi_size_t nev;
    check("poll the listener", __wasi_poll_oneoff(sub, ev, 2, &nev), 0);
    expect_u64("ready: the listener", ev[0].userdata, 1);
    __wasi_fd_t c;
    int e;
    int tries = 0;
    while ((e = __wasi_sock_accept(l, 0, &c)) == __WASI_ERRNO_AGAIN && tries++ < 1000)
        if (__wasi_poll_oneoff(sub, ev, 2, &nev)) break;
    check("sock_accept", e, 0);
    if (e) return;
    char data[256];
    size_t total = 0;
    for (;;) {
        __wasi_iovec_t iov = {(uint8_t *)data + total, sizeof data - 1 - total};
        __wasi_size_t n = 0;
        __wasi_roflags_t rof = 0;
        e = __wasi_sock_recv(c, &iov, 1, 0, &n, &rof);
        if (e == __WASI_ERRNO_AGAIN) {
            sub[0].u.u.fd_read.file_descriptor = c;
            if (__wasi_poll_oneoff(sub, ev, 2, &nev)) break;
            continue;
        }
        if (e || n == 0) break;
        total += n;
        if (total == sizeof data - 1) break;
    }
    check("sock_recv until the peer shuts down", e, 0);
    data[total] = 0;
    print_bytes("received", data, total);
    char reply[300];
    int len = snprintf(reply, sizeof reply, "got %zu bytes: ", total);
    for (size_t i = 0; i < total; i++)
        reply[len++] = data[i] >= 'a' && data[i] <= 'z' ? data[i] - 32 : data[i];
    size_t sent = 0;
    while (sent < (size_t)len) {
        __wasi_ciovec_t civ = {(uint8_t *)reply + sent, len - sent};
        __wasi_size_t n = 0;
        e = __wasi_sock_send(c, &civ, 1, 0, &n);
        if (e == __WASI_ERRNO_AGAIN) continue;
        if (e) break;
        sent += n;
    }
    check("sock_send", e, 0);
    expect_u64("sent", sent, len);
    check("sock_shutdown(wr)", __wasi_sock_shutdown(c, __WASI_SDFLAGS_WR), 0);
    check("close the connection", __wasi_fd_close(c), 0);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "errors") == 0) errors();
    else if (argc > 1 && strcmp(argv[1], "serve") == 0) serve();
    else { printf("usage: sock errors|serve\n"); return 2; }
    return finish();
}
