#include "n64_machine.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <dlfcn.h>
#include <zlib.h>

#include <mupen64plus/m64p_common.h>
#include <mupen64plus/m64p_config.h>
#include <mupen64plus/m64p_frontend.h>

#include "../errors.h"
#include "state_gzip.h"

namespace rgym::n64 {
namespace fs = std::filesystem;

namespace {

constexpr int kCoreApiVersion = 0x020001;
constexpr unsigned kBootTimeoutMs = 20000;  // the core pulls in ~270 shared libraries; CI machines are slow
constexpr unsigned kStepTimeoutMs = 30000;
constexpr size_t kMaxLogLines = 64;
const char* const kInstallHint = ": install it with `sudo apt-get install libmupen64plus2 mupen64plus-rsp-hle`";

void debugCallback(void* context, int level, const char* message) {
  static_cast<N64Machine*>(context)->onLog(level, message);
}
void stateCallback(void* context, m64p_core_param param, int value) {
  static_cast<N64Machine*>(context)->onStateChange(param, value);
}
void screenHook(void* context) { static_cast<N64Machine*>(context)->onScreen(); }

// The first word of a ROM in each byte order mupen64plus accepts (it normalises them itself).
bool knownRomOrder(const std::vector<uint8_t>& rom) {
  static const uint8_t kOrders[3][4] = {{0x80, 0x37, 0x12, 0x40}, {0x37, 0x80, 0x40, 0x12}, {0x40, 0x12, 0x37, 0x80}};
  for (const auto& order : kOrders) {
    if (std::memcmp(rom.data(), order, 4) == 0) return true;
  }
  return false;
}

// mupen64plus's own state file (savestates.c): "M64+SAVE", a big-endian version, the ROM's MD5 as 32 hex digits,
// then 16788244 bytes of machine and the event queue (plus more from version 1.1 on).
constexpr size_t kStateHeader = 44, kStateMachineBytes = 16788244, kStateMaxRaw = 32u << 20;

std::vector<uint8_t> readFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

}  // namespace

N64Machine::N64Machine(const PluginFiles& files, const std::string& workDir, const std::vector<uint8_t>& rom)
    : workDir_(workDir), statePath_((fs::path(workDir) / "n64.st").string()) {
  if (rom.size() < 0x1000 || rom.size() % 4 != 0 || !knownRomOrder(rom)) {
    throw EmulatorError("ROM_INVALID", "not a Nintendo 64 ROM: expected a .z64/.v64/.n64 image of at least 4096 bytes, "
                                       "a multiple of 4, starting with the N64 header");
  }
  core_ = std::make_unique<PrivateLibrary>(files.core, workDir, "CORE_NOT_FOUND", kInstallHint);
  rsp_ = std::make_unique<PrivateLibrary>(files.rsp, workDir, "CORE_NOT_FOUND", kInstallHint);
  input_ = std::make_unique<PrivateLibrary>(files.input, workDir, "CORE_LOAD_FAILED", " (rebuild the addon)");
  video_ = std::make_unique<PrivateLibrary>(files.video, workDir, "CORE_LOAD_FAILED", " (rebuild the addon)");
  if (!files.glVideo.empty()) gl_ = std::make_unique<GlVideo>(files.glVideo, workDir);
  zlib_ = processZlib(*core_);
  try {
    startCore(workDir, files.dataDir);
    openRom(rom);
    attachPlugins();
    startThread();
  } catch (...) {
    stop();
    throw;
  }
}

N64Machine::~N64Machine() { stop(); }

void N64Machine::startCore(const std::string& workDir, const std::string& dataDir) {
  auto startup = core_->symbol<ptr_CoreStartup>("CoreStartup");
  if (startup(kCoreApiVersion, workDir.c_str(), dataDir.c_str(), this, debugCallback, this, stateCallback) !=
      M64ERR_SUCCESS) {
    throw EmulatorError("CORE_LOAD_FAILED", "mupen64plus CoreStartup failed");
  }
  coreStarted_ = true;
  if (gl_) gl_->configureCore(*core_);
  // Keep everything the core writes inside our work folder, and no on-screen display over the pictures.
  auto openSection = core_->symbol<ptr_ConfigOpenSection>("ConfigOpenSection");
  auto setParameter = core_->symbol<ptr_ConfigSetParameter>("ConfigSetParameter");
  m64p_handle section = nullptr;
  if (openSection("Core", &section) == M64ERR_SUCCESS) {
    const int off = 0;
    setParameter(section, "OnScreenDisplay", M64TYPE_BOOL, &off);
    // No Game Boy Camera: the OpenCV backend probes /dev/video0 and warns on stderr at every boot.
    setParameter(section, "GbCameraVideoCaptureBackend1", M64TYPE_STRING, "dummy");
    for (const char* key : {"SaveStatePath", "SaveSRAMPath", "ScreenshotPath"}) {
      setParameter(section, key, M64TYPE_STRING, workDir.c_str());
    }
  }
}

void N64Machine::openRom(const std::vector<uint8_t>& rom) {
  std::vector<uint8_t> copy(rom);  // the core byte-swaps the buffer it is given
  command(M64CMD_ROM_OPEN, static_cast<int>(copy.size()), copy.data(), "open the ROM", "ROM_LOAD_FAILED");
  romOpen_ = true;
  m64p_rom_settings settings{};
  command(M64CMD_ROM_GET_SETTINGS, sizeof(settings), &settings, "read the ROM's settings", "ROM_LOAD_FAILED");
  romMd5_.assign(settings.MD5, strnlen(settings.MD5, sizeof(settings.MD5)));
}

void N64Machine::attachPlugins() {
  auto attach = core_->symbol<ptr_CoreAttachPlugin>("CoreAttachPlugin");
  if (gl_) {
    const char* missing = video_->symbol<const char* (*)(void*)>("rgym_video_forward")(gl_->plugin().handle());
    if (missing) throw EmulatorError("CORE_LOAD_FAILED", gl_->plugin().path() + " is no video plugin: no " + missing);
  }
  const std::pair<m64p_plugin_type, PrivateLibrary*> plugins[] = {
      {M64PLUGIN_GFX, video_.get()}, {M64PLUGIN_INPUT, input_.get()}, {M64PLUGIN_RSP, rsp_.get()}};
  for (const auto& [type, library] : plugins) {
    auto startup = library->symbol<ptr_PluginStartup>("PluginStartup");
    if (startup(core_->handle(), this, debugCallback) != M64ERR_SUCCESS) {
      throw EmulatorError("CORE_LOAD_FAILED", library->path() + ": PluginStartup failed");
    }
    if (attach(type, library->handle()) != M64ERR_SUCCESS) {
      throw EmulatorError("CORE_LOAD_FAILED", "mupen64plus refused the plugin " + library->path());
    }
    attached_[type] = true;
  }
  input_->symbol<void (*)(const std::atomic<uint32_t>*)>("rgym_input_bind")(keys_.data());
  video_->symbol<void (*)(void (*)(void*), void*)>("rgym_video_bind")(screenHook, this);
  gfx_ = video_->symbol<const GFX_INFO* (*)()>("rgym_video_info")();
}

void N64Machine::startThread() {
  auto doCommand = core_->symbol<ptr_CoreDoCommand>("CoreDoCommand");
  Lock lock(mutex_);
  target_ = 1;
  thread_ = std::thread([this, doCommand] {
    if (gl_) gl_->enterThread();
    doCommand(M64CMD_EXECUTE, 0, nullptr);
    if (gl_) gl_->leaveThread();
    std::lock_guard<std::mutex> done(mutex_);
    executeReturned_ = true;
    changed_.notify_all();
  });
  const uint64_t parksBefore = parks_;
  const bool booted = changed_.wait_for(lock, std::chrono::milliseconds(kBootTimeoutMs),
                                        [&] { return parks_ > parksBefore || executeReturned_; });
  if (!booted || executeReturned_) {
    broken_ = !booted;
    std::string why = booted ? "the core stopped before the first VI" : "no VI within the boot timeout";
    for (const auto& line : log_) why += "\n  " + line;
    throw EmulatorError("ROM_LOAD_FAILED", "mupen64plus did not boot the ROM: " + why);
  }
  if (gl_ && !gl_->ready()) throw EmulatorError("CORE_LOAD_FAILED", "GL video could not start: " + gl_->failure());
  // As fast as the host can: the limiter would hold the machine to real time (60 VI/s).
  int limiter = 0;
  doCommand(M64CMD_CORE_STATE_SET, M64CORE_SPEED_LIMITER, &limiter);
}

void N64Machine::stop() {
  if (thread_.joinable()) {
    {
      Lock lock(mutex_);
      stopping_ = true;
      go_ = true;
      changed_.notify_all();
    }
    core_->symbol<ptr_CoreDoCommand>("CoreDoCommand")(M64CMD_STOP, 0, nullptr);
    Lock lock(mutex_);
    if (changed_.wait_for(lock, std::chrono::milliseconds(kStepTimeoutMs), [&] { return executeReturned_; })) {
      lock.unlock();
      thread_.join();
    } else {
      // Unloading a core whose thread still runs would crash the process: leak it instead.
      thread_.detach();
      core_.release();
      rsp_.release();
      input_.release();
      video_.release();
      gl_.release();
      return;
    }
  }
  if (!core_) return;
  auto doCommand = core_->symbol<ptr_CoreDoCommand>("CoreDoCommand");
  auto detach = core_->symbol<ptr_CoreDetachPlugin>("CoreDetachPlugin");
  for (int type = M64PLUGIN_RSP; type <= M64PLUGIN_INPUT; type++) {
    if (attached_[type]) detach(static_cast<m64p_plugin_type>(type));
    attached_[type] = false;
  }
  for (PrivateLibrary* plugin : {rsp_.get(), input_.get(), video_.get()}) {
    if (plugin != nullptr) plugin->symbol<ptr_PluginShutdown>("PluginShutdown")();
  }
  if (romOpen_) doCommand(M64CMD_ROM_CLOSE, 0, nullptr);
  romOpen_ = false;
  if (coreStarted_) core_->symbol<ptr_CoreShutdown>("CoreShutdown")();
  coreStarted_ = false;
  std::error_code ec;
  fs::remove(statePath_, ec);
}

void N64Machine::command(int cmd, int param, void* ptr, const char* what, const char* code) {
  const m64p_error result = core_->symbol<ptr_CoreDoCommand>("CoreDoCommand")(static_cast<m64p_command>(cmd), param, ptr);
  if (result != M64ERR_SUCCESS) {
    const char* message = core_->symbol<ptr_CoreErrorMessage>("CoreErrorMessage")(result);
    throw EmulatorError(code, std::string("mupen64plus could not ") + what + ": " + (message ? message : "error"));
  }
}

void N64Machine::requireHealthy() const {
  if (broken_) throw EmulatorError("ENV_CRASHED", "the N64 emulation thread stopped answering; close this emulator");
}

// Emulation thread.
void N64Machine::onScreen() {
  Lock lock(mutex_);
  screens_++;
  if (stopping_ || screens_ < target_) return;
  parked_ = Park::Screen;
  parks_++;
  changed_.notify_all();
  changed_.wait(lock, [&] { return go_; });
  go_ = false;
  parked_ = Park::None;
}

// Emulation thread for loads; the core's save worker thread for saves. Queues no job: the core would drop it.
void N64Machine::onStateChange(int param, int value) {
  Lock lock(mutex_);
  if (param == M64CORE_STATE_SAVECOMPLETE) {
    saveDone_ = true;
    saveResult_ = value;
    changed_.notify_all();
  } else if (param == M64CORE_STATE_LOADCOMPLETE && expectLoad_) {
    expectLoad_ = false;
    loadResult_ = value;
    if (stopping_) return;
    parked_ = Park::LoadCallback;
    parks_++;
    changed_.notify_all();
    changed_.wait(lock, [&] { return go_; });
    go_ = false;
    parked_ = Park::None;
  }
}

void N64Machine::onLog(int level, const char* message) {
  if (level > M64MSG_WARNING || message == nullptr) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (log_.size() == kMaxLogLines) log_.erase(log_.begin());
  log_.emplace_back(message);
}

std::vector<std::string> N64Machine::recentLog() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

N64Machine::Park N64Machine::release(Lock& lock, uint64_t screens, unsigned timeoutMs) {
  target_ = screens_ + screens;
  const uint64_t parksBefore = parks_;
  go_ = true;
  changed_.notify_all();
  const bool parked = changed_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                        [&] { return parks_ > parksBefore || executeReturned_; });
  if (!parked || executeReturned_) {
    broken_ = true;
    throw EmulatorError("ENV_CRASHED", parked ? "the N64 core stopped running" : "the N64 core ran no VI in time");
  }
  stateAtCallback_.resize(parked_ == Park::LoadCallback ? stateAtCallback_.size() : 0);
  return parked_;
}

