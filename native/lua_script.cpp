#include "lua_script.h"

#include <lua.hpp>

#include <cstdio>
#include <cstring>

#include "errors.h"
#include "lua_sandbox.h"

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
  const MemoryLocation memory = address >= 0 ? script->memory().locate(static_cast<uint64_t>(address), 1) : MemoryLocation{};
  if (!memory) luaL_error(L, "data[%I]: address is not mapped", address);
  return memory.byte(0);
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

// 10000000 -> "10,000,000"
std::string grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

std::string bytes(uint64_t n) {
  constexpr uint64_t kMiB = 1 << 20;
  return n % kMiB == 0 ? grouped(n / kMiB) + " MiB" : grouped(n) + " bytes";
}

// Unreachable, as every touch of the state is protected; says why before Lua aborts, should that ever change.
int reportPanic(lua_State* L) {
  const char* message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
  std::fprintf(stderr, "libretro-gym: unprotected Lua error: %s\n", message);
  return 0;
}

}  // namespace

// One protected step: what to do and what came out. Trivially destructible, as Lua errors longjmp over its user.
struct LuaScript::Operation {
  enum class Kind { SetUp, Load, Require, Call };
  Kind kind;
  const char* name = nullptr;  // the file (Load) or the function (Require, Call)
  LuaScript* script = nullptr;
  bool isFunction = false;  // Require: the global is a function
  // Call: its result, and the file that defines the function (an index in files_, -1 if not one of ours)
  bool isNumber = false;
  double number = 0;
  bool truthy = false;
  const char* typeName = "no value";
  int file = -1;
};

LuaScript::LuaScript(const std::vector<std::string>& files, const VariableSet& variables, const AddressSpace& memory,
                     const LuaLimits& limits)
    : guard_(limits), files_(files), variables_(variables), memory_(memory) {
  L_ = guard_.newState();
  if (L_ == nullptr) throw EmulatorError("SCRIPT_MEMORY", "a Lua state does not fit in the memory limit of " + bytes(limits.memoryBytes));
  lua_atpanic(L_, reportPanic);
  try {
    Operation setUp{Operation::Kind::SetUp};
    run(setUp);
    for (const std::string& file : files_) {
      Operation load{Operation::Kind::Load, file.c_str()};
      run(load);
    }
  } catch (...) {
    close();
    throw;
  }
}

LuaScript::~LuaScript() {
  if (L_ != nullptr) close();
}

void LuaScript::close() {
  guard_.stopEverything(L_);
  lua_close(L_);
  L_ = nullptr;
}

void LuaScript::setUp(lua_State* L) {
  openSandboxedLibraries(L);
  lua_pushlightuserdata(L, this);
  lua_setfield(L, LUA_REGISTRYINDEX, kScriptKey);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kLocalsKey);

  lua_newtable(L);  // data
  lua_newtable(L);  // its metatable
  lua_pushcfunction(L, dataIndex);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, dataNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
  lua_setglobal(L, "data");

  lua_newtable(L);
  lua_setglobal(L, "scenario");
  writeFrame(L);
}

// Runs in protected mode, under the guard's budgets.
int LuaScript::runOperation(lua_State* L) {
  Operation& op = *static_cast<Operation*>(lua_touserdata(L, 1));
  LuaScript& script = *op.script;
  switch (op.kind) {
    case Operation::Kind::SetUp:
      script.setUp(L);
      break;
    case Operation::Kind::Load:
      if (luaL_loadfilex(L, op.name, "t") != LUA_OK) return lua_error(L);
      lua_call(L, 0, 0);
      break;
    case Operation::Kind::Require:
      lua_getglobal(L, op.name);
      op.isFunction = lua_isfunction(L, -1);
      break;
    case Operation::Kind::Call: {
      if (!script.frameWritten_) script.writeFrame(L);
      lua_getglobal(L, op.name);
      op.file = script.definingFile(L, -1);
      lua_call(L, 0, 1);
      int isNumber = 0;
      op.number = lua_tonumberx(L, -1, &isNumber);
      op.isNumber = isNumber != 0;
      op.truthy = lua_toboolean(L, -1) != 0;
      op.typeName = luaL_typename(L, -1);
      break;
    }
  }
  return 0;
}

void LuaScript::run(Operation& op) {
  op.script = this;
  guard_.startCall(L_);
  lua_pushcfunction(L_, &LuaScript::runOperation);
  lua_pushlightuserdata(L_, &op);
  const int status = lua_pcall(L_, 1, 0, 0);
  if (status != LUA_OK || guard_.aborted() != LuaAbort::None) fail(status, op);
}

