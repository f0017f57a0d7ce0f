/* A libc workout whose output must be byte-identical between a native (glibc) build and a
 * wasm32-wasi (wasi-libc) build: deterministic pseudo-random data from its own LCG,
 * malloc/realloc/free, qsort of ints, doubles and structs, printf conversions of many kinds,
 * string functions, and an FNV-1a hash of everything printed.
 *
 * Portability rules kept here (glibc vs wasi-libc, LP64 vs ILP32):
 * - `long` is 32-bit on wasm32: every %ld value fits in 32 bits.
 * - comparators are total orders (qsort implementations differ, so ties must not be visible).
 * - strcmp/memcmp results are reduced to their sign.
 * - NaN is printed through isnan() (its sign bit depends on how it was produced).
 * - %a only for normal numbers (glibc prints subnormals as 0x0.xxxp-1022, musl as 0x1.xxxp-10xx).
 * - no transcendental libm results at full precision (libms may differ in the last ulp).
 */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash = 1469598103934665603ULL;

static void hash_bytes(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        hash ^= (unsigned char)s[i];
        hash *= 1099511628211ULL;
    }
}

/* printf into a buffer, write it out and hash it. */
__attribute__((format(printf, 1, 2))) static void out(const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fputs("vsnprintf failed\n", stdout);
        exit(2);
    }
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    fwrite(buf, 1, (size_t)n, stdout);
    hash_bytes(buf, (size_t)n);
}

static uint32_t seed = 12345u;
static uint32_t rnd(void) {
    seed = seed * 1664525u + 1013904223u;
    return seed;
}

/* A value in [0, n) from the high bits (the low bits of an LCG have short periods). */
static uint32_t rndn(uint32_t n) { return (rnd() >> 8) % n; }

static int sgn(int v) { return (v > 0) - (v < 0); }

/* A double printed with a given format, with NaN spelled without a sign. */
static void outd(const char *label, const char *fmt, double d) {
    if (isnan(d)) {
        out("%s=nan\n", label);
        return;
    }
    char buf[128];
    snprintf(buf, sizeof buf, fmt, d);
    out("%s=%s\n", label, buf);
}

/* ---------------------------------------------------------------- ints */

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void test_ints(void) {
    size_t cap = 4, len = 0;
    int *v = malloc(cap * sizeof *v);
    for (int i = 0; i < 3000; i++) {
        if (len == cap) {
            cap *= 2;
            int *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                out("realloc failed\n");
                exit(2);
            }
            v = nv;
        }
        int32_t r = (int32_t)rnd();
        if (i % 7 == 0)
            r %= 100; /* some small and duplicate values */
        v[len++] = r;
    }
    qsort(v, len, sizeof *v, cmp_int);
    out("ints: n=%zu cap=%zu\n", len, cap);
    out("first:");
    for (int i = 0; i < 8; i++)
        out(" %d", v[i]);
    out("\nlast:");
    for (size_t i = len - 8; i < len; i++)
        out(" %d", v[i]);
    out("\n");
    long long sum = 0;
    unsigned distinct = 1, sorted = 1;
    for (size_t i = 0; i < len; i++) {
        sum += v[i];
        if (i > 0 && v[i] != v[i - 1])
            distinct++;
        if (i > 0 && v[i] < v[i - 1])
            sorted = 0;
    }
    out("sum=%lld distinct=%u sorted=%u median=%d\n", sum, distinct, sorted, v[len / 2]);
    out("hex=%x oct=%o unsigned=%u\n", (unsigned)v[0], (unsigned)v[len - 1], (unsigned)v[len / 3]);
    int *found = bsearch(&v[len / 4], v, len, sizeof *v, cmp_int);
    out("bsearch found=%d\n", found && *found == v[len / 4]);
    free(v);
}

/* ------------------------------------------------------------- doubles */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_doubles(void) {
    int n = 600;
    double *d = malloc(n * sizeof *d);
    for (int i = 0; i < n; i++) {
        double m = (double)rnd() / 4294967296.0 - 0.5;
        int e = (int)rndn(61) - 30;
        double scale = 1.0;
        for (int k = 0; k < (e < 0 ? -e : e); k++)
            scale *= 10.0;
        d[i] = e < 0 ? m / scale : m * scale;
    }
    qsort(d, n, sizeof *d, cmp_double);
    double sum = 0.0, asum = 0.0;
    for (int i = 0; i < n; i++) {
        sum += d[i];
        asum += fabs(d[i]);
    }
    out("doubles: n=%d\n", n);
    for (int i = 0; i < n; i += 75) {
        out("d[%d]: %.17g | %e | %g | %a | %12.4f\n", i, d[i], d[i], d[i], d[i], d[i]);
    }
    out("min=%.17g max=%.17g\n", d[0], d[n - 1]);
    out("sum=%.17g asum=%.17g\n", sum, asum);
    free(d);
}

