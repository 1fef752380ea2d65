#include "lua_script.h"

#include <lua.hpp>

#include "errors.h"

namespace rgym {
namespace {

constexpr const char* kScriptKey = "libretro_gym.script";
constexpr const char* kLocalsKey = "libretro_gym.locals";

LuaScript* scriptOf(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kScriptKey);
  auto* script = static_cast<LuaScript*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return script;
}

uint8_t* byteAt(lua_State* L, LuaScript* script, lua_Integer address) {
  uint8_t* byte = address >= 0 ? script->memory().resolve(static_cast<uint64_t>(address), 1) : nullptr;
  if (byte == nullptr) luaL_error(L, "data[%d]: address is not mapped", static_cast<long long>(address));
  return byte;
}

// data.<name> or data[<address>]
int dataIndex(lua_State* L) {
  LuaScript* script = scriptOf(L);
  if (lua_isinteger(L, 2)) {
    lua_pushinteger(L, *byteAt(L, script, lua_tointeger(L, 2)));
    return 1;
  }
  const char* name = luaL_checkstring(L, 2);
  const int index = script->variables().indexOf(name);
  if (index >= 0) {
    lua_pushinteger(L, script->variables()[static_cast<size_t>(index)].read());
    return 1;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kLocalsKey);
  lua_getfield(L, -1, name);
  return 1;
}

int dataNewIndex(lua_State* L) {
  LuaScript* script = scriptOf(L);
  if (lua_isinteger(L, 2)) {
    *byteAt(L, script, lua_tointeger(L, 2)) = static_cast<uint8_t>(luaL_checkinteger(L, 3));
    return 0;
  }
  const char* name = luaL_checkstring(L, 2);
  const int index = script->variables().indexOf(name);
  if (index >= 0) {
    script->variables()[static_cast<size_t>(index)].write(luaL_checkinteger(L, 3));
    return 0;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kLocalsKey);
  lua_pushvalue(L, 3);
  lua_setfield(L, -2, name);
  return 0;
}

}  // namespace

LuaScript::LuaScript(const std::vector<std::string>& files, const VariableSet& variables, const AddressSpace& memory)
    : variables_(variables), memory_(memory) {
  L_ = luaL_newstate();
  if (L_ == nullptr) throw EmulatorError("SCRIPT_ERROR", "cannot create a Lua state");
  luaL_requiref(L_, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L_, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L_, LUA_STRLIBNAME, luaopen_string, 1);
  luaL_requiref(L_, LUA_MATHLIBNAME, luaopen_math, 1);
  lua_pop(L_, 4);
  // The base library can still read files; scenario scripts have no business doing so.
  for (const char* unsafe : {"dofile", "loadfile", "load", "require"}) {
    lua_pushnil(L_);
    lua_setglobal(L_, unsafe);
  }

  lua_pushlightuserdata(L_, this);
  lua_setfield(L_, LUA_REGISTRYINDEX, kScriptKey);
  lua_newtable(L_);
  lua_setfield(L_, LUA_REGISTRYINDEX, kLocalsKey);

  lua_newtable(L_);  // data
  lua_newtable(L_);  // its metatable
  lua_pushcfunction(L_, dataIndex);
  lua_setfield(L_, -2, "__index");
  lua_pushcfunction(L_, dataNewIndex);
  lua_setfield(L_, -2, "__newindex");
  lua_setmetatable(L_, -2);
  lua_setglobal(L_, "data");

  lua_newtable(L_);
  lua_setglobal(L_, "scenario");
  setFrame(0);

  try {
    for (const std::string& file : files) {
      if (luaL_loadfile(L_, file.c_str()) != LUA_OK || lua_pcall(L_, 0, 0, 0) != LUA_OK) raise("loading " + file);
    }
  } catch (...) {
    lua_close(L_);
    L_ = nullptr;
    throw;
  }
}

LuaScript::~LuaScript() {
  if (L_ != nullptr) lua_close(L_);
}

void LuaScript::raise(const std::string& context) {
  std::string message = lua_isstring(L_, -1) ? lua_tostring(L_, -1) : "unknown Lua error";
  lua_pop(L_, 1);
  throw EmulatorError("SCRIPT_ERROR", message + " (" + context + ")");
}

void LuaScript::setFrame(uint64_t frame) {
  lua_getglobal(L_, "scenario");
  if (lua_istable(L_, -1)) {
    lua_pushinteger(L_, static_cast<lua_Integer>(frame));
    lua_setfield(L_, -2, "frame");
    lua_pushinteger(L_, static_cast<lua_Integer>(frame / 4));
    lua_setfield(L_, -2, "timestep");
  }
  lua_pop(L_, 1);
}

void LuaScript::requireFunction(const std::string& function) {
  lua_getglobal(L_, function.c_str());
  const bool ok = lua_isfunction(L_, -1);
  lua_pop(L_, 1);
  if (!ok) throw EmulatorError("SCRIPT_ERROR", "the scenario names Lua function \"" + function + "\", which no script defines");
}

void LuaScript::call(const std::string& function) {
  lua_getglobal(L_, function.c_str());
  if (lua_pcall(L_, 0, 1, 0) != LUA_OK) raise("calling " + function + "()");
}

double LuaScript::callNumber(const std::string& function) {
  call(function);
  int isNumber = 0;
  const double value = lua_tonumberx(L_, -1, &isNumber);
  if (!isNumber) {
    const std::string got = luaL_typename(L_, -1);
    lua_pop(L_, 1);
    throw EmulatorError("SCRIPT_ERROR", "Lua function " + function + "() returned " + got + ", not a number");
  }
  lua_pop(L_, 1);
  return value;
}

bool LuaScript::callBoolean(const std::string& function) {
  call(function);
  // Like stable-retro, a number counts as done when positive.
  const bool value = lua_isnumber(L_, -1) ? lua_tonumber(L_, -1) > 0 : lua_toboolean(L_, -1) != 0;
  lua_pop(L_, 1);
  return value;
}

}  // namespace rgym
