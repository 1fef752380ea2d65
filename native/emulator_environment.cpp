// What an emulator answers when its core calls the environment: the capabilities we offer, the folders, options,
// log and timing interfaces we hand out, and what the core declares about its picture and memory. The rest of
// Emulator is in emulator.cpp.
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "core_error.h"
#include "emulator.h"

namespace rgym {
namespace {

constexpr size_t kRecentLogLines = 16;

// Messages at or above this level go to stderr. Quiet by default; RETRO_LOG=debug|info|warn|error turns it up.
int stderrLogThreshold() {
  static const int threshold = [] {
    const char* setting = std::getenv("RETRO_LOG");
    if (setting == nullptr) return RETRO_LOG_ERROR + 1;
    const std::string level(setting);
    if (level == "debug") return static_cast<int>(RETRO_LOG_DEBUG);
    if (level == "info") return static_cast<int>(RETRO_LOG_INFO);
    if (level == "warn") return static_cast<int>(RETRO_LOG_WARN);
    if (level == "error") return static_cast<int>(RETRO_LOG_ERROR);
    return RETRO_LOG_ERROR + 1;
  }();
  return threshold;
}

retro_time_t perfTimeUsec() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}
retro_perf_tick_t perfCounter() {
  using namespace std::chrono;
  return static_cast<retro_perf_tick_t>(steady_clock::now().time_since_epoch().count());
}
uint64_t perfCpuFeatures() { return 0; }
void perfNoop(retro_perf_counter*) {}
void perfLogNoop() {}

void fillPerfInterface(retro_perf_callback& perf) {
  perf.get_time_usec = perfTimeUsec;
  perf.get_cpu_features = perfCpuFeatures;
  perf.get_perf_counter = perfCounter;
  perf.perf_register = perfNoop;
  perf.perf_start = perfNoop;
  perf.perf_stop = perfNoop;
  perf.perf_log = perfLogNoop;
}

}  // namespace

void Emulator::onLog(retro_log_level level, const char* message) {
  std::string line(message);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (level >= RETRO_LOG_WARN) {
    if (recentLog_.size() == kRecentLogLines) recentLog_.erase(recentLog_.begin());
    recentLog_.push_back(line);
  }
  if (static_cast<int>(level) >= stderrLogThreshold()) {
    std::fprintf(stderr, "[%s] %s\n", systemInfo_.libraryName.c_str(), line.c_str());
  }
}

void Emulator::updateAvInfo(const retro_system_av_info& av) {
  avInfo_.baseWidth = av.geometry.base_width;
  avInfo_.baseHeight = av.geometry.base_height;
  avInfo_.maxWidth = av.geometry.max_width;
  avInfo_.maxHeight = av.geometry.max_height;
  avInfo_.aspectRatio = av.geometry.aspect_ratio;
  avInfo_.fps = av.timing.fps;
  avInfo_.sampleRate = av.timing.sample_rate;
}

