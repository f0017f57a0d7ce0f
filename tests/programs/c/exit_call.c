/* exit() from a nested function, with unflushed stdout (no trailing newline):
 * exit must flush stdio before proc_exit(7). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void leave(int depth, int code) {
    if (depth > 0) {
        printf("[%d]", depth);
        leave(depth - 1, code);
    }
    printf(" bye (no newline)");
    exit(code);
}

int main(void) {
    printf("start:");
    leave(3, 7);
    printf("not reached\n");
    return 0;
}
