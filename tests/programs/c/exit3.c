/* Returning a nonzero value from main: wasi-libc's _start calls proc_exit(3). */
#include <stdio.h>

int main(void) {
    printf("exiting with status 3\n");
    return 3;
}
