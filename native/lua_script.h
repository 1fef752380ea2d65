// Scenario scripts in embedded Lua 5.4, with stable-retro's globals:
//   data.<variable>      reads (or, assigned, writes) a RAM variable; other names are script-local values
//   data[<address>]      reads or writes one byte at an absolute address
//   scenario.frame       frames since reset; scenario.timestep = frame / 4
// Only the base, table, string and math libraries are opened: scripts cannot touch files or the process.
#pragma once

#include <string>
#include <vector>

#include "address_space.h"
#include "variables.h"

struct lua_State;

namespace rgym {

class LuaScript {
 public:
  // Loads and runs every file in order. Throws EmulatorError SCRIPT_ERROR with Lua's "file:line: message".
  LuaScript(const std::vector<std::string>& files, const VariableSet& variables, const AddressSpace& memory);
  ~LuaScript();
  LuaScript(const LuaScript&) = delete;
  LuaScript& operator=(const LuaScript&) = delete;

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
  void call(const std::string& function);
  [[noreturn]] void raise(const std::string& context);

  lua_State* L_ = nullptr;
  const VariableSet& variables_;
  const AddressSpace& memory_;
};

}  // namespace rgym
