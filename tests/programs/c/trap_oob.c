/* A store far outside linear memory: the address is computed from argc (argc == 1 gives
 * 0x7ffffff0), so the compiler cannot fold it. wasm: "out of bounds memory access". */
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    volatile int *p = (volatile int *)(uintptr_t)((uint32_t)argc * 0x7ffffff0u);
    printf("storing to %#x\n", (unsigned)(uintptr_t)p);
    fflush(stdout);
    *p = 42;
    printf("stored\n");
    return 0;
}
