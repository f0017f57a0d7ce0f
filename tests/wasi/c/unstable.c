/* The older `wasi_unstable` (snapshot 0) module, whose ABI differs from preview1 in four calls:
 * fd_seek numbers `whence` cur=0 end=1 set=2; fd_filestat_get and path_filestat_get write a
 * 56-byte filestat whose nlink is a u32 (size at 24); poll_oneoff's clock subscription starts with
 * a u64 identifier (56-byte subscriptions). Other snapshot 0 calls (fd_write, path_open here)
 * are preview1's. Run with a scratch directory preopened as "/". */
#include "common.h"

#define UNSTABLE(name) __attribute__((import_module("wasi_unstable"), import_name(#name)))

UNSTABLE(fd_seek) int32_t u_fd_seek(int32_t fd, int64_t offset, int32_t whence, uint64_t *pos);
UNSTABLE(fd_filestat_get) int32_t u_fd_filestat_get(int32_t fd, uint8_t *buf);
UNSTABLE(path_filestat_get) int32_t u_path_filestat_get(int32_t fd, int32_t flags,
                                                        const char *path, int32_t len,
                                                        uint8_t *buf);
UNSTABLE(poll_oneoff) int32_t u_poll_oneoff(const uint8_t *in, uint8_t *out, int32_t n,
                                            uint32_t *nevents);
UNSTABLE(fd_write) int32_t u_fd_write(int32_t fd, const __wasi_ciovec_t *iovs, int32_t n,
                                      uint32_t *nwritten);
UNSTABLE(path_open) int32_t u_path_open(int32_t fd, int32_t dirflags, const char *path,
                                        int32_t path_len, int32_t oflags, int64_t base,
                                        int64_t inheriting, int32_t fdflags, uint32_t *out);
UNSTABLE(fd_close) int32_t u_fd_close(int32_t fd);

static uint64_t rd(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void wr(uint8_t *p, uint64_t v, int n) {
    for (int i = 0; i < n; i++, v >>= 8) p[i] = (uint8_t)v;
}

static void seek(const char *label, uint32_t fd, int64_t off, int whence, uint64_t want) {
    uint64_t pos = 12345;
    check(label, u_fd_seek(fd, off, whence, &pos), 0);
    expect_u64(label, pos, want);
}

static void filestat(const char *label, const uint8_t *buf) {
    char l[128];
    snprintf(l, sizeof l, "%s: filetype", label);
    expect_u64(l, buf[16], __WASI_FILETYPE_REGULAR_FILE);
    snprintf(l, sizeof l, "%s: nlink (u32 at 20)", label);
    expect_u64(l, rd(buf + 20, 4), 1);
    snprintf(l, sizeof l, "%s: size (at 24)", label);
    expect_u64(l, rd(buf + 24, 8), 10);
    snprintf(l, sizeof l, "%s: mtim (at 40)", label);
    expect_u64(l, rd(buf + 40, 8), 2000000000000000000ull);
    snprintf(l, sizeof l, "%s: nothing written past 56 bytes", label);
    expect_true(l, rd(buf + 56, 8) == 0xeeeeeeeeeeeeeeeeull);
}

int main(void) {
    int dir = find_preopen("/");
    if (dir < 0) { printf("no preopen named /\n"); return 1; }
    uint32_t fd = 0;
    check("path_open (wasi_unstable)",
          u_path_open(dir, 0, "f", 1, __WASI_OFLAGS_CREAT, R_RW, R_RW, 0, &fd), 0);
    __wasi_ciovec_t iov = {(const uint8_t *)"0123456789", 10};
    uint32_t n = 0;
    check("fd_write (wasi_unstable)", u_fd_write(fd, &iov, 1, &n), 0);
    expect_u64("written", n, 10);
    check("set mtim (preview1)",
          __wasi_fd_filestat_set_times(fd, 0, 2000000000000000000ull, __WASI_FSTFLAGS_MTIM), 0);

    seek("fd_seek 3 from set (2)", fd, 3, 2, 3);
    seek("fd_seek 2 from cur (0)", fd, 2, 0, 5);
    seek("fd_seek -1 from end (1)", fd, -1, 1, 9);
    uint64_t pos;
    check("fd_seek stdout", u_fd_seek(1, 0, 0, &pos), __WASI_ERRNO_SPIPE);

    uint8_t buf[64];
    memset(buf, 0xee, sizeof buf);
    check("fd_filestat_get (wasi_unstable)", u_fd_filestat_get(fd, buf), 0);
    filestat("fd_filestat_get", buf);
    memset(buf, 0xee, sizeof buf);
    check("path_filestat_get (wasi_unstable)", u_path_filestat_get(dir, 0, "f", 1, buf), 0);
    filestat("path_filestat_get", buf);
    check("path_filestat_get of a missing file",
          u_path_filestat_get(dir, 0, "missing", 7, buf), __WASI_ERRNO_NOENT);

    /* A 56-byte clock subscription (20 ms). (wasmtime 48 answers `inval` as soon as there are
     * two subscriptions, whatever their stride; wasm2native's unit tests cover that case.) */
    uint8_t sub[56], ev[32];
    memset(sub, 0, sizeof sub);
    memset(ev, 0xee, sizeof ev);
    wr(sub, 101, 8);                                 /* userdata */
    sub[8] = __WASI_EVENTTYPE_CLOCK;                 /* tag */
    wr(sub + 16, 0xdead, 8);                         /* identifier */
    wr(sub + 24, __WASI_CLOCKID_MONOTONIC, 4);       /* clock id */
    wr(sub + 32, 20000000ull, 8);                    /* timeout */
    uint64_t t0 = 0, t1 = 0;
    check("clock_time_get", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t0), 0);
    uint32_t nev = 0;
    check("poll_oneoff (wasi_unstable)", u_poll_oneoff(sub, ev, 1, &nev), 0);
    check("clock_time_get", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t1), 0);
    expect_true("waited at least 20 ms (the timeout is read at 32)", t1 - t0 >= 20000000ull);
    expect_true("waited less than 10 s", t1 - t0 < 10000000000ull);
    expect_u64("events", nev, 1);
    expect_u64("event userdata", rd(ev, 8), 101);
    expect_u64("event error", rd(ev + 8, 2), 0);
    expect_u64("event type", ev[10], __WASI_EVENTTYPE_CLOCK);
    check("fd_close (wasi_unstable)", u_fd_close(fd), 0);
    return finish();
}
