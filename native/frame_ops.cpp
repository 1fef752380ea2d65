#include "frame_ops.h"

#include <algorithm>

// The hot loops run over fixed-size blocks with non-aliasing pointers: that is the shape GCC's -O2 vectoriser
// (the "very cheap" cost model, which refuses remainder loops and run-time alias checks) turns into SIMD code.
// Each block loop is followed by a scalar loop for the remainder.

// Baseline x86-64 (SSE2) has no byte shuffle, so the stride-3 RGB loads of rgbToGray only vectorise with SSSE3;
// on ELF targets the loader picks the SSSE3 clone when the CPU has it (it halves the time of a 256×224 frame).
#if defined(__x86_64__) && defined(__ELF__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define RGYM_CLONES_SSSE3 __attribute__((target_clones("ssse3", "default")))
#endif
#endif
#ifndef RGYM_CLONES_SSSE3
#define RGYM_CLONES_SSSE3
#endif

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

// acc[i] += weight · row[i]. Weights up to 257 keep the product within 16 bits, which SSE2 multiplies natively
// (it has no 32-bit lane multiply), so that common case gets its own loop.
void accumulateRow(uint32_t* __restrict acc, const uint8_t* __restrict row, uint32_t weight, size_t n) {
  size_t i = 0;
  if (weight <= 257) {
    const auto w = static_cast<uint16_t>(weight);
    for (; i + kBlock <= n; i += kBlock) {
      for (size_t k = 0; k < kBlock; ++k) acc[i + k] += static_cast<uint16_t>(w * row[i + k]);
    }
  } else {
    for (; i + kBlock <= n; i += kBlock) {
      for (size_t k = 0; k < kBlock; ++k) acc[i + k] += weight * row[i + k];
    }
  }
  for (; i < n; ++i) acc[i] += weight * row[i];
}

// round(sum / den), rounding halves up. Numerator and denominator stay below 2^42, so both are exact doubles, and
// a non-integer quotient is at least 1/den away from the next integer, far more than the division's rounding
// error: truncating the correctly rounded double quotient gives the exact integer one.
inline uint8_t divideRounded(uint64_t sum, uint64_t den) {
  const auto num = static_cast<int64_t>(sum + den / 2);
  return static_cast<uint8_t>(static_cast<int64_t>(static_cast<double>(num) / static_cast<double>(static_cast<int64_t>(den))));
}

// Bilinear taps along one axis: source index i0 and i1 = min(i0 + 1, last), and the weight of i1 in 1/2048ths.
constexpr int kCoefBits = 11;
constexpr int kCoefOne = 1 << kCoefBits;

struct Taps {
  uint32_t i0;
  int32_t w1;
};

// For output index d the source coordinate is ((2d + 1) · srcLen − dstLen) / (2 · dstLen), computed exactly.
Taps bilinearTaps(unsigned d, unsigned srcLen, unsigned dstLen) {
  const int64_t num = (2 * static_cast<int64_t>(d) + 1) * srcLen - dstLen;
  const int64_t den = 2 * static_cast<int64_t>(dstLen);
  if (num <= 0) return {0, 0};
  const int64_t whole = num / den;
  if (whole >= static_cast<int64_t>(srcLen) - 1) return {srcLen - 1, 0};
  const int64_t rest = num - whole * den;
  return {static_cast<uint32_t>(whole), static_cast<int32_t>((rest * kCoefOne + den / 2) / den)};
}

// Output columns are processed in tiles whose horizontal taps fit in a stack array, so no call allocates.
constexpr unsigned kTapTile = 512;

// The source pixels output pixel d covers along one axis, for area resampling. Positions are measured in units of
// 1/dstLen source pixel: output d covers [d · srcLen, (d + 1) · srcLen) and source pixel s covers
// [s · dstLen, (s + 1) · dstLen), so every overlap is an integer: `firstWeight` for pixel `first`, dstLen for the
// pixels strictly between, `lastWeight` for pixel `last` (when it differs from `first`). The weights sum to srcLen.
struct Span {
  uint32_t first, last;
  uint32_t firstWeight, lastWeight;
};

Span areaSpan(unsigned d, unsigned srcLen, unsigned dstLen) {
  const uint64_t lo = static_cast<uint64_t>(d) * srcLen;
  const uint64_t hi = lo + srcLen;
  const auto first = static_cast<uint32_t>(lo / dstLen);
  const auto last = static_cast<uint32_t>((hi - 1) / dstLen);
  if (first == last) return {first, last, srcLen, 0};
  return {first, last, static_cast<uint32_t>((static_cast<uint64_t>(first) + 1) * dstLen - lo),
          static_cast<uint32_t>(hi - static_cast<uint64_t>(last) * dstLen)};
}

}  // namespace

