/* Helpers shared by the WASI test programs (tests/wasi/c/NAME.c).
 *
 * Every check prints one deterministic line ("label: result"); a check whose result is not the
 * expected one also prints "FAIL (expected ...)" and is counted. finish() prints the count and
 * gives the exit status (0 when everything passed), so a program is a test on its own, and
 * tests/wasi.rs also compares the whole output with the reference runtime's (wasmtime). */
#ifndef W2N_WASI_COMMON_H
#define W2N_WASI_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

/* Helpers may go unused in a program. */
#define HELPER static __attribute__((unused))

static int failures;

static const char *const ERRNO_NAMES[] = {
    "success",
    "2big",
    "acces",
    "addrinuse",
    "addrnotavail",
    "afnosupport",
    "again",
    "already",
    "badf",
    "badmsg",
    "busy",
    "canceled",
    "child",
    "connaborted",
    "connrefused",
    "connreset",
    "deadlk",
    "destaddrreq",
    "dom",
    "dquot",
    "exist",
    "fault",
    "fbig",
    "hostunreach",
    "idrm",
    "ilseq",
    "inprogress",
    "intr",
    "inval",
    "io",
    "isconn",
    "isdir",
    "loop",
    "mfile",
    "mlink",
    "msgsize",
    "multihop",
    "nametoolong",
    "netdown",
    "netreset",
    "netunreach",
    "nfile",
    "nobufs",
    "nodev",
    "noent",
    "noexec",
    "nolck",
    "nolink",
    "nomem",
    "nomsg",
    "noprotoopt",
    "nospc",
    "nosys",
    "notconn",
    "notdir",
    "notempty",
    "notrecoverable",
    "notsock",
    "notsup",
    "notty",
    "nxio",
    "overflow",
    "ownerdead",
    "perm",
    "pipe",
    "proto",
    "protonosupport",
    "prototype",
    "range",
    "rofs",
    "spipe",
    "srch",
    "stale",
    "timedout",
    "txtbsy",
    "xdev",
    "notcapable"
};

/* The WASI name of an errno value (wasi-libc's errno values are the WASI ones). */
HELPER const char *ename(int e) {
    static char buf[32];
    if (e >= 0 && e < (int)(sizeof ERRNO_NAMES / sizeof ERRNO_NAMES[0])) return ERRNO_NAMES[e];
    snprintf(buf, sizeof buf, "errno(%d)", e);
    return buf;
}

/* An errno-returning call: prints "label: <errno name>". */
HELPER void check(const char *label, int got, int want) {
    if (got == want) {
        printf("%s: %s\n", label, ename(got));
    } else {
        printf("%s: %s FAIL (expected %s)\n", label, ename(got), ename(want));
        failures++;
    }
}

/* Like check(), but accepts either of two results and prints the same line for both (for the
 * few places where wasm2native deliberately differs from wasmtime; see runtime-lib/src/wasi). */
HELPER void check_either(const char *label, int got, int want1, int want2) {
    if (got == want1 || got == want2) {
        printf("%s: %s or %s\n", label, ename(want1), ename(want2));
    } else {
        printf("%s: %s FAIL (expected %s or %s)\n", label, ename(got), ename(want1),
               ename(want2));
        failures++;
    }
}

/* A number: prints "label: value". */
HELPER void expect_u64(const char *label, uint64_t got, uint64_t want) {
    if (got == want) {
        printf("%s: %llu\n", label, (unsigned long long)got);
    } else {
        printf("%s: %llu FAIL (expected %llu)\n", label, (unsigned long long)got,
               (unsigned long long)want);
        failures++;
    }
}

/* A condition: prints "label: yes". */
HELPER void expect_true(const char *label, int cond) {
    if (cond) {
        printf("%s: yes\n", label);
    } else {
        printf("%s: no FAIL\n", label);
        failures++;
    }
}

/* Bytes: prints "label: \"text\"" (non-printable bytes escaped). */
HELPER void print_bytes(const char *label, const void *p, size_t n) {
    const unsigned char *s = p;
    printf("%s: \"", label);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') printf("\\%c", s[i]);
        else if (s[i] >= 0x20 && s[i] < 0x7f) putchar(s[i]);
        else printf("\\x%02x", s[i]);
    }
    printf("\"\n");
}

HELPER void expect_bytes(const char *label, const void *got, size_t got_len, const char *want) {
    print_bytes(label, got, got_len);
    if (got_len != strlen(want) || memcmp(got, want, got_len) != 0) {
        printf("  FAIL (expected \"%s\")\n", want);
        failures++;
    }
}

/* The summary line and the exit status. */
HELPER int finish(void) {
    printf("failures: %d\n", failures);
    fflush(stdout);
    return failures ? 1 : 0;
}

/* The descriptor of the preopened directory named name, or -1. */
HELPER int find_preopen(const char *name) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
        char buf[256];
        size_t len = ps.u.dir.pr_name_len;
        if (len >= sizeof buf || __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, len) != 0)
            continue;
        buf[len] = 0;
        if (strcmp(buf, name) == 0) return fd;
    }
    return -1;
}

/* path_open with the same rights for base and inheriting. */
HELPER int wopen(__wasi_fd_t dir, const char *path, __wasi_lookupflags_t lookup,
                 __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_fdflags_t fdflags,
                 __wasi_fd_t *fd) {
    return __wasi_path_open(dir, lookup, path, oflags, rights, rights, fdflags, fd);
}

#define R_RO (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
              __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_ADVISE)
#define R_RW (R_RO | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_SYNC | \
              __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | \
              __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS)

/* fd_write of one buffer. */
HELPER int wwrite(__wasi_fd_t fd, const void *buf, size_t len, size_t *n) {
    __wasi_ciovec_t iov = {buf, len};
    __wasi_size_t got = 0;
    int e = __wasi_fd_write(fd, &iov, 1, &got);
    *n = got;
    return e;
}

/* fd_read into one buffer. */
HELPER int wread(__wasi_fd_t fd, void *buf, size_t len, size_t *n) {
    __wasi_iovec_t iov = {buf, len};
    __wasi_size_t got = 0;
    int e = __wasi_fd_read(fd, &iov, 1, &got);
    *n = got;
    return e;
}

/* Writes a whole file beneath dir (created or truncated). */
HELPER int put_file(__wasi_fd_t dir, const char *path, const char *text) {
    __wasi_fd_t fd;
    int e = wopen(dir, path, 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, R_RW, 0, &fd);
    if (e) return e;
    size_t n;
    e = wwrite(fd, text, strlen(text), &n);
    if (!e && n != strlen(text)) e = __WASI_ERRNO_IO;
    int c = __wasi_fd_close(fd);
    return e ? e : c;
}

/* Reads a whole (small) file beneath dir into buf, NUL-terminated; returns an errno. */
HELPER int get_file(__wasi_fd_t dir, const char *path, char *buf, size_t cap) {
    __wasi_fd_t fd;
    int e = wopen(dir, path, 0, 0, R_RO, 0, &fd);
    if (e) return e;
    size_t total = 0, n;
    do {
        e = wread(fd, buf + total, cap - 1 - total, &n);
        total += n;
    } while (!e && n > 0 && total < cap - 1);
    buf[total] = 0;
    int c = __wasi_fd_close(fd);
    return e ? e : c;
}

#endif
