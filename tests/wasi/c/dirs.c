/* Directories in a scratch directory preopened as "/": path_create_directory,
 * path_remove_directory, path_unlink_file, and fd_readdir of a directory of 500 entries with
 * buffers from 1 byte up (entries cut at the end of the buffer, resuming from cookies), compared
 * with wasi-libc's opendir/readdir. */
#include <dirent.h>
#include <errno.h>

#include "common.h"

static __wasi_fd_t dir;

#define NFILES 500

static void make_dirs(void) {
    check("mkdir d", __wasi_path_create_directory(dir, "d"), 0);
    check("mkdir d again", __wasi_path_create_directory(dir, "d"), __WASI_ERRNO_EXIST);
    check("mkdir d/sub", __wasi_path_create_directory(dir, "d/sub"), 0);
    check("mkdir d/sub/deeper/", __wasi_path_create_directory(dir, "d/sub/deeper/"), 0);
    check("mkdir missing/x", __wasi_path_create_directory(dir, "missing/x"), __WASI_ERRNO_NOENT);
    check("create file f", put_file(dir, "f", "data"), 0);
    check("mkdir f (a file)", __wasi_path_create_directory(dir, "f"), __WASI_ERRNO_EXIST);
    check("mkdir f/x (below a file)", __wasi_path_create_directory(dir, "f/x"),
          __WASI_ERRNO_NOTDIR);
    check("mkdir with an empty name", __wasi_path_create_directory(dir, ""), __WASI_ERRNO_NOENT);
    check("mkdir \"sp ace ünï\"", __wasi_path_create_directory(dir, "sp ace \xc3\xbcn\xc3\xaf"), 0);

    __wasi_filestat_t st;
    check("stat d/sub", __wasi_path_filestat_get(dir, 0, "d/sub", &st), 0);
    expect_u64("d/sub is a directory", st.filetype, __WASI_FILETYPE_DIRECTORY);

    check("rmdir d (not empty)", __wasi_path_remove_directory(dir, "d"), __WASI_ERRNO_NOTEMPTY);
    check("rmdir f (a file)", __wasi_path_remove_directory(dir, "f"), __WASI_ERRNO_NOTDIR);
    check("rmdir missing", __wasi_path_remove_directory(dir, "missing"), __WASI_ERRNO_NOENT);
    check("rmdir d/sub/deeper", __wasi_path_remove_directory(dir, "d/sub/deeper"), 0);
    /* wasmtime refuses a trailing slash here (cap-std), where Linux rmdir accepts it. */
    check("rmdir d/sub/ (trailing slash)", __wasi_path_remove_directory(dir, "d/sub/"),
          __WASI_ERRNO_INVAL);
    check("rmdir d/sub", __wasi_path_remove_directory(dir, "d/sub"), 0);
    check("stat d/sub after removing it", __wasi_path_filestat_get(dir, 0, "d/sub", &st),
          __WASI_ERRNO_NOENT);

    check("unlink d (a directory)", __wasi_path_unlink_file(dir, "d"), __WASI_ERRNO_ISDIR);
    check("unlink missing", __wasi_path_unlink_file(dir, "missing"), __WASI_ERRNO_NOENT);
    check("unlink f/ (trailing slash)", __wasi_path_unlink_file(dir, "f/"), __WASI_ERRNO_NOTDIR);
    check("unlink f", __wasi_path_unlink_file(dir, "f"), 0);
    check("unlink f again", __wasi_path_unlink_file(dir, "f"), __WASI_ERRNO_NOENT);

    /* A file unlinked while open stays readable. */
    __wasi_fd_t fd;
    check("create g", put_file(dir, "g", "still here"), 0);
    check("open g", wopen(dir, "g", 0, 0, R_RO, 0, &fd), 0);
    check("unlink g while open", __wasi_path_unlink_file(dir, "g"), 0);
    char buf[32];
    size_t n;
    check("read g after unlinking", wread(fd, buf, sizeof buf, &n), 0);
    expect_bytes("content", buf, n, "still here");
    check("close g", __wasi_fd_close(fd), 0);
}

struct seen {
    int files[NFILES];
    int dot, dotdot, other, subdir_type_ok, file_type_ok, entries;
};

static void note_entry(struct seen *s, const char *name, size_t len, int type) {
    s->entries++;
    char tmp[64];
    if (len >= sizeof tmp) { s->other++; return; }
    memcpy(tmp, name, len);
    tmp[len] = 0;
    if (strcmp(tmp, ".") == 0) { s->dot++; return; }
    if (strcmp(tmp, "..") == 0) { s->dotdot++; return; }
    if (strcmp(tmp, "subdir") == 0) { s->subdir_type_ok = type == __WASI_FILETYPE_DIRECTORY; return; }
    int i;
    char check_name[64];
    if (sscanf(tmp, "file-%d", &i) == 1 && i >= 0 && i < NFILES) {
        /* Names get longer every 100 files: file-N, then a tail of (N/100)*20 'x's. */
        snprintf(check_name, sizeof check_name, "file-%03d", i);
        size_t want_len = strlen(check_name) + (size_t)(i / 100) * 10;
        if (len == want_len) {
            s->files[i]++;
            if (type != __WASI_FILETYPE_REGULAR_FILE) s->file_type_ok = 0;
            return;
        }
    }
    s->other++;
}