/* ------------------------------------------------------------- structs */

struct rec {
    char name[12];
    int key;
    double weight;
};

static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return sgn(c);
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->weight > y->weight) - (x->weight < y->weight);
}

static int cmp_strp(const void *a, const void *b) {
    return sgn(strcmp(*(const char *const *)a, *(const char *const *)b));
}

static void test_structs(void) {
    int n = 400;
    struct rec *r = calloc(n, sizeof *r);
    for (int i = 0; i < n; i++) {
        int len = 1 + (int)rndn(4); /* short names: many duplicates */
        for (int k = 0; k < len; k++)
            r[i].name[k] = (char)('a' + rndn(5));
        r[i].name[len] = '\0';
        r[i].key = (int)rndn(10);
        r[i].weight = (double)rndn(1000) / 8.0;
    }
    qsort(r, n, sizeof *r, cmp_rec);
    out("structs: n=%d\n", n);
    for (int i = 0; i < n; i += 37)
        out("  %-5s|%3d|%8.3f|\n", r[i].name, r[i].key, r[i].weight);
    /* run-length summary of names */
    int groups = 0;
    for (int i = 0; i < n; i++)
        if (i == 0 || strcmp(r[i].name, r[i - 1].name) != 0)
            groups++;
    out("name groups=%d first=%s last=%s\n", groups, r[0].name, r[n - 1].name);

    /* strings sorted through an array of pointers */
    const char **p = malloc(n * sizeof *p);
    for (int i = 0; i < n; i++)
        p[i] = r[(i * 131) % n].name;
    qsort(p, n, sizeof *p, cmp_strp);
    out("string pointers:");
    for (int i = 0; i < n; i += 50)
        out(" %s", p[i]);
    out(" | %s\n", p[n - 1]);
    free(r);
    free(p);
}

/* ------------------------------------------------------ printf formats */

