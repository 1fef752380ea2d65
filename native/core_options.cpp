#include "core_options.h"

namespace rgym {
namespace {

// The choices after "Description; ": "first|second|third".
std::vector<std::string> splitChoices(std::string choices) {
  std::vector<std::string> out;
  while (!choices.empty() && choices.front() == ' ') choices.erase(choices.begin());
  if (choices.empty()) return out;
  for (size_t begin = 0;;) {
    const size_t bar = choices.find('|', begin);
    out.push_back(choices.substr(begin, bar == std::string::npos ? std::string::npos : bar - begin));
    if (bar == std::string::npos) return out;
    begin = bar + 1;
  }
}

}  // namespace

std::vector<CoreOption> CoreOptions::list() const {
  std::vector<CoreOption> out;
  for (const std::string& key : order_) out.push_back(byKey_.at(key));
  return out;
}

void CoreOptions::set(const std::string& key, const std::string& value) {
  auto it = byKey_.find(key);
  if (it == byKey_.end()) {
    order_.push_back(key);
    it = byKey_.emplace(key, CoreOption{key, "", "", value, {}}).first;
  }
  it->second.value = value;
  changed_ = true;
}

void CoreOptions::declare(const retro_variable* variables) {
  for (const retro_variable* v = variables; v != nullptr && v->key != nullptr; ++v) {
    CoreOption option;
    option.key = v->key;
    const std::string spec = v->value != nullptr ? v->value : "";
    const auto semicolon = spec.find(';');
    option.description = spec.substr(0, semicolon);
    option.choices = splitChoices(semicolon == std::string::npos ? "" : spec.substr(semicolon + 1));
    option.defaultValue = option.choices.empty() ? "" : option.choices.front();
    const auto existing = byKey_.find(option.key);
    if (existing != byKey_.end()) {
      option.value = existing->second.value;  // an override set before the core declared the option wins
      existing->second = option;
    } else {
      option.value = option.defaultValue;
      order_.push_back(option.key);
      byKey_.emplace(option.key, option);
    }
  }
}

const char* CoreOptions::value(const char* key) const {
  const auto it = key != nullptr ? byKey_.find(key) : byKey_.end();
  return it != byKey_.end() ? it->second.value.c_str() : nullptr;
}

bool CoreOptions::takeChanged() {
  const bool changed = changed_;
  changed_ = false;
  return changed;
}

std::string CoreOptions::fingerprint() const {
  std::string out;
  for (const std::string& key : order_) out += "\n" + key + "=" + byKey_.at(key).value;
  return out;
}

}  // namespace rgym
