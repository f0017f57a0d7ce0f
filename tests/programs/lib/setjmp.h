/*
 * <setjmp.h> for wasm32-wasi programs built with clang's `-mllvm -wasm-enable-sjlj`: Debian's
 * wasi-libc (2022) has no setjmp.h and no libsetjmp. clang's wasm SjLj lowering replaces every
 * call of `setjmp` and `longjmp` with calls of the runtime in wasm_sjlj.c, so these two are
 * only declared, never defined. A jmp_buf holds that runtime's `struct wasm_jmp_buf`.
 */
#ifndef W2N_TEST_SETJMP_H
#define W2N_TEST_SETJMP_H

typedef struct {
    void *invocation;
    unsigned label;
    void *arg_env;
    int arg_val;
} jmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);

#endif
