/* Dense matrix multiply kernel: C = A * B for N x N doubles, cache-friendly i-k-j loop order,
 * repeated with the result fed back in. Entries stay small integers, so the sums are exact and
 * the checksum is the same on every IEEE-754 platform. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void matmul(int n, const double *a, const double *b, double *c) {
    memset(c, 0, sizeof(double) * (size_t)n * (size_t)n);
    for (int i = 0; i < n; i++) {
        double *ci = c + (size_t)i * n;
        for (int k = 0; k < n; k++) {
            double aik = a[(size_t)i * n + k];
            const double *bk = b + (size_t)k * n;
            for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
        }
    }
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 512;
    int reps = argc > 2 ? atoi(argv[2]) : 32;
    size_t nn = (size_t)n * (size_t)n;
    double *a = malloc(nn * sizeof(double)), *b = malloc(nn * sizeof(double));
    double *c = malloc(nn * sizeof(double));
    if (!a || !b || !c) return 2;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[(size_t)i * n + j] = (double)((i * 7 + j * 3) % 11) - 5.0;
            b[(size_t)i * n + j] = (double)((i * 5 + j * 13) % 7) - 3.0;
        }
    double total = 0;
    for (int r = 0; r < reps; r++) {
        matmul(n, a, b, c);
        double sum = 0, trace = 0;
        for (size_t k = 0; k < nn; k++) sum += c[k];
        for (int i = 0; i < n; i++) trace += c[(size_t)i * n + i];
        if (r % 8 == 0 || r == reps - 1) printf("rep %d: sum %.1f trace %.1f\n", r, sum, trace);
        total += sum;
        /* next A: C reduced mod 9, keeps the values small and the products exact */
        for (size_t k = 0; k < nn; k++) {
            long v = (long)c[k] % 9;
            a[k] = (double)v;
        }
    }
    printf("total %.1f\n", total);
    free(a);
    free(b);
    free(c);
    return 0;
}
