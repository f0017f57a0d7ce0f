/* Lua's ldo.c includes <setjmp.h>, which this wasi-libc does not ship (setjmp/longjmp need the
 * wasm exception-handling proposal). lua_config.h makes Lua not use it, so on WASI an empty
 * stand-in is enough; elsewhere this forwards to the real header. Both builds use this directory. */
#if defined(__wasi__)
typedef int jmp_buf[1];
#else
#include_next <setjmp.h>
#endif