bool Emulator::onEnvironment(unsigned cmd, void* data) {
  switch (cmd) {
    case RETRO_ENVIRONMENT_GET_CAN_DUPE:
      *static_cast<bool*>(data) = true;
      return true;
    case RETRO_ENVIRONMENT_SET_PIXEL_FORMAT: {
      const auto format = *static_cast<const retro_pixel_format*>(data);
      if (format != RETRO_PIXEL_FORMAT_0RGB1555 && format != RETRO_PIXEL_FORMAT_XRGB8888 &&
          format != RETRO_PIXEL_FORMAT_RGB565) {
        return false;
      }
      pixelFormat_ = static_cast<PixelFormat>(format);
      return true;
    }
    case RETRO_ENVIRONMENT_GET_SYSTEM_DIRECTORY:
    case RETRO_ENVIRONMENT_GET_SAVE_DIRECTORY:
    case RETRO_ENVIRONMENT_GET_CORE_ASSETS_DIRECTORY:
      // The copy's string, not ours: the core may keep the pointer past this emulator when the copy is pooled.
      *static_cast<const char**>(data) = core_->directory();
      return true;
    case RGYM_ENVIRONMENT_SET_ERROR: {
      const auto* error = static_cast<const rgym_core_error*>(data);
      if (error == nullptr || error->code == nullptr || error->message == nullptr) return false;
      coreError_ = EmulatorError(error->code, error->message);
      return true;
    }
    case RETRO_ENVIRONMENT_SHUTDOWN:
      // The core cannot go on (our N64 core, when its emulation thread stops answering): every later call fails.
      coreShutDown_ = true;
      return true;
    case RETRO_ENVIRONMENT_GET_LIBRETRO_PATH:
      *static_cast<const char**>(data) = core_->originalPath();
      return true;
    case RETRO_ENVIRONMENT_GET_AUDIO_VIDEO_ENABLE:
      // Bit 0: the frontend wants pictures, so cores that ask may skip drawing (the N64's scan-out). Bit 1, sound,
      // stays on: cores make their sound as they always did here, whether or not it is captured.
      if (data != nullptr) *static_cast<int*>(data) = (videoEnabled_ ? 1 : 0) | 2;
      return true;
    case RETRO_ENVIRONMENT_GET_CORE_OPTIONS_VERSION:
      // Version 0 makes cores fall back to the plain SET_VARIABLES declaration, which is all we need.
      *static_cast<unsigned*>(data) = 0;
      return true;
    case RETRO_ENVIRONMENT_SET_VARIABLES:
      options_.declare(static_cast<const retro_variable*>(data));
      return true;
    case RETRO_ENVIRONMENT_GET_VARIABLE: {
      auto* variable = static_cast<retro_variable*>(data);
      variable->value = options_.value(variable->key);
      return variable->value != nullptr;
    }
    case RETRO_ENVIRONMENT_GET_VARIABLE_UPDATE:
      *static_cast<bool*>(data) = options_.takeChanged();
      return true;
    case RETRO_ENVIRONMENT_GET_LOG_INTERFACE:
      static_cast<retro_log_callback*>(data)->log = logCallback;
      return true;
    case RETRO_ENVIRONMENT_GET_PERF_INTERFACE:
      fillPerfInterface(*static_cast<retro_perf_callback*>(data));
      return true;
    case RETRO_ENVIRONMENT_GET_INPUT_BITMASKS:
      if (data != nullptr) *static_cast<bool*>(data) = true;
      return true;
    case RETRO_ENVIRONMENT_GET_LANGUAGE:
      *static_cast<unsigned*>(data) = RETRO_LANGUAGE_ENGLISH;
      return true;
    case RETRO_ENVIRONMENT_SET_MEMORY_MAPS: {
      const auto* map = static_cast<const retro_memory_map*>(data);
      memoryDescriptors_.assign(map->descriptors, map->descriptors + map->num_descriptors);
      return true;
    }
    case RETRO_ENVIRONMENT_SET_GEOMETRY: {
      const auto* geometry = static_cast<const retro_game_geometry*>(data);
      avInfo_.baseWidth = geometry->base_width;
      avInfo_.baseHeight = geometry->base_height;
      avInfo_.aspectRatio = geometry->aspect_ratio;
      return true;
    }
    case RETRO_ENVIRONMENT_SET_SYSTEM_AV_INFO:
      updateAvInfo(*static_cast<const retro_system_av_info*>(data));
      return true;
    case RETRO_ENVIRONMENT_SET_MESSAGE: {
      const auto* message = static_cast<const retro_message*>(data);
      if (message->msg != nullptr) onLog(RETRO_LOG_INFO, message->msg);
      return true;
    }
    case RETRO_ENVIRONMENT_SET_ROTATION:
      return *static_cast<const unsigned*>(data) == 0;
    // Declarations we accept and have no use for.
    case RETRO_ENVIRONMENT_SET_INPUT_DESCRIPTORS:
    case RETRO_ENVIRONMENT_SET_CONTROLLER_INFO:
    case RETRO_ENVIRONMENT_SET_SUBSYSTEM_INFO:
    case RETRO_ENVIRONMENT_SET_PERFORMANCE_LEVEL:
    case RETRO_ENVIRONMENT_SET_SUPPORT_NO_GAME:
    case RETRO_ENVIRONMENT_SET_SUPPORT_ACHIEVEMENTS:
    case RETRO_ENVIRONMENT_SET_SERIALIZATION_QUIRKS:
      return true;
    default:
      return false;
  }
}

}  // namespace rgym
