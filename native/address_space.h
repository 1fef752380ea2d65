// Absolute addresses in a system's own numbering (stable-retro's: SNES 0x7E0000 = WRAM, NES 0x0000 = RAM, ...)
// mapped onto the memory regions a core exposes. The blocks come from the core descriptor (cores/<system>.json).
//
// Some cores keep a big-endian machine's RAM as host-order words (Genesis and 32X cores: the 68000's RAM as 16-bit
// words), so bus byte a of such a block sits at host offset a XOR (word bytes - 1). Every access by bus address
// goes through locate(), which knows that; the raw region views stay the core's own layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "errors.h"

namespace rgym {

struct AddressBlock {
  uint64_t start = 0;   // first bus address of the block
  uint64_t length = 0;  // bytes
  uint8_t* data = nullptr;  // host memory backing `start`
  unsigned wordBytes = 1;   // >1: the core keeps the block as host-order words of this size (a power of two)
};

// Where a run of bus bytes lives: byte i of it is at base[(offset + i) ^ swapMask].
struct MemoryLocation {
  uint8_t* base = nullptr;
  uint64_t offset = 0;
  unsigned swapMask = 0;

  explicit operator bool() const { return base != nullptr; }
  uint8_t* byte(uint64_t i) const { return base + ((offset + i) ^ swapMask); }
  void read(uint8_t* out, size_t length) const {
    if (length == 0) return;  // an empty request may come with no buffer at all
    if (swapMask == 0) {
      std::memcpy(out, base + offset, length);
    } else {
      for (size_t i = 0; i < length; ++i) out[i] = *byte(i);
    }
  }
  void write(const uint8_t* in, size_t length) const {
    if (length == 0) return;
    if (swapMask == 0) {
      std::memcpy(base + offset, in, length);
    } else {
      for (size_t i = 0; i < length; ++i) *byte(i) = in[i];
    }
  }
};

class AddressSpace {
 public:
  void clear() { blocks_.clear(); }
  void add(const AddressBlock& block) { blocks_.push_back(block); }
  const std::vector<AddressBlock>& blocks() const { return blocks_; }

  // The `length` bus bytes at `address`, or an empty location when any of them is unmapped.
  MemoryLocation locate(uint64_t address, size_t length) const {
    for (const AddressBlock& block : blocks_) {
      if (address >= block.start && address - block.start + length <= block.length) {
        if (block.wordBytes > 1 && (block.length % block.wordBytes) != 0) continue;  // a swap would leave the block
        return {block.data, address - block.start, block.wordBytes > 1 ? block.wordBytes - 1 : 0u};
      }
    }
    return {};
  }

  // As locate(), but an unmapped range is an ADDRESS_UNMAPPED error.
  MemoryLocation require(uint64_t address, size_t length) const {
    const MemoryLocation location = locate(address, length);
    if (!location) {
      throw EmulatorError("ADDRESS_UNMAPPED", "address " + std::to_string(address) + " (+" + std::to_string(length) +
                                                  " bytes) is not mapped to any memory the core exposes");
    }
    return location;
  }

 private:
  std::vector<AddressBlock> blocks_;
};

}  // namespace rgym
