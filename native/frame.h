// Pixel kernels: turn whatever a core hands to video_refresh into packed RGB24.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rgym {

enum class PixelFormat { RGB1555 = 0, XRGB8888 = 1, RGB565 = 2 };

// Converts `height` rows of `width` pixels, `pitch` bytes apart in `src`, into tightly packed RGB24 at `dst`.
// 5- and 6-bit channels are widened by bit replication, so full intensity maps to 255 exactly.
void convertToRgb24(const void* src, unsigned width, unsigned height, size_t pitch, PixelFormat format, uint8_t* dst);

}  // namespace rgym
