#include "variables.h"

#include "errors.h"

namespace rgym {
namespace {

enum class ByteOrder { Little, Big, HalvesBigWithinLittle, HalvesLittleWithinBig };

// '|' and '=' are little-endian on the hosts we build for; '<=' reduces to little and '>=' to '><', as in
// stable-retro.
ByteOrder parseOrder(const std::string& sigil, const std::string& type) {
  if (sigil == "<" || sigil == "|" || sigil == "=" || sigil == "<=") return ByteOrder::Little;
  if (sigil == ">") return ByteOrder::Big;
  if (sigil == "<>") return ByteOrder::HalvesBigWithinLittle;
  if (sigil == "><" || sigil == ">=") return ByteOrder::HalvesLittleWithinBig;
  throw EmulatorError("INVALID_ARGUMENT", "type \"" + type + "\": unknown byte order \"" + sigil + "\"");
}

}  // namespace

VariableType VariableType::parse(const std::string& type) {
  if (type.size() < 3 || type.size() > 4) {
    throw EmulatorError("INVALID_ARGUMENT", "type \"" + type + "\" is not <order><kind><width>, e.g. \"<u2\"");
  }
  VariableType t;
  const char widthChar = type.back();
  const char kindChar = type[type.size() - 2];
  if (widthChar < '1' || widthChar > '8') {
    throw EmulatorError("INVALID_ARGUMENT", "type \"" + type + "\": width must be 1 to 8 bytes");
  }
  t.width = static_cast<unsigned>(widthChar - '0');
  switch (kindChar) {
    case 'u': t.kind = Kind::Unsigned; break;
    case 'i': t.kind = Kind::Signed; break;
    case 'd': t.kind = Kind::Bcd; break;
    case 'n': t.kind = Kind::LowNibbleBcd; break;
    default: throw EmulatorError("INVALID_ARGUMENT", "type \"" + type + "\": kind must be u, i, d or n");
  }
  const ByteOrder order = parseOrder(type.substr(0, type.size() - 2), type);
  const uint64_t base = t.kind == Kind::Bcd ? 100 : t.kind == Kind::LowNibbleBcd ? 10 : 256;

  // Byte positions from least to most significant.
  std::vector<unsigned> significance;
  const unsigned w = t.width, half = w / 2;
  switch (order) {
    case ByteOrder::Little:
      for (unsigned i = 0; i < w; ++i) significance.push_back(i);
      break;
    case ByteOrder::Big:
      for (unsigned i = w; i-- > 0;) significance.push_back(i);
      break;
    case ByteOrder::HalvesBigWithinLittle:  // low half first in memory, each half big-endian
      for (unsigned i = half; i-- > 0;) significance.push_back(i);
      for (unsigned i = w; i-- > half;) significance.push_back(i);
      break;
    case ByteOrder::HalvesLittleWithinBig:  // high half first in memory, each half little-endian
      for (unsigned i = half; i < w; ++i) significance.push_back(i);
      for (unsigned i = 0; i < half; ++i) significance.push_back(i);
      break;
  }
  uint64_t weight = 1;
  for (unsigned position : significance) {
    t.weight[position] = weight;
    weight *= base;  // wraps for 8-byte plain values, which is what two's-complement decoding wants
  }
  return t;
}

int64_t VariableType::decode(const uint8_t* bytes) const {
  uint64_t value = 0;
  for (unsigned i = 0; i < width; ++i) {
    const unsigned b = bytes[i];
    unsigned digit;
    switch (kind) {
      case Kind::Bcd: digit = (b & 0xf) % 10 + ((b >> 4) % 10) * 10; break;
      case Kind::LowNibbleBcd: digit = (b & 0xf) % 10; break;
      default: digit = b; break;
    }
    value += digit * weight[i];
  }
  if (kind == Kind::Signed && width < 8) {
    const unsigned shift = 64 - 8 * width;
    return static_cast<int64_t>(value << shift) >> shift;
  }
  return static_cast<int64_t>(value);
}

void VariableType::encode(int64_t value, uint8_t* bytes) const {
  const uint64_t v = static_cast<uint64_t>(value);
  for (unsigned i = 0; i < width; ++i) {
    const uint64_t digit = weight[i] == 0 ? 0 : v / weight[i];
    switch (kind) {
      case Kind::Bcd: {
        const unsigned pair = static_cast<unsigned>(digit % 100);
        bytes[i] = static_cast<uint8_t>(((pair / 10) << 4) | (pair % 10));
        break;
      }
      case Kind::LowNibbleBcd: bytes[i] = static_cast<uint8_t>(digit % 10); break;
      default: bytes[i] = static_cast<uint8_t>(digit & 0xff); break;
    }
  }
}

void VariableSet::bind(std::vector<Variable> variables, const AddressSpace& memory) {
  for (Variable& v : variables) {
    v.memory = memory.locate(v.address, v.type.width);
    if (!v.memory) {
      throw EmulatorError("ADDRESS_UNMAPPED", "variable \"" + v.name + "\" at address " + std::to_string(v.address) +
                                                  " (" + std::to_string(v.type.width) +
                                                  " bytes) is outside the memory this core exposes");
    }
  }
  variables_ = std::move(variables);
}

int VariableSet::indexOf(const std::string& name) const {
  for (size_t i = 0; i < variables_.size(); ++i) {
    if (variables_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace rgym
