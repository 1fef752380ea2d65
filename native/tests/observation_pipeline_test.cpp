// The observation pipeline against reference decoders written here from libretro's pixel formats: the core's own
// picture (any size, rows cut to the target, max-pooled with the held frame only when sizes match) and
// preprocessed observations (fixed size, gray, area resize, a size change refused).
#include "observation_pipeline.h"

#include <algorithm>
#include <cstring>

#include "check.h"

using rgym::FrameTarget;
using rgym::ObservationPipeline;
using rgym::ObservationSpec;
using rgym::PixelFormat;
using rgym::RawFrame;

namespace {

constexpr PixelFormat kFormats[] = {PixelFormat::XRGB8888, PixelFormat::RGB565, PixelFormat::RGB1555};

unsigned bytesPerPixel(PixelFormat f) { return f == PixelFormat::XRGB8888 ? 4 : 2; }

// A core's picture: random pixels, rows `pitch` bytes apart with padding a decoder must not read into the picture.
struct CoreFrame {
  CoreFrame(PixelFormat format, unsigned width, unsigned height, uint32_t seed)
      : format(format), width(width), height(height), pitch(size_t{width} * bytesPerPixel(format) + 24),
        bytes(pitch * height, 0xab) {
    uint32_t state = seed * 2654435761u + 1;
    for (unsigned y = 0; y < height; ++y) {
      for (size_t x = 0; x < size_t{width} * bytesPerPixel(format); ++x) {
        state = state * 1664525u + 1013904223u;
        bytes[y * pitch + x] = static_cast<uint8_t>(state >> 24);
      }
    }
  }
  RawFrame raw() const { return RawFrame{bytes.data(), width, height, pitch, format}; }

  // Reference RGB24 of pixel (x, y): 5- and 6-bit channels widened by bit replication.
  void rgb(unsigned x, unsigned y, uint8_t out[3]) const {
    const uint8_t* p = bytes.data() + y * pitch + size_t{x} * bytesPerPixel(format);
    auto w5 = [](unsigned v) { return static_cast<uint8_t>((v << 3) | (v >> 2)); };
    auto w6 = [](unsigned v) { return static_cast<uint8_t>((v << 2) | (v >> 4)); };
    if (format == PixelFormat::XRGB8888) {
      out[0] = p[2], out[1] = p[1], out[2] = p[0];  // little-endian 0xXXRRGGBB
      return;
    }
    const unsigned v = p[0] | (p[1] << 8);
    if (format == PixelFormat::RGB565) {
      out[0] = w5(v >> 11), out[1] = w6((v >> 5) & 63), out[2] = w5(v & 31);
    } else {
      out[0] = w5((v >> 10) & 31), out[1] = w5((v >> 5) & 31), out[2] = w5(v & 31);
    }
  }
  std::vector<uint8_t> rgb24(unsigned rows) const {
    std::vector<uint8_t> out(size_t{width} * rows * 3);
    for (unsigned y = 0; y < rows; ++y)
      for (unsigned x = 0; x < width; ++x) rgb(x, y, &out[(size_t{y} * width + x) * 3]);
    return out;
  }
  std::vector<uint8_t> rgb24() const { return rgb24(height); }
  // BT.601 gray in 14-bit fixed point, rounded.
  std::vector<uint8_t> gray() const {
    const std::vector<uint8_t> c = rgb24();
    std::vector<uint8_t> out(size_t{width} * height);
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>((4899 * c[3 * i] + 9617 * c[3 * i + 1] + 1868 * c[3 * i + 2] + 8192) >> 14);
    return out;
  }

  PixelFormat format;
  unsigned width, height;
  size_t pitch;
  std::vector<uint8_t> bytes;
};

std::vector<uint8_t> maxOf(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  for (size_t i = 0; i < a.size(); ++i) a[i] = std::max(a[i], b[i]);
  return a;
}

// The first `n` bytes of a target buffer.
std::vector<uint8_t> head(const std::vector<uint8_t>& buffer, size_t n) { return std::vector<uint8_t>(buffer.begin(), buffer.begin() + n); }

}  // namespace

TEST("the core's own picture: each pixel format as RGB24, at the frame's size") {
  for (PixelFormat format : kFormats) {
    std::vector<uint8_t> target(600 * 300 * 3);
    ObservationPipeline picture(FrameTarget{target.data(), target.size()});
    CHECK(picture.width() == 0 && picture.height() == 0);
    const CoreFrame frame(format, 256, 224, 1);
    picture.show(frame.raw(), false);
    CHECK(picture.width() == 256 && picture.height() == 224);
    CHECK(head(target, 256 * 224 * 3) == frame.rgb24());
  }
}

TEST("the core's own picture: max-pooled with the held frame, which one show uses up") {
  for (PixelFormat format : kFormats) {
    std::vector<uint8_t> target(64 * 48 * 3);
    ObservationPipeline picture(FrameTarget{target.data(), target.size()});
    const CoreFrame a(format, 64, 48, 2), b(format, 64, 48, 3), c(format, 64, 48, 4);
    picture.hold(a.raw());
    picture.show(b.raw(), true);
    CHECK(target == maxOf(a.rgb24(), b.rgb24()));
    picture.show(c.raw(), true);  // nothing held any more
    CHECK(target == c.rgb24());
    picture.hold(a.raw());
    picture.show(b.raw(), false);  // not asked to pool
    CHECK(target == b.rgb24());
    picture.hold(a.raw());
    picture.forgetHeld();
    picture.show(c.raw(), true);
    CHECK(target == c.rgb24());
  }
}

