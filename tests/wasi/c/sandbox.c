/* Sandbox escape attempts. The test preopens a fixture as "/sandbox" and an empty directory as
 * "/other"; next to the fixture on the host lies "outside" (outside/secret, outside/subdir), and
 * the fixture holds symlinks pointing out of it, made by the test on the host:
 *   abs_file -> <host>/outside/secret        rel_file -> ../outside/secret
 *   abs_dir -> <host>/outside                rel_dir -> ../outside
 *   abs_dangling -> <host>/outside/created_abs   rel_dangling -> ../outside/created_rel
 *   sub/deep_rel -> ../../outside/secret     guest_abs -> /sandbox/file
 *   chain1 -> chain2 -> sub/chain3 -> ../../outside/secret
 *   loop1 <-> loop2, self_loop -> self_loop, up_and_in -> ../sandbox/file
 *   ok_link -> sub/nested (inside: the only one that may be followed)
 * Every attempt to reach outside must fail (the errno is printed: it must be wasmtime's); the
 * test then checks on the host that nothing outside the preopens was created or changed. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "common.h"

static __wasi_fd_t sb, other;

__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open")))
int32_t raw_path_open(int32_t fd, int32_t dirflags, const char *path, int32_t path_len,
                      int32_t oflags, int64_t base, int64_t inheriting, int32_t fdflags,
                      __wasi_fd_t *out);

/* An attempt that must fail: prints the errno. */
static void deny(const char *label, int e) {
    if (e == 0) {
        printf("%s: success FAIL (must be denied)\n", label);
        failures++;
    } else {
        printf("%s: %s\n", label, ename(e));
    }
}

static void deny_open(const char *label, __wasi_fd_t dir, const char *path, int follow,
                      __wasi_oflags_t oflags) {
    __wasi_fd_t fd;
    int e = wopen(dir, path, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, oflags, R_RW, 0, &fd);
    if (!e) (void)!__wasi_fd_close(fd);
    deny(label, e);
}

static void allow_open(const char *label, __wasi_fd_t dir, const char *path, int follow,
                       const char *want) {
    __wasi_fd_t fd;
    int e = wopen(dir, path, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, 0, R_RO, 0, &fd);
    check(label, e, 0);
    if (e) return;
    char buf[64];
    size_t n;
    if (want) {
        check("read", wread(fd, buf, sizeof buf, &n), 0);
        expect_bytes("content", buf, n, want);
    }
    check("close", __wasi_fd_close(fd), 0);
}

static void deny_stat(const char *label, const char *path, int follow) {
    __wasi_filestat_t st;
    deny(label, __wasi_path_filestat_get(sb, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path,
                                         &st));
}

