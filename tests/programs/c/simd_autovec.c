// Loops that clang vectorises at -O3 (-msimd128 for wasm32): saxpy, integer dot products, byte
// statistics, element-wise integer and double arithmetic, float-to-byte conversion. Each kernel
// prints a checksum of its results; the output must be identical natively and under wasm2native.
//
// Usage: simd_autovec [REPS]   (default 2; the kernels run REPS times over the same arrays, for
// timing: REPS=3000 takes about a second)
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma clang fp contract(off)

#define N 65536

static float fx[N], fy[N];
static double dx[N], dy[N], dz[N];
static int16_t sa[N], sb[N];
static int32_t ia[N], ib[N], ic[N];
static uint8_t bytes[N], out8[N];
static uint64_t qa[N];

static uint32_t rng = 0x12345678u;
static uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint32_t fbits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static uint64_t dbits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

// Order-independent checksums (integer sums wrap), so they do not constrain vectorisation.
static uint32_t sum_f32(const float *v, int n) {
    uint32_t h = 0;
    for (int i = 0; i < n; i++) h += fbits(v[i]) * (uint32_t)(2 * i + 1);
    return h;
}

static uint64_t sum_f64(const double *v, int n) {
    uint64_t h = 0;
    for (int i = 0; i < n; i++) h += dbits(v[i]) * (uint64_t)(2 * i + 1);
    return h;
}

__attribute__((noinline)) static void saxpy(float a, const float *restrict x, float *restrict y,
                                            int n) {
    for (int i = 0; i < n; i++) y[i] = a * x[i] + y[i];
}

__attribute__((noinline)) static int32_t dot_i16(const int16_t *restrict a,
                                                 const int16_t *restrict b, int n) {
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += (int32_t)a[i] * b[i];
    return s;
}

__attribute__((noinline)) static uint32_t byte_sum(const uint8_t *p, int n) {
    uint32_t s = 0;
    for (int i = 0; i < n; i++) s += p[i];
    return s;
}

__attribute__((noinline)) static uint8_t byte_min(const uint8_t *p, int n) {
    uint8_t m = 255;
    for (int i = 0; i < n; i++) m = p[i] < m ? p[i] : m;
    return m;
}

__attribute__((noinline)) static uint8_t byte_max(const uint8_t *p, int n) {
    uint8_t m = 0;
    for (int i = 0; i < n; i++) m = p[i] > m ? p[i] : m;
    return m;
}

__attribute__((noinline)) static int32_t byte_count(const uint8_t *p, int n, uint8_t k) {
    int32_t c = 0;
    for (int i = 0; i < n; i++) c += p[i] == k;
    return c;
}

// Saturating brightness adjustment of 8-bit pixels.
__attribute__((noinline)) static void brighten(const uint8_t *restrict in, uint8_t *restrict out,
                                               int n, int delta) {
    for (int i = 0; i < n; i++) {
        int v = in[i] + delta;
        out[i] = (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
    }
}

__attribute__((noinline)) static void int_mix(const int32_t *restrict a,
                                              const int32_t *restrict b, int32_t *restrict c,
                                              int n) {
    for (int i = 0; i < n; i++) {
        int32_t x = (a[i] >> 3) ^ (b[i] * 7);
        int32_t y = a[i] < b[i] ? a[i] : b[i];
        c[i] = x + (y << 2) - abs(b[i]);
    }
}

__attribute__((noinline)) static uint64_t sum_squares_u64(const uint64_t *p, int n) {
    uint64_t s = 0;
    for (int i = 0; i < n; i++) s += p[i] * p[i];
    return s;
}

__attribute__((noinline)) static void hypot_f64(const double *restrict x,
                                                const double *restrict y, double *restrict z,
                                                int n) {
    for (int i = 0; i < n; i++) z[i] = sqrt(x[i] * x[i] + y[i] * y[i]) * 0.5 + x[i] / 3.0;
}

// Float gain to 8-bit pixels, clamped.
__attribute__((noinline)) static void to_u8(const float *restrict v, uint8_t *restrict out,
                                            int n, float gain) {
    for (int i = 0; i < n; i++) {
        float f = v[i] * gain + 128.0f;
        f = f < 0.0f ? 0.0f : f;
        f = f > 255.0f ? 255.0f : f;
        out[i] = (uint8_t)(int)f;
    }
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 2;
    if (reps < 1) reps = 1;

    for (int i = 0; i < N; i++) {
        fx[i] = (float)(int32_t)(next() % 2001u - 1000u) / 64.0f;
        fy[i] = (float)(int32_t)(next() % 2001u - 1000u) / 128.0f;
        dx[i] = (double)(int32_t)next() / 65536.0;
        dy[i] = (double)(int32_t)next() / 4096.0;
        sa[i] = (int16_t)next();
        sb[i] = (int16_t)next();
        ia[i] = (int32_t)next();
        ib[i] = (int32_t)next();
        bytes[i] = (uint8_t)(next() % 200u + 20u);
        qa[i] = ((uint64_t)next() << 32) | next();
    }

    // Every repetition works on a slightly different length, so no kernel call is loop-invariant.
    uint32_t dot_h = 0, bsum_h = 0, cnt_h = 0, mm_h = 0, sample_h = 0;
    uint64_t sq_h = 0;
    for (int r = 0; r < reps; r++) {
        int n = N - (r & 15);
        saxpy(0.25f + (float)(r & 7) * 0.125f, fx, fy, n);
        dot_h = dot_h * 31u + (uint32_t)dot_i16(sa, sb, n);
        bsum_h = bsum_h * 31u + byte_sum(bytes, n);
        mm_h = mm_h * 31u + (uint32_t)(byte_min(bytes + (r & 15), n) << 8 | byte_max(bytes, n));
        cnt_h = cnt_h * 31u + (uint32_t)byte_count(bytes, n, (uint8_t)(100 + r % 7));
        brighten(bytes, out8, n, 40 - r % 80);
        int_mix(ia, ib, ic, n);
        sq_h = sq_h * 31u + sum_squares_u64(qa, n);
        hypot_f64(dx, dy, dz, n);
        sample_h = sample_h * 31u + out8[(r * 7919) % N] + (uint32_t)ic[(r * 104729) % N] +
                   (uint32_t)dbits(dz[(r * 7) % N]);
    }
    printf("saxpy      %08x\n", sum_f32(fy, N));
    printf("dot_i16    %08x\n", dot_h);
    printf("byte_sum   %08x\n", bsum_h);
    printf("byte_minmax %08x\n", mm_h);
    printf("byte_count %08x\n", cnt_h);
    uint32_t h = 0;
    for (int i = 0; i < N; i++) h = h * 31u + out8[i];
    printf("brighten   %08x\n", h);
    h = 0;
    for (int i = 0; i < N; i++) h = h * 31u + (uint32_t)ic[i];
    printf("int_mix    %08x\n", h);
    printf("sq_u64     %016llx\n", (unsigned long long)sq_h);
    printf("hypot_f64  %016llx\n", (unsigned long long)sum_f64(dz, N));
    to_u8(fy, out8, N, 1.5f);
    h = 0;
    for (int i = 0; i < N; i++) h = h * 31u + out8[i];
    printf("to_u8      %08x\n", h);
    printf("sample     %.6f %.6f %d %u\n", fy[7], dz[11], ic[13], out8[17]);
    printf("samples    %08x\n", sample_h);
    return 0;
}
