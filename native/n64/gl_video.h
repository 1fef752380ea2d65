// GL video for the N64: a private copy of Debian's glide64mk2 draws what the RDP is told (display lists through
// the RSP HLE plugin, raw RDP lists) into an EGL context of ours (GlContext), and the picture after each VI is read
// back from it. Our video shim stays the plugin the core sees and forwards every call to glide64mk2
// (rgym_video_forward), so the emulation thread still parks once per VI.
//
// mupen64plus's video extension (VidExt) gives its functions no context argument: they find the machine's
// GlVideo through a thread-local set on its emulation thread, so emulators on other threads keep their own context.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gl_context.h"
#include "private_library.h"

namespace rgym::n64 {

class GlVideo {
 public:
  // Pictures are this size whatever the plugin draws at (it is asked to draw at this size).
  static constexpr unsigned kWidth = 320, kHeight = 240;

  // Loads libEGL and a private copy of the plugin. Throws EmulatorError CORE_NOT_FOUND naming Debian's packages.
  GlVideo(const std::string& pluginPath, const std::string& workDir);
  ~GlVideo();
  GlVideo(const GlVideo&) = delete;
  GlVideo& operator=(const GlVideo&) = delete;

  // Before the plugins start: the core's video extension comes to us, and the plugin draws at kWidth x kHeight.
  void configureCore(const PrivateLibrary& core);
  const PrivateLibrary& plugin() const { return *plugin_; }

  // Emulation thread: VidExt calls on it go to this context; leaving releases the context from the thread.
  void enterThread();
  void leaveThread();
  // Emulation thread, at each buffer swap: reads the picture back (XRGB8888, kWidth x kHeight).
  void capture();
  const uint32_t* picture() const { return picture_.data(); }
  // Buffer swaps so far: pictures the plugin finished.
  uint64_t swaps() const { return swaps_; }

  // Whether the plugin got a context; why not otherwise.
  bool ready() const { return context_.current(); }
  std::string failure() const;

  GlContext& context() { return context_; }

 private:
  GlContext context_;
  std::unique_ptr<PrivateLibrary> plugin_;
  std::vector<uint32_t> picture_;
  std::atomic<uint64_t> swaps_{0};
};

}  // namespace rgym::n64
