// Argument checking for the pixel kernels: every buffer must be a byte array of exactly the size its dimensions
// imply, outputs must not overlap inputs, and failures throw errors with code INVALID_ARGUMENT. The kernels only
// read and write the caller's arrays.
#include "frame_ops_wrap.h"

#include <string>
#include <vector>

#include "frame.h"
#include "frame_ops.h"
#include "napi_guard.h"

namespace rgym {
namespace {

// Larger than any console's screen side, small enough that no size product overflows the kernels' arithmetic.
constexpr double kMaxSide = 65535;

struct Bytes {
  uint8_t* data;
  size_t length;
};

Napi::Error invalid(const Napi::Env& env, const std::string& message) {
  return makeError(env, "INVALID_ARGUMENT", message);
}

Bytes bytesArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  const Napi::Value value = info.Length() > index ? info[index] : info.Env().Undefined();
  if (value.IsTypedArray()) {
    const auto array = value.As<Napi::TypedArray>();
    const napi_typedarray_type type = array.TypedArrayType();
    if (type == napi_uint8_array || type == napi_uint8_clamped_array) {
      return {static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset(), array.ByteLength()};
    }
  }
  throw invalid(info.Env(), std::string(name) + " must be a Uint8Array");
}

double numberArg(const Napi::CallbackInfo& info, size_t index, const char* name, double min, double max) {
  const Napi::Value value = info.Length() > index ? info[index] : info.Env().Undefined();
  const double number = value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : -1;
  if (!value.IsNumber() || !(number >= min && number <= max) || number != static_cast<double>(static_cast<uint64_t>(number))) {
    throw invalid(info.Env(), std::string(name) + " must be an integer in [" + std::to_string(static_cast<uint64_t>(min)) + ", " +
                                  std::to_string(static_cast<uint64_t>(max)) + "]");
  }
  return number;
}

unsigned sideArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  return static_cast<unsigned>(numberArg(info, index, name, 1, kMaxSide));
}

void expectLength(const Napi::Env& env, const Bytes& bytes, size_t expected, const char* name, const std::string& why) {
  if (bytes.length != expected) {
    throw invalid(env, std::string(name) + " has " + std::to_string(bytes.length) + " bytes, expected " +
                           std::to_string(expected) + " (" + why + ")");
  }
}

bool overlap(const Bytes& a, const Bytes& b) {
  return a.length > 0 && b.length > 0 && a.data < b.data + b.length && b.data < a.data + a.length;
}

void expectDisjoint(const Napi::Env& env, const Bytes& out, const Bytes& in, const char* outName, const char* inName) {
  if (overlap(out, in)) throw invalid(env, std::string(outName) + " must not share memory with " + inName);
}

// rgbToGray(src, dst, pixels)
Napi::Value RgbToGray(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const Napi::Env env = info.Env();
    const Bytes src = bytesArg(info, 0, "src");
    const Bytes dst = bytesArg(info, 1, "dst");
    const auto pixels = static_cast<size_t>(numberArg(info, 2, "pixels", 0, 4294967295.0));
    expectLength(env, src, pixels * 3, "src", "3 bytes per pixel");
    expectLength(env, dst, pixels, "dst", "1 byte per pixel");
    expectDisjoint(env, dst, src, "dst", "src");
    rgbToGray(src.data, dst.data, pixels);
    return env.Undefined();
  });
}

struct ResizeArgs {
  Bytes src, dst;
  unsigned srcW, srcH, channels, dstW, dstH;
};

// (src, srcW, srcH, channels, dst, dstW, dstH)
ResizeArgs resizeArgs(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  ResizeArgs a{};
  a.src = bytesArg(info, 0, "src");
  a.srcW = sideArg(info, 1, "srcW");
  a.srcH = sideArg(info, 2, "srcH");
  a.channels = static_cast<unsigned>(numberArg(info, 3, "channels", 1, kMaxChannels));
  a.dst = bytesArg(info, 4, "dst");
  a.dstW = sideArg(info, 5, "dstW");
  a.dstH = sideArg(info, 6, "dstH");
  const std::string c = std::to_string(a.channels);
  expectLength(env, a.src, static_cast<size_t>(a.srcW) * a.srcH * a.channels, "src",
               std::to_string(a.srcH) + " rows × " + std::to_string(a.srcW) + " pixels × " + c + " channels");
  expectLength(env, a.dst, static_cast<size_t>(a.dstW) * a.dstH * a.channels, "dst",
               std::to_string(a.dstH) + " rows × " + std::to_string(a.dstW) + " pixels × " + c + " channels");
  expectDisjoint(env, a.dst, a.src, "dst", "src");
  return a;
}