void N64Machine::setKeys(unsigned port, uint32_t word) {
  if (port >= keys_.size()) throw EmulatorError("INVALID_ARGUMENT", "N64 ports are 0-3");
  keys_[port] = word;
}

void N64Machine::run(unsigned vis) {
  requireHealthy();
  if (vis == 0) return;
  Lock lock(mutex_);
  if (release(lock, vis, kStepTimeoutMs + vis * 100) != Park::Screen) {
    broken_ = true;
    throw EmulatorError("ENV_CRASHED", "the N64 core stopped somewhere other than a VI");
  }
}

void N64Machine::leaveLoadCallback(Lock& lock) {
  // A job queued while parked in the callback would be cleared by the core after it: park on the next VI first.
  if (parked_ == Park::LoadCallback && release(lock, 1, kStepTimeoutMs) != Park::Screen) {
    broken_ = true;
    throw EmulatorError("ENV_CRASHED", "the N64 core did not reach a VI after a state load");
  }
}

void N64Machine::loadFile(Lock& lock, const std::string& path) {
  leaveLoadCallback(lock);
  expectLoad_ = true;
  loadResult_ = -1;
  command(M64CMD_STATE_LOAD, 0, const_cast<char*>(path.c_str()), "queue a state load", "STATE_INVALID");
  // The job runs at the core's next interrupt, at the latest the next VI's, which then parks in the callback.
  const Park park = release(lock, 2, kStepTimeoutMs);
  expectLoad_ = false;
  if (park != Park::LoadCallback || loadResult_ != 1) {
    throw EmulatorError("STATE_INVALID", "mupen64plus refused the state (not a state of this ROM and core?)");
  }
}

