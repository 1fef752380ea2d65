// Checked arguments of N-API methods: a wrong type or range is an EmulatorError INVALID_ARGUMENT naming the argument.
#pragma once

#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "errors.h"

namespace rgym {

inline uint32_t uintArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a number");
  }
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!(value >= 0) || value > 4294967295.0 || value != static_cast<double>(static_cast<uint32_t>(value))) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a non-negative integer");
  }
  return static_cast<uint32_t>(value);
}

// An integer in [min, max].
inline int32_t intArg(const Napi::CallbackInfo& info, size_t index, const char* name, int32_t min, int32_t max) {
  const double value = (info.Length() > index && info[index].IsNumber()) ? info[index].As<Napi::Number>().DoubleValue() : NAN;
  if (!(value >= min && value <= max) || value != static_cast<double>(static_cast<int32_t>(value))) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be an integer in [" + std::to_string(min) + ", " +
                                                std::to_string(max) + "]");
  }
  return static_cast<int32_t>(value);
}

inline std::string stringArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsString()) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a string");
  }
  return info[index].As<Napi::String>().Utf8Value();
}

inline Napi::Uint8Array bytesArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a Uint8Array or Buffer");
  }
  return info[index].As<Napi::Uint8Array>();
}

}  // namespace rgym
