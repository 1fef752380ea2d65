// The N-API face of the core pool: its size, how many copies are idle, and draining it.
#include <napi.h>

#include "core_pool.h"
#include "napi_guard.h"

namespace rgym {

namespace {

Napi::Value SetCorePoolSize(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw EmulatorError("INVALID_ARGUMENT", "copies must be a number");
    const double copies = info[0].As<Napi::Number>().DoubleValue();
    if (!(copies >= 0) || copies > 1024 || copies != static_cast<double>(static_cast<size_t>(copies))) {
      throw EmulatorError("INVALID_ARGUMENT", "copies per core must be an integer in [0, 1024]");
    }
    CorePool::instance().setCopiesPerCore(static_cast<size_t>(copies));
    return info.Env().Undefined();
  });
}

Napi::Value CorePoolStats(const Napi::CallbackInfo& info) {
  Napi::Object stats = Napi::Object::New(info.Env());
  stats.Set("copiesPerCore", static_cast<double>(CorePool::instance().copiesPerCore()));
  stats.Set("idle", static_cast<double>(CorePool::instance().idleCopies()));
  return stats;
}

Napi::Value DrainCorePool(const Napi::CallbackInfo& info) {
  CorePool::instance().drain();
  return info.Env().Undefined();
}

}  // namespace

void registerCorePool(Napi::Env env, Napi::Object exports) {
  exports.Set("setCorePoolSize", Napi::Function::New(env, SetCorePoolSize, "setCorePoolSize"));
  exports.Set("corePoolStats", Napi::Function::New(env, CorePoolStats, "corePoolStats"));
  exports.Set("drainCorePool", Napi::Function::New(env, DrainCorePool, "drainCorePool"));
}

}  // namespace rgym
