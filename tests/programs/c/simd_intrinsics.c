// Kernels written with the wasm_simd128.h intrinsics: 4x4 float matrix products, an ASCII case
// transform and hex encoding (swizzle, shuffles), byte statistics with bitmask, planar RGB to
// grey (widening, narrowing), an i16 dot product, a float-to-int quantiser, byte blending and
// i64x2 hashing. Each kernel prints a checksum; the output must be identical natively and under
// wasm2native.
//
// Natively (no wasm_simd128.h) the same intrinsics are provided by a small SSE4.1 shim below, so
// the native build is vectorised too (build with -march=x86-64-v2). Inputs avoid the few corner
// cases where the SSE instruction and the wasm instruction differ (NaN, out-of-range float to int
// conversion).
//
// Usage: simd_intrinsics [REPS]   (default 2; each kernel runs REPS times, for timing: REPS=1000
// takes about a second)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma clang fp contract(off)

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#else
#include <smmintrin.h>

typedef __m128i v128_t;
#define F(v) _mm_castsi128_ps(v)
#define I(v) _mm_castps_si128(v)

static inline v128_t wasm_v128_load(const void *p) { return _mm_loadu_si128((const __m128i *)p); }
static inline void wasm_v128_store(void *p, v128_t v) { _mm_storeu_si128((__m128i *)p, v); }
static inline v128_t wasm_v128_and(v128_t a, v128_t b) { return _mm_and_si128(a, b); }
static inline v128_t wasm_v128_or(v128_t a, v128_t b) { return _mm_or_si128(a, b); }
static inline v128_t wasm_v128_xor(v128_t a, v128_t b) { return _mm_xor_si128(a, b); }
static inline v128_t wasm_i8x16_splat(int8_t x) { return _mm_set1_epi8(x); }
static inline v128_t wasm_i16x8_splat(int16_t x) { return _mm_set1_epi16(x); }
static inline v128_t wasm_i32x4_splat(int32_t x) { return _mm_set1_epi32(x); }
static inline v128_t wasm_f32x4_splat(float x) { return I(_mm_set1_ps(x)); }
static inline v128_t wasm_f32x4_add(v128_t a, v128_t b) { return I(_mm_add_ps(F(a), F(b))); }
static inline v128_t wasm_f32x4_sub(v128_t a, v128_t b) { return I(_mm_sub_ps(F(a), F(b))); }
static inline v128_t wasm_f32x4_mul(v128_t a, v128_t b) { return I(_mm_mul_ps(F(a), F(b))); }
static inline v128_t wasm_f32x4_sqrt(v128_t a) { return I(_mm_sqrt_ps(F(a))); }
static inline v128_t wasm_f32x4_abs(v128_t a) {
    return _mm_and_si128(a, _mm_set1_epi32(0x7fffffff));
}
// pmin(a, b) = b < a ? b : a, pmax(a, b) = a < b ? b : a: minps/maxps with swapped operands.
static inline v128_t wasm_f32x4_pmin(v128_t a, v128_t b) { return I(_mm_min_ps(F(b), F(a))); }
static inline v128_t wasm_f32x4_pmax(v128_t a, v128_t b) { return I(_mm_max_ps(F(b), F(a))); }
static inline v128_t wasm_f32x4_nearest(v128_t a) {
    return I(_mm_round_ps(F(a), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}
static inline v128_t wasm_f32x4_lt(v128_t a, v128_t b) { return I(_mm_cmplt_ps(F(a), F(b))); }
static inline v128_t wasm_f32x4_convert_i32x4(v128_t a) { return I(_mm_cvtepi32_ps(a)); }
static inline v128_t wasm_i32x4_trunc_sat_f32x4(v128_t a) { return _mm_cvttps_epi32(F(a)); }
static inline float wasm_f32x4_extract_lane_(v128_t a, int i) {
    float f[4];
    _mm_storeu_ps(f, F(a));
    return f[i];
}
#define wasm_f32x4_extract_lane(a, i) wasm_f32x4_extract_lane_(a, i)
#define wasm_i32x4_extract_lane(a, i) _mm_extract_epi32(a, i)
#define wasm_i64x2_extract_lane(a, i) _mm_extract_epi64(a, i)
#define wasm_i32x4_shuffle(a, b, c0, c1, c2, c3)                                                  \
    ((v128_t)__builtin_shufflevector((__v4si)(a), (__v4si)(b), c0, c1, c2, c3))
#define wasm_i8x16_shuffle(a, b, ...)                                                             \
    ((v128_t)__builtin_shufflevector((__v16qi)(a), (__v16qi)(b), __VA_ARGS__))
// Indices >= 16 give 0: saturating +0x70 sets their top bit, which makes pshufb write zero.
static inline v128_t wasm_i8x16_swizzle(v128_t a, v128_t idx) {
    return _mm_shuffle_epi8(a, _mm_adds_epu8(idx, _mm_set1_epi8(0x70)));
}
static inline v128_t wasm_i8x16_sub(v128_t a, v128_t b) { return _mm_sub_epi8(a, b); }
static inline v128_t wasm_i8x16_eq(v128_t a, v128_t b) { return _mm_cmpeq_epi8(a, b); }
static inline v128_t wasm_u8x16_gt(v128_t a, v128_t b) {
    v128_t bias = _mm_set1_epi8((char)0x80);
    return _mm_cmpgt_epi8(_mm_xor_si128(a, bias), _mm_xor_si128(b, bias));
}
static inline v128_t wasm_u8x16_lt(v128_t a, v128_t b) { return wasm_u8x16_gt(b, a); }
static inline uint32_t wasm_i8x16_bitmask(v128_t a) { return (uint32_t)_mm_movemask_epi8(a); }
static inline v128_t wasm_u8x16_shr(v128_t a, uint32_t n) {
    return _mm_and_si128(_mm_srl_epi16(a, _mm_cvtsi32_si128((int)n)),
                         _mm_set1_epi8((char)(0xff >> n)));
}
static inline v128_t wasm_u8x16_avgr(v128_t a, v128_t b) { return _mm_avg_epu8(a, b); }
static inline v128_t wasm_u8x16_add_sat(v128_t a, v128_t b) { return _mm_adds_epu8(a, b); }
static inline v128_t wasm_u8x16_sub_sat(v128_t a, v128_t b) { return _mm_subs_epu8(a, b); }
static inline v128_t wasm_u8x16_min(v128_t a, v128_t b) { return _mm_min_epu8(a, b); }
static inline v128_t wasm_u8x16_max(v128_t a, v128_t b) { return _mm_max_epu8(a, b); }
static inline v128_t wasm_u8x16_narrow_i16x8(v128_t a, v128_t b) { return _mm_packus_epi16(a, b); }
static inline v128_t wasm_u16x8_extend_low_u8x16(v128_t a) { return _mm_cvtepu8_epi16(a); }
static inline v128_t wasm_u16x8_extend_high_u8x16(v128_t a) {
    return _mm_unpackhi_epi8(a, _mm_setzero_si128());
}
static inline v128_t wasm_i16x8_add(v128_t a, v128_t b) { return _mm_add_epi16(a, b); }
static inline v128_t wasm_i16x8_mul(v128_t a, v128_t b) { return _mm_mullo_epi16(a, b); }
static inline v128_t wasm_u16x8_shr(v128_t a, uint32_t n) {
    return _mm_srl_epi16(a, _mm_cvtsi32_si128((int)n));
}
static inline v128_t wasm_i32x4_add(v128_t a, v128_t b) { return _mm_add_epi32(a, b); }
static inline v128_t wasm_i32x4_dot_i16x8(v128_t a, v128_t b) { return _mm_madd_epi16(a, b); }
static inline v128_t wasm_i64x2_add(v128_t a, v128_t b) { return _mm_add_epi64(a, b); }
static inline v128_t wasm_i64x2_mul(v128_t a, v128_t b) {
    return _mm_set_epi64x(_mm_extract_epi64(a, 1) * _mm_extract_epi64(b, 1),
                          _mm_extract_epi64(a, 0) * _mm_extract_epi64(b, 0));
}
static inline v128_t wasm_i64x2_splat(int64_t x) { return _mm_set1_epi64x(x); }
static inline v128_t wasm_u64x2_shr(v128_t a, uint32_t n) {
    return _mm_srl_epi64(a, _mm_cvtsi32_si128((int)n));
}
static inline v128_t wasm_i64x2_shl(v128_t a, uint32_t n) {
    return _mm_sll_epi64(a, _mm_cvtsi32_si128((int)n));
}
#endif

#define NMAT 1024
#define NTEXT 65536
#define NPIX 65536

static float mat_a[NMAT][16], mat_b[NMAT][16], mat_c[NMAT][16];
static uint8_t text[NTEXT], text_out[NTEXT], hex[2 * NTEXT];
static uint8_t red[NPIX], green[NPIX], blue[NPIX], grey[NPIX], blend[NPIX];
static int16_t qa[NPIX], qb[NPIX];
static float samples[NPIX];
static int32_t quant[NPIX];
static uint64_t keys[NPIX / 4];

static uint32_t rng = 0x9e3779b9u;
static uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint32_t hash_bytes(const void *p, size_t n) {
    const uint8_t *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
    return h;
}

// C = A * B for column-major 4x4 matrices: column j of C is sum_k A.col(k) * B[j][k].
__attribute__((noinline)) static void mat4_mul(const float *a, const float *b, float *c) {
    v128_t a0 = wasm_v128_load(a), a1 = wasm_v128_load(a + 4);
    v128_t a2 = wasm_v128_load(a + 8), a3 = wasm_v128_load(a + 12);
    for (int j = 0; j < 4; j++) {
        v128_t col = wasm_f32x4_mul(a0, wasm_f32x4_splat(b[4 * j]));
        col = wasm_f32x4_add(col, wasm_f32x4_mul(a1, wasm_f32x4_splat(b[4 * j + 1])));
        col = wasm_f32x4_add(col, wasm_f32x4_mul(a2, wasm_f32x4_splat(b[4 * j + 2])));
        col = wasm_f32x4_add(col, wasm_f32x4_mul(a3, wasm_f32x4_splat(b[4 * j + 3])));
        wasm_v128_store(c + 4 * j, col);
    }
}

// In-place transpose with shuffles; returns the trace.
__attribute__((noinline)) static float mat4_transpose(float *m) {
    v128_t c0 = wasm_v128_load(m), c1 = wasm_v128_load(m + 4);
    v128_t c2 = wasm_v128_load(m + 8), c3 = wasm_v128_load(m + 12);
    v128_t t0 = wasm_i32x4_shuffle(c0, c1, 0, 4, 1, 5);
    v128_t t1 = wasm_i32x4_shuffle(c2, c3, 0, 4, 1, 5);
    v128_t t2 = wasm_i32x4_shuffle(c0, c1, 2, 6, 3, 7);
    v128_t t3 = wasm_i32x4_shuffle(c2, c3, 2, 6, 3, 7);
    v128_t r0 = wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5);
    v128_t r1 = wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7);
    v128_t r2 = wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5);
    v128_t r3 = wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7);
    wasm_v128_store(m, r0);
    wasm_v128_store(m + 4, r1);
    wasm_v128_store(m + 8, r2);
    wasm_v128_store(m + 12, r3);
    return wasm_f32x4_extract_lane(r0, 0) + wasm_f32x4_extract_lane(r1, 1) +
           wasm_f32x4_extract_lane(r2, 2) + wasm_f32x4_extract_lane(r3, 3);
}

