// rgym_mupen64plus_libretro.so: a libretro core of our own that runs Debian's mupen64plus (N64Machine). The addon
// hosts it like any other libretro core, so everything built for libretro cores (sessions, BatchEnv, preprocessing,
// movies, the play page) drives an N64 with no second code path, and a user's own libretro N64 core can stand in
// for it under the same descriptor (cores/n64.json).
//
// Every callback into the frontend happens inside a retro_* call, on the caller's thread: the frontend dispatches
// them through a thread-local, and the emulation thread is not the caller's.
//
// Where the parts are: the core options rgym-mupen64plus-library / -rsp / -data (the frontend sets them; Debian's
// paths otherwise), and our input and video plugins beside this file (RETRO_ENVIRONMENT_GET_LIBRETRO_PATH).
//
// Pictures: core option rgym-mupen64plus-video = scanout (default: the VI framebuffer read from RDRAM, no GL) or
// glide64mk2 (Debian's GL plugin draws what the RDP is told, on Mesa's EGL without a window; GlVideo), whose file
// is rgym-mupen64plus-glide64mk2 (Debian's otherwise).
#include <libretro.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "../core_error.h"
#include "../errors.h"
#include "n64_machine.h"
#include "vi_scanout.h"

namespace {
namespace fs = std::filesystem;
using rgym::EmulatorError;
using rgym::n64::N64Machine;

retro_environment_t environment = nullptr;
retro_video_refresh_t videoRefresh = nullptr;
retro_input_poll_t inputPoll = nullptr;
retro_input_state_t inputState = nullptr;
retro_log_printf_t logPrintf = nullptr;

std::unique_ptr<N64Machine> machine;
std::vector<uint32_t> picture(rgym::n64::kScanoutWidth * rgym::n64::kScanoutHeight);
size_t stateSize = 0;  // the inflated size of this ROM's states (retro_serialize_size)

// N64 controller bits (BUTTONS in m64p_plugin.h), by RetroPad id. A, B, Z, L, R, START and the d-pad sit where
// libretro N64 cores put them (B on the west face button, Z on L2), so one descriptor serves those cores too; the
// C buttons, which those cores take from the right stick, also have RetroPad buttons of their own here.
constexpr int kNone = -1;
constexpr std::array<int, 16> kN64BitOfRetroPad = {
    10,     // B      -> C-down
    6,      // Y      -> B
    kNone,  // SELECT
    4,      // START
    3, 2, 1, 0,  // UP, DOWN, LEFT, RIGHT -> the d-pad
    7,      // A      -> A
    9,      // X      -> C-left
    13,     // L      -> L
    12,     // R      -> R
    5,      // L2     -> Z
    11,     // R2     -> C-up
    8,      // L3     -> C-right
    kNone,  // R3
};
constexpr unsigned kPorts = 4;
// Full deflection of a real N64 stick: about 80 steps from the centre (OEM controllers), not the byte's 127.
constexpr int kStickRange = 80;
constexpr int kCButtonThreshold = 0x4000;  // right stick past half way presses a C button

void log(retro_log_level level, const std::string& message) {
  if (logPrintf != nullptr) logPrintf(level, "%s\n", message.c_str());
}

// Fails a retro_* call: the frontend sees false, and why (our addon throws that error; others see the log).
bool fail(const std::exception& error) {
  const auto* typed = dynamic_cast<const EmulatorError*>(&error);
  const std::string code = typed != nullptr ? typed->code() : "ENV_CRASHED";
  rgym_core_error reason{code.c_str(), error.what()};
  if (environment != nullptr) environment(RGYM_ENVIRONMENT_SET_ERROR, &reason);
  log(RETRO_LOG_ERROR, "[" + code + "] " + error.what());
  if (machine) {
    for (const std::string& line : machine->recentLog()) log(RETRO_LOG_WARN, "mupen64plus: " + line);
  }
  return false;
}

std::string option(const char* key, const std::string& fallback) {
  retro_variable variable{key, nullptr};
  if (environment != nullptr && environment(RETRO_ENVIRONMENT_GET_VARIABLE, &variable) && variable.value != nullptr &&
      variable.value[0] != '\0') {
    return variable.value;
  }
  return fallback;
}

std::string debianCore() {
  for (const char* folder : {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib"}) {
    std::error_code ec;
    if (fs::exists(fs::path(folder) / "libmupen64plus.so.2", ec)) return (fs::path(folder) / "libmupen64plus.so.2").string();
  }
  return "/usr/lib/x86_64-linux-gnu/libmupen64plus.so.2";
}

// The folder this core was loaded from: the frontend's original file, not the private copy it may have made.
fs::path ownFolder() {
  const char* path = nullptr;
  if (environment != nullptr && environment(RETRO_ENVIRONMENT_GET_LIBRETRO_PATH, &path) && path != nullptr) {
    return fs::path(path).parent_path();
  }
  return fs::current_path();
}

rgym::n64::PluginFiles pluginFiles() {
  const std::string core = option("rgym-mupen64plus-library", debianCore());
  const fs::path rsp = fs::path(core).parent_path() / "mupen64plus" / "mupen64plus-rsp-hle.so";
  const fs::path ours = ownFolder();
  const std::string video = option("rgym-mupen64plus-video", "scanout");
  if (video != "scanout" && video != "glide64mk2") {
    throw EmulatorError("INVALID_ARGUMENT", "rgym-mupen64plus-video is scanout or glide64mk2, not " + video);
  }
  const fs::path glide = fs::path(core).parent_path() / "mupen64plus" / "mupen64plus-video-glide64mk2.so";
  return {core,
          option("rgym-mupen64plus-rsp", rsp.string()),
          (ours / "rgym_n64_input.so").string(),
          (ours / "rgym_n64_video.so").string(),
          option("rgym-mupen64plus-data", "/usr/share/games/mupen64plus"),
          video == "glide64mk2" ? option("rgym-mupen64plus-glide64mk2", glide.string()) : std::string()};
}

std::string systemDirectory() {
  const char* path = nullptr;
  if (environment == nullptr || !environment(RETRO_ENVIRONMENT_GET_SYSTEM_DIRECTORY, &path) || path == nullptr) {
    throw EmulatorError("CORE_LOAD_FAILED", "the frontend gave no system directory for the N64's files");
  }
  return path;
}

int8_t stickByte(int axis) {
  return static_cast<int8_t>(std::clamp(std::lround(axis * static_cast<double>(kStickRange) / 32767), -128L, 127L));
}

// One controller's BUTTONS word, read from the frontend: bits 0-13 the buttons, 16-23 stick X, 24-31 stick Y
// (positive = up on the N64, positive = down in libretro).
uint32_t readController(unsigned port) {
  const auto mask = static_cast<uint16_t>(inputState(port, RETRO_DEVICE_JOYPAD, 0, RETRO_DEVICE_ID_JOYPAD_MASK));
  uint32_t word = 0;
  for (unsigned id = 0; id < kN64BitOfRetroPad.size(); id++) {
    if ((mask >> id & 1) != 0 && kN64BitOfRetroPad[id] != kNone) word |= 1u << kN64BitOfRetroPad[id];
  }
  const int16_t rightX = inputState(port, RETRO_DEVICE_ANALOG, RETRO_DEVICE_INDEX_ANALOG_RIGHT, RETRO_DEVICE_ID_ANALOG_X);
  const int16_t rightY = inputState(port, RETRO_DEVICE_ANALOG, RETRO_DEVICE_INDEX_ANALOG_RIGHT, RETRO_DEVICE_ID_ANALOG_Y);
  if (rightX > kCButtonThreshold) word |= 1u << 8;
  if (rightX < -kCButtonThreshold) word |= 1u << 9;
  if (rightY > kCButtonThreshold) word |= 1u << 10;
  if (rightY < -kCButtonThreshold) word |= 1u << 11;
  const int16_t x = inputState(port, RETRO_DEVICE_ANALOG, RETRO_DEVICE_INDEX_ANALOG_LEFT, RETRO_DEVICE_ID_ANALOG_X);
  const int16_t y = inputState(port, RETRO_DEVICE_ANALOG, RETRO_DEVICE_INDEX_ANALOG_LEFT, RETRO_DEVICE_ID_ANALOG_Y);
  word |= static_cast<uint32_t>(static_cast<uint8_t>(stickByte(x))) << 16;
  word |= static_cast<uint32_t>(static_cast<uint8_t>(stickByte(-y))) << 24;
  return word;
}

// Whether the frontend looks at this frame's picture; unknown means yes.
bool videoWanted() {
  int enable = 0;
  if (environment == nullptr || !environment(RETRO_ENVIRONMENT_GET_AUDIO_VIDEO_ENABLE, &enable)) return true;
  return (enable & 1) != 0;
}

void showPicture() {
  if (!videoWanted()) return videoRefresh(nullptr, 0, 0, 0);  // the frontend skips this frame's picture
  if (const uint32_t* drawn = machine->glPicture()) {
    using rgym::n64::GlVideo;
    return videoRefresh(drawn, GlVideo::kWidth, GlVideo::kHeight, GlVideo::kWidth * 4);
  }
  const rgym::n64::ScanoutSize size = rgym::n64::scanOut(machine->gfx(), machine->rdramSize(), picture.data());
  if (size.width == 0) {
    // The VI is blanked: a black picture of the usual size.
    std::fill(picture.begin(), picture.begin() + 320 * 240, 0u);
    return videoRefresh(picture.data(), 320, 240, 320 * 4);
  }
  videoRefresh(picture.data(), size.width, size.height, size.width * 4);
}

// glide64mk2 writes its hotkey help over the first 90 pictures it swaps after the ROM opens (rdp_reset), whatever
// the game draws. Run past them and go back to the first VI, so that a picture depends on the machine's state and
// not on how many were drawn since boot. A game that swaps nothing for kSettleMaxVis VIs keeps the message.
constexpr uint64_t kGlideMessageSwaps = 91;
constexpr unsigned kSettleMaxVis = 600;

void settleGlVideo(const std::vector<uint8_t>& boot) {
  if (machine->glPicture() == nullptr) return;
  for (unsigned vi = 0; vi < kSettleMaxVis && machine->glSwaps() < kGlideMessageSwaps; vi++) machine->run(1);
  machine->loadState(boot.data(), boot.size());
}

void closeMachine() {
  machine.reset();
  stateSize = 0;
}

}  // namespace

extern "C" {

RETRO_API unsigned retro_api_version(void) { return RETRO_API_VERSION; }

RETRO_API void retro_set_environment(retro_environment_t callback) {
  environment = callback;
  retro_log_callback logging{};
  logPrintf = callback(RETRO_ENVIRONMENT_GET_LOG_INTERFACE, &logging) ? logging.log : nullptr;
  // The one option a user picks; the paths (rgym-mupen64plus-library, ...) are the frontend's business.
  static const retro_variable kOptions[] = {
      {"rgym-mupen64plus-video", "Pictures: the VI framebuffer read from RDRAM, or drawn by glide64mk2 with GL; scanout|glide64mk2"},
      {nullptr, nullptr}};
  callback(RETRO_ENVIRONMENT_SET_VARIABLES, const_cast<retro_variable*>(kOptions));
}
RETRO_API void retro_set_video_refresh(retro_video_refresh_t callback) { videoRefresh = callback; }
RETRO_API void retro_set_audio_sample(retro_audio_sample_t) {}
RETRO_API void retro_set_audio_sample_batch(retro_audio_sample_batch_t) {}
RETRO_API void retro_set_input_poll(retro_input_poll_t callback) { inputPoll = callback; }
RETRO_API void retro_set_input_state(retro_input_state_t callback) { inputState = callback; }

RETRO_API void retro_init(void) {}
RETRO_API void retro_deinit(void) { closeMachine(); }

RETRO_API void retro_get_system_info(retro_system_info* info) {
  *info = {};
  info->library_name = "rgym-mupen64plus";
  info->library_version = "1";
  info->valid_extensions = "z64|n64|v64";
  info->need_fullpath = false;
  info->block_extract = false;
}

RETRO_API void retro_get_system_av_info(retro_system_av_info* info) {
  *info = {};
  info->geometry = {320, 240, rgym::n64::kScanoutWidth, rgym::n64::kScanoutHeight, 4.0f / 3.0f};
  info->timing = {60.0, 0.0};  // one frame is one VI (NTSC); no audio plugin is attached
}

RETRO_API void retro_set_controller_port_device(unsigned, unsigned) {}

RETRO_API bool retro_load_game(const retro_game_info* game) {
  try {
    closeMachine();
    if (game == nullptr || game->data == nullptr || game->size == 0) {
      throw EmulatorError("ROM_INVALID", "the N64 host takes the ROM as bytes");
    }
    retro_pixel_format format = RETRO_PIXEL_FORMAT_XRGB8888;
    if (!environment(RETRO_ENVIRONMENT_SET_PIXEL_FORMAT, &format)) {
      throw EmulatorError("CORE_LOAD_FAILED", "the frontend does not take XRGB8888 pictures");
    }
    const auto* bytes = static_cast<const uint8_t*>(game->data);
    machine = std::make_unique<N64Machine>(pluginFiles(), systemDirectory(), std::vector<uint8_t>(bytes, bytes + game->size));
    // The state size must be known before the first save (the frontend sizes its buffer with it).
    const std::vector<uint8_t> boot = machine->saveState();
    stateSize = boot.size();
    settleGlVideo(boot);
    return true;
  } catch (const std::exception& error) {
    fail(error);
    closeMachine();
    return false;
  }
}

RETRO_API bool retro_load_game_special(unsigned, const retro_game_info*, size_t) { return false; }
RETRO_API void retro_unload_game(void) { closeMachine(); }
RETRO_API unsigned retro_get_region(void) { return RETRO_REGION_NTSC; }

RETRO_API void retro_run(void) {
  if (!machine) return;
  try {
    inputPoll();
    for (unsigned port = 0; port < kPorts; port++) machine->setKeys(port, readController(port));
    machine->run(1);
    showPicture();
  } catch (const std::exception& error) {
    // A machine whose thread stopped answering cannot go on: the frontend fails every later call.
    fail(error);
    environment(RETRO_ENVIRONMENT_SHUTDOWN, nullptr);
  }
}

RETRO_API void retro_reset(void) {
  try {
    if (machine) machine->reset();
  } catch (const std::exception& error) {
    fail(error);
    environment(RETRO_ENVIRONMENT_SHUTDOWN, nullptr);
  }
}

RETRO_API size_t retro_serialize_size(void) { return stateSize; }

RETRO_API bool retro_serialize(void* data, size_t size) {
  try {
    if (!machine) return false;
    const std::vector<uint8_t> state = machine->saveState();
    if (state.size() > size) throw EmulatorError("STATE_INVALID", "the state outgrew retro_serialize_size()");
    std::memcpy(data, state.data(), state.size());
    std::memset(static_cast<uint8_t*>(data) + state.size(), 0, size - state.size());
    return true;
  } catch (const std::exception& error) {
    return fail(error);
  }
}

RETRO_API bool retro_unserialize(const void* data, size_t size) {
  try {
    if (!machine) return false;
    machine->loadState(static_cast<const uint8_t*>(data), size);
    return true;
  } catch (const std::exception& error) {
    return fail(error);
  }
}

RETRO_API void retro_cheat_reset(void) {}
RETRO_API void retro_cheat_set(unsigned, bool, const char*) {}

RETRO_API void* retro_get_memory_data(unsigned id) {
  return (id == RETRO_MEMORY_SYSTEM_RAM && machine) ? machine->rdram() : nullptr;
}
RETRO_API size_t retro_get_memory_size(unsigned id) {
  return (id == RETRO_MEMORY_SYSTEM_RAM && machine) ? machine->rdramSize() : 0;
}

}  // extern "C"
