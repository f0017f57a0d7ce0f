/* args_sizes_get, args_get, environ_sizes_get, environ_get, called raw and compared with what
 * wasi-libc hands to main(): counts, buffer sizes, NUL terminators, pointers inside the buffer.
 * Prints every argument after argv[0] (argv[0] is the runtime's choice) and the environment
 * sorted by name, escaped, so empty strings, quotes, spaces and UTF-8 are visible. */
#include "common.h"

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Checks the strings a *_get call wrote: each pointer inside buf, each string NUL-terminated,
 * laid out back to back, filling exactly size bytes. */
static void check_layout(const char *what, uint8_t **ptrs, uint8_t *buf, size_t count,
                         size_t size) {
    size_t used = 0;
    int ok = 1;
    for (size_t i = 0; i < count; i++) {
        if (ptrs[i] != buf + used) ok = 0;
        size_t len = strnlen((char *)buf + used, size - used);
        if (used + len >= size) { ok = 0; break; }
        used += len + 1;
    }
    char label[64];
    snprintf(label, sizeof label, "%s: strings fill the buffer exactly", what);
    expect_true(label, ok && used == size);
}

int main(int argc, char **argv) {
    __wasi_size_t count = 0, size = 0;
    check("args_sizes_get", __wasi_args_sizes_get(&count, &size), 0);
    expect_u64("args count", count, argc);
    uint8_t **ptrs = calloc(count + 1, sizeof *ptrs);
    uint8_t *buf = malloc(size + 1);
    buf[size] = 0x55;
    check("args_get", __wasi_args_get(ptrs, buf), 0);
    expect_true("args_get wrote nothing past the buffer", buf[size] == 0x55);
    check_layout("args", ptrs, buf, count, size);
    int same = 1;
    for (int i = 0; i < argc; i++) same &= strcmp((char *)ptrs[i], argv[i]) == 0;
    expect_true("main's argv is args_get's", same);
    /* argv[0] is the runtime's choice (wasmtime: the module's name); shown only on request. */
    if (getenv("SHOW_ARGV0")) print_bytes("arg 0", argv[0], strlen(argv[0]));
    for (int i = 1; i < argc; i++) {
        char label[32];
        snprintf(label, sizeof label, "arg %d (%zu bytes)", i, strlen(argv[i]));
        print_bytes(label, argv[i], strlen(argv[i]));
    }

    check("environ_sizes_get", __wasi_environ_sizes_get(&count, &size), 0);
    printf("environ count: %u\n", (unsigned)count);
    uint8_t **env = calloc(count + 1, sizeof *env);
    uint8_t *ebuf = malloc(size + 1);
    ebuf[size] = 0x55;
    check("environ_get", __wasi_environ_get(env, ebuf), 0);
    expect_true("environ_get wrote nothing past the buffer", ebuf[size] == 0x55);
    check_layout("environ", env, ebuf, count, size);
    int runtime_vars = 0, without_eq = 0;
    for (size_t i = 0; i < count; i++) {
        runtime_vars += strncmp((char *)env[i], "WASM2NATIVE_", 12) == 0;
        without_eq += strchr((char *)env[i], '=') == NULL;
    }
    expect_u64("WASM2NATIVE_* variables seen", runtime_vars, 0);
    expect_u64("entries without '='", without_eq, 0);
    qsort(env, count, sizeof *env, cmp_str);
    for (size_t i = 0; i < count; i++) print_bytes("env", env[i], strlen((char *)env[i]));

    /* getenv agrees with environ_get. */
    for (size_t i = 0; i < count; i++) {
        char *eq = strchr((char *)env[i], '=');
        if (!eq) continue;
        *eq = 0;
        const char *v = getenv((char *)env[i]);
        if (!v || strcmp(v, eq + 1) != 0) {
            printf("getenv(%s) disagrees FAIL\n", (char *)env[i]);
            failures++;
        }
        *eq = '=';
    }
    expect_true("getenv agrees with environ_get", 1);
    return finish();
}
