// A shared object loaded from a private copy of its file, so every emulator gets its own globals: the mupen64plus
// core and each of its plugins keep their whole machine in globals. Same trick as CoreLibrary (core_library.h):
// copy, dlopen RTLD_LOCAL, unlink the copy at once.
#pragma once

#include <string>

namespace rgym::n64 {

class PrivateLibrary {
 public:
  // Throws EmulatorError `missingCode` when `path` is not a file, CORE_LOAD_FAILED when it does not load.
  PrivateLibrary(const std::string& path, const std::string& scratchDir, const std::string& missingCode,
                 const std::string& missingHint);
  ~PrivateLibrary();
  PrivateLibrary(const PrivateLibrary&) = delete;
  PrivateLibrary& operator=(const PrivateLibrary&) = delete;

  void* handle() const { return handle_; }
  const std::string& path() const { return path_; }

  // Throws CORE_LOAD_FAILED naming the file when the symbol is missing.
  template <typename Fn>
  Fn symbol(const char* name) const {
    return reinterpret_cast<Fn>(rawSymbol(name));
  }

 private:
  void* rawSymbol(const char* name) const;
  std::string path_;
  void* handle_ = nullptr;
};

}  // namespace rgym::n64
