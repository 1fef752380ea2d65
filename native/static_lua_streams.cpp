// The standard streams of the static Lua the addon links (scripts/private-lua.sh renames Lua's references to
// stdin/stdout/stderr to these). Hidden, so Lua's code reaches them without going through the dynamic linker.
#include <cstdio>

extern "C" {
__attribute__((visibility("hidden"))) FILE* rgym_lua_stdin = stdin;
__attribute__((visibility("hidden"))) FILE* rgym_lua_stdout = stdout;
__attribute__((visibility("hidden"))) FILE* rgym_lua_stderr = stderr;
}