RGYM_CLONES_SSSE3
void rgbToGray(const uint8_t* __restrict src, uint8_t* __restrict dst, size_t pixels) {
  size_t i = 0;
  for (; i + kBlock <= pixels; i += kBlock) {
    for (size_t k = 0; k < kBlock; ++k) dst[i + k] = luma(src + 3 * (i + k));
  }
  for (; i < pixels; ++i) dst[i] = luma(src + 3 * i);
}

void resizeArea(const uint8_t* src, unsigned srcW, unsigned srcH, unsigned channels, uint8_t* dst, unsigned dstW,
                unsigned dstH, uint32_t* scratch) {
  const size_t rowLen = static_cast<size_t>(srcW) * channels;
  const uint64_t area = static_cast<uint64_t>(srcW) * srcH;
  Span columns[kTapTile];
  for (unsigned x0 = 0; x0 < dstW; x0 += kTapTile) {
    const unsigned tile = std::min(kTapTile, dstW - x0);
    for (unsigned i = 0; i < tile; ++i) columns[i] = areaSpan(x0 + i, srcW, dstW);
    for (unsigned y = 0; y < dstH; ++y) {
      // Vertical pass: the weighted sum of this output row's source rows, for every source column.
      const Span rows = areaSpan(y, srcH, dstH);
      std::fill(scratch, scratch + rowLen, 0u);
      accumulateRow(scratch, src + rows.first * rowLen, rows.firstWeight, rowLen);
      for (uint32_t r = rows.first + 1; r < rows.last; ++r) accumulateRow(scratch, src + r * rowLen, dstH, rowLen);
      if (rows.last != rows.first) accumulateRow(scratch, src + rows.last * rowLen, rows.lastWeight, rowLen);
      // Horizontal pass over the column sums; inner columns all weigh dstW, so they are added first.
      uint8_t* out = dst + (static_cast<size_t>(y) * dstW + x0) * channels;
      for (unsigned i = 0; i < tile; ++i) {
        const Span& span = columns[i];
        for (unsigned c = 0; c < channels; ++c) {
          uint64_t inner = 0;
          for (uint32_t s = span.first + 1; s < span.last; ++s) inner += scratch[static_cast<size_t>(s) * channels + c];
          uint64_t sum = inner * dstW + static_cast<uint64_t>(span.firstWeight) * scratch[static_cast<size_t>(span.first) * channels + c];
          if (span.last != span.first) sum += static_cast<uint64_t>(span.lastWeight) * scratch[static_cast<size_t>(span.last) * channels + c];
          out[static_cast<size_t>(i) * channels + c] = divideRounded(sum, area);
        }
      }
    }
  }
}

void resizeBilinear(const uint8_t* src, unsigned srcW, unsigned srcH, unsigned channels, uint8_t* dst, unsigned dstW,
                    unsigned dstH) {
  const size_t rowLen = static_cast<size_t>(srcW) * channels;
  constexpr int kRound = 1 << (2 * kCoefBits - 1);
  Taps columns[kTapTile];
  for (unsigned x0 = 0; x0 < dstW; x0 += kTapTile) {
    const unsigned tile = std::min(kTapTile, dstW - x0);
    for (unsigned i = 0; i < tile; ++i) columns[i] = bilinearTaps(x0 + i, srcW, dstW);
    for (unsigned y = 0; y < dstH; ++y) {
      const Taps ty = bilinearTaps(y, srcH, dstH);
      const uint8_t* row0 = src + ty.i0 * rowLen;
      const uint8_t* row1 = src + std::min(ty.i0 + 1, srcH - 1) * rowLen;
      const int wy1 = ty.w1;
      const int wy0 = kCoefOne - wy1;
      uint8_t* out = dst + (static_cast<size_t>(y) * dstW + x0) * channels;
      for (unsigned i = 0; i < tile; ++i) {
        const int wx1 = columns[i].w1;
        const int wx0 = kCoefOne - wx1;
        const size_t o0 = static_cast<size_t>(columns[i].i0) * channels;
        const size_t o1 = static_cast<size_t>(std::min(columns[i].i0 + 1, srcW - 1)) * channels;
        for (unsigned c = 0; c < channels; ++c) {
          const int upper = wx0 * row0[o0 + c] + wx1 * row0[o1 + c];
          const int lower = wx0 * row1[o0 + c] + wx1 * row1[o1 + c];
          out[static_cast<size_t>(i) * channels + c] =
              static_cast<uint8_t>((wy0 * upper + wy1 * lower + kRound) >> (2 * kCoefBits));
        }
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
