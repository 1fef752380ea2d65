// Absolute addresses in a system's own numbering (stable-retro's: SNES 0x7E0000 = WRAM, NES 0x0000 = RAM, ...)
// mapped onto the memory regions a core exposes. The blocks come from the core descriptor (cores/<system>.json).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "errors.h"

namespace rgym {

struct AddressBlock {
  uint64_t start = 0;   // first bus address of the block
  uint64_t length = 0;  // bytes
  uint8_t* data = nullptr;  // host memory backing `start`
};

class AddressSpace {
 public:
  void clear() { blocks_.clear(); }
  void add(const AddressBlock& block) { blocks_.push_back(block); }
  const std::vector<AddressBlock>& blocks() const { return blocks_; }

  // Host pointer for `length` contiguous bytes at `address`, or nullptr when any of them is unmapped.
  uint8_t* resolve(uint64_t address, size_t length) const {
    for (const AddressBlock& block : blocks_) {
      if (address >= block.start && address - block.start + length <= block.length) {
        return block.data + (address - block.start);
      }
    }
    return nullptr;
  }

  // As resolve(), but an unmapped range is an ADDRESS_UNMAPPED error.
  uint8_t* require(uint64_t address, size_t length) const {
    uint8_t* data = resolve(address, length);
    if (data == nullptr) {
      throw EmulatorError("ADDRESS_UNMAPPED", "address " + std::to_string(address) + " (+" + std::to_string(length) +
                                                  " bytes) is not mapped to any memory the core exposes");
    }
    return data;
  }

 private:
  std::vector<AddressBlock> blocks_;
};

}  // namespace rgym
