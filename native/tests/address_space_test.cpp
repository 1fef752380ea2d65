// Bus addresses onto core memory, without a core: plain blocks, blocks a core keeps as host-order words (Genesis
// and 32X 68000 RAM), data.json variables decoded through both, and unmapped ranges refused.
#include "address_space.h"

#include <cstdint>
#include <vector>

#include "check.h"
#include "variables.h"

using rgym::AddressBlock;
using rgym::AddressSpace;
using rgym::Variable;
using rgym::VariableSet;
using rgym::VariableType;

namespace {

Variable variable(const char* name, uint64_t address, const char* type) {
  Variable v;
  v.name = name;
  v.address = address;
  v.type = VariableType::parse(type);
  return v;
}

}  // namespace

TEST("a plain block maps bus bytes one to one, and refuses ranges that leave it") {
  std::vector<uint8_t> ram(16);
  for (size_t i = 0; i < ram.size(); ++i) ram[i] = static_cast<uint8_t>(i);
  AddressSpace space;
  space.add({0x7e0000, ram.size(), ram.data()});
  uint8_t out[4];
  space.require(0x7e0004, 4).read(out, 4);
  CHECK(out[0] == 4 && out[3] == 7);
  CHECK(!space.locate(0x7e000e, 4));
  CHECK(!space.locate(0x7dffff, 1));
  CHECK_THROWS_CODE(space.require(0x7e0010, 1), "ADDRESS_UNMAPPED");
}

TEST("a block of host-order 16-bit words reads and writes in bus (big-endian) order") {
  // The core's buffer as a little-endian host keeps the 68000's words 0x1234 and 0xabcd.
  const uint16_t words[2] = {0x1234, 0xabcd};
  std::vector<uint8_t> ram(4);
  std::memcpy(ram.data(), words, 4);
  AddressSpace space;
  space.add({0xff0000, ram.size(), ram.data(), 2});
  uint8_t bus[4];
  space.require(0xff0000, 4).read(bus, 4);
  CHECK(bus[0] == 0x12 && bus[1] == 0x34 && bus[2] == 0xab && bus[3] == 0xcd);
  // An odd start crosses words: bus bytes 1..2 are 0x34 0xab.
  space.require(0xff0001, 2).read(bus, 2);
  CHECK(bus[0] == 0x34 && bus[1] == 0xab);
  const uint8_t value[2] = {0x56, 0x78};
  space.require(0xff0002, 2).write(value, 2);
  uint16_t after;
  std::memcpy(&after, ram.data() + 2, 2);
  CHECK(after == 0x5678);
}

TEST("data.json variables decode bus order from a word-swapped block like from a plain one") {
  // The same big-endian machine memory, once as bytes in bus order and once as a core's host-order words.
  const uint8_t machine[8] = {0x01, 0x02, 0x80, 0x00, 0x12, 0x34, 0x56, 0x78};
  std::vector<uint8_t> plain(machine, machine + 8), swapped(8);
  for (size_t i = 0; i < 8; ++i) swapped[i ^ 1] = machine[i];
  AddressSpace plainSpace, swappedSpace;
  plainSpace.add({0, 8, plain.data()});
  swappedSpace.add({0, 8, swapped.data(), 2});
  const auto make = [] {
    return std::vector<Variable>{variable("b0", 0, "|u1"), variable("b1", 1, "|u1"), variable("w", 0, ">u2"),
                                 variable("neg", 2, ">i2"), variable("odd", 3, ">u2"), variable("l", 4, ">u4"),
                                 variable("bcd", 5, ">d2")};
  };
  VariableSet fromPlain, fromSwapped;
  fromPlain.bind(make(), plainSpace);
  fromSwapped.bind(make(), swappedSpace);
  int64_t a[7], b[7];
  fromPlain.readAll(a);
  fromSwapped.readAll(b);
  for (int i = 0; i < 7; ++i) CHECK(a[i] == b[i]);
  CHECK(b[0] == 0x01 && b[1] == 0x02 && b[2] == 0x0102 && b[3] == -32768 && b[4] == 0x0012 && b[5] == 0x12345678);
  fromSwapped[5].write(0x0a0b0c0d);
  CHECK(swapped[4] == 0x0b && swapped[5] == 0x0a && swapped[6] == 0x0d && swapped[7] == 0x0c);
}

TEST("a variable outside the mapped memory is refused by name") {
  std::vector<uint8_t> ram(4);
  AddressSpace space;
  space.add({0, 4, ram.data(), 2});
  VariableSet set;
  CHECK_THROWS_CODE(set.bind({variable("far", 3, ">u2")}, space), "ADDRESS_UNMAPPED");
}

int main() { return check::runAll(); }
