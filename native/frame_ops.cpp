#include "frame_ops.h"

#include <algorithm>

#include "gray.h"

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

inline uint8_t grayOf(const uint8_t* __restrict p) { return gray(p[0], p[1], p[2]); }

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
Span areaSpan(unsigned d, unsigned srcLen, unsigned dstLen) {
  const uint64_t lo = static_cast<uint64_t>(d) * srcLen;
  const uint64_t hi = lo + srcLen;
  const auto first = static_cast<uint32_t>(lo / dstLen);
  const auto last = static_cast<uint32_t>((hi - 1) / dstLen);
  if (first == last) return {first, last, srcLen, 0};
  return {first, last, static_cast<uint32_t>((static_cast<uint64_t>(first) + 1) * dstLen - lo),
          static_cast<uint32_t>(hi - static_cast<uint64_t>(last) * dstLen)};
}

// Sources up to this many pixels (4096 × 4096) keep area sums within 32 bits and divide by one multiply.
constexpr uint64_t kNarrowArea = uint64_t{1} << 24;

// round(sum / den), halves up, without a division per pixel: the quotient estimated from a reciprocal is off by at
// most one (every operand below 2^52 is an exact double), and one comparison each way corrects it.
class RoundedDivider {
 public:
  explicit RoundedDivider(uint64_t den) : den_(den), inverse_(1.0 / static_cast<double>(den)) {}
  uint8_t operator()(uint64_t sum) const {
    const uint64_t num = sum + den_ / 2;
    auto q = static_cast<uint64_t>(static_cast<double>(num) * inverse_);
    if (q * den_ > num) {
      --q;
    } else if ((q + 1) * den_ <= num) {
      ++q;
    }
    return static_cast<uint8_t>(q);
  }

 private:
  uint64_t den_;
  double inverse_;
};

// The vertical pass of one output row of an area resize: the weighted sum of its source rows, for every source
// column (vectorised).
void sumRows(const uint8_t* src, size_t rowLen, const Span& rows, unsigned dstH, uint32_t* scratch) {
  std::fill(scratch, scratch + rowLen, 0u);
  accumulateRow(scratch, src + rows.first * rowLen, rows.firstWeight, rowLen);
  for (uint32_t r = rows.first + 1; r < rows.last; ++r) accumulateRow(scratch, src + r * rowLen, dstH, rowLen);
  if (rows.last != rows.first) accumulateRow(scratch, src + rows.last * rowLen, rows.lastWeight, rowLen);
}

}  // namespace

RGYM_CLONES_SSSE3
void rgbToGray(const uint8_t* __restrict src, uint8_t* __restrict dst, size_t pixels) {
  size_t i = 0;
  for (; i + kBlock <= pixels; i += kBlock) {
    for (size_t k = 0; k < kBlock; ++k) dst[i + k] = grayOf(src + 3 * (i + k));
  }
  for (; i < pixels; ++i) dst[i] = grayOf(src + 3 * i);
}

AreaResizer::AreaResizer(unsigned srcW, unsigned srcH, unsigned dstW, unsigned dstH, unsigned channels)
    : srcW_(srcW), srcH_(srcH), dstW_(dstW), dstH_(dstH), channels_(channels), scratch_(static_cast<size_t>(srcW) * channels) {
  rows_.reserve(dstH);
  for (unsigned y = 0; y < dstH; ++y) rows_.push_back(areaSpan(y, srcH, dstH));
  // Every output column as the same number of taps, zero-padded: the horizontal pass then has no data-dependent
  // branches. A span near the right edge starts early so its taps stay inside the row.
  std::vector<Span> columns;
  for (unsigned x = 0; x < dstW; ++x) {
    columns.push_back(areaSpan(x, srcW, dstW));
    taps_ = std::max(taps_, columns.back().last - columns.back().first + 1);
  }
  // round(sum / area) as one multiply: with m = ceil(2^56 / area), (sum + area / 2) · m / 2^56 exceeds the exact
  // quotient by less than 2^32 / 2^56 <= 1 / area, too little to cross the next integer, as long as the sums (at
  // most 255 · area) stay below 2^32: area <= 2^24, every console screen. Larger sources divide the wide way.
  area_ = static_cast<uint64_t>(srcW) * srcH;
  reciprocal_ = ((uint64_t{1} << 56) + area_ - 1) / area_;
  tapStart_.resize(dstW);
  tapWeights_.assign(static_cast<size_t>(dstW) * taps_, 0);
  for (unsigned x = 0; x < dstW; ++x) {
    const Span& span = columns[x];
    const uint32_t start = std::min(span.first, srcW - taps_);
    tapStart_[x] = start;
    uint32_t* weights = &tapWeights_[static_cast<size_t>(x) * taps_];
    for (uint32_t s = span.first; s <= span.last; ++s) {
      weights[s - start] = s == span.first ? span.firstWeight : s == span.last ? span.lastWeight : dstW;
    }
  }
}

// The horizontal pass of a gray row with a tap count known at compile time: fully unrolled, no inner branches.
// Only for sources of at most 2^24 pixels, whose sums fit in 32 bits.
template <uint32_t kTaps, typename Divide>
void grayColumns(const uint32_t* sums, const uint32_t* starts, const uint32_t* weights, unsigned count, const Divide& divide, uint8_t* out) {
  for (unsigned x = 0; x < count; ++x, weights += kTaps) {
    const uint32_t* column = sums + starts[x];
    uint32_t sum = 0;
    for (uint32_t k = 0; k < kTaps; ++k) sum += weights[k] * column[k];
    out[x] = divide(sum);
  }
}

void AreaResizer::apply(const uint8_t* src, uint8_t* dst) {
  const size_t rowLen = static_cast<size_t>(srcW_) * channels_;
  const bool narrow = area_ <= kNarrowArea;
  const RoundedDivider wide(area_);
  const auto divide = [this](uint32_t sum) { return divideByReciprocal(sum); };
  for (unsigned y = 0; y < dstH_; ++y) {
    sumRows(src, rowLen, rows_[y], dstH_, scratch_.data());
    uint8_t* out = dst + static_cast<size_t>(y) * dstW_ * channels_;
    if (narrow && channels_ == 1 && taps_ <= 6) {
      // Downscales by up to 4× (every Atari-style 84 × 84 of a console screen) take this path.
      const uint32_t *starts = tapStart_.data(), *weights = tapWeights_.data();
      switch (taps_) {
        case 1: grayColumns<1>(scratch_.data(), starts, weights, dstW_, divide, out); break;
        case 2: grayColumns<2>(scratch_.data(), starts, weights, dstW_, divide, out); break;
        case 3: grayColumns<3>(scratch_.data(), starts, weights, dstW_, divide, out); break;
        case 4: grayColumns<4>(scratch_.data(), starts, weights, dstW_, divide, out); break;
        case 5: grayColumns<5>(scratch_.data(), starts, weights, dstW_, divide, out); break;
        default: grayColumns<6>(scratch_.data(), starts, weights, dstW_, divide, out); break;
      }
      continue;
    }
    for (unsigned x = 0; x < dstW_; ++x) {
      const uint32_t* weights = &tapWeights_[static_cast<size_t>(x) * taps_];
      const uint32_t* column = scratch_.data() + static_cast<size_t>(tapStart_[x]) * channels_;
      for (unsigned c = 0; c < channels_; ++c) {
        uint64_t sum = 0;  // at most 255 × srcW × srcH
        for (uint32_t k = 0; k < taps_; ++k) sum += uint64_t{weights[k]} * column[k * channels_ + c];
        *out++ = narrow ? divideByReciprocal(sum) : wide(sum);
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
