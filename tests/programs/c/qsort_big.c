/* A heavier workload for a quick sanity benchmark: sort 200,000 pseudo-random ints with qsort
 * and with a hand-written merge sort, sort 100,000 doubles, and print checksums. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 200000
#define ND 100000

static uint32_t seed = 2024u;
static uint32_t rnd(void) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 1) ^ (seed << 7);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void merge_sort(uint32_t *v, uint32_t *tmp, size_t n) {
    if (n < 16) {
        for (size_t i = 1; i < n; i++) {
            uint32_t x = v[i];
            size_t j = i;
            while (j > 0 && v[j - 1] > x) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    merge_sort(v, tmp, h);
    merge_sort(v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

int main(void) {
    uint32_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *t = malloc(N * sizeof *t);
    double *d = malloc(ND * sizeof *d);
    if (!a || !b || !t || !d) {
        printf("out of memory\n");
        return 1;
    }
    for (int i = 0; i < N; i++)
        a[i] = b[i] = rnd();
    for (int i = 0; i < ND; i++)
        d[i] = (double)(int32_t)rnd() / (double)(rnd() | 1);

    qsort(a, N, sizeof *a, cmp_u32);
    merge_sort(b, t, N);
    qsort(d, ND, sizeof *d, cmp_double);

    uint64_t ck = 0;
    int same = 1, sorted = 1;
    for (int i = 0; i < N; i++) {
        ck = ck * 1000003u + a[i];
        same &= a[i] == b[i];
        if (i && a[i - 1] > a[i])
            sorted = 0;
    }
    double dsum = 0.0;
    for (int i = 0; i < ND; i++) {
        dsum += d[i] * (double)(i % 17);
        if (i && d[i - 1] > d[i])
            sorted = 0;
    }
    printf("n=%d sorted=%d same=%d min=%u max=%u median=%u\n", N, sorted, same, a[0], a[N - 1],
           a[N / 2]);
    printf("checksum=%016llx\n", (unsigned long long)ck);
    printf("doubles: min=%.17g max=%.17g weighted=%.17g\n", d[0], d[ND - 1], dsum);
    free(a);
    free(b);
    free(t);
    free(d);
    return 0;
}