static void test_printf(void) {
    out("ints: %d %d %i %+d % d %5d|%-5d|%05d\n", 0, -1, 42, 7, 7, 123, 123, -42);
    out("unsigned: %u %u %x %X %#x %o %#o\n", 0u, 4294967295u, 0xdeadbeefu, 0xcafeu, 255u, 8u, 8u);
    out("long: %ld %ld %lu %lx\n", 2147483647L, -2147483647L - 1, 4000000000UL, 0x7fffffffUL);
    out("llong: %lld %lld %llu %llx %llo\n", 9223372036854775807LL, -9223372036854775807LL - 1,
        18446744073709551615ULL, 0x123456789abcdefULL, 01234567012345670123LL);
    out("short/char: %hd %hu %hhd %hhu\n", (short)-12345, (unsigned short)65535, (signed char)-5,
        (unsigned char)250);
    out("char: %c%c%c [%3c] [%-3c]\n", 'a', 'B', '0', 'x', 'y');
    out("str: [%s] [%10s] [%-10s] [%.3s] [%*s] [%-*s]\n", "abc", "right", "left", "truncate", 6, "w",
        6, "w");
    out("size: %zu %td percent: %%\n", (size_t)12345, (ptrdiff_t)-6789);
    out("precision: %.0f %.1f %.2f %.3f %5.2f %-8.2f| %08.3f %+.2f\n", 2.5, 0.05, 1.005, 2.0005,
        3.14159, 2.71828, -1.5, 1.0);
    out("rounding: %.0f %.0f %.0f %.0f %.1f %.1f\n", 0.5, 1.5, 2.5, -0.5, 0.25, 0.35);

    static const double vals[] = {
        0.0,    1.0,        -1.0,      0.1,     -0.1,     1.0 / 3.0, 2.0 / 3.0, 1e300,
        -1e300, 1e-300,     123456789.0, 1e21,  1e-7,     123.456,   -98765.4321, 3.0e-5,
        DBL_MAX, DBL_MIN,   DBL_EPSILON, 6.02214076e23, 9007199254740993.0, 0.30000000000000004,
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        double v = vals[i];
        out("v%zu: %.17g | %e | %.3e | %g | %.10g | %G | %a | %5.2f\n", i, v, v, v, v, v, v, v,
            v > 1e30 || v < -1e30 ? 0.0 : v);
    }

    /* subnormals: %a deliberately not used */
    volatile double tiny = DBL_MIN;
    double sub1 = tiny / 4.0, sub2 = tiny / 1e10, truemin = DBL_TRUE_MIN;
    out("subnormal: %.17g %e %g\n", sub1, sub1, sub1);
    out("subnormal: %.17g %e %g\n", sub2, sub2, sub2);
    out("truemin: %.17g %e %.3g fpclass=%d\n", truemin, truemin, truemin,
        fpclassify(truemin) == FP_SUBNORMAL);

    /* signed zero, infinities, nan */
    volatile double zero = 0.0;
    double negzero = -zero, inf = 1.0 / zero, ninf = -1.0 / zero, nan_ = zero / zero;
    out("negzero: %g %f %e %.17g signbit=%d\n", negzero, negzero, negzero, negzero,
        signbit(negzero) != 0);
    out("inf: %g %f %e %5.1f [%8g] [%-8g]\n", inf, inf, inf, inf, inf, inf);
    out("ninf: %g %f %e %E\n", ninf, ninf, ninf, ninf);
    outd("nan %g", "%g", nan_);
    outd("nan %f", "%f", nan_);
    out("isnan=%d isinf=%d isinf(ninf)=%d isfinite=%d\n", isnan(nan_) != 0, isinf(inf) != 0,
        isinf(ninf) != 0, isfinite(1.0) != 0);

    /* floats (promoted to double by printf) */
    float f1 = 1.1f, f2 = 3.0f, fbig = FLT_MAX, fsmall = FLT_MIN;
    float fq = f1 / f2;
    out("float: %.9g %.9g %.9g %.9g %g %e %a\n", f1, fq, fbig, fsmall, f1 * f2, fq, fq);
    out("float ops: %.9g %.9g %.9g %d %d\n", f1 + f2, sqrtf(f2), (float)(f1 * 1e10f),
        (int)(fq * 1000.0f), (int)-f1);

    /* exact libm operations */
    out("libm: sqrt2=%.17g floor=%g ceil=%g trunc=%g round=%g fmod=%.17g fabs=%g\n", sqrt(2.0),
        floor(-2.5), ceil(-2.5), trunc(-2.7), round(2.5), fmod(10.5, 3.0), fabs(-3.25));
    out("libm: ldexp=%g frexp=%g/%d copysign=%g fmin=%g fmax=%g\n", ldexp(1.5, 10),
        frexp(48.0, &(int){0}), ({ int e; frexp(48.0, &e); e; }), copysign(3.0, -0.0),
        fmin(-1.0, 2.0), fmax(-1.0, 2.0));
    /* transcendental functions at reduced precision */
    out("libm approx: exp1=%.10g log10=%.10g sin1=%.10g pow=%.10g atan2=%.10g\n", exp(1.0),
        log(10.0), sin(1.0), pow(2.0, 0.5), atan2(1.0, 1.0) * 4.0);

    /* conversions */
    volatile double big = 3.99e9, neg = -7.9;
    out("conv: %u %d %lld %d\n", (unsigned)big, (int)neg, (long long)(big * 1000.0),
        (int)(float)16777217);
    out("int->double: %.17g %.17g\n", (double)9007199254740993LL, (double)(uint64_t)-1);

    /* printf return values and snprintf truncation */
    char small[8];
    int n = snprintf(small, sizeof small, "%s-%d", "truncated", 12345);
    out("snprintf: n=%d buf=[%s]\n", n, small);
    n = snprintf(NULL, 0, "%.3f", 1234.5678);
    out("snprintf(NULL): n=%d\n", n);
    int pn = printf("direct printf %d %s %.2f\n", 99, "ok", 0.125);
    out("printf returned %d\n", pn);
}

/* ----------------------------------------------------- string functions */

