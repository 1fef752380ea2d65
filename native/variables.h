// RAM variables of a data.json: stable-retro's type strings (`|u1`, `<i2`, `>d4`, `><u4`, ...) decoded straight
// from core memory, every step, without JS.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "address_space.h"

namespace rgym {

// One type string, parsed. Byte i of a value contributes digit(byte) * weight[i], where digit() depends on the kind
// (a plain byte, two BCD digits, or one low-nybble BCD digit) and the weights encode the byte order.
struct VariableType {
  enum class Kind { Unsigned, Signed, Bcd, LowNibbleBcd };
  Kind kind = Kind::Unsigned;
  unsigned width = 1;
  std::array<uint64_t, 8> weight{};

  // Throws EmulatorError INVALID_ARGUMENT for a malformed type string.
  static VariableType parse(const std::string& type);
  int64_t decode(const uint8_t* bytes) const;
  void encode(int64_t value, uint8_t* bytes) const;
};

struct Variable {
  std::string name;
  uint64_t address = 0;
  VariableType type;
  uint64_t mask = UINT64_MAX;
  MemoryLocation memory;  // resolved once; stable for the life of the loaded game

  int64_t read() const {
    if (memory.swapMask == 0) return masked(type.decode(memory.base + memory.offset));
    uint8_t bytes[8];
    memory.read(bytes, type.width);
    return masked(type.decode(bytes));
  }
  void write(int64_t value) const {
    uint8_t bytes[8];
    type.encode(value, bytes);
    memory.write(bytes, type.width);
  }

 private:
  int64_t masked(int64_t value) const { return static_cast<int64_t>(static_cast<uint64_t>(value) & mask); }
};

class VariableSet {
 public:
  // Resolves every variable's address once. Throws ADDRESS_UNMAPPED naming the first variable that does not fit.
  void bind(std::vector<Variable> variables, const AddressSpace& memory);
  size_t size() const { return variables_.size(); }
  const Variable& operator[](size_t i) const { return variables_[i]; }
  // Index of a variable by name, or -1.
  int indexOf(const std::string& name) const;
  void readAll(int64_t* out) const {
    for (size_t i = 0; i < variables_.size(); ++i) out[i] = variables_[i].read();
  }

 private:
  std::vector<Variable> variables_;
};

}  // namespace rgym
