// An OpenGL context with no window and no X server: EGL on Mesa's surfaceless platform, drawing into a pbuffer (on
// llvmpipe when there is no GPU). It is what mupen64plus's video extension (VidExt) hands a GL video plugin, so
// every call but the constructor happens on the emulation thread, where the context is current.
//
// libEGL is loaded with dlopen, so our core still loads on machines without it; GL functions come through
// eglGetProcAddress.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rgym::n64 {

// Debian's packages for a surfaceless GL context on Mesa, named whenever one is missing.
extern const char* const kEglPackages;

class GlContext {
 public:
  // Loads libEGL.so.1. Throws EmulatorError CORE_NOT_FOUND naming kEglPackages when it is missing.
  GlContext();
  ~GlContext();
  GlContext(const GlContext&) = delete;
  GlContext& operator=(const GlContext&) = delete;

  // The video extension's calls. false means failed; lastError() says why.
  bool init();
  void setDepthBits(int bits) { depthBits_ = bits; }
  // Makes a pbuffer of this size, and the context (once), current on the calling thread.
  bool setVideoMode(int width, int height);
  void* procAddress(const char* name) const;
  // Releases the context from the calling thread and destroys it and the pbuffer.
  void quit();

  bool current() const { return context_ != nullptr; }
  const std::string& lastError() const { return lastError_; }
  // What the plugin drew last, read back from the pbuffer and sampled to width x height XRGB8888, top row first.
  bool readPicture(uint32_t* xrgb, unsigned width, unsigned height);

 private:
  bool fail(const std::string& what, const std::string& hint = "");
  void destroySurface();

  struct Egl;
  std::unique_ptr<Egl> egl_;
  void* library_ = nullptr;
  void* display_ = nullptr;
  void* config_ = nullptr;
  void* surface_ = nullptr;
  void* context_ = nullptr;
  int depthBits_ = 24;
  int width_ = 0, height_ = 0;
  std::vector<uint32_t> rows_;  // the pbuffer as glReadPixels returns it, bottom row first
  std::string lastError_;
};

}  // namespace rgym::n64
