// A private frontend extension (RETRO_ENVIRONMENT_PRIVATE range) for cores of our own: before a retro_* call
// returns false, the core says why, with one of our error codes (errors.h), and the addon throws exactly that error
// instead of a generic one. Other frontends answer false to it, and the core then only logs.
#pragma once

#include <libretro.h>

#define RGYM_ENVIRONMENT_SET_ERROR (RETRO_ENVIRONMENT_PRIVATE | 0x4747)

struct rgym_core_error {
  const char* code;     // e.g. "ROM_INVALID", "CORE_NOT_FOUND", "STATE_INVALID"
  const char* message;  // copied by the frontend before the call returns
};
