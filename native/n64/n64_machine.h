// One Nintendo 64: a private copy of Debian's mupen64plus core and of each plugin (rsp-hle, our input plugin, our
// VI shim), the ROM it runs, and the emulation thread that M64CMD_EXECUTE blocks.
//
// Stepping: the VI shim calls onScreen() at every vertical interrupt. The emulation thread parks there when it
// has run the VIs the caller asked for, so run(n) advances exactly n VIs and, between calls, the machine stands
// still while the caller reads and writes RDRAM. States: the core only saves to and loads from files, as a job
// it runs at its next interrupt; a load parks the thread in the state callback, right where the state was taken
// (just after the VI that was parked on), so the caller's position is the same as when parked on the VI itself.
#pragma once

#include <atomic>
#include <array>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <mupen64plus/m64p_plugin.h>

#include "gl_video.h"
#include "private_library.h"
#include "state_gzip.h"

namespace rgym::n64 {

struct PluginFiles {
  std::string core;     // libmupen64plus.so.2
  std::string rsp;      // mupen64plus-rsp-hle.so
  std::string input;    // ours
  std::string video;    // ours
  std::string dataDir;  // mupen64plus-data (the ROM database); may be missing
  std::string glVideo;  // glide64mk2, when pictures come from it (GlVideo); empty: the VI scan-out
};

class N64Machine {
 public:
  // Boots `rom` and runs it to its first VI. Throws EmulatorError (CORE_NOT_FOUND, CORE_LOAD_FAILED,
  // ROM_INVALID, ROM_LOAD_FAILED).
  N64Machine(const PluginFiles& files, const std::string& workDir, const std::vector<uint8_t>& rom);
  ~N64Machine();
  N64Machine(const N64Machine&) = delete;
  N64Machine& operator=(const N64Machine&) = delete;

  // One BUTTONS word per controller: bits 0-13 the buttons, bits 16-23 the stick's X, 24-31 its Y (signed).
  void setKeys(unsigned port, uint32_t word);
  void run(unsigned vis);
  // States are mupen64plus's own format, inflated: every state of a ROM has the same size. loadState also takes
  // them gzipped, as the core writes its files.
  std::vector<uint8_t> saveState();
  void loadState(const uint8_t* data, size_t size);
  void reset();

  uint8_t* rdram() const { return gfx_->RDRAM; }
  size_t rdramSize() const;
  const GFX_INFO& gfx() const { return *gfx_; }
  // GL video only (else null): the last picture the plugin swapped in, GlVideo::kWidth x kHeight XRGB8888.
  const uint32_t* glPicture() const { return gl_ ? gl_->picture() : nullptr; }
  uint64_t glSwaps() const { return gl_ ? gl_->swaps() : 0; }
  std::vector<std::string> recentLog() const;

  // Called by the core and the VI shim.
  void onScreen();
  void onStateChange(int param, int value);
  void onLog(int level, const char* message);

 private:
  enum class Park { None, Screen, LoadCallback };
  using Lock = std::unique_lock<std::mutex>;

  void startCore(const std::string& workDir, const std::string& dataDir);
  void openRom(const std::vector<uint8_t>& rom);
  void attachPlugins();
  void startThread();
  void stop();
  // Lets the parked thread go on until it has passed `screens` more VIs (or, when loading, the load callback),
  // and waits for it to park again. Throws ENV_CRASHED after the timeout or when the core stops on its own.
  Park release(Lock& lock, uint64_t screens, unsigned timeoutMs);
  void leaveLoadCallback(Lock& lock);
  void loadFile(Lock& lock, const std::string& path);
  void command(int cmd, int param, void* ptr, const char* what, const char* code);
  void requireHealthy() const;
  std::vector<uint8_t> checkState(const std::vector<uint8_t>& state) const;

  std::string workDir_;
  std::string statePath_;
  ZlibApi zlib_;
  std::string romMd5_;        // as the core computed it: states of other ROMs are refused before the core sees them
  size_t stateRawSize_ = 0;   // inflated size of the states this core writes, once one was saved
  std::unique_ptr<GlVideo> gl_;  // before the plugins: unloaded after the shim that forwards to it
  std::unique_ptr<PrivateLibrary> core_, rsp_, input_, video_;
  bool coreStarted_ = false, romOpen_ = false;
  std::array<bool, 5> attached_{};
  const GFX_INFO* gfx_ = nullptr;
  std::array<std::atomic<uint32_t>, 4> keys_{};

  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  Park parked_ = Park::None;
  uint64_t parks_ = 0;        // parks so far: a waiter knows the thread parked again
  uint64_t screens_ = 0;      // VIs the emulation thread has reached
  uint64_t target_ = 0;       // it parks at the VI that makes screens_ reach this
  bool go_ = false;           // the parked thread may go on
  bool stopping_ = false;
  bool expectLoad_ = false;   // a load job is queued: park in its completion callback
  int loadResult_ = -1;
  bool saveDone_ = false;
  int saveResult_ = 0;
  bool executeReturned_ = false;
  bool broken_ = false;       // a wait timed out: the thread's position is unknown
  std::vector<uint8_t> stateAtCallback_;  // parked in a load callback: the state the machine is in, exactly
  std::vector<std::string> log_;
};

}  // namespace rgym::n64
