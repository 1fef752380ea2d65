#include "lua_guard.h"

#include <lua.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace rgym {
namespace {

// The hook runs every this many instructions: reading the clock that often costs well under 1% of a script's time.
constexpr uint64_t kCheckEvery = 10'000;
// ... and at every function call, Lua or C, reading the clock at one call in this many.
constexpr unsigned kCallsPerClockRead = 64;
// Longer limits mean "no limit": this keeps the deadline far from overflowing the clock.
constexpr uint64_t kLongestTimeoutMs = 1ull << 40;

}  // namespace

lua_State* LuaGuard::newState() {
  lua_State* L = lua_newstate(&LuaGuard::allocate, this);
  // Nothing runs yet; the first startCall() arms the hook with a budget.
  if (L != nullptr) hookEvery(L, kCheckEvery);
  return L;
}

LuaGuard& LuaGuard::of(lua_State* L) {
  void* guard = nullptr;
  lua_getallocf(L, &guard);
  return *static_cast<LuaGuard*>(guard);
}

// Lua's allocator contract: newSize 0 frees; a shrink never fails; a refused growth returns nullptr, on which Lua
// collects garbage, retries once and then raises LUA_ERRMEM, unwinding the script cleanly.
void* LuaGuard::allocate(void* ud, void* ptr, size_t oldSize, size_t newSize) {
  auto& guard = *static_cast<LuaGuard*>(ud);
  const size_t old = ptr != nullptr ? oldSize : 0;  // for a new block, oldSize encodes its type
  if (newSize == 0) {
    std::free(ptr);
    guard.used_ -= old;
    return nullptr;
  }
  if (newSize > old && guard.used_ - old + newSize > guard.limits_.memoryBytes) {
    guard.memoryRefused_ = true;
    return nullptr;
  }
  void* block = std::realloc(ptr, newSize);
  if (block == nullptr) return nullptr;
  guard.used_ = guard.used_ - old + newSize;
  return block;
}

void LuaGuard::hookEvery(lua_State* L, uint64_t instructions) {
  hookCount_ = static_cast<int>(std::max<uint64_t>(1, std::min(instructions, kCheckEvery)));
  lua_sethook(L, &LuaGuard::onHook, LUA_MASKCOUNT | LUA_MASKCALL, hookCount_);
}

void LuaGuard::startCall(lua_State* L) {
  abort_ = LuaAbort::None;
  memoryRefused_ = false;
  costlyCall_[0] = '\0';
  instructionsLeft_ = limits_.instructions;
  deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::min(limits_.timeoutMs, kLongestTimeoutMs));
  hookEvery(L, instructionsLeft_);
}

void LuaGuard::stopEverything(lua_State* L) {
  abort_ = LuaAbort::Closing;
  hookEvery(L, 1);
}

void LuaGuard::onHook(lua_State* L, lua_Debug* ar) {
  LuaGuard& guard = of(L);
  if (guard.abort_ != LuaAbort::None) guard.stop(L, guard.abort_);
  if (ar->event == LUA_HOOKCOUNT) {
    guard.countInstructions(L);
  } else if (++guard.callsSinceClock_ == kCallsPerClockRead) {
    guard.callsSinceClock_ = 0;
    guard.checkDeadline(L);
  }
}

void LuaGuard::checkDeadline(lua_State* L) {
  if (std::chrono::steady_clock::now() > deadline_) stop(L, LuaAbort::Time);
}

void LuaGuard::countInstructions(lua_State* L) {
  const auto ran = static_cast<uint64_t>(hookCount_);
  instructionsLeft_ -= std::min(ran, instructionsLeft_);
  if (instructionsLeft_ == 0) stop(L, LuaAbort::Instructions);
  checkDeadline(L);
  // Count the last stretch exactly, so a small budget is exact.
  if (instructionsLeft_ < ran) hookEvery(L, instructionsLeft_);
}

void LuaGuard::stopForCost(lua_State* L, const char* what) {
  std::snprintf(costlyCall_, sizeof(costlyCall_), "%s", what);
  stop(L, LuaAbort::CostlyCall);
}

void LuaGuard::stop(lua_State* L, LuaAbort why) {
  abort_ = why;
  // From now on every instruction raises: a pcall() in the script catches the error, and its next instruction
  // raises it again, until the error reaches the call we made.
  if (hookCount_ != 1) hookEvery(L, 1);
  luaL_error(L, "the scenario script was stopped");
  std::abort();  // luaL_error does not return
}

}  // namespace rgym
