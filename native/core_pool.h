// Loaded core copies kept after their emulator closes, for the next emulator of the same core.
//
// Some cores leak per loaded copy (bsnes-mercury's static constructors allocate about 0.5 MiB that no destructor
// frees), so a long run that remakes its envs grows without bound when every emulator loads a new copy. The pool
// keeps a few copies per core file whose emulator unloaded its game and called retro_deinit; take() hands each to
// one emulator only, which calls retro_init again.
//
// retro_deinit does not make every core a new machine: bsnes-mercury keeps the previous game's WRAM, gambatte some
// PPU state. So the pool also remembers the state each game had right after a new copy loaded it (its power-on
// state), and an emulator on a reused copy loads that state after loading the game: it then runs exactly as on a
// new copy. A reused copy meeting a game with no power-on state yet is traded for a new copy (see Emulator).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core_library.h"

namespace rgym {

using PowerOnState = std::shared_ptr<const std::vector<uint8_t>>;

class CorePool {
 public:
  // Copies kept per core file unless RETRO_CORE_POOL says otherwise (0 turns the pool off).
  static constexpr size_t kDefaultCopiesPerCore = 4;
  // Power-on states remembered, most recently used first; a few MiB at most for SNES-sized states.
  static constexpr size_t kPowerOnStates = 16;

  // The one pool of the process (emulators of every thread share it). Drained at exit.
  static CorePool& instance();

  // An idle copy of the core file at `corePath`, now owned by the caller; nullptr when there is none.
  std::unique_ptr<CoreLibrary> take(const std::string& corePath);
  // Keeps a deinitialised copy for the next take() of its file; unloads it when that core has enough idle copies.
  void give(std::unique_ptr<CoreLibrary> core);

  // `game` names a core file, a game and the core options it was loaded with (Emulator::powerOnKey).
  PowerOnState powerOnState(const std::string& game);
  void rememberPowerOnState(const std::string& game, PowerOnState state);

  bool enabled() const { return copiesPerCore() > 0; }
  void setCopiesPerCore(size_t copies);
  size_t copiesPerCore() const;
  size_t idleCopies() const;
  // Unloads every idle copy and forgets the power-on states.
  void drain();

  CorePool(const CorePool&) = delete;
  CorePool& operator=(const CorePool&) = delete;

 private:
  CorePool();
  using Copies = std::vector<std::unique_ptr<CoreLibrary>>;
  // Unloads every idle copy and pools nothing from now on: the process is exiting.
  void close();
  // Moves the idle copies out, so they are unloaded after the lock is released (dlclose runs core destructors).
  Copies takeAllLocked();

  mutable std::mutex mutex_;
  size_t copiesPerCore_;
  bool closed_ = false;
  std::map<std::string, Copies> idle_;  // by CoreLibrary::fileIdentity()
  std::list<std::pair<std::string, PowerOnState>> powerOnStates_;  // most recently used first
};

}  // namespace rgym
