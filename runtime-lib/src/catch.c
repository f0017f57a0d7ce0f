/* Catching traps: Rust cannot call setjmp, so this shim does.
 *
 * w2n_catch calls `tramp(code, vmctx, values)` (an array-call trampoline) and returns 0, or 1
 * if a trap unwound out of it: the runtime's signal handler (or a builtin) calls w2n_unwind,
 * which jumps back here. Nested catches (host -> wasm -> host -> wasm) each have their own
 * buffer. The signal mask is not saved (handlers run with SA_NODEFER), so a catch costs no
 * system call. */
#include <setjmp.h>
#include <stddef.h>

static __thread sigjmp_buf *w2n_jmp_buf;

int w2n_catch(void (*tramp)(void *, void *, void *), void *code, void *vmctx, void *values) {
    sigjmp_buf buf;
    sigjmp_buf *volatile prev = w2n_jmp_buf;
    if (sigsetjmp(buf, 0) != 0) {
        w2n_jmp_buf = prev;
        return 1;
    }
    w2n_jmp_buf = &buf;
    tramp(code, vmctx, values);
    w2n_jmp_buf = prev;
    return 0;
}

int w2n_catch_active(void) {
    return w2n_jmp_buf != NULL;
}

void w2n_unwind(void) {
    siglongjmp(*w2n_jmp_buf, 1);
}
