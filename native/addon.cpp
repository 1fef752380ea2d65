// Module entry: registers the native classes.
#include <napi.h>

#include "emulator_wrap.h"
#include "frame_ops_wrap.h"
#include "session_wrap.h"

namespace rgym {
void registerBatch(Napi::Env env, Napi::Object exports);
void registerBuildInfo(Napi::Env env, Napi::Object exports);
void registerCorePool(Napi::Env env, Napi::Object exports);
void registerMemoryStats(Napi::Env env, Napi::Object exports);
void registerScenarioPreview(Napi::Env env, Napi::Object exports);
}

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeEmulator", rgym::EmulatorWrap::Define(env));
  exports.Set("NativeSession", rgym::SessionWrap::Define(env));
  rgym::registerBatch(env, exports);
  rgym::registerFrameOps(env, exports);
  rgym::registerBuildInfo(env, exports);
  rgym::registerCorePool(env, exports);
  rgym::registerMemoryStats(env, exports);
  rgym::registerScenarioPreview(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(libretro_gym, Init)
