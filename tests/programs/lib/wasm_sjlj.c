/*
 * The runtime half of clang's wasm setjmp/longjmp lowering (LLVM 19,
 * WebAssemblyLowerEmscriptenEHSjLj with -mllvm -wasm-enable-sjlj), written for these tests
 * because Debian's wasi-libc (2022) predates wasi-libc's libsetjmp. The contract, from the LLVM
 * pass:
 *
 * - each call `setjmp(env)` becomes `__wasm_setjmp(env, label, invocation)`, where `label`
 *   (never 0) names that setjmp call site and `invocation` is unique to the running call of the
 *   function that contains it;
 * - `longjmp(env, val)` becomes `__wasm_longjmp(env, val)`, which throws the `__c_longjmp` tag
 *   (its payload is a pointer to {env, val}); clang 19 defines that tag in every object that
 *   uses it;
 * - every function with a setjmp catches `__c_longjmp` and asks
 *   `__wasm_setjmp_test(env, invocation)` for the label to resume at, 0 meaning "not one of
 *   mine, rethrow".
 */
#include <stdint.h>

#include "setjmp.h"

/* The layout of the jmp_buf declared in setjmp.h. */
struct wasm_jmp_buf {
    void *invocation;
    uint32_t label;
    struct {
        void *env; /* read by the lowered code at offset 0 of the payload */
        int val;   /* and here, at offset 4 */
    } arg;
};

_Static_assert(sizeof(struct wasm_jmp_buf) == sizeof(jmp_buf), "jmp_buf layout");

void __wasm_setjmp(void *env, uint32_t label, void *invocation) {
    struct wasm_jmp_buf *jb = env;
    jb->invocation = invocation;
    jb->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *invocation) {
    struct wasm_jmp_buf *jb = env;
    return jb->invocation == invocation ? jb->label : 0;
}

void __wasm_longjmp(void *env, int val) {
    struct wasm_jmp_buf *jb = env;
    jb->arg.env = env;
    /* C11 7.13.2.1: setjmp cannot return 0 through longjmp. */
    jb->arg.val = val == 0 ? 1 : val;
    __builtin_wasm_throw(1, &jb->arg); /* tag 1 is __c_longjmp */
}