static void report(const char *label, struct seen *s) {
    int once = 1;
    for (int i = 0; i < NFILES; i++) once &= s->files[i] == 1;
    char l[128];
    snprintf(l, sizeof l, "%s: entries", label);
    expect_u64(l, s->entries, NFILES + 3);
    snprintf(l, sizeof l, "%s: every file listed once", label);
    expect_true(l, once);
    snprintf(l, sizeof l, "%s: . and .. listed once", label);
    expect_true(l, s->dot == 1 && s->dotdot == 1);
    snprintf(l, sizeof l, "%s: nothing else", label);
    expect_u64(l, s->other, 0);
    snprintf(l, sizeof l, "%s: types", label);
    expect_true(l, s->subdir_type_ok && s->file_type_ok);
}

/* Lists `fd` with fd_readdir and a buffer of buf_len bytes, resuming from the cookie of the last
 * whole entry; grows the buffer when not even one entry fits (as wasi-libc does). Returns the
 * number of calls. */
static int list(__wasi_fd_t fd, size_t buf_len, struct seen *s, __wasi_dircookie_t start) {
    static uint8_t buf[65536];
    __wasi_dircookie_t cookie = start;
    int calls = 0;
    memset(s, 0, sizeof *s);
    s->file_type_ok = 1;
    for (;;) {
        __wasi_size_t used = 0;
        int e = __wasi_fd_readdir(fd, buf, buf_len, cookie, &used);
        calls++;
        if (e) { printf("fd_readdir: %s FAIL\n", ename(e)); failures++; return calls; }
        if (used > buf_len) { printf("bufused > buf_len FAIL\n"); failures++; return calls; }
        size_t pos = 0, whole = 0;
        while (pos + sizeof(__wasi_dirent_t) <= used) {
            __wasi_dirent_t d;
            memcpy(&d, buf + pos, sizeof d);
            if (pos + sizeof d + d.d_namlen > used) break;
            note_entry(s, (char *)buf + pos + sizeof d, d.d_namlen, d.d_type);
            cookie = d.d_next;
            pos += sizeof d + d.d_namlen;
            whole++;
        }
        if (used < buf_len) return calls;
        if (whole == 0) buf_len *= 2;
        if (calls > 100000) { printf("too many calls FAIL\n"); failures++; return calls; }
    }
}

