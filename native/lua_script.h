// Scenario scripts in embedded Lua 5.4, with stable-retro's globals:
//   data.<variable>      reads (or, assigned, writes) a RAM variable; other names are script-local values
//   data[<address>]      reads or writes one byte at an absolute address
//   scenario.frame       frames since reset; scenario.timestep = frame / 4
// Only the base, table, string and math libraries are opened: scripts cannot touch files or the process, and
// `print` goes to the log (lua_sandbox.h). Every call into the script runs under LuaLimits (lua_guard.h): over its
// instruction or time budget it fails with SCRIPT_TIMEOUT, over the state's memory cap with SCRIPT_MEMORY. Every
// touch of the Lua state happens in protected mode, so no script can make Lua abort the process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "address_space.h"
#include "lua_guard.h"
#include "variables.h"

struct lua_State;

namespace rgym {

class LuaScript {
 public:
  // Loads and runs every file in order (text chunks only: precompiled bytecode could crash the VM). Throws
  // EmulatorError SCRIPT_ERROR with Lua's "file:line: message", or SCRIPT_TIMEOUT / SCRIPT_MEMORY.
  LuaScript(const std::vector<std::string>& files, const VariableSet& variables, const AddressSpace& memory,
            const LuaLimits& limits = {});
  ~LuaScript();
  LuaScript(const LuaScript&) = delete;
  LuaScript& operator=(const LuaScript&) = delete;

  // Sets scenario.frame and scenario.timestep, written before the next function call.
  void setFrame(uint64_t frame);
  // Calls a global function with no arguments. Throws SCRIPT_ERROR if it fails or returns a non-number.
  double callNumber(const std::string& function);
  bool callBoolean(const std::string& function);
  // Throws SCRIPT_ERROR unless `function` is a global Lua function.
  void requireFunction(const std::string& function);

  // Used by the metamethods.
  const VariableSet& variables() const { return variables_; }
  const AddressSpace& memory() const { return memory_; }

 private:
  struct Operation;
  static int runOperation(lua_State* L);
  void setUp(lua_State* L);
  void writeFrame(lua_State* L);
  int definingFile(lua_State* L, int index) const;
  Operation call(const std::string& function);
  void run(Operation& op);
  [[noreturn]] void fail(int status, const Operation& op);
  std::string subject(const Operation& op) const;
  void close();

  LuaGuard guard_;  // the allocator's and the hook's state: outlives L_
  std::vector<std::string> files_;
  const VariableSet& variables_;
  const AddressSpace& memory_;
  uint64_t frame_ = 0;
  bool frameWritten_ = false;
  lua_State* L_ = nullptr;
};

}  // namespace rgym
