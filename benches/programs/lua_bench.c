/* Lua driver: runs the embedded script lua_bench.lua (recursion, floating point, strings, table
 * sorting, closures and metatables) in a fresh Lua state with the base, table, string, math and
 * utf8 libraries, and prints what the script prints. */
#include <stdio.h>
#include <stdlib.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

/* #embed is C23; clang 19 accepts it in every mode. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc23-extensions"
static const char script[] = {
#embed "lua_bench.lua"
    , 0};
#pragma clang diagnostic pop

int main(void) {
    lua_State *L = luaL_newstate();
    if (!L) return 2;
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base},        {LUA_TABLIBNAME, luaopen_table},
        {LUA_STRLIBNAME, luaopen_string}, {LUA_MATHLIBNAME, luaopen_math},
        {LUA_UTF8LIBNAME, luaopen_utf8},  {NULL, NULL},
    };
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    if (luaL_loadbufferx(L, script, sizeof script - 1, "=lua_bench.lua", "t") != LUA_OK ||
        lua_pcall(L, 0, 0, 0) != LUA_OK) {
        fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
        return 1;
    }
    lua_close(L);
    return 0;
}