static void test_strings(void) {
    char buf[128];
    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strcat(buf, "world");
    strncat(buf, "!!!???", 3);
    out("strcpy/strcat: [%s] len=%zu\n", buf, strlen(buf));
    out("strcmp: %d %d %d %d\n", sgn(strcmp("abc", "abd")), sgn(strcmp("abc", "abc")),
        sgn(strcmp("b", "abc")), sgn(strcmp("", "a")));
    out("strncmp: %d %d %d\n", sgn(strncmp("abcdef", "abcxyz", 3)),
        sgn(strncmp("abcdef", "abcxyz", 4)), sgn(strncmp("a\xff", "a\x01", 2)));
    const char *s = "the quick brown fox jumps over the lazy dog";
    out("strchr: %ld strrchr: %ld strchr0: %ld missing: %d\n", (long)(strchr(s, 'q') - s),
        (long)(strrchr(s, 'o') - s), (long)(strchr(s, '\0') - s), strchr(s, 'Z') == NULL);
    out("strstr: %ld %ld %d\n", (long)(strstr(s, "the") - s), (long)(strstr(s + 1, "the") - s),
        strstr(s, "cat") == NULL);
    out("strspn: %zu strcspn: %zu\n", strspn("aaabbbccc", "ab"), strcspn(s, "xyz"));

    char toks[] = "alpha,beta;;gamma delta,,epsilon";
    out("strtok:");
    for (char *t = strtok(toks, ",; "); t; t = strtok(NULL, ",; "))
        out(" <%s>", t);
    out("\n");

    char m[32];
    memset(m, '.', sizeof m);
    m[31] = '\0';
    memcpy(m, "0123456789", 10);
    out("memset/memcpy: [%s]\n", m);
    memmove(m + 2, m, 10); /* overlapping, forwards */
    out("memmove fwd: [%s]\n", m);
    memmove(m, m + 5, 10); /* overlapping, backwards */
    out("memmove bwd: [%s]\n", m);
    out("memcmp: %d %d %d\n", sgn(memcmp("abc", "abd", 3)), sgn(memcmp("abc", "abd", 2)),
        sgn(memcmp("\x80", "\x7f", 1)));
    const char *mc = memchr(s, 'j', strlen(s));
    out("memchr: %ld\n", mc ? (long)(mc - s) : -1L);

    /* larger memcpy/memset through heap buffers (bulk memory paths) */
    size_t big = 100000;
    unsigned char *a = malloc(big), *b = malloc(big);
    for (size_t i = 0; i < big; i++)
        a[i] = (unsigned char)(rnd() >> 24);
    memcpy(b, a, big);
    memset(a + 1000, 0xab, 5000);
    memmove(a + 3, a, big - 3);
    uint32_t ck = 0;
    for (size_t i = 0; i < big; i++)
        ck = ck * 31u + a[i] + (b[i] << 3);
    out("bulk checksum: %08x equal=%d\n", ck, memcmp(a, b, big) == 0);
    free(a);
    free(b);

    /* sscanf */
    int i1 = 0;
    unsigned x1 = 0;
    double d1 = 0;
    char w[16] = "";
    char c1 = 0;
    int got = sscanf("  -42 word 3.25e2 ff Z", "%d %15s %lf %x %c", &i1, w, &d1, &x1, &c1);
    out("sscanf: got=%d i=%d w=%s d=%g x=%u c=%c\n", got, i1, w, d1, x1, c1);
    long long ll = 0;
    got = sscanf("123456789012,rest", "%lld,%3s", &ll, w);
    out("sscanf: got=%d ll=%lld w=%s\n", got, ll, w);

    /* strtod */
    static const char *nums[] = {"1e-5", "0x1.8p3", "  12.5abc", "-0", "inf", "-Infinity",
                                 ".5", "1e400", "4.9406564584124654e-324", "2.2250738585072014e-308",
                                 "0.1", "123456789012345678901234567890", "junk"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char *end;
        double v = strtod(nums[i], &end);
        out("strtod(\"%s\") = %.17g consumed=%ld\n", nums[i], v, (long)(end - nums[i]));
    }
    char *end;
    {
        const char *nn = "nan";
        double v = strtod(nn, &end);
        out("strtod nan: isnan=%d consumed=%ld\n", isnan(v) != 0, (long)(end - nn));
    }
    {
        const char *nn = "NaN(123)x";
        double v = strtod(nn, &end);
        out("strtod nan(): isnan=%d consumed=%ld\n", isnan(v) != 0, (long)(end - nn));
    }

    /* strtol / strtoul / strtoll / atoi */
    static const struct {
        const char *s;
        int base;
    } ls[] = {{"12345", 10}, {"-0x1F", 0}, {"0777", 0}, {"1010", 2}, {"zz", 36},
              {"  +99 bottles", 10}, {"ffff", 16}, {"-2147483648", 10}};
    for (size_t i = 0; i < sizeof ls / sizeof ls[0]; i++) {
        char *e;
        long v = strtol(ls[i].s, &e, ls[i].base);
        out("strtol(\"%s\", %d) = %ld consumed=%ld\n", ls[i].s, ls[i].base, v, (long)(e - ls[i].s));
    }
    out("strtoul: %lu strtoll: %lld strtoull: %llu\n", strtoul("4294967295", NULL, 10),
        strtoll("-9223372036854775808", NULL, 10), strtoull("0xffffffffffffffff", NULL, 16));
    out("atoi: %d %d %d %d\n", atoi("42"), atoi("  -17xyz"), atoi("abc"), atoi("+0"));
    out("atol: %ld atoll: %lld atof: %g\n", atol("-123456"), atoll("1234567890123"),
        atof("6.25e-1"));

    /* ctype */
    char up[64];
    const char *src = "Mixed Case 123, with punctuation!";
    size_t k;
    for (k = 0; src[k]; k++)
        up[k] = (char)toupper((unsigned char)src[k]);
    up[k] = '\0';
    out("toupper: [%s]\n", up);
    for (k = 0; src[k]; k++)
        up[k] = (char)tolower((unsigned char)src[k]);
    out("tolower: [%s]\n", up);
    int alpha = 0, digit = 0, space = 0, punct = 0;
    for (k = 0; src[k]; k++) {
        alpha += isalpha((unsigned char)src[k]) != 0;
        digit += isdigit((unsigned char)src[k]) != 0;
        space += isspace((unsigned char)src[k]) != 0;
        punct += ispunct((unsigned char)src[k]) != 0;
    }
    out("ctype: alpha=%d digit=%d space=%d punct=%d\n", alpha, digit, space, punct);

    /* strdup + a growing string */
    char *dyn = strdup("x");
    for (int i = 0; i < 5; i++) {
        size_t l = strlen(dyn);
        char *nd = realloc(dyn, 2 * l + 2);
        memcpy(nd + l, nd, l);
        nd[2 * l] = (char)('a' + i);
        nd[2 * l + 1] = '\0';
        dyn = nd;
    }
    out("strdup/realloc: len=%zu head=%.10s tail=%s\n", strlen(dyn), dyn, dyn + strlen(dyn) - 5);
    free(dyn);
}

