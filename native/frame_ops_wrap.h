// N-API face of the pixel kernels (frame_ops.h): exports.frameOps = { rgbToGray, resizeArea, resizeBilinear, maxPool }.
#pragma once

#include <napi.h>

namespace rgym {

void registerFrameOps(Napi::Env env, Napi::Object exports);

}  // namespace rgym
