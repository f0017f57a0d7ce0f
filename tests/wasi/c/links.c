/* Links and renames in a scratch directory preopened as "/": path_symlink, path_readlink,
 * path_link, path_rename, and how path_open, path_filestat_get and path_unlink_file treat
 * symlinks (followed or not, dangling, to directories, loops). */
#include "common.h"

static __wasi_fd_t dir;

static void readlink_expect(const char *label, const char *path, size_t cap, int want_err,
                            const char *want) {
    char buf[256];
    memset(buf, '#', sizeof buf);
    __wasi_size_t used = 999;
    int e = __wasi_path_readlink(dir, path, (uint8_t *)buf, cap, &used);
    check(label, e, want_err);
    if (!e) {
        char l[128];
        snprintf(l, sizeof l, "%s: target", label);
        expect_bytes(l, buf, used, want);
        snprintf(l, sizeof l, "%s: nothing written past it", label);
        expect_true(l, buf[used] == '#');
    }
}

static uint64_t ftype(const char *path, int follow, int *err) {
    __wasi_filestat_t st;
    *err = __wasi_path_filestat_get(dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path,
                                    &st);
    return *err ? 99 : st.filetype;
}

static void stat_expect(const char *label, const char *path, int follow, int want_err,
                        int want_type) {
    int e;
    uint64_t t = ftype(path, follow, &e);
    check(label, e, want_err);
    if (!e) {
        char l[128];
        snprintf(l, sizeof l, "%s: filetype", label);
        expect_u64(l, t, want_type);
    }
}

static void symlinks(void) {
    __wasi_fd_t fd;
    check("create target", put_file(dir, "target", "target data"), 0);
    check("mkdir d", __wasi_path_create_directory(dir, "d"), 0);
    check("create d/inner", put_file(dir, "d/inner", "inner data"), 0);

    check("symlink ln -> target", __wasi_path_symlink("target", dir, "ln"), 0);
    check("symlink ln again", __wasi_path_symlink("other", dir, "ln"), __WASI_ERRNO_EXIST);
    check("symlink dl -> d", __wasi_path_symlink("d", dir, "dl"), 0);
    check("symlink dangling -> nowhere", __wasi_path_symlink("nowhere", dir, "dangling"), 0);
    check("symlink loop1 -> loop2", __wasi_path_symlink("loop2", dir, "loop1"), 0);
    check("symlink loop2 -> loop1", __wasi_path_symlink("loop1", dir, "loop2"), 0);
    check("symlink d/up -> ../target", __wasi_path_symlink("../target", dir, "d/up"), 0);
    check("symlink chain -> ln", __wasi_path_symlink("ln", dir, "chain"), 0);
    check("symlink in a missing directory", __wasi_path_symlink("x", dir, "missing/ln"),
          __WASI_ERRNO_NOENT);

    readlink_expect("readlink ln", "ln", 256, 0, "target");
    readlink_expect("readlink ln into 3 bytes", "ln", 3, 0, "tar");
    readlink_expect("readlink d/up", "d/up", 256, 0, "../target");
    readlink_expect("readlink dangling", "dangling", 256, 0, "nowhere");
    readlink_expect("readlink of a file", "target", 256, __WASI_ERRNO_INVAL, "");
    readlink_expect("readlink of a directory", "d", 256, __WASI_ERRNO_INVAL, "");
    readlink_expect("readlink of a missing path", "missing", 256, __WASI_ERRNO_NOENT, "");
    readlink_expect("readlink through a symlinked directory", "dl/inner", 256,
                    __WASI_ERRNO_INVAL, "");

    stat_expect("lstat ln", "ln", 0, 0, __WASI_FILETYPE_SYMBOLIC_LINK);
    stat_expect("stat ln", "ln", 1, 0, __WASI_FILETYPE_REGULAR_FILE);
    stat_expect("stat chain", "chain", 1, 0, __WASI_FILETYPE_REGULAR_FILE);
    stat_expect("lstat dl", "dl", 0, 0, __WASI_FILETYPE_SYMBOLIC_LINK);
    stat_expect("stat dl", "dl", 1, 0, __WASI_FILETYPE_DIRECTORY);
    stat_expect("lstat dl/inner", "dl/inner", 0, 0, __WASI_FILETYPE_REGULAR_FILE);
    stat_expect("stat d/up", "d/up", 1, 0, __WASI_FILETYPE_REGULAR_FILE);
    stat_expect("lstat dangling", "dangling", 0, 0, __WASI_FILETYPE_SYMBOLIC_LINK);
    stat_expect("stat dangling", "dangling", 1, __WASI_ERRNO_NOENT, 0);
    stat_expect("stat loop1", "loop1", 1, __WASI_ERRNO_LOOP, 0);
    stat_expect("lstat loop1", "loop1", 0, 0, __WASI_FILETYPE_SYMBOLIC_LINK);

    char buf[64];
    size_t n;
    check("open ln (follow)", wopen(dir, "ln", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, R_RO, 0, &fd),
          0);
    check("read", wread(fd, buf, sizeof buf, &n), 0);
    expect_bytes("content through ln", buf, n, "target data");
    check("close", __wasi_fd_close(fd), 0);
    check("open ln (nofollow)", wopen(dir, "ln", 0, 0, R_RO, 0, &fd), __WASI_ERRNO_LOOP);
    check("open dl/inner (nofollow: only the last component)",
          wopen(dir, "dl/inner", 0, 0, R_RO, 0, &fd), 0);
    check("close", __wasi_fd_close(fd), 0);
    check("open d/up (follow)", wopen(dir, "d/up", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, R_RO, 0,
                                      &fd), 0);
    check("close", __wasi_fd_close(fd), 0);
    check("open loop1 (follow)",
          wopen(dir, "loop1", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, R_RO, 0, &fd),
          __WASI_ERRNO_LOOP);
    check("open dangling (follow)",
          wopen(dir, "dangling", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, R_RO, 0, &fd),
          __WASI_ERRNO_NOENT);
    check("open dl as a directory (follow)",
          wopen(dir, "dl", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_DIRECTORY, R_RO, 0,
                &fd), 0);
    check("open inner through it", wopen(fd, "inner", 0, 0, R_RO, 0, &fd), 0);

    /* Creating through a dangling symlink inside the sandbox. */
    __wasi_fd_t c;
    int e = wopen(dir, "dangling", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_CREAT, R_RW,
                  0, &c);
    printf("create through a dangling symlink (follow): %s\n", ename(e));
    if (!e) check("close", __wasi_fd_close(c), 0);
    stat_expect("nowhere after that", "nowhere", 0, e ? __WASI_ERRNO_NOENT : 0,
                __WASI_FILETYPE_REGULAR_FILE);
    check("create through a dangling symlink (nofollow)",
          wopen(dir, "dangling", 0, __WASI_OFLAGS_CREAT, R_RW, 0, &c), __WASI_ERRNO_LOOP);
    check("create+excl over a symlink",
          wopen(dir, "ln", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
                __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, R_RW, 0, &c),
          __WASI_ERRNO_EXIST);

    check("rmdir dl (a symlink)", __wasi_path_remove_directory(dir, "dl"), __WASI_ERRNO_NOTDIR);
    check("unlink dl (the symlink, not the directory)", __wasi_path_unlink_file(dir, "dl"), 0);
    stat_expect("d still there", "d", 0, 0, __WASI_FILETYPE_DIRECTORY);
    check("unlink ln", __wasi_path_unlink_file(dir, "ln"), 0);
    stat_expect("target still there", "target", 0, 0, __WASI_FILETYPE_REGULAR_FILE);
    stat_expect("chain now dangles", "chain", 1, __WASI_ERRNO_NOENT, 0);
    check("unlink loop1", __wasi_path_unlink_file(dir, "loop1"), 0);
    check("unlink loop2", __wasi_path_unlink_file(dir, "loop2"), 0);
    check("unlink chain", __wasi_path_unlink_file(dir, "chain"), 0);
}