std::vector<uint8_t> N64Machine::saveState() {
  requireHealthy();
  Lock lock(mutex_);
  if (parked_ == Park::LoadCallback && !stateAtCallback_.empty()) return stateAtCallback_;
  leaveLoadCallback(lock);
  std::error_code ec;
  fs::remove(statePath_, ec);
  saveDone_ = false;
  // Format 1 (mupen64plus's own): taken at the end of the interrupt we are parked in, i.e. right after this VI;
  // the file is written by a worker thread that reports through the state callback.
  command(M64CMD_STATE_SAVE, 1, const_cast<char*>(statePath_.c_str()), "queue a state save", "STATE_INVALID");
  release(lock, 1, kStepTimeoutMs);
  if (!changed_.wait_for(lock, std::chrono::milliseconds(kStepTimeoutMs), [&] { return saveDone_; }) || saveResult_ != 1) {
    throw EmulatorError("STATE_INVALID", "mupen64plus did not save a state");
  }
  std::vector<uint8_t> state = readFile(statePath_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStepTimeoutMs);
  while (!wholeGzip(zlib_, state)) {
    if (std::chrono::steady_clock::now() > deadline) throw EmulatorError("STATE_INVALID", "mupen64plus wrote no whole state");
    changed_.wait_for(lock, std::chrono::milliseconds(1));
    state = readFile(statePath_);
  }
  // Callers get the state inflated: one size for every state of a ROM (libretro's retro_serialize_size).
  std::vector<uint8_t> raw;
  if (!inflateGzip(zlib_, state, kStateMaxRaw, &raw)) throw EmulatorError("STATE_INVALID", "mupen64plus wrote a damaged state");
  stateRawSize_ = raw.size();
  // The thread ran on to the next VI meanwhile: go back to where the state was taken.
  loadFile(lock, statePath_);
  stateAtCallback_ = raw;
  return raw;
}

