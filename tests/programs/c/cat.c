/* Copies stdin to stdout until EOF, then reports the byte count on stderr. */
#include <stdio.h>

int main(void) {
    static char buf[4096];
    unsigned long total = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        if (fwrite(buf, 1, n, stdout) != n) {
            fprintf(stderr, "write error\n");
            return 1;
        }
        total += n;
    }
    if (ferror(stdin)) {
        fprintf(stderr, "read error\n");
        return 1;
    }
    fflush(stdout);
    fprintf(stderr, "cat: %lu bytes\n", total);
    return 0;
}
