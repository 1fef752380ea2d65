// BT.601 gray in 14-bit fixed point, rounded to nearest, as OpenCV's RGB2GRAY computes it. Shared by the gray
// kernels that start from RGB24 (frame_ops) and from a core's own pixel formats (frame), so both agree exactly.
#pragma once

#include <cstdint>

namespace rgym {

// 0.299, 0.587 and 0.114 × 2^14, rounded; 4899 + 9617 + 1868 = 16384, so white stays 255.
constexpr uint32_t kGrayR = 4899;
constexpr uint32_t kGrayG = 9617;
constexpr uint32_t kGrayB = 1868;
constexpr unsigned kGrayShift = 14;

inline uint8_t gray(uint32_t r, uint32_t g, uint32_t b) {
  return static_cast<uint8_t>((kGrayR * r + kGrayG * g + kGrayB * b + (1u << (kGrayShift - 1))) >> kGrayShift);
}

}  // namespace rgym
