// One emulated machine: a private copy of a libretro core, the game it runs, its input, its last video frame, its
// memory and its save states. Plain C++ with no Node types, so the batch stepper can drive it from worker threads.
//
// libretro callbacks carry no user pointer. Every call into the core therefore goes through a CallScope, which
// points a thread-local at this emulator for the duration of the call; the static callbacks dispatch through it.
// An emulator is only ever driven by one thread at a time, so this is race-free.
//
// emulator.cpp runs the core; emulator_environment.cpp answers its environment calls.
#pragma once

#include <libretro.h>

#include <array>
#include <cfenv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "address_space.h"
#include "core_library.h"
#include "core_options.h"
#include "errors.h"
#include "frame.h"
#include "frame_sink.h"
#include "observation_pipeline.h"

namespace rgym {

struct AvInfo {
  unsigned baseWidth = 0, baseHeight = 0, maxWidth = 0, maxHeight = 0;
  double aspectRatio = 0, fps = 0, sampleRate = 0;
};

struct SystemInfo {
  std::string libraryName, libraryVersion, validExtensions;
  bool needFullpath = false, blockExtract = false;
};

struct MemoryRegionInfo {
  unsigned id;           // RETRO_MEMORY_*
  uint8_t* data;
  size_t size;
};

class Emulator {
 public:
  static constexpr unsigned kMaxPorts = 8;

  // Initialises a private copy of the core: an idle one from the core pool when `reusable`, else a newly loaded
  // one. `workDir` must exist; it becomes the core's system and save directory and is where a ROM given as bytes is
  // written for cores that need a path. A `reusable` emulator gives its copy back to the pool when destroyed.
  Emulator(const std::string& corePath, const std::string& workDir, bool reusable = true);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // `romBytes` may be empty, then the core reads `romPath` itself.
  void loadGame(const std::string& romPath, const std::vector<uint8_t>& romBytes);

  const SystemInfo& systemInfo() const { return systemInfo_; }
  const AvInfo& avInfo() const { return avInfo_; }

  void setControllerPortDevice(unsigned port, unsigned device);
  void setInput(unsigned port, uint16_t buttonMask) { inputMasks_.at(port) = buttonMask; }
  // An analog stick's position (libretro's RETRO_DEVICE_ANALOG): `stick` 0 left, 1 right; x and y in
  // [-32768, 32767], y positive down, as libretro has it.
  void setAnalog(unsigned port, unsigned stick, int16_t x, int16_t y) { analog_.at(port).at(stick) = {x, y}; }
  // Whether cores that ask (RETRO_ENVIRONMENT_GET_AUDIO_VIDEO_ENABLE) draw pictures at all: off for policies that
  // only read RAM. Cores that do not ask draw anyway.
  void setVideoEnabled(bool enabled) { videoEnabled_ = enabled; }

  // Runs `frames` frames with the current input. Only the last frame is converted into the frame target.
  void run(unsigned frames);

  // Runs `frames` frames and looks at none of their pictures: the core's own speed, for benchmarks.
  void runUnobserved(unsigned frames);

  // What happens to the picture of one frame run with runFrame().
  enum class FrameOutput {
    Hold,        // converted by the frame sink and kept, to be pooled with the next frame
    Show,        // converted by the frame sink
    ShowPooled,  // converted, then max-pooled with the held previous frame (Atari-style flicker removal)
    Skip,        // not converted (showLastFrame() can still show it until the next frame runs)
  };
  void runFrame(FrameOutput output);
  // Shows the picture of the last frame run, whatever its output was (a step that stopped early shows its last
  // frame), through the active frame sink.
  void showLastFrame();
  void reset();

  // Every picture goes through one frame sink (observation_pipeline.h). By default it is the core's own picture
  // as RGB24 in the frame target. `sink` (native preprocessing) takes its place; the frame target is then brought
  // up to date only on syncFrameTarget(). nullptr goes back to the RGB frame target.
  void setFrameSink(std::unique_ptr<FrameSink> sink);
  // With a frame sink: converts the last picture into the frame target if it is not there yet. No-op otherwise.
  void syncFrameTarget();

  void setFrameTarget(FrameTarget target) { picture_.setTarget(target); }
  unsigned frameWidth() const { return picture_.width(); }
  unsigned frameHeight() const { return picture_.height(); }

  void setAudioCapture(bool enabled);
  std::vector<int16_t> takeAudio();

  // Memory exposed by the core: the RETRO_MEMORY_* regions, and SET_MEMORY_MAPS descriptors when given.
  std::vector<MemoryRegionInfo> memoryRegions() const;
  const std::vector<retro_memory_descriptor>& memoryDescriptors() const { return memoryDescriptors_; }
  AddressSpace& addressSpace() { return addressSpace_; }

