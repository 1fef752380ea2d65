#include "frame.h"

#include <cstdlib>
#include <string>

#include "gray.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RGYM_X86_SIMD 1
#endif

namespace rgym {
namespace {

inline uint8_t widen5(unsigned v) { return static_cast<uint8_t>((v << 3) | (v >> 2)); }
inline uint8_t widen6(unsigned v) { return static_cast<uint8_t>((v << 2) | (v >> 4)); }

#if RGYM_X86_SIMD
// Gray of XRGB8888 pixels in 32-bit lanes: pmaddwd multiplies the 16-bit halves of each pixel, B and R in one go
// (B in the low half, R in the high), G in another, giving exactly gray()'s integer sum.
struct GraySse2 {
  __m128i lowBytes = _mm_set1_epi32(0x00ff00ff), byteMask = _mm_set1_epi32(0xff);
  __m128i weightsRB = _mm_set1_epi32(static_cast<int>((kGrayR << 16) | kGrayB)), weightG = _mm_set1_epi32(static_cast<int>(kGrayG));
  __m128i half = _mm_set1_epi32(1 << (kGrayShift - 1));
  __m128i of4(const uint32_t* p) const {
    const __m128i px = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i rb = _mm_madd_epi16(_mm_and_si128(px, lowBytes), weightsRB);
    const __m128i g = _mm_madd_epi16(_mm_and_si128(_mm_srli_epi32(px, 8), byteMask), weightG);
    return _mm_srli_epi32(_mm_add_epi32(_mm_add_epi32(rb, g), half), kGrayShift);
  }
};

// 16 pixels per iteration with SSE2, which every x86-64 has. Returns how many pixels it did.
unsigned grayXrgbSse2(const uint32_t* row, uint8_t* out, unsigned width) {
  const GraySse2 l;
  unsigned x = 0;
  for (; x + 16 <= width; x += 16) {
    const __m128i lo = _mm_packs_epi32(l.of4(row + x), l.of4(row + x + 4));
    const __m128i hi = _mm_packs_epi32(l.of4(row + x + 8), l.of4(row + x + 12));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + x), _mm_packus_epi16(lo, hi));
  }
  return x;
}

// Eight pixels' gray, as GraySse2::of4 (a function of its own: lambdas do not inherit a target attribute).
__attribute__((target("avx2"), always_inline)) inline __m256i grayOf8(const uint32_t* p) {
  const __m256i px = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i rb = _mm256_madd_epi16(_mm256_and_si256(px, _mm256_set1_epi32(0x00ff00ff)),
                                       _mm256_set1_epi32(static_cast<int>((kGrayR << 16) | kGrayB)));
  const __m256i g = _mm256_madd_epi16(_mm256_and_si256(_mm256_srli_epi32(px, 8), _mm256_set1_epi32(0xff)),
                                      _mm256_set1_epi32(static_cast<int>(kGrayG)));
  return _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(rb, g), _mm256_set1_epi32(1 << (kGrayShift - 1))), kGrayShift);
}

// 32 pixels per iteration with AVX2. Its packs work within 128-bit lanes, so the packed bytes come out in 4-pixel
// groups a0 b0 c0 d0 | a1 b1 c1 d1, which one dword permute puts in order.
__attribute__((target("avx2"))) unsigned grayXrgbAvx2(const uint32_t* row, uint8_t* out, unsigned width) {
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  unsigned x = 0;
  for (; x + 32 <= width; x += 32) {
    const __m256i ab = _mm256_packs_epi32(grayOf8(row + x), grayOf8(row + x + 8));
    const __m256i cd = _mm256_packs_epi32(grayOf8(row + x + 16), grayOf8(row + x + 24));
    const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(ab, cd), order);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + x), bytes);
  }
  return x;
}

// RGB24 of XRGB8888, 4 pixels per iteration: pshufb (SSSE3) picks R, G, B of four pixels into 12 bytes; each
// 16-byte store's last 4 bytes are overwritten by the next one, so the loop stops 2 pixels early to stay in the row.
__attribute__((target("ssse3"))) unsigned rgbXrgbSsse3(const uint32_t* row, uint8_t* out, unsigned width) {
  const __m128i order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  unsigned x = 0;
  for (; x + 6 <= width; x += 4) {
    const __m128i px = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + x));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 3 * x), _mm_shuffle_epi8(px, order));
  }
  return x;
}

