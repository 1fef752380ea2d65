// `buildInfo()`: how this addon file was built, so `retro doctor` can tell a prebuilt addon from a source build
// and say whether Lua is linked in.
#include <lua.hpp>
#include <napi.h>

#ifndef RGYM_STATIC_LUA
#define RGYM_STATIC_LUA 0
#endif
#ifndef RGYM_PREBUILD
#define RGYM_PREBUILD 0
#endif

namespace rgym {

namespace {

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  out.Set("lua", Napi::String::New(env, LUA_RELEASE));
  out.Set("luaLinkage", Napi::String::New(env, RGYM_STATIC_LUA ? "static" : "shared"));
  out.Set("prebuilt", Napi::Boolean::New(env, RGYM_PREBUILD != 0));
  out.Set("compiler", Napi::String::New(env, __VERSION__));
  return out;
}

}  // namespace

void registerBuildInfo(Napi::Env env, Napi::Object exports) { exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo")); }

}  // namespace rgym
