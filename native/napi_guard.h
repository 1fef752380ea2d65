// One place that turns C++ exceptions into JS errors with a `code`, so no exception ever unwinds into Node.
#pragma once

#include <napi.h>

#include <string>

#include "errors.h"

namespace rgym {

inline Napi::Error makeError(const Napi::Env& env, const std::string& code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

// Runs `body`; an EmulatorError becomes a JS error with its code, any other std::exception one with `fallbackCode`.
template <typename Body>
Napi::Value guarded(const Napi::Env& env, Body&& body, const char* fallbackCode = "INVALID_ARGUMENT") {
  try {
    return body();
  } catch (const EmulatorError& e) {
    makeError(env, e.code(), e.what()).ThrowAsJavaScriptException();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    makeError(env, fallbackCode, e.what()).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

}  // namespace rgym