// RETRO_SIMD=sse2 keeps to baseline SSE2 on newer CPUs, so tests can check that path too. These run as static
// initialisers, so the CPU model is initialised explicitly first.
const bool kBaselineOnly = std::getenv("RETRO_SIMD") != nullptr && std::string(std::getenv("RETRO_SIMD")) == "sse2";
const bool kHasAvx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2")) && !kBaselineOnly;
const bool kHasSsse3 = (__builtin_cpu_init(), __builtin_cpu_supports("ssse3")) && !kBaselineOnly;
#endif

void convertXrgb8888(const uint8_t* src, unsigned width, unsigned height, size_t pitch, uint8_t* dst) {
  for (unsigned y = 0; y < height; ++y) {
    const uint32_t* row = reinterpret_cast<const uint32_t*>(src + y * pitch);
    unsigned x = 0;
#if RGYM_X86_SIMD
    if (kHasSsse3) x = rgbXrgbSsse3(row, dst, width);
#endif
    dst += 3 * x;
    for (; x < width; ++x) {
      const uint32_t p = row[x];
      dst[0] = static_cast<uint8_t>(p >> 16);
      dst[1] = static_cast<uint8_t>(p >> 8);
      dst[2] = static_cast<uint8_t>(p);
      dst += 3;
    }
  }
}

// The two 16-bit formats differ only in where their channels sit: one decoder each, one row loop for both.
struct Rgb {
  uint8_t r, g, b;
};
inline Rgb decodeRgb565(unsigned p) { return {widen5((p >> 11) & 0x1f), widen6((p >> 5) & 0x3f), widen5(p & 0x1f)}; }
inline Rgb decodeRgb1555(unsigned p) { return {widen5((p >> 10) & 0x1f), widen5((p >> 5) & 0x1f), widen5(p & 0x1f)}; }

template <Rgb (*Decode)(unsigned)>
void convert16(const uint8_t* src, unsigned width, unsigned height, size_t pitch, uint8_t* dst) {
  for (unsigned y = 0; y < height; ++y) {
    const uint16_t* row = reinterpret_cast<const uint16_t*>(src + y * pitch);
    for (unsigned x = 0; x < width; ++x, dst += 3) {
      const Rgb c = Decode(row[x]);
      dst[0] = c.r;
      dst[1] = c.g;
      dst[2] = c.b;
    }
  }
}

template <Rgb (*Decode)(unsigned)>
void grayRow16(const uint16_t* __restrict row, uint8_t* __restrict out, unsigned width) {
  for (unsigned x = 0; x < width; ++x) {
    const Rgb c = Decode(row[x]);
    out[x] = gray(c.r, c.g, c.b);
  }
}

inline uint8_t grayXrgb(uint32_t p) { return gray((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff); }

void grayRowXrgb8888(const uint32_t* row, uint8_t* out, unsigned width) {
  unsigned x = 0;
#if RGYM_X86_SIMD
  x = kHasAvx2 ? grayXrgbAvx2(row, out, width) : grayXrgbSse2(row, out, width);
#endif
  for (; x < width; ++x) out[x] = grayXrgb(row[x]);
}

}  // namespace

void convertToRgb24(const void* src, unsigned width, unsigned height, size_t pitch, PixelFormat format, uint8_t* dst) {
  const auto* bytes = static_cast<const uint8_t*>(src);
  switch (format) {
    case PixelFormat::XRGB8888: convertXrgb8888(bytes, width, height, pitch, dst); break;
    case PixelFormat::RGB565: convert16<decodeRgb565>(bytes, width, height, pitch, dst); break;
    case PixelFormat::RGB1555: convert16<decodeRgb1555>(bytes, width, height, pitch, dst); break;
  }
}

void convertToGray(const RawFrame& frame, uint8_t* dst) {
  const auto* bytes = static_cast<const uint8_t*>(frame.data);
  for (unsigned y = 0; y < frame.height; ++y, dst += frame.width) {
    const uint8_t* row = bytes + y * frame.pitch;
    switch (frame.format) {
      case PixelFormat::XRGB8888: grayRowXrgb8888(reinterpret_cast<const uint32_t*>(row), dst, frame.width); break;
      case PixelFormat::RGB565: grayRow16<decodeRgb565>(reinterpret_cast<const uint16_t*>(row), dst, frame.width); break;
      case PixelFormat::RGB1555: grayRow16<decodeRgb1555>(reinterpret_cast<const uint16_t*>(row), dst, frame.width); break;
    }
  }
}

}  // namespace rgym
