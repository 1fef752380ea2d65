// libretro callbacks carry no user pointer. Every call into a core therefore goes through a CoreCallScope, which
// points a thread-local at the emulator making the call; the static callbacks given to the core dispatch through it.
// An emulator is only ever driven by one thread at a time, so this is race-free.
#pragma once

#include <libretro.h>

#include "core_library.h"

namespace rgym {

class Emulator;

// Points this thread's callback target at one emulator for the duration of a call into its core.
class CoreCallScope {
 public:
  explicit CoreCallScope(Emulator* emulator);
  ~CoreCallScope();
  CoreCallScope(const CoreCallScope&) = delete;
  CoreCallScope& operator=(const CoreCallScope&) = delete;

 private:
  Emulator* previous_;
};

// Gives `core` the environment, video, audio and input callbacks, which reach the emulator of the current scope.
void connectCallbacks(CoreLibrary& core);

// The printf-style log function handed out through RETRO_ENVIRONMENT_GET_LOG_INTERFACE.
void coreLogCallback(retro_log_level level, const char* format, ...);

}  // namespace rgym