std::string LuaScript::subject(const Operation& op) const {
  const std::string name = op.name != nullptr ? op.name : "";
  switch (op.kind) {
    case Operation::Kind::SetUp: return "setting up Lua";
    case Operation::Kind::Load: return "the top level of Lua script " + name;
    case Operation::Kind::Require: return "looking up Lua function " + name + "()";
    case Operation::Kind::Call: break;
  }
  return "Lua function " + name + "()";
}

void LuaScript::fail(int status, const Operation& op) {
  std::string message = "unknown Lua error";
  if (status != LUA_OK) {
    // lua_tostring would convert a number in place, which allocates: not outside protected mode.
    if (lua_type(L_, -1) == LUA_TSTRING) {
      message = lua_tostring(L_, -1);
    } else if (lua_type(L_, -1) == LUA_TNUMBER) {
      char number[32];
      std::snprintf(number, sizeof(number), "%.14g", lua_tonumber(L_, -1));
      message = number;
    } else {
      message = std::string("(error object is a ") + luaL_typename(L_, -1) + " value)";
    }
    lua_pop(L_, 1);
  }
  const LuaLimits& limits = guard_.limits();
  const std::string who = subject(op);
  const std::string where = op.file >= 0 ? " (" + files_[static_cast<size_t>(op.file)] + ")" : "";
  switch (guard_.aborted()) {
    case LuaAbort::Instructions:
      throw EmulatorError("SCRIPT_TIMEOUT", who + " ran over its budget of " + grouped(limits.instructions) + " instructions" + where);
    case LuaAbort::Time:
      throw EmulatorError("SCRIPT_TIMEOUT", who + " ran over its time limit of " + grouped(limits.timeoutMs) + " ms" + where);
    case LuaAbort::CostlyCall:
      throw EmulatorError("SCRIPT_TIMEOUT", who + " was stopped: " + guard_.costlyCall() + where);
    case LuaAbort::None:
    case LuaAbort::Closing:
      break;
  }
  // Lua raises LUA_ERRMEM when the allocator refuses; a loader reports it as a message instead.
  if (status == LUA_ERRMEM || (guard_.memoryRefused() && message == "not enough memory")) {
    throw EmulatorError("SCRIPT_MEMORY", who + " ran over its memory limit of " + bytes(limits.memoryBytes) + where);
  }
  const std::string name = op.name != nullptr ? op.name : "";
  switch (op.kind) {
    case Operation::Kind::Load: throw EmulatorError("SCRIPT_ERROR", message + " (loading " + name + ")");
    case Operation::Kind::Call: throw EmulatorError("SCRIPT_ERROR", message + " (calling " + name + "())");
    default: throw EmulatorError("SCRIPT_ERROR", message + " (" + who + ")");
  }
}

void LuaScript::writeFrame(lua_State* L) {
  lua_getglobal(L, "scenario");
  if (lua_istable(L, -1)) {
    lua_pushinteger(L, static_cast<lua_Integer>(frame_));
    lua_setfield(L, -2, "frame");
    lua_pushinteger(L, static_cast<lua_Integer>(frame_ / 4));
    lua_setfield(L, -2, "timestep");
  }
  lua_pop(L, 1);
  frameWritten_ = true;
}

void LuaScript::setFrame(uint64_t frame) {
  frame_ = frame;
  frameWritten_ = false;
}

// The index in files_ of the file that defines the function at `index`, or -1.
int LuaScript::definingFile(lua_State* L, int index) const {
  if (!lua_isfunction(L, index)) return -1;
  lua_Debug ar;
  lua_pushvalue(L, index);
  if (lua_getinfo(L, ">S", &ar) == 0 || ar.source == nullptr || ar.source[0] != '@') return -1;
  for (size_t i = 0; i < files_.size(); ++i) {
    if (std::strcmp(ar.source + 1, files_[i].c_str()) == 0) return static_cast<int>(i);
  }
  return -1;
}

void LuaScript::requireFunction(const std::string& function) {
  Operation op{Operation::Kind::Require, function.c_str()};
  run(op);
  if (!op.isFunction) throw EmulatorError("SCRIPT_ERROR", "the scenario names Lua function \"" + function + "\", which no script defines");
}

LuaScript::Operation LuaScript::call(const std::string& function) {
  Operation op{Operation::Kind::Call, function.c_str()};
  run(op);
  return op;
}

double LuaScript::callNumber(const std::string& function) {
  const Operation op = call(function);
  if (!op.isNumber) throw EmulatorError("SCRIPT_ERROR", "Lua function " + function + "() returned " + op.typeName + ", not a number");
  return op.number;
}

bool LuaScript::callBoolean(const std::string& function) {
  const Operation op = call(function);
  // Like stable-retro, a number counts as done when positive.
  return op.isNumber ? op.number > 0 : op.truthy;
}

}  // namespace rgym
