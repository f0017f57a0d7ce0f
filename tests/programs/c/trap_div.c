/* Integer division by zero on a divisor the compiler cannot see (argc - 1 == 0 when run
 * without arguments). In wasm, i32.div_s traps with "integer divide by zero"; natively it is
 * SIGFPE, so the expected output of this program is written by hand (see build.sh). */
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    int divisor = argc - 1;
    printf("dividing by %d\n", divisor);
    fflush(stdout);
    int q = 1000 / divisor;
    printf("quotient %d\n", q);
    return 0;
}