// ASCII lower case to upper case, everything else unchanged.
__attribute__((noinline)) static void upcase(const uint8_t *in, uint8_t *out, size_t n) {
    const v128_t before_a = wasm_i8x16_splat('a' - 1), after_z = wasm_i8x16_splat('z' + 1);
    const v128_t bit = wasm_i8x16_splat(0x20);
    for (size_t i = 0; i < n; i += 16) {
        v128_t c = wasm_v128_load(in + i);
        v128_t lower = wasm_v128_and(wasm_u8x16_gt(c, before_a), wasm_u8x16_lt(c, after_z));
        wasm_v128_store(out + i, wasm_i8x16_sub(c, wasm_v128_and(lower, bit)));
    }
}

// Two lower-case hex digits per byte, via a swizzle table lookup.
__attribute__((noinline)) static void hex_encode(const uint8_t *in, uint8_t *out, size_t n) {
    const v128_t digits = wasm_v128_load("0123456789abcdef");
    const v128_t low4 = wasm_i8x16_splat(0x0f);
    for (size_t i = 0; i < n; i += 16) {
        v128_t b = wasm_v128_load(in + i);
        v128_t hi = wasm_i8x16_swizzle(digits, wasm_u8x16_shr(b, 4));
        v128_t lo = wasm_i8x16_swizzle(digits, wasm_v128_and(b, low4));
        v128_t first = wasm_i8x16_shuffle(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22,
                                          7, 23);
        v128_t second = wasm_i8x16_shuffle(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29,
                                           14, 30, 15, 31);
        wasm_v128_store(out + 2 * i, first);
        wasm_v128_store(out + 2 * i + 16, second);
    }
}