static void dotdot_and_absolute(void) {
    deny_open("open ../outside/secret", sb, "../outside/secret", 1, 0);
    deny_open("open sub/../../outside/secret", sb, "sub/../../outside/secret", 1, 0);
    deny_open("open ../../../../../../../../etc/passwd", sb,
              "../../../../../../../../etc/passwd", 1, 0);
    deny_open("open /etc/passwd (absolute)", sb, "/etc/passwd", 1, 0);
    deny_open("open /sandbox/file (absolute, even inside)", sb, "/sandbox/file", 1, 0);
    deny_open("open .. (the parent)", sb, "..", 1, __WASI_OFLAGS_DIRECTORY);
    deny_open("open ../sandbox/file (out and back in)", sb, "../sandbox/file", 1, 0);
    deny_open("create ../created_dotdot", sb, "../created_dotdot", 1, __WASI_OFLAGS_CREAT);
    deny_open("create sub/../../outside/created_dotdot", sb,
              "sub/../../outside/created_dotdot", 1, __WASI_OFLAGS_CREAT);
    deny_open("open ../sandbox/file from /other", other, "../sandbox/file", 1, 0);
    allow_open("open sub/../file (stays inside)", sb, "sub/../file", 1, "inside");
    allow_open("open sub/./nested", sb, "sub/./nested", 1, "nested");
    allow_open("open sub//nested", sb, "sub//nested", 1, "nested");
    allow_open("open ./sub/../sub/nested", sb, "./sub/../sub/nested", 1, "nested");
    deny_stat("stat ..", "..", 1);
    deny_stat("stat ../outside", "../outside", 1);
    deny_stat("stat /", "/", 1);
    deny(".. via opened sub: open sub, then ../../outside/secret", ({
        __wasi_fd_t s;
        int e = wopen(sb, "sub", 0, __WASI_OFLAGS_DIRECTORY, R_RO, 0, &s);
        if (!e) {
            /* Every directory descriptor is a sandbox of its own, as in wasmtime. */
            deny_open("open ../file through sub", s, "../file", 1, 0);
            deny_open("open ../rel_file through sub", s, "../rel_file", 1, 0);
            __wasi_fd_t f;
            e = wopen(s, "../../outside/secret", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, R_RO, 0, &f);
            (void)!__wasi_fd_close(s);
        }
        e;
    }));

    /* A NUL inside the path (the length says more follows). */
    __wasi_fd_t fd;
    static const char nul_path[] = "file\0/../../outside/secret";
    deny("open \"file\\0/../../outside/secret\"",
         raw_path_open(sb, 1, nul_path, sizeof nul_path - 1, 0, R_RO, R_RO, 0, &fd));
    /* A very long path. */
    static char longp[8192];
    for (size_t i = 0; i + 3 < sizeof longp; i += 3) memcpy(longp + i, "../", 3);
    deny("open ../../.. (8 KiB of it)", wopen(sb, longp, 0, 0, R_RO, 0, &fd));
}

