// Pixel kernels for observation preprocessing: grayscale, resize, max-pool, over packed, row-major uint8 images
// (H × W × C, channels interleaved). They write into memory the caller owns; only AreaResizer allocates (its
// tables, once). The N-API face is frame_ops_wrap.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rgym {

// Images may have 1 to kMaxChannels interleaved channels (gray, gray + alpha, RGB, RGBA).
constexpr unsigned kMaxChannels = 4;

// Gray of packed RGB24 with ITU-R BT.601 weights (0.299, 0.587, 0.114) in 14-bit fixed point, rounded to nearest,
// as OpenCV's RGB2GRAY does; the weights sum to exactly 1, so white stays 255. `src` holds 3 × `pixels` bytes.
// `src` and `dst` must not overlap.
void rgbToGray(const uint8_t* src, uint8_t* dst, size_t pixels);

// Where one output pixel of an area resize reads along one axis, in units of 1/dstLen source pixel: source pixels
// `first` to `last`, the first weighing `firstWeight`, the last `lastWeight` (when it is another pixel), the ones
// between dstLen each.
struct Span {
  uint32_t first, last;
  uint32_t firstWeight, lastWeight;
};

// Area resampling (OpenCV's INTER_AREA): every output pixel is the mean of the source rectangle it covers, each
// source pixel weighted by the fraction of it inside that rectangle. Exact in integers, rounded half up. Downscaling
// by an integer factor is a plain box average; upscaling blends the (at most two) source pixels an output pixel
// straddles. The tap tables and scratch are made once, so apply() only computes: make one per frame size.
class AreaResizer {
 public:
  AreaResizer(unsigned srcW, unsigned srcH, unsigned dstW, unsigned dstH, unsigned channels);
  // `src` is srcH × srcW × channels, `dst` dstH × dstW × channels; they must not overlap.
  void apply(const uint8_t* src, uint8_t* dst);

 private:
  unsigned srcW_, srcH_, dstW_, dstH_, channels_;
  std::vector<Span> rows_;
  uint32_t taps_ = 1;                  // source columns every output column reads
  std::vector<uint32_t> tapStart_;     // per output column: its first source column
  std::vector<uint32_t> tapWeights_;   // per output column: taps_ weights, zero-padded
  std::vector<uint32_t> scratch_;
  uint64_t area_ = 1, reciprocal_ = 1;
  // round(sum / area_) by one multiply; exact while area_ <= 2^24 (see the constructor).
  uint8_t divideByReciprocal(uint64_t sum) const {
    return static_cast<uint8_t>((static_cast<unsigned __int128>(sum + area_ / 2) * reciprocal_) >> 56);
  }
};

// Bilinear resampling with OpenCV's INTER_LINEAR conventions: pixel centres aligned (x_src = (x + 0.5) · srcW /
// dstW − 0.5), edges clamped, 11-bit fixed-point weights, rounded to nearest. `src` and `dst` must not overlap.
void resizeBilinear(const uint8_t* src, unsigned srcW, unsigned srcH, unsigned channels, uint8_t* dst, unsigned dstW,
                    unsigned dstH);

// dst[i] = max(a[i], b[i]) for i < n. `dst` may be `a` or `b` itself (in-place), but must not partly overlap them.
void maxPool(const uint8_t* a, const uint8_t* b, uint8_t* dst, size_t n);

}  // namespace rgym
