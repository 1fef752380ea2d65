// Pixel kernels: turn whatever a core hands to video_refresh into packed RGB24 or gray.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rgym {

enum class PixelFormat { RGB1555 = 0, XRGB8888 = 1, RGB565 = 2 };

// A picture as a core hands it over: `height` rows of `width` pixels, `pitch` bytes apart.
struct RawFrame {
  const void* data = nullptr;
  unsigned width = 0, height = 0;
  size_t pitch = 0;
  PixelFormat format = PixelFormat::RGB1555;
};

// Converts `height` rows of `width` pixels, `pitch` bytes apart in `src`, into tightly packed RGB24 at `dst`.
// 5- and 6-bit channels are widened by bit replication, so full intensity maps to 255 exactly.
void convertToRgb24(const void* src, unsigned width, unsigned height, size_t pitch, PixelFormat format, uint8_t* dst);
inline void convertToRgb24(const RawFrame& f, uint8_t* dst) { convertToRgb24(f.data, f.width, f.height, f.pitch, f.format, dst); }

// Converts a frame into tightly packed gray, width × height bytes: exactly rgbToGray() of its convertToRgb24().
void convertToGray(const RawFrame& frame, uint8_t* dst);

}  // namespace rgym
