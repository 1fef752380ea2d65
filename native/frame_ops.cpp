#include "frame_ops.h"

#include <algorithm>

// The hot loops run over fixed-size blocks with non-aliasing pointers: that is the shape GCC's -O2 vectoriser
// (the "very cheap" cost model, which refuses remainder loops and run-time alias checks) turns into SIMD code.
// Each block loop is followed by a scalar loop for the remainder.

namespace rgym {
namespace {

constexpr size_t kBlock = 16;

// BT.601 luma weights × 2^14, rounded; 4899 + 9617 + 1868 = 16384.
constexpr uint32_t kLumaR = 4899;
constexpr uint32_t kLumaG = 9617;
constexpr uint32_t kLumaB = 1868;
constexpr unsigned kLumaShift = 14;

inline uint8_t luma(const uint8_t* __restrict p) {
  return static_cast<uint8_t>((kLumaR * p[0] + kLumaG * p[1] + kLumaB * p[2] + (1u << (kLumaShift - 1))) >> kLumaShift);
}

void maxInto(uint8_t* __restrict dst, const uint8_t* __restrict other, size_t n) {
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    for (size_t k = 0; k < kBlock; ++k) dst[i + k] = std::max(dst[i + k], other[i + k]);
  }
  for (; i < n; ++i) dst[i] = std::max(dst[i], other[i]);
}

void maxOf(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict dst, size_t n) {
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    for (size_t k = 0; k < kBlock; ++k) dst[i + k] = std::max(a[i + k], b[i + k]);
  }
  for (; i < n; ++i) dst[i] = std::max(a[i], b[i]);
}

// acc[i] += weight · row[i]
void accumulateRow(uint32_t* __restrict acc, const uint8_t* __restrict row, uint32_t weight, size_t n) {
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    for (size_t k = 0; k < kBlock; ++k) acc[i + k] += weight * row[i + k];
  }
  for (; i < n; ++i) acc[i] += weight * row[i];
}

// Bilinear taps along one axis for output index `d`: the two source indices and the weight of the second one in
// 1/2048ths. Computed from exact integers: x_src = ((2d + 1) · srcLen − dstLen) / (2 · dstLen).
constexpr int kCoefBits = 11;
constexpr int kCoefOne = 1 << kCoefBits;

struct Taps {
  unsigned i0, i1;
  int w1;
};

Taps bilinearTaps(unsigned d, unsigned srcLen, unsigned dstLen) {
  const int64_t num = (2 * static_cast<int64_t>(d) + 1) * srcLen - dstLen;
  const int64_t den = 2 * static_cast<int64_t>(dstLen);
  if (num <= 0) return {0, 0, 0};
  const int64_t whole = num / den;
  if (whole >= static_cast<int64_t>(srcLen) - 1) return {srcLen - 1, srcLen - 1, 0};
  const int64_t rest = num - whole * den;
  const int w1 = static_cast<int>((rest * kCoefOne + den / 2) / den);
  return {static_cast<unsigned>(whole), static_cast<unsigned>(whole) + 1, w1};
}

}  // namespace

void rgbToGray(const uint8_t* __restrict src, uint8_t* __restrict dst, size_t pixels) {
  size_t i = 0;
  for (; i + kBlock <= pixels; i += kBlock) {
    for (size_t k = 0; k < kBlock; ++k) dst[i + k] = luma(src + 3 * (i + k));
  }
  for (; i < pixels; ++i) dst[i] = luma(src + 3 * i);
}

void resizeArea(const uint8_t* src, unsigned srcW, unsigned srcH, unsigned channels, uint8_t* dst, unsigned dstW,
                unsigned dstH, uint32_t* scratch) {
  // Coordinates are in units of 1/dstH of a source row (1/dstW of a source column): output row y covers
  // [y · srcH, (y + 1) · srcH) and source row r covers [r · dstH, (r + 1) · dstH), so overlaps are integers and the
  // weights of one output pixel sum to srcW · srcH.
  const size_t rowLen = static_cast<size_t>(srcW) * channels;
  const uint64_t area = static_cast<uint64_t>(srcW) * srcH;
  for (unsigned y = 0; y < dstH; ++y) {
    const uint64_t lo = static_cast<uint64_t>(y) * srcH;
    const uint64_t hi = lo + srcH;
    std::fill(scratch, scratch + rowLen, 0u);
    for (uint64_t r = lo / dstH; r * dstH < hi; ++r) {
      const uint64_t weight = std::min(hi, (r + 1) * dstH) - std::max(lo, r * dstH);
      accumulateRow(scratch, src + r * rowLen, static_cast<uint32_t>(weight), rowLen);
    }
    uint8_t* out = dst + static_cast<size_t>(y) * dstW * channels;
    for (unsigned x = 0; x < dstW; ++x) {
      const uint64_t left = static_cast<uint64_t>(x) * srcW;
      const uint64_t right = left + srcW;
      for (unsigned c = 0; c < channels; ++c) {
        uint64_t sum = 0;
        for (uint64_t s = left / dstW; s * dstW < right; ++s) {
          const uint64_t weight = std::min(right, (s + 1) * dstW) - std::max(left, s * dstW);
          sum += weight * scratch[s * channels + c];
        }
        out[static_cast<size_t>(x) * channels + c] = static_cast<uint8_t>((sum + area / 2) / area);
      }
    }
  }
}

void resizeBilinear(const uint8_t* src, unsigned srcW, unsigned srcH, unsigned channels, uint8_t* dst, unsigned dstW,
                    unsigned dstH) {
  const size_t rowLen = static_cast<size_t>(srcW) * channels;
  constexpr int kRound = 1 << (2 * kCoefBits - 1);
  for (unsigned y = 0; y < dstH; ++y) {
    const Taps ty = bilinearTaps(y, srcH, dstH);
    const uint8_t* row0 = src + ty.i0 * rowLen;
    const uint8_t* row1 = src + ty.i1 * rowLen;
    const int wy1 = ty.w1;
    const int wy0 = kCoefOne - wy1;
    uint8_t* out = dst + static_cast<size_t>(y) * dstW * channels;
    for (unsigned x = 0; x < dstW; ++x) {
      const Taps tx = bilinearTaps(x, srcW, dstW);
      const int wx1 = tx.w1;
      const int wx0 = kCoefOne - wx1;
      const size_t o0 = static_cast<size_t>(tx.i0) * channels;
      const size_t o1 = static_cast<size_t>(tx.i1) * channels;
      for (unsigned c = 0; c < channels; ++c) {
        const int top = wx0 * row0[o0 + c] + wx1 * row0[o1 + c];
        const int bottom = wx0 * row1[o0 + c] + wx1 * row1[o1 + c];
        out[static_cast<size_t>(x) * channels + c] = static_cast<uint8_t>((wy0 * top + wy1 * bottom + kRound) >> (2 * kCoefBits));
      }
    }
  }
}

void maxPool(const uint8_t* a, const uint8_t* b, uint8_t* dst, size_t n) {
  if (dst == a) {
    if (a != b) maxInto(dst, b, n);
  } else if (dst == b) {
    maxInto(dst, a, n);
  } else {
    maxOf(a, b, dst, n);
  }
}

}  // namespace rgym
