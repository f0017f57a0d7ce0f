/* Unbounded recursion that is not tail-call-optimisable: the volatile read after the call
 * keeps every frame alive. Locals are never address-taken, so nothing lives on the shadow stack
 * in linear memory and the wasm (native) call stack is what runs out: "call stack exhausted". */
#include <stdio.h>

static volatile int sink;

__attribute__((noinline)) static int deep_recursion(int n) {
    sink = n;
    int r = deep_recursion(n + 1);
    return r * 3 + (n ^ sink);
}

int main(int argc, char **argv) {
    (void)argv;
    printf("recursing\n");
    fflush(stdout);
    printf("%d\n", deep_recursion(argc));
    return 0;
}