TEST("the core's own picture follows resolution changes and pools only frames of one width") {
  std::vector<uint8_t> target(512 * 239 * 3);
  ObservationPipeline picture(FrameTarget{target.data(), target.size()});
  const CoreFrame low(PixelFormat::RGB565, 256, 224, 5), high(PixelFormat::RGB565, 512, 224, 6), high2(PixelFormat::RGB565, 512, 224, 7);
  picture.hold(low.raw());
  picture.show(high.raw(), true);  // switched to hi-res between the two frames: not pooled
  CHECK(picture.width() == 512 && picture.height() == 224);
  CHECK(head(target, 512 * 224 * 3) == high.rgb24());
  picture.hold(high.raw());
  picture.show(high2.raw(), true);
  CHECK(head(target, 512 * 224 * 3) == maxOf(high.rgb24(), high2.rgb24()));
  const CoreFrame tall(PixelFormat::RGB565, 256, 239, 8), shortFrame(PixelFormat::RGB565, 256, 224, 9);
  picture.hold(tall.raw());
  picture.show(shortFrame.raw(), true);  // same width, the held frame taller: its first rows pool
  CHECK(picture.width() == 256 && picture.height() == 224);
  CHECK(head(target, 256 * 224 * 3) == maxOf(tall.rgb24(224), shortFrame.rgb24()));
  picture.hold(shortFrame.raw());
  picture.show(tall.raw(), true);  // the held frame shorter: not pooled
  CHECK(picture.height() == 239);
  CHECK(head(target, 256 * 239 * 3) == tall.rgb24());
}

TEST("the core's own picture: rows that do not fit in the target are cut, and nothing is written past it") {
  const CoreFrame frame(PixelFormat::XRGB8888, 40, 10, 10), held(PixelFormat::XRGB8888, 40, 10, 11);
  const size_t capacity = 40 * 3 * 4 + 100;  // four rows and a bit
  std::vector<uint8_t> target(capacity + 64, 0x5a);
  ObservationPipeline picture(FrameTarget{target.data(), capacity});
  picture.hold(held.raw());
  picture.show(frame.raw(), true);
  CHECK(picture.width() == 40 && picture.height() == 4);
  CHECK(head(target, 40 * 3 * 4) == maxOf(held.rgb24(4), frame.rgb24(4)));
  CHECK(std::all_of(target.begin() + 40 * 3 * 4, target.end(), [](uint8_t b) { return b == 0x5a; }));
}

TEST("the core's own picture without a target writes nothing") {
  ObservationPipeline picture(FrameTarget{});
  const CoreFrame frame(PixelFormat::RGB1555, 16, 16, 12);
  picture.hold(frame.raw());
  picture.show(frame.raw(), true);
  picture.throwIfFailed();
  CHECK(picture.width() == 0 && picture.height() == 0);
  std::vector<uint8_t> target(16 * 16 * 3);
  picture.setTarget(FrameTarget{target.data(), target.size()});
  picture.show(frame.raw(), true);  // held nothing while it had no target
  CHECK(target == frame.rgb24());
}

TEST("preprocessed: gray, max-pooled, at a fixed size") {
  for (PixelFormat format : kFormats) {
    const CoreFrame a(format, 160, 210, 13), b(format, 160, 210, 14);
    std::vector<uint8_t> out(160 * 210);
    ObservationPipeline gray(ObservationSpec{true, 0, 0}, 160, 210, out.data());
    CHECK(gray.outputBytes() == out.size() && gray.channels() == 1);
    gray.show(a.raw(), false);
    CHECK(out == a.gray());
    gray.hold(a.raw());
    gray.show(b.raw(), true);
    CHECK(out == maxOf(a.gray(), b.gray()));  // gray of each frame, then pooled (not gray of the pooled colours)
  }
}

TEST("preprocessed: an area resize by 2 is the rounded mean of each 2x2 block") {
  const CoreFrame frame(PixelFormat::XRGB8888, 8, 6, 15);
  std::vector<uint8_t> out(4 * 3 * 3);
  ObservationPipeline half(ObservationSpec{false, 4, 3}, 8, 6, out.data());
  CHECK(half.outputBytes() == out.size());
  half.show(frame.raw(), false);
  const std::vector<uint8_t> full = frame.rgb24();
  bool same = true;
  for (unsigned y = 0; y < 3; ++y) {
    for (unsigned x = 0; x < 4; ++x) {
      for (unsigned c = 0; c < 3; ++c) {
        auto at = [&](unsigned fx, unsigned fy) { return unsigned{full[(size_t{fy} * 8 + fx) * 3 + c]}; };
        const unsigned sum = at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1);
        same = same && out[(size_t{y} * 4 + x) * 3 + c] == (sum + 2) / 4;
      }
    }
  }
  CHECK(same);
}

TEST("preprocessed: a frame of another size is refused once, and the output is left alone") {
  std::vector<uint8_t> out(256 * 224, 7);
  ObservationPipeline gray(ObservationSpec{true, 0, 0}, 256, 224, out.data());
  const CoreFrame wide(PixelFormat::RGB565, 512, 224, 16), fits(PixelFormat::RGB565, 256, 224, 17);
  gray.hold(wide.raw());
  gray.show(wide.raw(), true);
  CHECK(std::all_of(out.begin(), out.end(), [](uint8_t b) { return b == 7; }));
  CHECK_THROWS_CODE(gray.throwIfFailed(), "INVALID_ARGUMENT");
  gray.throwIfFailed();  // reported once
  gray.show(fits.raw(), true);  // the refused frame was not held, so nothing is pooled
  CHECK(out == fits.gray());
  CHECK_THROWS_CODE(ObservationPipeline(ObservationSpec{true, 0, 0}, 0, 224, out.data()), "INVALID_ARGUMENT");
}

int main() { return check::runAll(); }
