// Keeps a scenario script from hanging or exhausting the process. Each call into Lua (a file's top level, a reward
// or done function) gets a budget of VM instructions and of wall-clock time, both checked by a hook that runs every
// few thousand instructions and at function calls (so C loops that call metamethods are stopped too); the whole Lua
// state gets a memory cap through its allocator. C library functions that could loop for long without running an
// instruction or calling a function (the pattern matcher, table shifts) are bounded by lua_sandbox.cpp, which
// calls stopForCost() or checkDeadline() here. No watchdog thread is needed: nothing runs unchecked for long.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

struct lua_State;
struct lua_Debug;

namespace rgym {

struct LuaLimits {
  uint64_t instructions = 10'000'000;  // VM instructions per call
  uint64_t timeoutMs = 1'000;          // wall clock per call
  uint64_t memoryBytes = 64ull << 20;  // the whole Lua state
};

// Why the current call was stopped. Sticky until the next call starts: once set, every further VM instruction
// raises again, so a script cannot pcall() its way past a limit.
enum class LuaAbort { None, Instructions, Time, CostlyCall, Closing };

class LuaGuard {
 public:
  explicit LuaGuard(const LuaLimits& limits) : limits_(limits) {}
  LuaGuard(const LuaGuard&) = delete;
  LuaGuard& operator=(const LuaGuard&) = delete;

  // A Lua state that allocates through this guard (nullptr if even that does not fit the memory cap).
  lua_State* newState();
  // Fresh budgets for one call.
  void startCall(lua_State* L);
  // Stops any Lua code still to run in `L` at its first instruction: before lua_close, which could run finalizers
  // (lua_sandbox.cpp refuses them; this holds even if one slipped through).
  void stopEverything(lua_State* L);
  // For C functions: stops the call with CostlyCall, `what` saying why (copied). Raises a Lua error: no C++ object
  // may be alive in the calling frame.
  [[noreturn]] void stopForCost(lua_State* L, const char* what);
  // For C functions that loop: stops the call (Time) once it is past its deadline.
  void checkDeadline(lua_State* L);

  LuaAbort aborted() const { return abort_; }
  const char* costlyCall() const { return costlyCall_; }
  // Whether the allocator refused memory during the current call.
  bool memoryRefused() const { return memoryRefused_; }
  const LuaLimits& limits() const { return limits_; }

  // The guard of a state made by newState().
  static LuaGuard& of(lua_State* L);

 private:
  static void* allocate(void* ud, void* ptr, size_t oldSize, size_t newSize);
  static void onHook(lua_State* L, lua_Debug* ar);
  void countInstructions(lua_State* L);
  [[noreturn]] void stop(lua_State* L, LuaAbort why);
  void hookEvery(lua_State* L, uint64_t instructions);

  LuaLimits limits_;
  size_t used_ = 0;
  bool memoryRefused_ = false;
  uint64_t instructionsLeft_ = 0;
  int hookCount_ = 0;              // instructions between two count hooks
  unsigned callsSinceClock_ = 0;  // function calls since the call hook last read the clock
  std::chrono::steady_clock::time_point deadline_;
  LuaAbort abort_ = LuaAbort::None;
  char costlyCall_[384] = {};
};

}  // namespace rgym
