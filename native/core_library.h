// A libretro core loaded from its own private copy of the shared object.
//
// libretro cores keep their emulation state in globals, so two emulators sharing one loaded .so would share one
// machine. Each CoreLibrary therefore copies the .so to a private file, dlopens that copy (a new path is a new
// object for the dynamic loader) and unlinks the copy at once: the mapping stays valid, and nothing is left on disk
// even if the process is killed.
//
// A copy outlives its emulator when the core pool keeps it (core_pool.h), so what the core may hold on to across
// emulators (the directory string it is given) belongs to the copy, not to the emulator.
#pragma once

#include <libretro.h>

#include <array>
#include <string>

namespace rgym {

class CoreLibrary {
 public:
  // Throws EmulatorError CORE_LOAD_FAILED when the file cannot be copied, opened or lacks a libretro symbol.
  CoreLibrary(const std::string& corePath, const std::string& scratchDir);
  ~CoreLibrary();
  CoreLibrary(const CoreLibrary&) = delete;
  CoreLibrary& operator=(const CoreLibrary&) = delete;

  // Which file this copy was made from, as coreFileIdentity() named it then: the core pool's key.
  const std::string& fileIdentity() const { return fileIdentity_; }

  // The file this copy was made from (RETRO_ENVIRONMENT_GET_LIBRETRO_PATH): cores find their own files beside it.
  const char* originalPath() const { return originalPath_.c_str(); }

  // The folder the core is told to use (system, save and assets directory). Cores keep the pointer they get, so it
  // stays valid as long as the copy is loaded; a reused copy's old pointer then reads its new emulator's folder.
  const char* directory() const { return directory_.data(); }
  // Throws EmulatorError INVALID_ARGUMENT for a path longer than the buffer.
  void setDirectory(const std::string& directory);

  void (*retro_init)(void) = nullptr;
  void (*retro_deinit)(void) = nullptr;
  unsigned (*retro_api_version)(void) = nullptr;
  void (*retro_get_system_info)(retro_system_info*) = nullptr;
  void (*retro_get_system_av_info)(retro_system_av_info*) = nullptr;
  void (*retro_set_environment)(retro_environment_t) = nullptr;
  void (*retro_set_video_refresh)(retro_video_refresh_t) = nullptr;
  void (*retro_set_audio_sample)(retro_audio_sample_t) = nullptr;
  void (*retro_set_audio_sample_batch)(retro_audio_sample_batch_t) = nullptr;
  void (*retro_set_input_poll)(retro_input_poll_t) = nullptr;
  void (*retro_set_input_state)(retro_input_state_t) = nullptr;
  void (*retro_set_controller_port_device)(unsigned, unsigned) = nullptr;
  void (*retro_reset)(void) = nullptr;
  void (*retro_run)(void) = nullptr;
  size_t (*retro_serialize_size)(void) = nullptr;
  bool (*retro_serialize)(void*, size_t) = nullptr;
  bool (*retro_unserialize)(const void*, size_t) = nullptr;
  bool (*retro_load_game)(const retro_game_info*) = nullptr;
  void (*retro_unload_game)(void) = nullptr;
  void* (*retro_get_memory_data)(unsigned) = nullptr;
  size_t (*retro_get_memory_size)(unsigned) = nullptr;

 private:
  void* handle_ = nullptr;
  std::string fileIdentity_;
  std::string originalPath_;
  std::array<char, 4096> directory_{};
};

// Names the file at `path` by device, inode, size and modification time, so a copy loaded from a file is never
// taken for a different file later installed at the same path. Empty when the file cannot be examined.
std::string coreFileIdentity(const std::string& path);

}  // namespace rgym
