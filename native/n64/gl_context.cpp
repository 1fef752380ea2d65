#include "gl_context.h"

#include <dlfcn.h>

#include <cstdio>

#include "../errors.h"

namespace rgym::n64 {

const char* const kEglPackages = "libegl1 libegl-mesa0 libgl1-mesa-dri";

namespace {

// The few EGL and GL values we use (Khronos registry), so building needs no EGL or GL headers.
using EGLint = int32_t;
constexpr EGLint kEglNone = 0x3038;
constexpr EGLint kEglAlphaSize = 0x3021, kEglBlueSize = 0x3022, kEglGreenSize = 0x3023, kEglRedSize = 0x3024;
constexpr EGLint kEglDepthSize = 0x3025, kEglSurfaceType = 0x3033, kEglRenderableType = 0x3040;
constexpr EGLint kEglPbufferBit = 0x0001, kEglOpenGlBit = 0x0008, kEglHeight = 0x3056, kEglWidth = 0x3057;
constexpr unsigned kEglOpenGlApi = 0x30A2, kEglPlatformSurfacelessMesa = 0x31DD;

constexpr unsigned kGlUnsignedByte = 0x1401, kGlBgra = 0x80E1, kGlBack = 0x0405, kGlReadBuffer = 0x0C02;
constexpr unsigned kGlPackAlignment = 0x0D05, kGlPixelPackBuffer = 0x88EB, kGlPixelPackBufferBinding = 0x88ED;
constexpr unsigned kGlReadFramebuffer = 0x8CA8, kGlReadFramebufferBinding = 0x8CAA;

}  // namespace

struct GlContext::Egl {
  void* (*getPlatformDisplay)(unsigned, void*, const intptr_t*);
  unsigned (*initialize)(void*, EGLint*, EGLint*);
  unsigned (*bindApi)(unsigned);
  unsigned (*chooseConfig)(void*, const EGLint*, void**, EGLint, EGLint*);
  void* (*createPbufferSurface)(void*, void*, const EGLint*);
  void* (*createContext)(void*, void*, void*, const EGLint*);
  unsigned (*makeCurrent)(void*, void*, void*, void*);
  unsigned (*destroySurface)(void*, void*);
  unsigned (*destroyContext)(void*, void*);
  unsigned (*releaseThread)();
  EGLint (*getError)();
  void* (*getProcAddress)(const char*);
  // GL, for reading the picture back.
  void (*readPixels)(int, int, int, int, unsigned, unsigned, void*);
  void (*getIntegerv)(unsigned, int*);
  void (*bindFramebuffer)(unsigned, unsigned);
  void (*bindBuffer)(unsigned, unsigned);
  void (*pixelStorei)(unsigned, int);
  void (*readBuffer)(unsigned);
};

GlContext::GlContext() : egl_(std::make_unique<Egl>()) {
  // Never closed: EGL and Mesa stay loaded for every emulator of the process (see ~GlContext).
  library_ = dlopen("libEGL.so.1", RTLD_NOW | RTLD_LOCAL);
  if (library_ == nullptr) {
    const char* reason = dlerror();
    throw EmulatorError("CORE_NOT_FOUND", std::string("libEGL.so.1 could not be loaded (") +
                                              (reason != nullptr ? reason : "dlopen failed") +
                                              "): GL video needs Mesa's EGL, install it with `sudo apt-get install " +
                                              kEglPackages + "`");
  }
  auto load = [this](const char* name) {
    void* symbol = dlsym(library_, name);
    if (symbol == nullptr) throw EmulatorError("CORE_LOAD_FAILED", std::string("libEGL.so.1 has no ") + name);
    return symbol;
  };
  egl_->getPlatformDisplay = reinterpret_cast<decltype(egl_->getPlatformDisplay)>(load("eglGetPlatformDisplay"));
  egl_->initialize = reinterpret_cast<decltype(egl_->initialize)>(load("eglInitialize"));
  egl_->bindApi = reinterpret_cast<decltype(egl_->bindApi)>(load("eglBindAPI"));
  egl_->chooseConfig = reinterpret_cast<decltype(egl_->chooseConfig)>(load("eglChooseConfig"));
  egl_->createPbufferSurface = reinterpret_cast<decltype(egl_->createPbufferSurface)>(load("eglCreatePbufferSurface"));
  egl_->createContext = reinterpret_cast<decltype(egl_->createContext)>(load("eglCreateContext"));
  egl_->makeCurrent = reinterpret_cast<decltype(egl_->makeCurrent)>(load("eglMakeCurrent"));
  egl_->destroySurface = reinterpret_cast<decltype(egl_->destroySurface)>(load("eglDestroySurface"));
  egl_->destroyContext = reinterpret_cast<decltype(egl_->destroyContext)>(load("eglDestroyContext"));
  egl_->releaseThread = reinterpret_cast<decltype(egl_->releaseThread)>(load("eglReleaseThread"));
  egl_->getError = reinterpret_cast<decltype(egl_->getError)>(load("eglGetError"));
  egl_->getProcAddress = reinterpret_cast<decltype(egl_->getProcAddress)>(load("eglGetProcAddress"));
}

// The context and pbuffer went with quit() on the emulation thread. The display stays initialised: EGL shares it
// between every emulator of the process, and terminating it would pull the contexts of the others away.
GlContext::~GlContext() = default;

bool GlContext::fail(const std::string& what, const std::string& hint) {
  char code[16];
  std::snprintf(code, sizeof(code), "0x%04X", static_cast<unsigned>(egl_->getError()));
  lastError_ = what + " failed (EGL error " + code + ")" + hint;
  return false;
}

bool GlContext::init() {
  if (display_ != nullptr) return true;
  display_ = egl_->getPlatformDisplay(kEglPlatformSurfacelessMesa, nullptr, nullptr);
  const std::string install = std::string(" (Mesa's EGL: sudo apt-get install ") + kEglPackages + ")";
  if (display_ == nullptr) return fail("eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA)", install);
  EGLint major = 0, minor = 0;
  if (!egl_->initialize(display_, &major, &minor)) {
    display_ = nullptr;
    return fail("eglInitialize on Mesa's surfaceless platform", install);
  }
  if (!egl_->bindApi(kEglOpenGlApi)) return fail("eglBindAPI(EGL_OPENGL_API)");
  return true;
}

bool GlContext::setVideoMode(int width, int height) {
  if (display_ == nullptr && !init()) return false;
  if (width <= 0 || height <= 0 || width > 4096 || height > 4096) {
    lastError_ = "the plugin asked for a " + std::to_string(width) + "x" + std::to_string(height) + " picture";
    return false;
  }
  if (config_ == nullptr) {
    const EGLint attributes[] = {kEglSurfaceType, kEglPbufferBit, kEglRenderableType, kEglOpenGlBit, kEglRedSize, 8,
                                 kEglGreenSize, 8, kEglBlueSize, 8, kEglAlphaSize, 0, kEglDepthSize, depthBits_, kEglNone};
    EGLint found = 0;
    if (!egl_->chooseConfig(display_, attributes, &config_, 1, &found) || found == 0) {
      config_ = nullptr;
      return fail("eglChooseConfig (an OpenGL pbuffer config)");
    }
  }
  egl_->bindApi(kEglOpenGlApi);  // per thread: this is the emulation thread
  if (context_ == nullptr) {
    const EGLint none[] = {kEglNone};
    context_ = egl_->createContext(display_, config_, nullptr, none);
    if (context_ == nullptr) return fail("eglCreateContext (OpenGL)");
  }
  destroySurface();
  const EGLint size[] = {kEglWidth, width, kEglHeight, height, kEglNone};
  surface_ = egl_->createPbufferSurface(display_, config_, size);
  if (surface_ == nullptr) return fail("eglCreatePbufferSurface");
  if (!egl_->makeCurrent(display_, surface_, surface_, context_)) return fail("eglMakeCurrent");
  width_ = width;
  height_ = height;
  rows_.assign(static_cast<size_t>(width) * height, 0);
  egl_->readPixels = reinterpret_cast<decltype(egl_->readPixels)>(procAddress("glReadPixels"));
  egl_->getIntegerv = reinterpret_cast<decltype(egl_->getIntegerv)>(procAddress("glGetIntegerv"));
  egl_->bindFramebuffer = reinterpret_cast<decltype(egl_->bindFramebuffer)>(procAddress("glBindFramebuffer"));
  egl_->bindBuffer = reinterpret_cast<decltype(egl_->bindBuffer)>(procAddress("glBindBuffer"));
  egl_->pixelStorei = reinterpret_cast<decltype(egl_->pixelStorei)>(procAddress("glPixelStorei"));
  egl_->readBuffer = reinterpret_cast<decltype(egl_->readBuffer)>(procAddress("glReadBuffer"));
  if (!egl_->readPixels || !egl_->getIntegerv || !egl_->bindFramebuffer || !egl_->bindBuffer || !egl_->pixelStorei ||
      !egl_->readBuffer) {
    lastError_ = "the GL context lacks glReadPixels or glBindFramebuffer";
    return false;
  }
  lastError_.clear();
  return true;
}

void* GlContext::procAddress(const char* name) const { return egl_->getProcAddress(name); }

void GlContext::destroySurface() {
  if (surface_ == nullptr) return;
  egl_->makeCurrent(display_, nullptr, nullptr, nullptr);
  egl_->destroySurface(display_, surface_);
  surface_ = nullptr;
}

void GlContext::quit() {
  if (display_ == nullptr) return;
  destroySurface();
  if (context_ != nullptr) egl_->destroyContext(display_, context_);
  context_ = nullptr;
  egl_->releaseThread();
}

bool GlContext::readPicture(uint32_t* xrgb, unsigned width, unsigned height) {
  if (context_ == nullptr || surface_ == nullptr) return false;
  // Read the pbuffer itself, whatever framebuffer or pack buffer the plugin has bound, and leave its state as it was.
  int readFramebuffer = 0, packBuffer = 0, alignment = 4, readBuffer = kGlBack;
  egl_->getIntegerv(kGlReadFramebufferBinding, &readFramebuffer);
  egl_->getIntegerv(kGlPixelPackBufferBinding, &packBuffer);
  egl_->getIntegerv(kGlPackAlignment, &alignment);
  egl_->bindFramebuffer(kGlReadFramebuffer, 0);
  egl_->getIntegerv(kGlReadBuffer, &readBuffer);
  egl_->bindBuffer(kGlPixelPackBuffer, 0);
  egl_->pixelStorei(kGlPackAlignment, 4);
  egl_->readBuffer(kGlBack);
  egl_->readPixels(0, 0, width_, height_, kGlBgra, kGlUnsignedByte, rows_.data());
  egl_->readBuffer(static_cast<unsigned>(readBuffer));
  egl_->pixelStorei(kGlPackAlignment, alignment);
  egl_->bindBuffer(kGlPixelPackBuffer, static_cast<unsigned>(packBuffer));
  egl_->bindFramebuffer(kGlReadFramebuffer, static_cast<unsigned>(readFramebuffer));
  // GL's rows go bottom to top; BGRA bytes are 0xAARRGGBB words on a little-endian host. Nearest sample when the
  // plugin draws at another size than ours.
  for (unsigned y = 0; y < height; y++) {
    const size_t sourceRow = static_cast<size_t>(height_ - 1 - static_cast<int>(y * height_ / height)) * width_;
    for (unsigned x = 0; x < width; x++) {
      xrgb[y * width + x] = rows_[sourceRow + x * width_ / width] & 0x00FFFFFFu;
    }
  }
  return true;
}

}  // namespace rgym::n64
