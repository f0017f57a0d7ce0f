/* Prints the arguments (argv[0] differs between runtimes, so it is skipped) and W2N_TEST_VAR. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s]\n", i, argv[i]);
    const char *v = getenv("W2N_TEST_VAR");
    printf("W2N_TEST_VAR=%s\n", v ? v : "(unset)");
    return 0;
}
