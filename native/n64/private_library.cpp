#include "private_library.h"

#include <dlfcn.h>

#include <atomic>
#include <filesystem>
#include <system_error>

#include "../errors.h"

namespace rgym::n64 {
namespace fs = std::filesystem;

namespace {
std::atomic<unsigned> copyCounter{0};
}

PrivateLibrary::PrivateLibrary(const std::string& path, const std::string& scratchDir, const std::string& missingCode,
                               const std::string& missingHint)
    : path_(path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw EmulatorError(missingCode, path + " not found" + missingHint);
  // A new name per copy: the loader would hand back the already loaded object for a path it has seen.
  const fs::path copy = fs::path(scratchDir) / ("n64-" + std::to_string(copyCounter++) + "-" + fs::path(path).filename().string());
  fs::copy_file(path, copy, fs::copy_options::overwrite_existing, ec);
  if (ec) throw EmulatorError("CORE_LOAD_FAILED", "cannot copy " + path + " to " + copy.string() + ": " + ec.message());
  handle_ = dlopen(copy.c_str(), RTLD_NOW | RTLD_LOCAL);
  fs::remove(copy, ec);
  if (handle_ == nullptr) {
    const char* reason = dlerror();
    throw EmulatorError("CORE_LOAD_FAILED", "cannot load " + path + ": " + (reason != nullptr ? reason : "dlopen failed"));
  }
}

PrivateLibrary::~PrivateLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

void* PrivateLibrary::rawSymbol(const char* name) const {
  void* symbol = dlsym(handle_, name);
  if (symbol == nullptr) throw EmulatorError("CORE_LOAD_FAILED", path_ + " has no symbol " + name);
  return symbol;
}

}  // namespace rgym::n64
