#include "core_library.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include <filesystem>
#include <system_error>

#include "errors.h"

namespace rgym {
namespace fs = std::filesystem;

namespace {

template <typename Fn>
void bindSymbol(void* handle, const char* name, Fn& target, const std::string& corePath) {
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr) {
    throw EmulatorError("CORE_LOAD_FAILED", corePath + " is not a libretro core: it has no symbol " + name);
  }
  target = reinterpret_cast<Fn>(symbol);
}

}  // namespace

std::string coreFileIdentity(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return "";
  return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" + std::to_string(info.st_size) + ":" +
         std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
}

CoreLibrary::CoreLibrary(const std::string& corePath, const std::string& scratchDir)
    : fileIdentity_(coreFileIdentity(corePath)), originalPath_(corePath) {
  std::error_code ec;
  if (!fs::is_regular_file(corePath, ec)) {
    throw EmulatorError("CORE_NOT_FOUND", "libretro core not found: " + corePath);
  }
  const fs::path privateCopy = fs::path(scratchDir) / "core.so";
  fs::copy_file(corePath, privateCopy, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    throw EmulatorError("CORE_LOAD_FAILED", "cannot copy core " + corePath + " to " + privateCopy.string() + ": " +
                                                ec.message());
  }
  // RTLD_LOCAL keeps this copy's symbols out of the global namespace, so copies never bind to each other.
  handle_ = dlopen(privateCopy.c_str(), RTLD_NOW | RTLD_LOCAL);
  fs::remove(privateCopy, ec);
  if (handle_ == nullptr) {
    const char* reason = dlerror();
    throw EmulatorError("CORE_LOAD_FAILED",
                        "cannot load core " + corePath + ": " + (reason != nullptr ? reason : "unknown dlopen error"));
  }
  try {
    bindSymbol(handle_, "retro_init", retro_init, corePath);
    bindSymbol(handle_, "retro_deinit", retro_deinit, corePath);
    bindSymbol(handle_, "retro_api_version", retro_api_version, corePath);
    bindSymbol(handle_, "retro_get_system_info", retro_get_system_info, corePath);
    bindSymbol(handle_, "retro_get_system_av_info", retro_get_system_av_info, corePath);
    bindSymbol(handle_, "retro_set_environment", retro_set_environment, corePath);
    bindSymbol(handle_, "retro_set_video_refresh", retro_set_video_refresh, corePath);
    bindSymbol(handle_, "retro_set_audio_sample", retro_set_audio_sample, corePath);
    bindSymbol(handle_, "retro_set_audio_sample_batch", retro_set_audio_sample_batch, corePath);
    bindSymbol(handle_, "retro_set_input_poll", retro_set_input_poll, corePath);
    bindSymbol(handle_, "retro_set_input_state", retro_set_input_state, corePath);
    bindSymbol(handle_, "retro_set_controller_port_device", retro_set_controller_port_device, corePath);
    bindSymbol(handle_, "retro_reset", retro_reset, corePath);
    bindSymbol(handle_, "retro_run", retro_run, corePath);
    bindSymbol(handle_, "retro_serialize_size", retro_serialize_size, corePath);
    bindSymbol(handle_, "retro_serialize", retro_serialize, corePath);
    bindSymbol(handle_, "retro_unserialize", retro_unserialize, corePath);
    bindSymbol(handle_, "retro_load_game", retro_load_game, corePath);
    bindSymbol(handle_, "retro_unload_game", retro_unload_game, corePath);
    bindSymbol(handle_, "retro_get_memory_data", retro_get_memory_data, corePath);
    bindSymbol(handle_, "retro_get_memory_size", retro_get_memory_size, corePath);
  } catch (...) {
    dlclose(handle_);
    handle_ = nullptr;
    throw;
  }
  if (retro_api_version() != RETRO_API_VERSION) {
    dlclose(handle_);
    handle_ = nullptr;
    throw EmulatorError("CORE_LOAD_FAILED", corePath + " speaks an unsupported libretro API version");
  }
}

void CoreLibrary::setDirectory(const std::string& directory) {
  if (directory.size() >= directory_.size()) {
    throw EmulatorError("INVALID_ARGUMENT", "the work folder path is too long (" + std::to_string(directory.size()) +
                                                " bytes): " + directory);
  }
  std::memcpy(directory_.data(), directory.c_str(), directory.size() + 1);
}

CoreLibrary::~CoreLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

}  // namespace rgym
