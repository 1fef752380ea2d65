#include "emulator.h"
#include "state_trial.h"

#include <cstdarg>
#include <cstdio>
#include <fstream>

#include "core_pool.h"
#include "errors.h"

namespace rgym {
namespace {

thread_local Emulator* tlsCurrent = nullptr;

bool environmentCallback(unsigned cmd, void* data) {
  return tlsCurrent != nullptr && tlsCurrent->onEnvironment(cmd, data);
}

void videoCallback(const void* data, unsigned width, unsigned height, size_t pitch) {
  if (tlsCurrent != nullptr) tlsCurrent->onVideo(data, width, height, pitch);
}

void audioSampleCallback(int16_t left, int16_t right) {
  const int16_t frame[2] = {left, right};
  if (tlsCurrent != nullptr) tlsCurrent->onAudio(frame, 1);
}

size_t audioBatchCallback(const int16_t* samples, size_t frames) {
  if (tlsCurrent != nullptr) tlsCurrent->onAudio(samples, frames);
  return frames;
}

void inputPollCallback() {}

int16_t inputStateCallback(unsigned port, unsigned device, unsigned index, unsigned id) {
  return tlsCurrent != nullptr ? tlsCurrent->onInputState(port, device, index, id) : 0;
}

// A ROM's hash in hex (state_trial.h's hashBytes): tells games apart in power-on state keys, with their size.
std::string romHash(const std::vector<uint8_t>& bytes) {
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hashBytes(bytes.data(), bytes.size())));
  return hex;
}

std::string firstExtension(const std::string& validExtensions) {
  const auto bar = validExtensions.find('|');
  return validExtensions.substr(0, bar);
}

}  // namespace

Emulator::CallScope::CallScope(Emulator* emulator) : previous_(tlsCurrent) {
  std::fegetenv(&floatEnvironment_);
  tlsCurrent = emulator;
}

Emulator::CallScope::~CallScope() {
  tlsCurrent = previous_;
  std::fesetenv(&floatEnvironment_);
}