static void hard_links(void) {
    __wasi_filestat_t st;
    check("link target -> hard", __wasi_path_link(dir, 0, "target", dir, "hard"), 0);
    check("stat target", __wasi_path_filestat_get(dir, 0, "target", &st), 0);
    expect_u64("nlink of target", st.nlink, 2);
    __wasi_filestat_t st2;
    check("stat hard", __wasi_path_filestat_get(dir, 0, "hard", &st2), 0);
    expect_true("same inode", st.ino == st2.ino && st.dev == st2.dev);
    check("write through hard", put_file(dir, "hard", "new data"), 0);
    char buf[64];
    check("read target", get_file(dir, "target", buf, sizeof buf), 0);
    expect_bytes("target content", buf, strlen(buf), "new data");
    check("link onto an existing name", __wasi_path_link(dir, 0, "target", dir, "hard"),
          __WASI_ERRNO_EXIST);
    check("link a missing file", __wasi_path_link(dir, 0, "missing", dir, "x"),
          __WASI_ERRNO_NOENT);
    check("link a directory", __wasi_path_link(dir, 0, "d", dir, "dlink"), __WASI_ERRNO_PERM);
    check("link into a missing directory", __wasi_path_link(dir, 0, "target", dir, "no/x"),
          __WASI_ERRNO_NOENT);
    check("symlink s -> target", __wasi_path_symlink("target", dir, "s"), 0);
    check("link a symlink (nofollow)", __wasi_path_link(dir, 0, "s", dir, "s2"), 0);
    stat_expect("the link is a symlink", "s2", 0, 0, __WASI_FILETYPE_SYMBOLIC_LINK);
    check("link a symlink (follow)",
          __wasi_path_link(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "s", dir, "s3"),
          __WASI_ERRNO_INVAL);
    check("unlink hard", __wasi_path_unlink_file(dir, "hard"), 0);
    check("stat target", __wasi_path_filestat_get(dir, 0, "target", &st), 0);
    expect_u64("nlink of target", st.nlink, 1);
    check("unlink s", __wasi_path_unlink_file(dir, "s"), 0);
    check("unlink s2", __wasi_path_unlink_file(dir, "s2"), 0);
}

