/* zlib driver: deflates generated text at levels 1, 6 and 9, inflates each result several times,
 * checks the round trip and computes adler32/crc32 over the input. */
#include "bench_common.h"
#include "zlib.h"

int main(int argc, char **argv) {
    uLong len = (uLong)(argc > 1 ? atoi(argv[1]) : 4) << 20;
    Bytef *src = bench_xmalloc(len), *back = bench_xmalloc(len);
    uLong cap = compressBound(len);
    Bytef *dst = bench_xmalloc(cap);
    bench_fill_text(src, len, 13);
    uLong crc = crc32(0L, Z_NULL, 0), adler = adler32(0L, Z_NULL, 0);
    for (int i = 0; i < 8; i++) {
        crc = crc32(crc, src, (uInt)len);
        adler = adler32(adler, src, (uInt)len);
    }
    printf("zlib %s, input %lu bytes, crc32 %08lx, adler32 %08lx\n", zlibVersion(), len, crc, adler);

    static const int levels[] = {1, 6, 9};
    for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
        uLongf clen = cap;
        int rc = compress2(dst, &clen, src, len, levels[l]);
        if (rc != Z_OK) {
            fprintf(stderr, "zlib compress2: %d\n", rc);
            return 1;
        }
        for (int rep = 0; rep < 4; rep++) {
            uLongf dlen = len;
            rc = uncompress(back, &dlen, dst, clen);
            if (rc != Z_OK || dlen != len || memcmp(back, src, len) != 0) {
                fprintf(stderr, "zlib round trip failed at level %d (rc=%d)\n", levels[l], rc);
                return 1;
            }
        }
        printf("level %d: %lu bytes, fnv %016llx\n", levels[l], (unsigned long)clen,
               (unsigned long long)bench_fnv1a(BENCH_FNV_INIT, dst, clen));
    }
    free(src);
    free(back);
    free(dst);
    return 0;
}
