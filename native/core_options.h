// A core's options (libretro "variables"): what the core declared with SET_VARIABLES, what the user overrode, and
// whether the core has seen the latest values. Overrides may come before the core declares the option.
#pragma once

#include <libretro.h>

#include <map>
#include <string>
#include <vector>

namespace rgym {

struct CoreOption {
  std::string key, description, defaultValue, value;
  std::vector<std::string> choices;
};

class CoreOptions {
 public:
  // Every option, declared or overridden, in the order first seen.
  std::vector<CoreOption> list() const;
  // Overrides an option; the core sees it at its next GET_VARIABLE_UPDATE poll.
  void set(const std::string& key, const std::string& value);
  // SET_VARIABLES: "Description; first|second|third" per variable, the first choice the default.
  void declare(const retro_variable* variables);
  // GET_VARIABLE: the option's value, or nullptr for an option nobody declared or set. Valid until it changes.
  const char* value(const char* key) const;
  // GET_VARIABLE_UPDATE: whether a value changed since the core last asked.
  bool takeChanged();
  // "\nkey=value" for every option, in order: what a core's state after loading a game depends on.
  std::string fingerprint() const;

 private:
  std::map<std::string, CoreOption> byKey_;
  std::vector<std::string> order_;
  bool changed_ = false;
};

}  // namespace rgym