// Number of bytes equal to `c`, via bitmask and popcount.
__attribute__((noinline)) static uint32_t count_byte(const uint8_t *p, size_t n, uint8_t c) {
    const v128_t k = wasm_i8x16_splat((int8_t)c);
    uint32_t count = 0;
    for (size_t i = 0; i < n; i += 16)
        count += (uint32_t)__builtin_popcount(
            wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), k)));
    return count;
}

// grey = (77 r + 150 g + 29 b) >> 8 in 16-bit lanes, narrowed back to bytes.
__attribute__((noinline)) static void to_grey(const uint8_t *r, const uint8_t *g,
                                              const uint8_t *b, uint8_t *out, size_t n) {
    const v128_t wr = wasm_i16x8_splat(77), wg = wasm_i16x8_splat(150), wb = wasm_i16x8_splat(29);
    for (size_t i = 0; i < n; i += 16) {
        v128_t vr = wasm_v128_load(r + i), vg = wasm_v128_load(g + i), vb = wasm_v128_load(b + i);
        v128_t lo = wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(vr), wr);
        lo = wasm_i16x8_add(lo, wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(vg), wg));
        lo = wasm_i16x8_add(lo, wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(vb), wb));
        v128_t hi = wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(vr), wr);
        hi = wasm_i16x8_add(hi, wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(vg), wg));
        hi = wasm_i16x8_add(hi, wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(vb), wb));
        wasm_v128_store(out + i,
                        wasm_u8x16_narrow_i16x8(wasm_u16x8_shr(lo, 8), wasm_u16x8_shr(hi, 8)));
    }
}