/* ------------------------------------------------- integer arithmetic */

static void test_arith(void) {
    uint32_t a = rnd(), b = rnd() | 1;
    int32_t sa = (int32_t)rnd(), sb = (int32_t)(rnd() | 1);
    uint64_t wa = ((uint64_t)rnd() << 32) | rnd(), wb = ((uint64_t)rnd() << 32) | rnd() | 1;
    int64_t swa = (int64_t)wa, swb = (int64_t)wb;
    out("u32: %u %u %u %u %u %u\n", a + b, a * b, a / b, a % b, a >> (b & 31), a << (b & 31));
    out("i32: %d %d %d %d\n", sa / sb, sa % sb, sa >> 5, (int)((unsigned)sa >> 5));
    out("u64: %llu %llu %llu %llu\n", (unsigned long long)(wa * wb), (unsigned long long)(wa / wb),
        (unsigned long long)(wa % wb), (unsigned long long)(wa >> 17));
    out("i64: %lld %lld %lld\n", (long long)(swa / swb), (long long)(swa % swb), (long long)(swa >> 40));
    out("bits: clz=%d ctz=%d pop=%d clzll=%d ctzll=%d popll=%d\n", __builtin_clz(a | 1),
        __builtin_ctz(b), __builtin_popcount(a), __builtin_clzll(wa | 1), __builtin_ctzll(wb),
        __builtin_popcountll(wa));
    out("rot: %08x %016llx bswap=%08x\n", (a << 7) | (a >> 25),
        (unsigned long long)((wa << 13) | (wa >> 51)), __builtin_bswap32(a));
}

int main(void) {
    test_ints();
    test_doubles();
    test_structs();
    test_printf();
    test_strings();
    test_arith();
    printf("hash: %016llx\n", (unsigned long long)hash);
    return 0;
}