void Emulator::logCallback(retro_log_level level, const char* format, ...) {
  char message[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  if (tlsCurrent != nullptr) tlsCurrent->onLog(level, message);
}

Emulator::Emulator(const std::string& corePath, const std::string& workDir, bool reusable)
    : corePath_(corePath), workDir_(workDir), reusable_(reusable) {
  std::unique_ptr<CoreLibrary> pooled = reusable_ ? CorePool::instance().take(corePath) : nullptr;
  reusedCopy_ = pooled != nullptr;
  attachCore(pooled ? std::move(pooled) : std::make_unique<CoreLibrary>(corePath, workDir));
}

Emulator::~Emulator() {
  {
    CallScope scope(this);
    sink_.reset();
    last_ = RawFrame{};
    if (gameLoaded_) core_->retro_unload_game();
    if (initialised_) core_->retro_deinit();
  }
  if (copyReusable()) CorePool::instance().give(std::move(core_));
  core_.reset();
}

// Makes `core` this emulator's copy and initialises it: callbacks, system info, retro_init.
void Emulator::attachCore(std::unique_ptr<CoreLibrary> core) {
  core_ = std::move(core);
  core_->setDirectory(workDir_);
  CallScope scope(this);
  core_->retro_set_environment(environmentCallback);
  core_->retro_set_video_refresh(videoCallback);
  core_->retro_set_audio_sample(audioSampleCallback);
  core_->retro_set_audio_sample_batch(audioBatchCallback);
  core_->retro_set_input_poll(inputPollCallback);
  core_->retro_set_input_state(inputStateCallback);

  retro_system_info info{};
  core_->retro_get_system_info(&info);
  systemInfo_.libraryName = info.library_name != nullptr ? info.library_name : "";
  systemInfo_.libraryVersion = info.library_version != nullptr ? info.library_version : "";
  systemInfo_.validExtensions = info.valid_extensions != nullptr ? info.valid_extensions : "";
  systemInfo_.needFullpath = info.need_fullpath;
  systemInfo_.blockExtract = info.block_extract;

  core_->retro_init();
  initialised_ = true;
}

// Gives the reused copy back to the pool (deinitialised, as clean as it came) and initialises a new copy instead.
void Emulator::replaceReusedCopy() {
  auto fresh = std::make_unique<CoreLibrary>(corePath_, workDir_);  // if this throws, the emulator keeps its copy
  {
    CallScope scope(this);
    if (gameLoaded_) core_->retro_unload_game();
    core_->retro_deinit();
  }
  gameLoaded_ = false;
  initialised_ = false;
  CorePool::instance().give(std::move(core_));
  reusedCopy_ = false;
  attachCore(std::move(fresh));
}

void Emulator::loadGame(const std::string& romPath, const std::vector<uint8_t>& romBytes) {
  if (gameLoaded_) throw EmulatorError("INVALID_ARGUMENT", "a game is already loaded in this emulator");
  gameRomPath_ = romPath;
  if (systemInfo_.needFullpath && romPath.empty()) {
    // The core insists on reading a file: hand it a private copy of the bytes.
    gameRomPath_ = workDir_ + "/rom." + firstExtension(systemInfo_.validExtensions);
    std::ofstream out(gameRomPath_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(romBytes.data()), static_cast<std::streamsize>(romBytes.size()));
    if (!out) throw EmulatorError("ROM_LOAD_FAILED", "cannot write the ROM to " + gameRomPath_);
  }
  retro_game_info game{};
  game.path = gameRomPath_.empty() ? nullptr : gameRomPath_.c_str();
  game.data = romBytes.empty() ? nullptr : romBytes.data();
  game.size = romBytes.size();

  // A reused copy runs the game exactly as a new copy would once it has the state a new copy had after loading it.
  const bool pooled = reusable_ && CorePool::instance().enabled();
  const std::string powerOnKey = this->powerOnKey(romPath, romBytes);
  // States are trusted per core and game (state_trial.h): a state of one game can crash the core in another.
  stateKeySeed_ = hashBytes(reinterpret_cast<const uint8_t*>(powerOnKey.data()), powerOnKey.size());
  PowerOnState powerOn = reusedCopy_ ? CorePool::instance().powerOnState(powerOnKey) : nullptr;
  if (reusedCopy_ && !powerOn) replaceReusedCopy();
  loadIntoCore(game, romPath);
  if (powerOn && !restorePowerOnState(*powerOn)) {
    replaceReusedCopy();  // the core refused its own state: never seen, but a new copy is always right
    loadIntoCore(game, romPath);
  }
  if (pooled && !reusedCopy_) rememberPowerOnState(powerOnKey);
  refreshAvInfo();
}

void Emulator::loadIntoCore(const retro_game_info& game, const std::string& romPath) {
  CallScope scope(this);
  coreError_.reset();
  if (!core_->retro_load_game(&game)) {
    loadFailed_ = true;
    std::string reason;
    for (const std::string& line : recentLog_) reason += "\n  core: " + line;
    throwCoreError(EmulatorError("ROM_LOAD_FAILED", systemInfo_.libraryName + " refused to load the ROM" +
                                                        (romPath.empty() ? std::string() : " " + romPath) + reason));
  }
  gameLoaded_ = true;
}

// The core file, the game and every core option value: what the state right after loading depends on.
std::string Emulator::powerOnKey(const std::string& romPath, const std::vector<uint8_t>& romBytes) const {
  std::string key = core_->fileIdentity() + "\n" + std::to_string(romBytes.size()) + ":" + romHash(romBytes);
  if (romBytes.empty()) key += "\n" + romPath + "@" + coreFileIdentity(romPath);
  return key + options_.fingerprint();
}

void Emulator::rememberPowerOnState(const std::string& key) {
  if (CorePool::instance().powerOnState(key)) return;  // the first new copy's state serves all later reuses
  CallScope scope(this);
  auto state = std::make_shared<std::vector<uint8_t>>(core_->retro_serialize_size());
  // A core that cannot save its state yet leaves no power-on state: reused copies of it get a new copy instead.
  if (state->empty() || !core_->retro_serialize(state->data(), state->size())) return;
  CorePool::instance().rememberPowerOnState(key, std::move(state));
}

bool Emulator::restorePowerOnState(const std::vector<uint8_t>& state) {
  CallScope scope(this);
  return core_->retro_unserialize(state.data(), state.size());
}

void Emulator::refreshAvInfo() {
  retro_system_av_info av{};
  {
    CallScope scope(this);
    core_->retro_get_system_av_info(&av);
  }
  updateAvInfo(av);
}

void Emulator::setControllerPortDevice(unsigned port, unsigned device) {
  if (port >= kMaxPorts) throw EmulatorError("INVALID_ARGUMENT", "port " + std::to_string(port) + " out of range");
  portDevices_[port] = device;
  CallScope scope(this);
  core_->retro_set_controller_port_device(port, device);
}

void Emulator::run(unsigned frames) {
  if (!gameLoaded_) throw EmulatorError("INVALID_ARGUMENT", "no game loaded");
  // Nothing can stop this loop early, so skipped frames need not even be held.
  for (unsigned left = frames; left > 0; --left) runFrame(left == 1 ? FrameOutput::Show : FrameOutput::Skip);
}

void Emulator::runUnobserved(unsigned frames) {
  // Cores draw as they always do (a core's own drawing is part of its speed); only our conversion is skipped.
  for (unsigned i = 0; i < frames; ++i) runFrame(FrameOutput::Skip);
}

void Emulator::throwCoreError(EmulatorError fallback) {
  std::optional<EmulatorError> error;
  error.swap(coreError_);
  throw error.value_or(std::move(fallback));
}

void Emulator::requireRunning() const {
  if (!coreShutDown_) return;
  std::string why = systemInfo_.libraryName + " stopped (it asked to shut down) and cannot run on; close this emulator";
  for (const std::string& line : recentLog_) why += "\n  core: " + line;
  throw EmulatorError("ENV_CRASHED", why);
}

void Emulator::runFrame(FrameOutput output) {
  if (!gameLoaded_) throw EmulatorError("INVALID_ARGUMENT", "no game loaded");
  requireRunning();
  {
    CallScope scope(this);
    frameOutput_ = output;
    core_->retro_run();
    frameOutput_ = FrameOutput::Show;
  }
  requireRunning();
  if (sink_) sink_->throwIfFailed();
}

void Emulator::setFrameSink(std::unique_ptr<FrameSink> sink) {
  sink_ = std::move(sink);
  targetStale_ = sink_ != nullptr;
  picture_.forgetHeld();  // what the frame target held predates the switch
}

void Emulator::syncFrameTarget() {
  if (!targetStale_ || last_.data == nullptr) return;
  picture_.show(last_, false);
  targetStale_ = false;
}

void Emulator::showLastFrame() {
  if (last_.data != nullptr) activeSink().show(last_, false);
}

void Emulator::reset() {
  if (!gameLoaded_) throw EmulatorError("INVALID_ARGUMENT", "no game loaded");
  requireRunning();
  {
    CallScope scope(this);
    core_->retro_reset();
  }
  requireRunning();
}

void Emulator::onVideo(const void* data, unsigned width, unsigned height, size_t pitch) {
  // NULL means "same frame as before" (we told the core we can dupe): what we hold or show is still right.
  if (data == nullptr || width == 0) return;
  // Cores keep their video buffer until the next retro_run (frontends that redraw a paused game rely on it), so
  // this picture can still be shown or converted after the frame: showLastFrame(), syncFrameTarget().
  last_ = RawFrame{data, width, height, pitch, pixelFormat_};
  targetStale_ = sink_ != nullptr;
  FrameSink& sink = activeSink();
  switch (frameOutput_) {
    case FrameOutput::Hold: sink.hold(last_); break;
    case FrameOutput::Show: sink.show(last_, false); break;
    case FrameOutput::ShowPooled: sink.show(last_, true); break;
    case FrameOutput::Skip: break;
  }
}

void Emulator::setAudioCapture(bool enabled) {
  captureAudio_ = enabled;
  if (!enabled) audio_.clear();
}

std::vector<int16_t> Emulator::takeAudio() {
  std::vector<int16_t> out;
  out.swap(audio_);
  return out;
}

void Emulator::onAudio(const int16_t* samples, size_t frames) {
  if (captureAudio_) audio_.insert(audio_.end(), samples, samples + frames * 2);
}

int16_t Emulator::onInputState(unsigned port, unsigned device, unsigned index, unsigned id) const {
  if (port >= kMaxPorts) return 0;
  const uint16_t mask = inputMasks_[port];
  if ((device & RETRO_DEVICE_MASK) == RETRO_DEVICE_ANALOG) {
    if (index <= RETRO_DEVICE_INDEX_ANALOG_RIGHT && id <= RETRO_DEVICE_ID_ANALOG_Y) return analog_[port][index][id];
    // Analog buttons (pressure): a held button is fully pressed.
    if (index == RETRO_DEVICE_INDEX_ANALOG_BUTTON && id < 16) return (mask >> id & 1) != 0 ? 0x7FFF : 0;
    return 0;
  }
  if ((device & RETRO_DEVICE_MASK) != RETRO_DEVICE_JOYPAD) return 0;
  if (id == RETRO_DEVICE_ID_JOYPAD_MASK) return static_cast<int16_t>(mask);
  return id < 16 ? static_cast<int16_t>((mask >> id) & 1) : 0;
}

std::vector<MemoryRegionInfo> Emulator::memoryRegions() const {
  std::vector<MemoryRegionInfo> regions;
  if (!gameLoaded_) return regions;
  CallScope scope(const_cast<Emulator*>(this));
  for (unsigned id : {RETRO_MEMORY_SAVE_RAM, RETRO_MEMORY_RTC, RETRO_MEMORY_SYSTEM_RAM, RETRO_MEMORY_VIDEO_RAM}) {
    auto* data = static_cast<uint8_t*>(core_->retro_get_memory_data(id));
    const size_t size = core_->retro_get_memory_size(id);
    if (data != nullptr && size > 0) regions.push_back({id, data, size});
  }
  return regions;
}

std::vector<uint8_t> Emulator::saveState() {
  if (!gameLoaded_) throw EmulatorError("INVALID_ARGUMENT", "no game loaded");
  requireRunning();
  CallScope scope(this);
  std::vector<uint8_t> state(core_->retro_serialize_size());
  coreError_.reset();
  if (state.empty() || !core_->retro_serialize(state.data(), state.size())) {
    throwCoreError(EmulatorError("STATE_INVALID", systemInfo_.libraryName + " could not save its state"));
  }
  TrustedStates::instance().add(stateKey(state.data(), state.size()));
  return state;
}

void Emulator::loadState(const uint8_t* data, size_t size) {
  if (!gameLoaded_) throw EmulatorError("INVALID_ARGUMENT", "no game loaded");
  requireRunning();
  CallScope scope(this);
  if (size == 0) throw EmulatorError("STATE_INVALID", "the state is empty");
  // Cores trust the length they are given: bsnes read past a truncated state and crashed on the next frame.
  const size_t expected = core_->retro_serialize_size();
  if (size + stateSizeSlack_ < expected) {
    throw EmulatorError("STATE_INVALID", "the state has " + std::to_string(size) + " bytes, but " + systemInfo_.libraryName +
                                             " states of this game have " + std::to_string(expected) +
                                             ": it is truncated, or was made by another core or game");
  }
  refuseStateThatCrashes(data, size);
  coreError_.reset();
  if (!core_->retro_unserialize(data, size)) {
    throwCoreError(EmulatorError("STATE_INVALID", systemInfo_.libraryName + " rejected the state (" + std::to_string(size) +
                                                      " bytes); states belong to the core and game that wrote them"));
  }
}

uint64_t Emulator::stateKey(const uint8_t* data, size_t size) const { return hashBytes(data, size, stateKeySeed_); }

// Cores check little of what they unserialize: a damaged state can crash one frames later. A state this process's
// cores did not produce is first loaded and run for a few frames in a forked child (state_trial.h).
void Emulator::refuseStateThatCrashes(const uint8_t* data, size_t size) {
  constexpr unsigned kTrialFrames = 4, kTrialTimeoutSeconds = 10;
  TrustedStates& trusted = TrustedStates::instance();
  const uint64_t key = stateKey(data, size);
  if (!stateTrial_ || trusted.contains(key) || trusted.untriable(core_->fileIdentity())) return;
  auto tryState = [&](const uint8_t* bytes, size_t length) {
    return runInForkedChild(
        [&] {
          if (!core_->retro_unserialize(bytes, length)) return false;
          frameOutput_ = FrameOutput::Skip;
          for (unsigned i = 0; i < kTrialFrames; ++i) core_->retro_run();
          return true;
        },
        kTrialTimeoutSeconds);
  };
  const TrialResult trial = tryState(data, size);
  if (trial.outcome == TrialOutcome::Ran) return trusted.add(key);
  if (trial.outcome == TrialOutcome::Unavailable) return;
  if (trial.outcome == TrialOutcome::Hung) {
    // A core that waits on threads of its own hangs in any child: only a good state hanging too tells that apart.
    std::vector<uint8_t> current(core_->retro_serialize_size());
    if (!current.empty() && core_->retro_serialize(current.data(), current.size()) &&
        tryState(current.data(), current.size()).outcome == TrialOutcome::Hung) {
      return trusted.markUntriable(core_->fileIdentity());
    }
  }
  throw EmulatorError("STATE_INVALID", "the state (" + std::to_string(size) + " bytes) " + trial.describe() + " in a trial run of " +
                                           std::to_string(kTrialFrames) + " frames in a separate process, so it was not loaded: "
                                           "it is damaged, or was made by another core or game");
}

}  // namespace rgym
