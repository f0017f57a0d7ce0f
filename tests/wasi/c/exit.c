/* Exit statuses. argv[1] says how to end:
 *   proc_exit N   __wasi_proc_exit(N) directly (nothing flushed by libc: stdout is flushed first)
 *   exit N        libc exit(N) (atexit handlers run, then proc_exit)
 *   return N      return N from main
 *   raise         proc_raise(SIGABRT) (not supported: notsup), then return 0 */
#include "common.h"

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
int32_t raw_proc_raise(int32_t sig);

static void bye(void) { printf("atexit handler ran\n"); }

int main(int argc, char **argv) {
    if (argc < 2) { printf("usage: exit MODE [N]\n"); return 2; }
    unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 0;
    atexit(bye);
    printf("mode %s, status %u\n", argv[1], n);
    fflush(stdout);
    if (strcmp(argv[1], "proc_exit") == 0) __wasi_proc_exit(n);
    if (strcmp(argv[1], "exit") == 0) exit((int)n);
    if (strcmp(argv[1], "return") == 0) return (int)n;
    if (strcmp(argv[1], "raise") == 0) {
        check("proc_raise(SIGABRT)", raw_proc_raise(6), __WASI_ERRNO_NOTSUP);
        return finish();
    }
    printf("unknown mode\n");
    return 2;
}
