/* Shared helpers of the benchmark drivers: a deterministic PRNG, a generator of compressible
 * text-like data and a 64-bit FNV-1a checksum. Everything is integer arithmetic, so the native
 * and the wasm32-wasi builds produce the same bytes. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64* */
static uint64_t bench_rng_state = 0x9E3779B97F4A7C15ull;

static inline void bench_seed(uint64_t s) { bench_rng_state = s ? s : 0x9E3779B97F4A7C15ull; }

static inline uint64_t bench_rand(void) {
    uint64_t x = bench_rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    bench_rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n). */
static inline uint32_t bench_below(uint32_t n) { return (uint32_t)((bench_rand() >> 32) % n); }

static inline uint64_t bench_fnv1a(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001B3ull;
    }
    return h;
}
#define BENCH_FNV_INIT 0xCBF29CE484222325ull

static inline void *bench_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

/* Fills buf with `len` bytes of text-like data: words drawn with a skewed distribution from a
 * small vocabulary, numbers, punctuation and line breaks, plus an occasional run of random bytes.
 * It compresses roughly 3-4x with general-purpose compressors. */
static inline void bench_fill_text(unsigned char *buf, size_t len, uint64_t seed) {
    static const char *const words[] = {
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with",
        "be", "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but",
        "have", "an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her",
        "has", "there", "been", "if", "more", "when", "will", "would", "who", "so", "no",
        "compiler", "module", "function", "memory", "table", "native", "executable", "benchmark",
        "instruction", "register", "allocation", "translation", "validation", "linear",
        "webassembly", "cranelift", "sandbox", "runtime", "start-up", "throughput", "latency",
    };
    const size_t nwords = sizeof(words) / sizeof(words[0]);
    bench_seed(seed);
    size_t i = 0, col = 0;
    while (i < len) {
        uint32_t r = bench_below(1000);
        char tmp[32];
        const char *s;
        size_t n;
        if (r < 850) {
            /* skewed: small indices are much more frequent */
            uint32_t a = bench_below((uint32_t)nwords), b = bench_below((uint32_t)nwords);
            s = words[a < b ? a : b];
            n = strlen(s);
        } else if (r < 950) {
            n = (size_t)snprintf(tmp, sizeof tmp, "%u", (unsigned)bench_below(100000));
            s = tmp;
        } else if (r < 990) {
            static const char punct[] = ".,;:!?()-";
            tmp[0] = punct[bench_below(sizeof punct - 1)];
            n = 1;
            s = tmp;
        } else {
            n = 4 + bench_below(12);
            for (size_t k = 0; k < n; k++) tmp[k] = (char)bench_rand();
            s = tmp;
        }
        for (size_t k = 0; k < n && i < len; k++) buf[i++] = (unsigned char)s[k];
        col += n + 1;
        if (i < len) {
            if (col > 72) {
                buf[i++] = '\n';
                col = 0;
            } else {
                buf[i++] = ' ';
            }
        }
    }
}

#endif
