#include "core_pool.h"

#include <cstdlib>
#include <string>

namespace rgym {

namespace {

size_t copiesFromEnvironment() {
  const char* setting = std::getenv("RETRO_CORE_POOL");
  if (setting == nullptr || *setting == '\0' || *setting == '-') return CorePool::kDefaultCopiesPerCore;
  char* end = nullptr;
  const unsigned long copies = std::strtoul(setting, &end, 10);
  return *end == '\0' ? static_cast<size_t>(copies) : CorePool::kDefaultCopiesPerCore;
}

}  // namespace

CorePool& CorePool::instance() {
  // Never destroyed: an emulator finalised late in shutdown may still give its copy back. The exit handler unloads
  // what is idle then, and from that point on give() unloads at once.
  static CorePool* const pool = [] {
    auto* created = new CorePool();
    std::atexit([] { CorePool::instance().close(); });
    return created;
  }();
  return *pool;
}

CorePool::CorePool() : copiesPerCore_(copiesFromEnvironment()) {}

std::unique_ptr<CoreLibrary> CorePool::take(const std::string& corePath) {
  const std::string identity = coreFileIdentity(corePath);
  if (identity.empty()) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = idle_.find(identity);
  if (it == idle_.end() || it->second.empty()) return nullptr;
  std::unique_ptr<CoreLibrary> core = std::move(it->second.back());
  it->second.pop_back();
  return core;
}

void CorePool::give(std::unique_ptr<CoreLibrary> core) {
  if (!core) return;
  std::unique_ptr<CoreLibrary> surplus;  // unloaded after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  Copies& copies = idle_[core->fileIdentity()];
  if (closed_ || copies.size() >= copiesPerCore_) {
    surplus = std::move(core);
  } else {
    copies.push_back(std::move(core));
  }
}

PowerOnState CorePool::powerOnState(const std::string& game) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = powerOnStates_.begin(); it != powerOnStates_.end(); ++it) {
    if (it->first != game) continue;
    powerOnStates_.splice(powerOnStates_.begin(), powerOnStates_, it);
    return it->second;
  }
  return nullptr;
}

void CorePool::rememberPowerOnState(const std::string& game, PowerOnState state) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || copiesPerCore_ == 0) return;
  powerOnStates_.remove_if([&](const auto& entry) { return entry.first == game; });
  powerOnStates_.emplace_front(game, std::move(state));
  if (powerOnStates_.size() > kPowerOnStates) powerOnStates_.pop_back();
}

void CorePool::setCopiesPerCore(size_t copies) {
  Copies surplus;
  std::lock_guard<std::mutex> lock(mutex_);
  copiesPerCore_ = copies;
  for (auto& [identity, idle] : idle_) {
    while (idle.size() > copies) {
      surplus.push_back(std::move(idle.back()));
      idle.pop_back();
    }
  }
  if (copies == 0) powerOnStates_.clear();
}

size_t CorePool::copiesPerCore() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return copiesPerCore_;
}

size_t CorePool::idleCopies() const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t count = 0;
  for (const auto& [identity, idle] : idle_) count += idle.size();
  return count;
}

void CorePool::drain() {
  Copies idle;
  std::lock_guard<std::mutex> lock(mutex_);
  idle = takeAllLocked();
  powerOnStates_.clear();
}

void CorePool::close() {
  Copies idle;
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  idle = takeAllLocked();
  powerOnStates_.clear();
}

CorePool::Copies CorePool::takeAllLocked() {
  Copies all;
  for (auto& [identity, idle] : idle_) {
    for (auto& core : idle) all.push_back(std::move(core));
  }
  idle_.clear();
  return all;
}

}  // namespace rgym