static void readdir_many(void) {
    check("mkdir many", __wasi_path_create_directory(dir, "many"), 0);
    __wasi_fd_t m;
    check("open many", wopen(dir, "many", 0, __WASI_OFLAGS_DIRECTORY, R_RO, 0, &m), 0);
    int created = 0;
    for (int i = 0; i < NFILES; i++) {
        char name[64];
        int len = snprintf(name, sizeof name, "file-%03d", i);
        for (int k = 0; k < (i / 100) * 10; k++) name[len++] = 'x';
        name[len] = 0;
        __wasi_fd_t fd;
        if (wopen(m, name, 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, R_RW, 0, &fd) == 0 &&
            __wasi_fd_close(fd) == 0)
            created++;
    }
    expect_u64("files created", created, NFILES);
    check("mkdir many/subdir", __wasi_path_create_directory(m, "subdir"), 0);

    struct seen s;
    static const size_t sizes[] = {1, 24, 31, 33, 64, 100, 300, 4096, 65536};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char label[64];
        snprintf(label, sizeof label, "readdir with a %zu-byte buffer", sizes[i]);
        int calls = list(m, sizes[i], &s, 0);
        report(label, &s);
        if (sizes[i] == 65536) {
            expect_u64("a 65536-byte buffer takes one call", calls, 1);
        }
    }

    /* Cookies: start from the cookie after the 100th entry. */
    static uint8_t buf[65536];
    __wasi_size_t used;
    check("readdir everything", __wasi_fd_readdir(m, buf, sizeof buf, 0, &used), 0);
    size_t pos = 0;
    __wasi_dircookie_t c100 = 0;
    int k = 0;
    char name101[64] = "";
    while (pos + sizeof(__wasi_dirent_t) <= used) {
        __wasi_dirent_t d;
        memcpy(&d, buf + pos, sizeof d);
        if (k == 99) c100 = d.d_next;
        if (k == 100) { memcpy(name101, buf + pos + sizeof d, d.d_namlen); name101[d.d_namlen] = 0; }
        pos += sizeof d + d.d_namlen;
        k++;
    }
    expect_u64("entries in one call", k, NFILES + 3);
    check("readdir from the 100th cookie", __wasi_fd_readdir(m, buf, sizeof buf, c100, &used), 0);
    __wasi_dirent_t d;
    memcpy(&d, buf, sizeof d);
    expect_true("it resumes with the 101st entry",
                used >= sizeof d && d.d_namlen == strlen(name101) &&
                    memcmp(buf + sizeof d, name101, d.d_namlen) == 0);
    size_t rest = 0;
    pos = 0;
    while (pos + sizeof(__wasi_dirent_t) <= used) {
        memcpy(&d, buf + pos, sizeof d);
        pos += sizeof d + d.d_namlen;
        rest++;
    }
    expect_u64("entries from there", rest, NFILES + 3 - 100);
    check("readdir past the end", __wasi_fd_readdir(m, buf, sizeof buf, 100000, &used), 0);
    expect_u64("bytes past the end", used, 0);
    check("readdir into 0 bytes", __wasi_fd_readdir(m, buf, 0, 0, &used), 0);
    expect_u64("bytes used", used, 0);

    /* wasi-libc's readdir. */
    DIR *dp = opendir("/many");
    expect_true("opendir /many", dp != NULL);
    if (dp) {
        struct seen ls;
        memset(&ls, 0, sizeof ls);
        ls.file_type_ok = 1;
        struct dirent *de;
        while ((de = readdir(dp)) != NULL)
            note_entry(&ls, de->d_name, strlen(de->d_name),
                       de->d_type == DT_DIR ? __WASI_FILETYPE_DIRECTORY
                                            : de->d_type == DT_REG ? __WASI_FILETYPE_REGULAR_FILE
                                                                   : 0);
        report("libc readdir", &ls);
        closedir(dp);
    }

    /* Removing every file, then the directory. */
    int removed = 0;
    for (int i = 0; i < NFILES; i++) {
        char name[64];
        int len = snprintf(name, sizeof name, "file-%03d", i);
        for (int j = 0; j < (i / 100) * 10; j++) name[len++] = 'x';
        name[len] = 0;
        removed += __wasi_path_unlink_file(m, name) == 0;
    }
    expect_u64("files removed", removed, NFILES);
    check("rmdir many (subdir left)", __wasi_path_remove_directory(dir, "many"),
          __WASI_ERRNO_NOTEMPTY);
    check("rmdir many/subdir", __wasi_path_remove_directory(m, "subdir"), 0);
    check("readdir of the emptied directory", __wasi_fd_readdir(m, buf, sizeof buf, 0, &used), 0);
    k = 0;
    pos = 0;
    while (pos + sizeof(__wasi_dirent_t) <= used) {
        memcpy(&d, buf + pos, sizeof d);
        pos += sizeof d + d.d_namlen;
        k++;
    }
    expect_u64("entries left (. and ..)", k, 2);
    check("close many", __wasi_fd_close(m), 0);
    check("rmdir many", __wasi_path_remove_directory(dir, "many"), 0);
}

static void readdir_errors(void) {
    uint8_t buf[256];
    __wasi_size_t used;
    __wasi_fd_t fd;
    check("create file", put_file(dir, "file", "x"), 0);
    check("open file", wopen(dir, "file", 0, 0, R_RO, 0, &fd), 0);
    check("readdir of a file", __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used),
          __WASI_ERRNO_BADF);
    check("close", __wasi_fd_close(fd), 0);
    check("readdir of stdout", __wasi_fd_readdir(1, buf, sizeof buf, 0, &used),
          __WASI_ERRNO_BADF);
    check("readdir of 99", __wasi_fd_readdir(99, buf, sizeof buf, 0, &used), __WASI_ERRNO_BADF);
    check("unlink file", __wasi_path_unlink_file(dir, "file"), 0);

    /* The root after all this: d and the UTF-8 directory. */
    DIR *dp = opendir("/");
    struct dirent *de;
    int d_seen = 0, utf8_seen = 0, n = 0;
    while (dp && (de = readdir(dp)) != NULL) {
        n++;
        d_seen += strcmp(de->d_name, "d") == 0;
        utf8_seen += strcmp(de->d_name, "sp ace \xc3\xbcn\xc3\xaf") == 0;
    }
    if (dp) closedir(dp);
    expect_u64("entries in / (., .., d, sp ace ünï)", n, 4);
    expect_true("d and the UTF-8 name are listed", d_seen == 1 && utf8_seen == 1);
    errno = 0;
    expect_true("opendir of a missing directory fails with noent",
                opendir("/missing") == NULL && errno == ENOENT);
}

int main(void) {
    int d = find_preopen("/");
    if (d < 0) { printf("no preopen named /\n"); return 1; }
    dir = (__wasi_fd_t)d;
    make_dirs();
    readdir_many();
    readdir_errors();
    return finish();
}
