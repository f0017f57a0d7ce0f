/* LZ4 driver: fast compression (acceleration 1 and 8) and high compression (LZ4HC level 9) of
 * generated text, each result decompressed several times, round trip checked.
 *
 * The fast compressor's output legitimately depends on the word size (lz4.c hashes 5 bytes with
 * 64-bit registers and 4 bytes on 32-bit targets such as wasm32), so for the fast modes only the
 * round trip is printed; LZ4HC's output is the same everywhere and is printed in full. */
#include "bench_common.h"
#include "lz4.h"
#include "lz4hc.h"

int main(int argc, char **argv) {
    int len = (argc > 1 ? atoi(argv[1]) : 8) << 20;
    char *src = bench_xmalloc((size_t)len), *back = bench_xmalloc((size_t)len);
    int cap = LZ4_compressBound(len);
    char *dst = bench_xmalloc((size_t)cap);
    bench_fill_text((unsigned char *)src, (size_t)len, 17);
    printf("lz4 %s, input %d bytes\n", LZ4_versionString(), len);

    for (int mode = 0; mode < 3; mode++) {
        int clen;
        const char *name;
        if (mode == 0) {
            name = "fast/1";
            clen = LZ4_compress_default(src, dst, len, cap);
        } else if (mode == 1) {
            name = "fast/8";
            clen = LZ4_compress_fast(src, dst, len, cap, 8);
        } else {
            name = "hc/9";
            clen = LZ4_compress_HC(src, dst, len, cap, 9);
        }
        if (clen <= 0) {
            fprintf(stderr, "lz4 %s compression failed\n", name);
            return 1;
        }
        for (int rep = 0; rep < 10; rep++) {
            int dlen = LZ4_decompress_safe(dst, back, clen, len);
            if (dlen != len || memcmp(back, src, (size_t)len) != 0) {
                fprintf(stderr, "lz4 %s round trip failed\n", name);
                return 1;
            }
        }
        if (mode == 2)
            printf("%s: %d bytes, fnv %016llx\n", name, clen,
                   (unsigned long long)bench_fnv1a(BENCH_FNV_INIT, dst, (size_t)clen));
        else
            printf("%s: round trip ok, fnv %016llx\n", name,
                   (unsigned long long)bench_fnv1a(BENCH_FNV_INIT, back, (size_t)len));
    }
    free(src);
    free(back);
    free(dst);
    return 0;
}