  std::vector<uint8_t> saveState();
  // Refuses a state more than stateSizeSlack bytes shorter than the core's own (see setStateSizeSlack), and one
  // that the core did not produce in this process and that crashes or hangs it in a trial (state_trial.h).
  void loadState(const uint8_t* data, size_t size);
  // Bytes a state may fall short of retro_serialize_size(): 0 unless the core's size varies with the machine's
  // contents (the core descriptor says so). Some cores (bsnes) crash on a truncated state instead of refusing it.
  void setStateSizeSlack(size_t bytes) { stateSizeSlack_ = bytes; }
  // Whether unknown states are tried in a forked child first (state_trial.h). Off for cores that run the machine
  // on threads of their own, which the child does not have.
  void setStateTrial(bool enabled) { stateTrial_ = enabled; }

  std::vector<CoreOption> options() const { return options_.list(); }
  // Overrides a core option; takes effect at the core's next GET_VARIABLE poll.
  void setOption(const std::string& key, const std::string& value) { options_.set(key, value); }

  // Recent warnings and errors the core logged, oldest first (kept even when logging to stderr is off).
  const std::vector<std::string>& recentLog() const { return recentLog_; }

  // The static libretro callbacks, dispatched to the emulator whose core call is in progress on this thread.
  bool onEnvironment(unsigned cmd, void* data);
  void onVideo(const void* data, unsigned width, unsigned height, size_t pitch);
  void onAudio(const int16_t* samples, size_t frames);
  int16_t onInputState(unsigned port, unsigned device, unsigned index, unsigned id) const;
  void onLog(retro_log_level level, const char* message);

 private:
  // Points this thread's callback target at `emulator` for the duration of a call into its core, and gives the
  // thread its floating-point environment back afterwards: mupen64plus turns on flush-to-zero in the thread that
  // opens it, which made every JS computation on Node's main thread lose its subnormal numbers.
  class CallScope {
   public:
    explicit CallScope(Emulator* emulator);
    ~CallScope();
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

   private:
    Emulator* previous_;
    std::fenv_t floatEnvironment_;
  };
  // The log function handed out through RETRO_ENVIRONMENT_GET_LOG_INTERFACE.
  static void logCallback(retro_log_level level, const char* format, ...);

  void refreshAvInfo();
  void updateAvInfo(const retro_system_av_info& av);
  // The sink the core's pictures go to: the preprocessing one when set, else the RGB frame target.
  FrameSink& activeSink() { return sink_ ? *sink_ : static_cast<FrameSink&>(picture_); }

  // Core copy lifecycle and the core pool (core_pool.h).
  void attachCore(std::unique_ptr<CoreLibrary> core);
  void replaceReusedCopy();
  void loadIntoCore(const retro_game_info& game, const std::string& romPath);
  std::string powerOnKey(const std::string& romPath, const std::vector<uint8_t>& romBytes) const;
  void rememberPowerOnState(const std::string& key);
  bool restorePowerOnState(const std::vector<uint8_t>& state);
  uint64_t stateKey(const uint8_t* data, size_t size) const;
  void refuseStateThatCrashes(const uint8_t* data, size_t size);
  // Whether the copy came through a whole lifecycle (init, load, unload, deinit) and may serve another emulator.
  bool copyReusable() const { return reusable_ && initialised_ && !loadFailed_; }

  std::string corePath_;
  std::string workDir_;
  std::unique_ptr<CoreLibrary> core_;
  bool reusable_ = true;
  bool reusedCopy_ = false;  // core_ came from the pool: it must restore its game's power-on state
  bool initialised_ = false;
  bool gameLoaded_ = false;
  bool loadFailed_ = false;  // the core refused a game: what it left behind is unknown
  size_t stateSizeSlack_ = 0;
  bool stateTrial_ = true;
  uint64_t stateKeySeed_ = 0;  // the core, game and options states are trusted for (stateKey)
  SystemInfo systemInfo_;
  AvInfo avInfo_;
  PixelFormat pixelFormat_ = PixelFormat::RGB1555;  // libretro's default until the core asks otherwise

  std::array<uint16_t, kMaxPorts> inputMasks_{};
  std::array<unsigned, kMaxPorts> portDevices_{};
  std::array<std::array<std::array<int16_t, 2>, 2>, kMaxPorts> analog_{};  // [port][stick] = {x, y}
  bool videoEnabled_ = true;
  bool coreShutDown_ = false;  // the core asked for RETRO_ENVIRONMENT_SHUTDOWN
  std::optional<EmulatorError> coreError_;  // why the core's last failing call failed (core_error.h)
  // Throws the error the core gave for a call that failed (taking it), else `fallback`.
  [[noreturn]] void throwCoreError(EmulatorError fallback);
  void requireRunning() const;

  FrameOutput frameOutput_ = FrameOutput::Show;
  RawFrame last_;  // the core's last picture, for showLastFrame() and syncFrameTarget()
  ObservationPipeline picture_{FrameTarget{}};  // the core's own picture, RGB24, into the frame target
  std::unique_ptr<FrameSink> sink_;             // preprocessing, in picture_'s place
  bool targetStale_ = false;                    // with a sink: the frame target is behind the last picture

  bool captureAudio_ = false;
  std::vector<int16_t> audio_;

  std::vector<retro_memory_descriptor> memoryDescriptors_;
  AddressSpace addressSpace_;

  CoreOptions options_;

  std::vector<std::string> recentLog_;
  std::string gameRomPath_;
};

}  // namespace rgym