// Saturating blend of two images: avg(a, b) + |a - b| / 4, clamped to [16, 235].
__attribute__((noinline)) static void blend_bytes(const uint8_t *a, const uint8_t *b,
                                                  uint8_t *out, size_t n) {
    const v128_t lo = wasm_i8x16_splat(16), hi = wasm_i8x16_splat((int8_t)235);
    for (size_t i = 0; i < n; i += 16) {
        v128_t va = wasm_v128_load(a + i), vb = wasm_v128_load(b + i);
        v128_t diff = wasm_v128_or(wasm_u8x16_sub_sat(va, vb), wasm_u8x16_sub_sat(vb, va));
        v128_t v = wasm_u8x16_add_sat(wasm_u8x16_avgr(va, vb), wasm_u8x16_shr(diff, 2));
        wasm_v128_store(out + i, wasm_u8x16_min(wasm_u8x16_max(v, lo), hi));
    }
}

__attribute__((noinline)) static int32_t dot_i16(const int16_t *a, const int16_t *b, size_t n) {
    v128_t acc = wasm_i32x4_splat(0);
    for (size_t i = 0; i < n; i += 8)
        acc = wasm_i32x4_add(acc,
                             wasm_i32x4_dot_i16x8(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    return wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
           wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
}

// q = nearest(clamp(sqrt(|x|) * scale, -1000, 1000)), as int32 and back; returns sum of errors.
__attribute__((noinline)) static float quantise(const float *x, int32_t *q, size_t n,
                                                float scale) {
    const v128_t s = wasm_f32x4_splat(scale);
    const v128_t lo = wasm_f32x4_splat(-1000.0f), hi = wasm_f32x4_splat(1000.0f);
    v128_t err = wasm_f32x4_splat(0.0f);
    for (size_t i = 0; i < n; i += 4) {
        v128_t v = wasm_v128_load(x + i);
        v128_t mag = wasm_f32x4_mul(wasm_f32x4_sqrt(wasm_f32x4_abs(v)), s);
        v128_t neg = wasm_f32x4_lt(v, wasm_f32x4_splat(0.0f));
        v128_t sign = wasm_v128_and(neg, wasm_i32x4_splat((int32_t)0x80000000));
        v128_t signed_mag = wasm_v128_or(mag, sign);
        v128_t c = wasm_f32x4_pmin(wasm_f32x4_pmax(signed_mag, lo), hi);
        v128_t r = wasm_f32x4_nearest(c);
        v128_t qi = wasm_i32x4_trunc_sat_f32x4(r);
        wasm_v128_store(q + i, qi);
        err = wasm_f32x4_add(err, wasm_f32x4_sub(c, wasm_f32x4_convert_i32x4(qi)));
    }
    return wasm_f32x4_extract_lane(err, 0) + wasm_f32x4_extract_lane(err, 1) +
           wasm_f32x4_extract_lane(err, 2) + wasm_f32x4_extract_lane(err, 3);
}

// A 64-bit multiplicative hash of every key, two lanes at a time.
__attribute__((noinline)) static uint64_t hash_keys(const uint64_t *k, size_t n) {
    const v128_t mul = wasm_i64x2_splat((int64_t)0x9e3779b97f4a7c15ull);
    v128_t acc = wasm_i64x2_splat(0);
    for (size_t i = 0; i < n; i += 2) {
        v128_t h = wasm_i64x2_mul(wasm_v128_load(k + i), mul);
        h = wasm_v128_xor(h, wasm_u64x2_shr(h, 29));
        acc = wasm_i64x2_add(wasm_i64x2_shl(acc, 1), h);
    }
    return (uint64_t)wasm_i64x2_extract_lane(acc, 0) ^ (uint64_t)wasm_i64x2_extract_lane(acc, 1);
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 2;
    if (reps < 1) reps = 1;

    for (int m = 0; m < NMAT; m++)
        for (int i = 0; i < 16; i++) {
            mat_a[m][i] = (float)((int32_t)(next() % 2001u) - 1000) / 256.0f;
            mat_b[m][i] = (float)((int32_t)(next() % 2001u) - 1000) / 512.0f;
        }
    static const char words[] = "The quick brown Fox jumps over the lazy dog; 0123456789 {}[]\n";
    for (int i = 0; i < NTEXT; i++) text[i] = (uint8_t)words[next() % (sizeof words - 1)];
    for (int i = 0; i < NPIX; i++) {
        red[i] = (uint8_t)next();
        green[i] = (uint8_t)next();
        blue[i] = (uint8_t)next();
        qa[i] = (int16_t)next();
        qb[i] = (int16_t)next();
        samples[i] = (float)((int32_t)next() >> 8) / 1024.0f;
    }
    for (int i = 0; i < NPIX / 4; i++) keys[i] = ((uint64_t)next() << 32) | next();

    // Every repetition varies the kernels' inputs or lengths, so no call is loop-invariant; the
    // outputs are hashed once at the end, plus a few sampled values per repetition.
    uint32_t count_h = 0, dot_h = 0, sample_h = 0;
    uint64_t key_h = 0;
    float trace = 0.0f, qerr = 0.0f;
    for (int r = 0; r < reps; r++) {
        size_t cut = 16 * (size_t)(r & 3);
        for (int m = 0; m < NMAT; m++) mat4_mul(mat_a[m], mat_b[(m + r) % NMAT], mat_c[m]);
        trace += mat4_transpose(mat_c[r % NMAT]);
        upcase(text + cut, text_out, NTEXT - cut);
        hex_encode(text_out, hex, NTEXT);
        count_h = count_h * 31u + count_byte(text + cut, NTEXT - cut, ' ') * 1000u +
                  count_byte(text, NTEXT - cut, '\n');
        to_grey(red, green + cut, blue, grey, NPIX - cut);
        blend_bytes(grey, red + cut, blend, NPIX - cut);
        dot_h = dot_h * 31u + (uint32_t)dot_i16(qa, qb, NPIX - 2 * cut);
        qerr += quantise(samples, quant, NPIX, 3.0f + (float)(r & 7));
        key_h = key_h * 31u + hash_keys(keys, NPIX / 4 - 2 * (size_t)(r & 3));
        sample_h = sample_h * 31u + hex[(r * 7919) % (2 * NTEXT)] + blend[(r * 104729) % NPIX] +
                   (uint32_t)quant[(r * 31) % NPIX];
    }
    printf("mat4_mul   %08x trace %.4f\n", hash_bytes(mat_c, sizeof mat_c), trace);
    printf("upcase     %08x %.20s\n", hash_bytes(text_out, NTEXT), (const char *)text_out);
    printf("hex        %08x %.24s\n", hash_bytes(hex, sizeof hex), (const char *)hex);
    printf("count      %08x\n", count_h);
    printf("grey       %08x %u %u\n", hash_bytes(grey, NPIX), grey[0], grey[NPIX - 1]);
    printf("blend      %08x %u %u\n", hash_bytes(blend, NPIX), blend[1], blend[NPIX - 2]);
    printf("dot_i16    %08x\n", dot_h);
    printf("quantise   %08x err %.5f q %d %d\n", hash_bytes(quant, sizeof quant), qerr, quant[3],
           quant[NPIX - 5]);
    printf("hash_keys  %016llx\n", (unsigned long long)key_h);
    printf("samples    %08x\n", sample_h);
    return 0;
}
