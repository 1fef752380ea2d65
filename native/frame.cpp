#include "frame.h"

namespace rgym {
namespace {

inline uint8_t widen5(unsigned v) { return static_cast<uint8_t>((v << 3) | (v >> 2)); }
inline uint8_t widen6(unsigned v) { return static_cast<uint8_t>((v << 2) | (v >> 4)); }

void convertXrgb8888(const uint8_t* src, unsigned width, unsigned height, size_t pitch, uint8_t* dst) {
  for (unsigned y = 0; y < height; ++y) {
    const uint32_t* row = reinterpret_cast<const uint32_t*>(src + y * pitch);
    for (unsigned x = 0; x < width; ++x) {
      const uint32_t p = row[x];
      dst[0] = static_cast<uint8_t>(p >> 16);
      dst[1] = static_cast<uint8_t>(p >> 8);
      dst[2] = static_cast<uint8_t>(p);
      dst += 3;
    }
  }
}

void convertRgb565(const uint8_t* src, unsigned width, unsigned height, size_t pitch, uint8_t* dst) {
  for (unsigned y = 0; y < height; ++y) {
    const uint16_t* row = reinterpret_cast<const uint16_t*>(src + y * pitch);
    for (unsigned x = 0; x < width; ++x) {
      const unsigned p = row[x];
      dst[0] = widen5((p >> 11) & 0x1f);
      dst[1] = widen6((p >> 5) & 0x3f);
      dst[2] = widen5(p & 0x1f);
      dst += 3;
    }
  }
}

void convertRgb1555(const uint8_t* src, unsigned width, unsigned height, size_t pitch, uint8_t* dst) {
  for (unsigned y = 0; y < height; ++y) {
    const uint16_t* row = reinterpret_cast<const uint16_t*>(src + y * pitch);
    for (unsigned x = 0; x < width; ++x) {
      const unsigned p = row[x];
      dst[0] = widen5((p >> 10) & 0x1f);
      dst[1] = widen5((p >> 5) & 0x1f);
      dst[2] = widen5(p & 0x1f);
      dst += 3;
    }
  }
}

}  // namespace

void convertToRgb24(const void* src, unsigned width, unsigned height, size_t pitch, PixelFormat format, uint8_t* dst) {
  const auto* bytes = static_cast<const uint8_t*>(src);
  switch (format) {
    case PixelFormat::XRGB8888: convertXrgb8888(bytes, width, height, pitch, dst); break;
    case PixelFormat::RGB565: convertRgb565(bytes, width, height, pitch, dst); break;
    case PixelFormat::RGB1555: convertRgb1555(bytes, width, height, pitch, dst); break;
  }
}

}  // namespace rgym
