/* bzip2 driver: compresses generated text with 900k blocks, decompresses it (also with the
 * small-memory decompressor) and checks the round trip. */
#include "bench_common.h"
#include "bzlib.h"

int main(int argc, char **argv) {
    unsigned len = (unsigned)(argc > 1 ? atoi(argv[1]) : 6) << 20;
    char *src = bench_xmalloc(len), *back = bench_xmalloc(len);
    unsigned cap = len + len / 50 + 1024;
    char *dst = bench_xmalloc(cap);
    bench_fill_text((unsigned char *)src, len, 11);
    printf("bzip2 %s, input %u bytes, fnv %016llx\n", BZ2_bzlibVersion(), len,
           (unsigned long long)bench_fnv1a(BENCH_FNV_INIT, src, len));

    unsigned clen = cap;
    int rc = BZ2_bzBuffToBuffCompress(dst, &clen, src, len, 9, 0, 30);
    if (rc != BZ_OK) {
        fprintf(stderr, "bzip2 compress: %d\n", rc);
        return 1;
    }
    printf("compressed: %u bytes, fnv %016llx\n", clen,
           (unsigned long long)bench_fnv1a(BENCH_FNV_INIT, dst, clen));
    for (int small = 0; small <= 1; small++) {
        unsigned dlen = len;
        rc = BZ2_bzBuffToBuffDecompress(back, &dlen, dst, clen, small, 0);
        if (rc != BZ_OK || dlen != len || memcmp(back, src, len) != 0) {
            fprintf(stderr, "bzip2 round trip failed (small=%d, rc=%d)\n", small, rc);
            return 1;
        }
        printf("decompressed (small=%d): ok\n", small);
    }
    free(src);
    free(back);
    free(dst);
    return 0;
}
