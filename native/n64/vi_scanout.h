// A software scan-out of the N64's VI framebuffer: what the VI registers say is on screen, read from RDRAM and
// converted to libretro's XRGB8888. Enough for frames the CPU draws (no RDP rendering happens without a real
// video plugin).
#pragma once

#include <cstddef>
#include <cstdint>

#include <mupen64plus/m64p_plugin.h>

namespace rgym::n64 {

// Pictures are at most 320x240 (wider framebuffers are sampled down): one size per game.
constexpr unsigned kScanoutWidth = 320, kScanoutHeight = 240;

struct ScanoutSize {
  unsigned width = 0, height = 0;
};

// The picture's size: the framebuffer's width (at most 320) and three quarters of it in lines; 0x0 when the VI is
// blanked or set to a format without pixels.
ScanoutSize scanoutSize(const GFX_INFO& gfx);

// Writes the picture as XRGB8888 into `xrgb` (room for kScanoutWidth * kScanoutHeight pixels), lines packed. Pixels past the end of RDRAM are black.
ScanoutSize scanOut(const GFX_INFO& gfx, size_t rdramSize, uint32_t* xrgb);

}  // namespace rgym::n64
