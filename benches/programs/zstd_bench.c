/* zstd driver: compresses generated text at levels 1, 3 and 9 (one-shot API) and with the
 * streaming API, decompresses each result several times and checks the round trip. */
#include "bench_common.h"
#include "zstd.h"

static void check(size_t r, const char *what) {
    if (ZSTD_isError(r)) {
        fprintf(stderr, "zstd %s: %s\n", what, ZSTD_getErrorName(r));
        exit(1);
    }
}

int main(int argc, char **argv) {
    size_t len = (size_t)(argc > 1 ? atoi(argv[1]) : 10) << 20;
    unsigned char *src = bench_xmalloc(len), *back = bench_xmalloc(len);
    size_t cap = ZSTD_compressBound(len);
    unsigned char *dst = bench_xmalloc(cap);
    bench_fill_text(src, len, 7);
    uint64_t want = bench_fnv1a(BENCH_FNV_INIT, src, len);
    printf("zstd %s, input %zu bytes, fnv %016llx\n", ZSTD_versionString(), len,
           (unsigned long long)want);

    static const int levels[] = {1, 3, 9};
    for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
        size_t clen = ZSTD_compress(dst, cap, src, len, levels[l]);
        check(clen, "compress");
        for (int rep = 0; rep < 4; rep++) {
            size_t dlen = ZSTD_decompress(back, len, dst, clen);
            check(dlen, "decompress");
            if (dlen != len || memcmp(back, src, len) != 0) {
                fprintf(stderr, "zstd round trip failed at level %d\n", levels[l]);
                return 1;
            }
        }
        printf("level %d: %zu bytes, fnv %016llx\n", levels[l], clen,
               (unsigned long long)bench_fnv1a(BENCH_FNV_INIT, dst, clen));
    }

    /* Streaming compression in 64 KiB chunks with a context reused across frames. */
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 5);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    ZSTD_inBuffer in = {src, len, 0};
    ZSTD_outBuffer out = {dst, cap, 0};
    size_t chunk = 64 << 10;
    while (in.pos < in.size) {
        ZSTD_inBuffer piece = {src + in.pos, (in.size - in.pos) < chunk ? in.size - in.pos : chunk, 0};
        while (piece.pos < piece.size) check(ZSTD_compressStream2(cctx, &out, &piece, ZSTD_e_continue), "stream");
        in.pos += piece.size;
    }
    size_t left;
    do {
        left = ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_end);
        check(left, "stream end");
    } while (left != 0);
    ZSTD_freeCCtx(cctx);
    size_t dlen = ZSTD_decompress(back, len, dst, out.pos);
    check(dlen, "stream decompress");
    if (dlen != len || memcmp(back, src, len) != 0) {
        fprintf(stderr, "zstd streaming round trip failed\n");
        return 1;
    }
    printf("stream level 5: %zu bytes, fnv %016llx\n", out.pos,
           (unsigned long long)bench_fnv1a(BENCH_FNV_INIT, dst, out.pos));
    free(src);
    free(back);
    free(dst);
    return 0;
}
