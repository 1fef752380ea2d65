// The libraries a scenario script gets: Lua's base, table, string and math, minus everything that reaches files
// or the process, with `print` sent to the log and the C functions that could loop for long without running a VM
// instruction (where the instruction hook cannot stop them) bounded up front. See lua_sandbox.cpp.
#pragma once

struct lua_State;

namespace rgym {

// Opens the libraries into `L`, a state made by LuaGuard::newState(). Call in protected mode: it allocates.
void openSandboxedLibraries(lua_State* L);

}  // namespace rgym
