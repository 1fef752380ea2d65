#include "vi_scanout.h"

#include <algorithm>
#include <cstring>

namespace rgym::n64 {

namespace {
// RDRAM is kept as 32-bit words in host order: a big-endian byte address a lives at a ^ 3, a halfword at a ^ 2.
inline uint16_t halfword(const uint8_t* rdram, size_t address) {
  uint16_t value;
  std::memcpy(&value, rdram + (address ^ 2), 2);
  return value;
}
inline uint32_t word(const uint8_t* rdram, size_t address) {
  uint32_t value;
  std::memcpy(&value, rdram + address, 4);
  return value;
}
}  // namespace

ScanoutSize scanoutSize(const GFX_INFO& gfx) {
  const unsigned format = *gfx.VI_STATUS_REG & 3;  // 2 = RGBA 5551, 3 = RGBA 8888
  const unsigned width = *gfx.VI_WIDTH_REG & 0xFFF;
  if (format < 2 || width == 0) return {};
  // A steady 4:3 picture whatever the VI's timing says (NTSC shows 237 of a 240-line framebuffer): frames of one
  // game keep one size, which an observation space needs. Wider framebuffers are sampled down to 320 columns.
  const unsigned out = std::min(width, kScanoutWidth);
  return {out, out * 3 / 4};
}

ScanoutSize scanOut(const GFX_INFO& gfx, size_t rdramSize, uint32_t* xrgb) {
  const ScanoutSize size = scanoutSize(gfx);
  const bool truecolor = (*gfx.VI_STATUS_REG & 3) == 3;
  const size_t origin = *gfx.VI_ORIGIN_REG & 0xFFFFFF;
  const unsigned width = *gfx.VI_WIDTH_REG & 0xFFF;
  const unsigned step = std::max(1u, width / kScanoutWidth);  // 640 columns -> every other pixel and line
  const size_t pitch = static_cast<size_t>(width) * (truecolor ? 4 : 2);
  for (unsigned y = 0; y < size.height; y++) {
    uint32_t* out = xrgb + static_cast<size_t>(y) * size.width;
    const size_t line = origin + static_cast<size_t>(y) * step * pitch;
    for (unsigned x = 0; x < size.width; x++, out++) {
      const size_t address = line + static_cast<size_t>(x) * step * (truecolor ? 4 : 2);
      if (address + 4 > rdramSize) {
        *out = 0;
      } else if (truecolor) {
        *out = word(gfx.RDRAM, address & ~size_t{3}) >> 8;  // RGBA8888 -> 0RGB8888
      } else {
        const uint16_t pixel = halfword(gfx.RDRAM, address & ~size_t{1});
        // 5 bits to 8: repeat the top bits so that full intensity is 255.
        const uint32_t r = (pixel >> 11) & 31, g = (pixel >> 6) & 31, b = (pixel >> 1) & 31;
        *out = (r << 3 | r >> 2) << 16 | (g << 3 | g >> 2) << 8 | (b << 3 | b >> 2);
      }
    }
  }
  return size;
}

}  // namespace rgym::n64