Napi::Value ResizeArea(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const ResizeArgs a = resizeArgs(info);
    AreaResizer(a.srcW, a.srcH, a.dstW, a.dstH, a.channels).apply(a.src.data, a.dst.data);
    return info.Env().Undefined();
  });
}

Napi::Value ResizeBilinear(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const ResizeArgs a = resizeArgs(info);
    resizeBilinear(a.src.data, a.srcW, a.srcH, a.channels, a.dst.data, a.dstW, a.dstH);
    return info.Env().Undefined();
  });
}

// decodeFrame(src, width, height, pitch, format, gray, dst): a picture as a core hands it to video_refresh
// (format 0 = 0RGB1555, 1 = XRGB8888, 2 = RGB565; rows `pitch` bytes apart) into packed RGB24 or gray.
Napi::Value DecodeFrame(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const Napi::Env env = info.Env();
    const Bytes src = bytesArg(info, 0, "src");
    const unsigned width = sideArg(info, 1, "width");
    const unsigned height = sideArg(info, 2, "height");
    const auto pitch = static_cast<size_t>(numberArg(info, 3, "pitch", 1, 4294967295.0));
    const auto format = static_cast<PixelFormat>(numberArg(info, 4, "format", 0, 2));
    const bool gray = info.Length() > 5 && info[5].ToBoolean().Value();
    const Bytes dst = bytesArg(info, 6, "dst");
    const size_t bytesPerPixel = format == PixelFormat::XRGB8888 ? 4 : 2;
    if (pitch < width * bytesPerPixel || pitch % bytesPerPixel != 0) {
      throw invalid(env, "pitch must be a multiple of " + std::to_string(bytesPerPixel) + " and at least width × " +
                             std::to_string(bytesPerPixel));
    }
    expectLength(env, src, pitch * (height - 1) + width * bytesPerPixel, "src", "height rows, pitch bytes apart");
    expectLength(env, dst, static_cast<size_t>(width) * height * (gray ? 1 : 3), "dst", gray ? "1 byte per pixel" : "3 bytes per pixel");
    expectDisjoint(env, dst, src, "dst", "src");
    const RawFrame frame{src.data, width, height, pitch, format};
    if (gray) {
      convertToGray(frame, dst.data);
    } else {
      convertToRgb24(frame, dst.data);
    }
    return env.Undefined();
  });
}

// maxPool(a, b, dst): dst may be a or b itself.
Napi::Value MaxPool(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const Napi::Env env = info.Env();
    const Bytes a = bytesArg(info, 0, "a");
    const Bytes b = bytesArg(info, 1, "b");
    const Bytes dst = bytesArg(info, 2, "dst");
    expectLength(env, b, a.length, "b", "the length of a");
    expectLength(env, dst, a.length, "dst", "the length of a");
    if (dst.data != a.data) expectDisjoint(env, dst, a, "dst", "a (unless it is a itself)");
    if (dst.data != b.data) expectDisjoint(env, dst, b, "dst", "b (unless it is b itself)");
    maxPool(a.data, b.data, dst.data, a.length);
    return env.Undefined();
  });
}

}  // namespace

void registerFrameOps(Napi::Env env, Napi::Object exports) {
  Napi::Object ops = Napi::Object::New(env);
  ops.Set("rgbToGray", Napi::Function::New(env, RgbToGray, "rgbToGray"));
  ops.Set("resizeArea", Napi::Function::New(env, ResizeArea, "resizeArea"));
  ops.Set("resizeBilinear", Napi::Function::New(env, ResizeBilinear, "resizeBilinear"));
  ops.Set("maxPool", Napi::Function::New(env, MaxPool, "maxPool"));
  ops.Set("decodeFrame", Napi::Function::New(env, DecodeFrame, "decodeFrame"));
  exports.Set("frameOps", ops);
}

}  // namespace rgym
