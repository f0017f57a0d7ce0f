/* __builtin_trap() compiles to the wasm `unreachable` instruction. */
#include <stdio.h>

__attribute__((noinline)) static void give_up(int why) {
    printf("giving up (%d)\n", why);
    fflush(stdout);
    __builtin_trap();
}

int main(int argc, char **argv) {
    (void)argv;
    give_up(argc);
    return 0;
}
