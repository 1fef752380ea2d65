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
// RGBA 5551 to 0RGB 8888; 5 bits to 8 repeat the top bits, so that full intensity is 255.
inline uint32_t rgb5551(uint16_t pixel) {
  const uint32_t r = (pixel >> 11) & 31, g = (pixel >> 6) & 31, b = (pixel >> 1) & 31;
  return (r << 3 | r >> 2) << 16 | (g << 3 | g >> 2) << 8 | (b << 3 | b >> 2);
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
  const size_t bytesPerPixel = truecolor ? 4 : 2;
  const size_t pitch = static_cast<size_t>(width) * bytesPerPixel;
  for (unsigned y = 0; y < size.height; y++) {
    uint32_t* out = xrgb + static_cast<size_t>(y) * size.width;
    const size_t line = origin + static_cast<size_t>(y) * step * pitch;
    const size_t lineEnd = line + (static_cast<size_t>(size.width) - 1) * step * bytesPerPixel + 4;
    if (lineEnd > rdramSize) {
      // A framebuffer running past the end of RDRAM: what lies beyond is black.
      for (unsigned x = 0; x < size.width; x++) {
        const size_t address = line + static_cast<size_t>(x) * step * bytesPerPixel;
        out[x] = address + 4 > rdramSize ? 0 : truecolor ? word(gfx.RDRAM, address & ~size_t{3}) >> 8
                                                          : rgb5551(halfword(gfx.RDRAM, address & ~size_t{1}));
      }
    } else if (truecolor) {
      for (unsigned x = 0; x < size.width; x++) out[x] = word(gfx.RDRAM, (line + x * step * 4) & ~size_t{3}) >> 8;
    } else {
      for (unsigned x = 0; x < size.width; x++) out[x] = rgb5551(halfword(gfx.RDRAM, (line + x * step * 2) & ~size_t{1}));
    }
  }
  return size;
}

}  // namespace rgym::n64