void N64Machine::loadState(const uint8_t* data, size_t size) {
  requireHealthy();
  const std::vector<uint8_t> raw = checkState(std::vector<uint8_t>(data, data + size));
  Lock lock(mutex_);
  leaveLoadCallback(lock);
  {
    const std::vector<uint8_t> gzipped = gzipStored(zlib_, raw.data(), raw.size());
    std::ofstream file(statePath_, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(gzipped.data()), static_cast<std::streamsize>(gzipped.size()));
    if (!file) throw EmulatorError("STATE_INVALID", "cannot write the state to " + statePath_);
  }
  loadFile(lock, statePath_);
  stateAtCallback_ = raw;
}

// Refuses here what the core would refuse only after it has left the VI we are parked on: a refused load would
// otherwise have moved the machine on.
// Takes a state as saveState() returns it, or gzipped as mupen64plus writes its files; returns it inflated.
std::vector<uint8_t> N64Machine::checkState(const std::vector<uint8_t>& state) const {
  std::vector<uint8_t> raw;
  const bool gzipped = state.size() >= 2 && state[0] == 0x1f && state[1] == 0x8b;
  if (!gzipped) {
    raw = state;
  } else if (!inflateGzip(zlib_, state, kStateMaxRaw, &raw)) {
    throw EmulatorError("STATE_INVALID", "not a mupen64plus state: a gzip file that is cut short or inflates past 32 MiB");
  }
  if (raw.size() < kStateHeader || std::memcmp(raw.data(), "M64+SAVE", 8) != 0) {
    throw EmulatorError("STATE_INVALID", "not a mupen64plus state: no M64+SAVE header");
  }
  if (romMd5_.size() != 32 || std::memcmp(raw.data() + 12, romMd5_.data(), 32) != 0) {
    throw EmulatorError("STATE_INVALID", "a state of another ROM (its MD5 is not this ROM's)");
  }
  const size_t expected = stateRawSize_ != 0 ? stateRawSize_ : kStateHeader + kStateMachineBytes;
  if (stateRawSize_ != 0 ? raw.size() != expected : raw.size() < expected) {
    throw EmulatorError("STATE_INVALID", "a mupen64plus state of the wrong size (" + std::to_string(raw.size()) +
                                             " bytes, expected " + std::to_string(expected) + ")");
  }
  return raw;
}

void N64Machine::reset() {
  requireHealthy();
  Lock lock(mutex_);
  leaveLoadCallback(lock);
  command(M64CMD_RESET, 1, nullptr, "reset", "ENV_CRASHED");  // hard reset, run at the next interrupt
  release(lock, 1, kBootTimeoutMs);
}

size_t N64Machine::rdramSize() const {
  return (gfx_->version >= 2 && gfx_->RDRAM_SIZE != nullptr) ? *gfx_->RDRAM_SIZE : 0x800000;
}

}  // namespace rgym::n64
