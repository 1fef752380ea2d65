// Bytes the C heap holds for the process (glibc mallinfo2): leak tests and the bench count what each make/close
// cycle leaves allocated, which RSS shows only once its pages are touched.
#include <malloc.h>
#include <napi.h>

namespace rgym {

namespace {

Napi::Value MallocInUse(const Napi::CallbackInfo& info) {
  const struct mallinfo2 stats = mallinfo2();
  return Napi::Number::New(info.Env(), static_cast<double>(stats.uordblks + stats.hblkhd));
}

}  // namespace

void registerMemoryStats(Napi::Env env, Napi::Object exports) {
  exports.Set("mallocInUse", Napi::Function::New(env, MallocInUse, "mallocInUse"));
}

}  // namespace rgym
