/* runmeasure RESULT_FILE PROGRAM [ARG...]
 *
 * Runs PROGRAM once (fork + execv, inheriting stdin/stdout/stderr) and writes one line to
 * RESULT_FILE:  <wall ns> <peak RSS KiB> <user us> <system us> <exit code or -signal>
 *
 * Why not measure from Python directly: Linux's ru_maxrss of a child includes the high-water mark
 * of the address space it had before execve, which for a child of Python (vfork or fork) is the
 * interpreter's ~20 MiB. This helper is a small static executable, so what it adds is its own
 * ~0.1 MiB. The wall time is taken here too, from just before fork to just after wait4, so the
 * harness's own overhead is not in it. Built by benches/build.py with clang -O2 -static. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: runmeasure RESULT_FILE PROGRAM [ARG...]\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("runmeasure: fork");
        return 2;
    }
    if (pid == 0) {
        execv(argv[2], argv + 2);
        perror("runmeasure: execv");
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("runmeasure: wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long wall = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror("runmeasure: result file");
        return 2;
    }
    fprintf(f, "%lld %ld %lld %lld %d\n", wall, ru.ru_maxrss,
            (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
            (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, code);
    return fclose(f) == 0 ? 0 : 2;
}
