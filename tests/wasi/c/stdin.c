/* Standard input read to end of file with fd_read in chunks of argv[1] bytes (default 4096):
 * prints the byte and line counts, a checksum and the first and last lines; then what
 * poll_oneoff, fd_fdstat_get and the positioned calls say about stdin, and that reads at end of
 * file keep returning 0 bytes. */
#include "common.h"

int main(int argc, char **argv) {
    size_t chunk = argc > 1 ? (size_t)strtoul(argv[1], NULL, 0) : 4096;
    printf("chunk size: %zu\n", chunk);

    /* Wait until stdin is readable (it is a pipe the test writes and closes). */
    __wasi_subscription_t subs[2];
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 1;
    subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    subs[0].u.u.fd_read.file_descriptor = 0;
    subs[1].userdata = 2;
    subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[1].u.u.clock.timeout = 20ull * 1000000000ull;
    __wasi_event_t ev[2];
    __wasi_size_t nev = 0;
    check("poll stdin for reading", __wasi_poll_oneoff(subs, ev, 2, &nev), 0);
    expect_u64("events", nev, 1);
    expect_u64("event userdata (stdin)", ev[0].userdata, 1);
    expect_u64("event type (fd_read)", ev[0].type, __WASI_EVENTTYPE_FD_READ);
    check("event error", ev[0].error, 0);

    static uint8_t buf[1 << 16];
    if (chunk == 0 || chunk > sizeof buf) chunk = sizeof buf;
    size_t total = 0, lines = 0, reads = 0, n;
    uint32_t hash = 2166136261u;
    char first[128] = "", last[128] = "", cur[128];
    size_t cur_len = 0;
    int first_done = 0, e;
    for (;;) {
        e = wread(0, buf, chunk, &n);
        if (e || n == 0) break;
        reads++;
        if (n > chunk) { printf("read more than asked FAIL\n"); failures++; }
        for (size_t i = 0; i < n; i++) {
            hash = (hash ^ buf[i]) * 16777619u;
            if (buf[i] == '\n') {
                lines++;
                cur[cur_len < sizeof cur ? cur_len : sizeof cur - 1] = 0;
                if (!first_done) { strcpy(first, cur); first_done = 1; }
                strcpy(last, cur);
                cur_len = 0;
            } else if (cur_len < sizeof cur - 1) {
                cur[cur_len++] = (char)buf[i];
            }
        }
        total += n;
    }
    check("last read", e, 0);
    printf("bytes: %zu\nlines: %zu\nfnv1a: %08x\n", total, lines, hash);
    print_bytes("first line", first, strlen(first));
    print_bytes("last line", last, strlen(last));
    expect_true("at least one read per chunk of input", reads >= (total + chunk - 1) / chunk);
    check("read again at end of file", wread(0, buf, chunk, &n), 0);
    expect_u64("bytes read at end of file", n, 0);

    __wasi_fdstat_t fs;
    check("fd_fdstat_get(stdin)", __wasi_fd_fdstat_get(0, &fs), 0);
    expect_true("stdin may be read", (fs.fs_rights_base & __WASI_RIGHTS_FD_READ) != 0);
    /* The tests run every program with pipes as stdio: not terminals. */
    for (__wasi_fd_t fd = 0; fd < 3; fd++) {
        __wasi_filestat_t st;
        check("fd_fdstat_get", __wasi_fd_fdstat_get(fd, &fs), 0);
        check("fd_filestat_get", __wasi_fd_filestat_get(fd, &st), 0);
        printf("fd %u: fdstat filetype %u, flags %u; filestat filetype %u, size %llu, nlink %llu\n",
               fd, fs.fs_filetype, fs.fs_flags, st.filetype, (unsigned long long)st.size,
               (unsigned long long)st.nlink);
    }
    __wasi_filesize_t pos;
    check("seek stdin", __wasi_fd_seek(0, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_SPIPE);
    check("tell stdin", __wasi_fd_tell(0, &pos), __WASI_ERRNO_SPIPE);
    __wasi_iovec_t iov = {buf, 4};
    __wasi_size_t got;
    check("pread stdin", __wasi_fd_pread(0, &iov, 1, 0, &got), __WASI_ERRNO_SPIPE);
    __wasi_ciovec_t civ = {buf, 4};
    check("pwrite stdout", __wasi_fd_pwrite(1, &civ, 1, 0, &got), __WASI_ERRNO_SPIPE);
    return finish();
}
