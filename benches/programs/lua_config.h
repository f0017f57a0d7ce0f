/* Force-included (-include) into every Lua source file, natively and for wasm32-wasi alike.
 *
 * Error handling: Lua raises errors with longjmp, which wasm32-wasi only has with the
 * exception-handling proposal. The benchmark script never raises an error (nor yields from a
 * coroutine, which also unwinds), so protected calls simply run their body and a raised error ends
 * the process with the error message.
 *
 * String-hash seed: fixed instead of time- and address-based, so both builds behave the same.
 *
 * l_signalT: int (what sig_atomic_t is on both targets) spares lstate.h <signal.h>, which
 * wasi-libc only offers with -D_WASI_EMULATED_SIGNAL. */
#include <stdio.h>
#include <stdlib.h>

#define LUAI_THROW(L, c)                                                                      \
    (fprintf(stderr, "lua: error raised (this build cannot unwind): %s\n",                    \
             lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, NULL) : "(not a string)"), \
     abort())
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int
#define luai_makeseed(L) ((unsigned int)0x2f5a1c3d)
#define l_signalT int