static void renames(void) {
    char buf[64];
    check("rename target -> moved", __wasi_path_rename(dir, "target", dir, "moved"), 0);
    stat_expect("target after the rename", "target", 0, __WASI_ERRNO_NOENT, 0);
    check("read moved", get_file(dir, "moved", buf, sizeof buf), 0);
    expect_bytes("moved content", buf, strlen(buf), "new data");
    check("rename a missing file", __wasi_path_rename(dir, "target", dir, "x"),
          __WASI_ERRNO_NOENT);
    check("create other", put_file(dir, "other", "other data"), 0);
    check("rename moved over other", __wasi_path_rename(dir, "moved", dir, "other"), 0);
    check("read other", get_file(dir, "other", buf, sizeof buf), 0);
    expect_bytes("other content (replaced)", buf, strlen(buf), "new data");
    check("rename other onto itself", __wasi_path_rename(dir, "other", dir, "other"), 0);
    check("rename a file into d", __wasi_path_rename(dir, "other", dir, "d/other"), 0);
    check("rename it back", __wasi_path_rename(dir, "d/other", dir, "other"), 0);

    check("mkdir e", __wasi_path_create_directory(dir, "e"), 0);
    check("mkdir full", __wasi_path_create_directory(dir, "full"), 0);
    check("create full/x", put_file(dir, "full/x", "x"), 0);
    check("rename a file over a directory", __wasi_path_rename(dir, "other", dir, "e"),
          __WASI_ERRNO_ISDIR);
    check("rename a directory over a file", __wasi_path_rename(dir, "e", dir, "other"),
          __WASI_ERRNO_NOTDIR);
    check("rename a directory over a non-empty one", __wasi_path_rename(dir, "e", dir, "full"),
          __WASI_ERRNO_NOTEMPTY);
    check("rename a directory into itself", __wasi_path_rename(dir, "e", dir, "e/sub"),
          __WASI_ERRNO_INVAL);
    check("rename a directory over an empty one", __wasi_path_rename(dir, "full", dir, "e"), 0);
    stat_expect("e/x after that", "e/x", 0, 0, __WASI_FILETYPE_REGULAR_FILE);
    stat_expect("full after that", "full", 0, __WASI_ERRNO_NOENT, 0);
    check("rename a file with a trailing slash on the target",
          __wasi_path_rename(dir, "other", dir, "renamed/"), __WASI_ERRNO_NOTDIR);
    check("rename a directory with a trailing slash",
          __wasi_path_rename(dir, "e/", dir, "e2/"), 0);
    stat_expect("e2/x", "e2/x", 0, 0, __WASI_FILETYPE_REGULAR_FILE);

    /* Through an opened subdirectory descriptor. */
    __wasi_fd_t sub;
    check("open e2", wopen(dir, "e2", 0, __WASI_OFLAGS_DIRECTORY, R_RO, 0, &sub), 0);
    check("rename from the root into e2 (two descriptors)",
          __wasi_path_rename(dir, "other", sub, "other"), 0);
    stat_expect("e2/other", "e2/other", 0, 0, __WASI_FILETYPE_REGULAR_FILE);
    check("rename e2/other to ../other via e2", __wasi_path_rename(sub, "other", dir, "other"),
          0);
    check("link from e2 to the root", __wasi_path_link(sub, 0, "x", dir, "x-link"), 0);
    stat_expect("x-link", "x-link", 0, 0, __WASI_FILETYPE_REGULAR_FILE);
    check("close e2", __wasi_fd_close(sub), 0);

    /* A rename of an open file keeps the descriptor working. */
    __wasi_fd_t fd;
    size_t n;
    check("open other", wopen(dir, "other", 0, 0, R_RW, 0, &fd), 0);
    check("rename other -> other2", __wasi_path_rename(dir, "other", dir, "other2"), 0);
    check("write through the open descriptor", wwrite(fd, "NEW", 3, &n), 0);
    check("close", __wasi_fd_close(fd), 0);
    check("read other2", get_file(dir, "other2", buf, sizeof buf), 0);
    expect_bytes("other2 content", buf, strlen(buf), "NEW data");
}

int main(void) {
    int d = find_preopen("/");
    if (d < 0) { printf("no preopen named /\n"); return 1; }
    dir = (__wasi_fd_t)d;
    symlinks();
    hard_links();
    renames();
    return finish();
}
