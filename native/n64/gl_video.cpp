#include "gl_video.h"

#include <mupen64plus/m64p_config.h>
#include <mupen64plus/m64p_frontend.h>
#include <mupen64plus/m64p_types.h>

#include "../errors.h"

namespace rgym::n64 {

namespace {

thread_local GlVideo* threadVideo = nullptr;

GlContext* context() { return threadVideo != nullptr ? &threadVideo->context() : nullptr; }
m64p_error result(bool ok) { return ok ? M64ERR_SUCCESS : M64ERR_SYSTEM_FAIL; }

// The video extension: a window is a pbuffer, full screen and captions mean nothing here.
m64p_error vidInit() { return context() != nullptr ? result(context()->init()) : M64ERR_NOT_INIT; }
m64p_error vidQuit() {
  if (context() != nullptr) context()->quit();
  return M64ERR_SUCCESS;
}
m64p_error vidListModes(m64p_2d_size* sizes, int* count) {
  if (sizes == nullptr || count == nullptr || *count < 1) return M64ERR_INPUT_INVALID;
  sizes[0] = {GlVideo::kWidth, GlVideo::kHeight};
  *count = 1;
  return M64ERR_SUCCESS;
}
m64p_error vidListRates(m64p_2d_size, int* count, int* rates) {
  if (count == nullptr || rates == nullptr || *count < 1) return M64ERR_INPUT_INVALID;
  rates[0] = 60;
  *count = 1;
  return M64ERR_SUCCESS;
}
m64p_error vidSetMode(int width, int height, int, int, int) {
  return context() != nullptr ? result(context()->setVideoMode(width, height)) : M64ERR_NOT_INIT;
}
m64p_error vidSetModeWithRate(int width, int height, int, int bits, int mode, int flags) {
  return vidSetMode(width, height, bits, mode, flags);
}
m64p_function vidGetProc(const char* name) {
  return context() != nullptr ? reinterpret_cast<m64p_function>(context()->procAddress(name)) : nullptr;
}
m64p_error vidSetAttribute(m64p_GLattr attribute, int value) {
  if (context() != nullptr && attribute == M64P_GL_DEPTH_SIZE && value > 0) context()->setDepthBits(value);
  return M64ERR_SUCCESS;
}
m64p_error vidGetAttribute(m64p_GLattr attribute, int* value) {
  if (value == nullptr) return M64ERR_INPUT_INVALID;
  switch (attribute) {
    case M64P_GL_DOUBLEBUFFER: *value = 1; return M64ERR_SUCCESS;
    case M64P_GL_RED_SIZE: case M64P_GL_GREEN_SIZE: case M64P_GL_BLUE_SIZE: *value = 8; return M64ERR_SUCCESS;
    default: return M64ERR_UNSUPPORTED;
  }
}
// A pbuffer has one buffer: what was drawn stays there for capture() to read.
// Read the picture at each swap: the plugin clears the pbuffer once it has swapped, and the VI we park on may draw
// nothing new (a game at 30 frames a second swaps every other VI), so the last swapped picture is what is shown.
m64p_error vidSwap() {
  if (threadVideo != nullptr) threadVideo->capture();
  return M64ERR_SUCCESS;
}
m64p_error vidSetCaption(const char*) { return M64ERR_SUCCESS; }
m64p_error vidToggleFullScreen() { return M64ERR_SUCCESS; }
m64p_error vidResizeWindow(int, int) { return M64ERR_SUCCESS; }
uint32_t vidDefaultFramebuffer() { return 0; }

m64p_video_extension_functions videoExtension = {
    14, vidInit, vidQuit, vidListModes, vidListRates, vidSetMode, vidSetModeWithRate, vidGetProc, vidSetAttribute,
    vidGetAttribute, vidSwap, vidSetCaption, vidToggleFullScreen, vidResizeWindow, vidDefaultFramebuffer};

}  // namespace

GlVideo::GlVideo(const std::string& pluginPath, const std::string& workDir)
    : picture_(static_cast<size_t>(kWidth) * kHeight, 0) {
  plugin_ = std::make_unique<PrivateLibrary>(pluginPath, workDir, "CORE_NOT_FOUND",
                                             ": install it with `sudo apt-get install mupen64plus-video-glide64mk2`");
}

GlVideo::~GlVideo() = default;

void GlVideo::configureCore(const PrivateLibrary& core) {
  if (core.symbol<ptr_CoreOverrideVidExt>("CoreOverrideVidExt")(&videoExtension) != M64ERR_SUCCESS) {
    throw EmulatorError("CORE_LOAD_FAILED", "mupen64plus refused our video extension (CoreOverrideVidExt)");
  }
  auto openSection = core.symbol<ptr_ConfigOpenSection>("ConfigOpenSection");
  auto setParameter = core.symbol<ptr_ConfigSetParameter>("ConfigSetParameter");
  m64p_handle section = nullptr;
  if (openSection("Video-General", &section) != M64ERR_SUCCESS) {
    throw EmulatorError("CORE_LOAD_FAILED", "mupen64plus has no Video-General configuration section");
  }
  const int width = kWidth, height = kHeight, off = 0;
  setParameter(section, "ScreenWidth", M64TYPE_INT, &width);
  setParameter(section, "ScreenHeight", M64TYPE_INT, &height);
  setParameter(section, "Fullscreen", M64TYPE_BOOL, &off);
  setParameter(section, "VerticalSync", M64TYPE_BOOL, &off);
}

void GlVideo::enterThread() { threadVideo = this; }

void GlVideo::leaveThread() {
  context_.quit();
  threadVideo = nullptr;
}

void GlVideo::capture() {
  context_.readPicture(picture_.data(), kWidth, kHeight);
  swaps_++;
}

std::string GlVideo::failure() const {
  return context_.lastError().empty() ? "the video plugin never asked for a GL context" : context_.lastError();
}

}  // namespace rgym::n64
