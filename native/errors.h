// The one exception type native code throws. `code` matches a RetroErrorCode in lib/errors.ts, so the TypeScript
// side can rethrow it as the right typed error.
#pragma once

#include <stdexcept>
#include <string>

namespace rgym {

class EmulatorError : public std::runtime_error {
 public:
  EmulatorError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

}  // namespace rgym