static void symlinks_out(void) {
    static const char *const out_links[] = {"abs_file", "rel_file", "sub/deep_rel", "chain1",
                                            "up_and_in", "guest_abs"};
    char l[128];
    for (size_t i = 0; i < sizeof out_links / sizeof out_links[0]; i++) {
        snprintf(l, sizeof l, "open %s (follow)", out_links[i]);
        deny_open(l, sb, out_links[i], 1, 0);
        snprintf(l, sizeof l, "open %s (nofollow)", out_links[i]);
        deny_open(l, sb, out_links[i], 0, 0);
        snprintf(l, sizeof l, "stat %s (follow)", out_links[i]);
        deny_stat(l, out_links[i], 1);
        __wasi_filestat_t st;
        snprintf(l, sizeof l, "lstat %s", out_links[i]);
        int e = __wasi_path_filestat_get(sb, 0, out_links[i], &st);
        check(l, e, 0);
        if (!e) {
            snprintf(l, sizeof l, "lstat %s: filetype", out_links[i]);
            expect_u64(l, st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
        }
    }
    static const char *const dir_links[] = {"abs_dir", "rel_dir"};
    for (size_t i = 0; i < 2; i++) {
        const char *d = dir_links[i];
        char p[128];
        snprintf(p, sizeof p, "%s/secret", d);
        snprintf(l, sizeof l, "open %s", p);
        deny_open(l, sb, p, 1, 0);
        snprintf(l, sizeof l, "open %s as a directory", d);
        deny_open(l, sb, d, 1, __WASI_OFLAGS_DIRECTORY);
        snprintf(p, sizeof p, "%s/created_in_dir", d);
        snprintf(l, sizeof l, "create %s", p);
        deny_open(l, sb, p, 1, __WASI_OFLAGS_CREAT);
        snprintf(p, sizeof p, "%s/newdir", d);
        snprintf(l, sizeof l, "mkdir %s", p);
        deny(l, __wasi_path_create_directory(sb, p));
        snprintf(p, sizeof p, "%s/secret", d);
        snprintf(l, sizeof l, "unlink %s", p);
        deny(l, __wasi_path_unlink_file(sb, p));
        snprintf(p, sizeof p, "%s/subdir", d);
        snprintf(l, sizeof l, "rmdir %s", p);
        deny(l, __wasi_path_remove_directory(sb, p));
        snprintf(p, sizeof p, "%s/secret", d);
        snprintf(l, sizeof l, "set times of %s", p);
        deny(l, __wasi_path_filestat_set_times(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, p, 0, 0,
                                               __WASI_FSTFLAGS_MTIM_NOW));
        snprintf(l, sizeof l, "stat %s", p);
        deny_stat(l, p, 0);
        snprintf(p, sizeof p, "%s/newlink", d);
        snprintf(l, sizeof l, "symlink %s", p);
        deny(l, __wasi_path_symlink("x", sb, p));
        snprintf(p, sizeof p, "%s/secret", d);
        snprintf(l, sizeof l, "readlink %s", p);
        uint8_t buf[64];
        __wasi_size_t used;
        deny(l, __wasi_path_readlink(sb, p, buf, sizeof buf, &used));
    }

    deny_open("create through rel_dangling (follow)", sb, "rel_dangling", 1, __WASI_OFLAGS_CREAT);
    deny_open("create through abs_dangling (follow)", sb, "abs_dangling", 1, __WASI_OFLAGS_CREAT);
    deny_open("create+trunc through rel_dangling (follow)", sb, "rel_dangling", 1,
              __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
    deny_open("create through rel_dangling (nofollow)", sb, "rel_dangling", 0,
              __WASI_OFLAGS_CREAT);
    deny_open("open loop1", sb, "loop1", 1, 0);
    deny_open("create through loop1", sb, "loop1", 1, __WASI_OFLAGS_CREAT);
    deny_open("open self_loop", sb, "self_loop", 1, 0);
    deny_stat("stat loop1 (follow)", "loop1", 1);
    deny_open("truncate rel_file (follow)", sb, "rel_file", 1, __WASI_OFLAGS_TRUNC);
    deny("set times through rel_file (follow)",
         __wasi_path_filestat_set_times(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "rel_file", 0, 0,
                                        __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    deny("set times through abs_file (follow)",
         __wasi_path_filestat_set_times(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "abs_file", 0, 0,
                                        __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    allow_open("open ok_link (follow, inside)", sb, "ok_link", 1, "nested");

    /* Reading links is fine; following them is not. */
    uint8_t buf[256];
    __wasi_size_t used = 0;
    int e = __wasi_path_readlink(sb, "rel_file", buf, sizeof buf, &used);
    check("readlink rel_file", e, 0);
    if (!e) expect_bytes("rel_file target", buf, used, "../outside/secret");
    deny("readlink abs_file (absolute target)",
         __wasi_path_readlink(sb, "abs_file", buf, sizeof buf, &used));

    /* New symlinks: relative ones pointing out can be made, but not followed; absolute ones
     * cannot be made. */
    deny("symlink /etc/passwd as new_abs", __wasi_path_symlink("/etc/passwd", sb, "new_abs"));
    check("symlink ../outside/secret as new_rel",
          __wasi_path_symlink("../outside/secret", sb, "new_rel"), 0);
    deny_open("open new_rel (follow)", sb, "new_rel", 1, 0);
    deny_open("create through new_rel_dangling", sb,
              (check("symlink ../outside/created_new as new_rel_dangling",
                     __wasi_path_symlink("../outside/created_new", sb, "new_rel_dangling"), 0),
               "new_rel_dangling"),
              1, __WASI_OFLAGS_CREAT);
    deny("symlink ../../x as ../escaped_link", __wasi_path_symlink("x", sb, "../escaped_link"));
    check("unlink new_rel", __wasi_path_unlink_file(sb, "new_rel"), 0);
    check("unlink new_rel_dangling", __wasi_path_unlink_file(sb, "new_rel_dangling"), 0);
}

static void rename_and_link(void) {
    deny("rename file -> ../stolen", __wasi_path_rename(sb, "file", sb, "../stolen"));
    deny("rename file -> ../outside/stolen",
         __wasi_path_rename(sb, "file", sb, "../outside/stolen"));
    deny("rename file -> rel_dir/stolen", __wasi_path_rename(sb, "file", sb, "rel_dir/stolen"));
    deny("rename file -> abs_dir/stolen", __wasi_path_rename(sb, "file", sb, "abs_dir/stolen"));
    deny("rename ../outside/secret -> pulled",
         __wasi_path_rename(sb, "../outside/secret", sb, "pulled"));
    deny("rename rel_dir/secret -> pulled",
         __wasi_path_rename(sb, "rel_dir/secret", sb, "pulled"));
    deny("rename abs_dir/subdir -> pulled_dir",
         __wasi_path_rename(sb, "abs_dir/subdir", sb, "pulled_dir"));
    deny("rename sub -> ../outside/subdir/moved",
         __wasi_path_rename(sb, "sub", sb, "../outside/subdir/moved"));
    deny("link ../outside/secret -> hl", __wasi_path_link(sb, 0, "../outside/secret", sb, "hl"));
    deny("link rel_dir/secret -> hl", __wasi_path_link(sb, 0, "rel_dir/secret", sb, "hl"));
    deny("link abs_dir/secret -> hl", __wasi_path_link(sb, 0, "abs_dir/secret", sb, "hl"));
    deny("link file -> ../outside/hl", __wasi_path_link(sb, 0, "file", sb, "../outside/hl"));
    deny("link file -> rel_dir/hl", __wasi_path_link(sb, 0, "file", sb, "rel_dir/hl"));
    deny("link rel_file (follow) -> hl",
         __wasi_path_link(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "rel_file", sb, "hl"));
    deny("unlink ../outside/secret", __wasi_path_unlink_file(sb, "../outside/secret"));
    deny("rmdir ../outside/subdir", __wasi_path_remove_directory(sb, "../outside/subdir"));
    deny("mkdir ../newdir", __wasi_path_create_directory(sb, "../newdir"));
    deny("set times of ../outside/secret",
         __wasi_path_filestat_set_times(sb, 0, "../outside/secret", 0, 0,
                                        __WASI_FSTFLAGS_MTIM_NOW));

    /* Between two preopens: allowed, both are inside. */
    check("rename /sandbox/file -> /other/file", __wasi_path_rename(sb, "file", other, "file"),
          0);
    allow_open("open /other/file", other, "file", 0, "inside");
    check("rename it back", __wasi_path_rename(other, "file", sb, "file"), 0);
    check("link /sandbox/file -> /other/hl", __wasi_path_link(sb, 0, "file", other, "hl"), 0);
    check("unlink /other/hl", __wasi_path_unlink_file(other, "hl"), 0);
    deny("rename /other/../sandbox/file", __wasi_path_rename(other, "../sandbox/file", other, "x"));
}

static void libc_paths(void) {
    errno = 0;
    int fd = open("/etc/passwd", O_RDONLY);
    printf("libc open /etc/passwd: %s\n", fd < 0 ? ename(errno) : "success FAIL");
    if (fd >= 0) { failures++; close(fd); }
    errno = 0;
    fd = open("/sandbox/../outside/secret", O_RDONLY);
    printf("libc open /sandbox/../outside/secret: %s\n", fd < 0 ? ename(errno) : "success FAIL");
    if (fd >= 0) { failures++; close(fd); }
    errno = 0;
    fd = open("/sandbox/rel_file", O_RDONLY);
    printf("libc open /sandbox/rel_file: %s\n", fd < 0 ? ename(errno) : "success FAIL");
    if (fd >= 0) { failures++; close(fd); }
    errno = 0;
    fd = open("/sandbox/rel_dangling", O_WRONLY | O_CREAT, 0644);
    printf("libc create /sandbox/rel_dangling: %s\n", fd < 0 ? ename(errno) : "success FAIL");
    if (fd >= 0) { failures++; close(fd); }
    errno = 0;
    fd = open("/sandbox/sub/nested", O_RDONLY);
    printf("libc open /sandbox/sub/nested: %s\n", fd < 0 ? ename(errno) : "success");
    if (fd < 0) failures++; else close(fd);
}

int main(void) {
    int s = find_preopen("/sandbox"), o = find_preopen("/other");
    if (s < 0 || o < 0) { printf("preopens /sandbox and /other are needed\n"); return 1; }
    sb = (__wasi_fd_t)s;
    other = (__wasi_fd_t)o;
    dotdot_and_absolute();
    symlinks_out();
    rename_and_link();
    libc_paths();
    return finish();
}
