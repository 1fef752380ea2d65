// N-API face of GameSession. Results go into typed arrays JS hands over once (bindOutputs), so a step allocates
// nothing on either side.
#pragma once

#include <napi.h>

#include <memory>
#include <vector>

#include "emulator_wrap.h"
#include "game_session.h"
#include "observation_pipeline.h"

namespace rgym {

// The `variables` and the JSON rules of a NativeScenarioConfig (lib/native.ts), as the session and the scenario
// preview (scenario_preview.cpp) both parse them.
std::vector<Variable> parseVariables(const Napi::Array& list);
ScenarioRules parseRules(const Napi::Object& config, const std::vector<Variable>& variables);

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit SessionWrap(const Napi::CallbackInfo& info);

  GameSession* session() { return session_.get(); }
  EmulatorWrap* emulatorWrap() { return emulatorWrap_; }
  // Copies the session's results into the bound output arrays.
  void publish();

 private:
  Napi::Value BindOutputs(const Napi::CallbackInfo& info);
  Napi::Value Reset(const Napi::CallbackInfo& info);
  Napi::Value Restart(const Napi::CallbackInfo& info);
  Napi::Value StepFrame(const Napi::CallbackInfo& info);
  Napi::Value ShowLastFrame(const Napi::CallbackInfo& info);
  Napi::Value Step(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value SetObservation(const Napi::CallbackInfo& info);

  GameSession& open();

  std::unique_ptr<GameSession> session_;
  bool preprocessing_ = false;  // the emulator preprocesses into an observation buffer for this session
  Napi::ObjectReference emulatorObject_;  // keeps the emulator alive as long as the session
  EmulatorWrap* emulatorWrap_ = nullptr;  // to notice when the emulator was closed under the session
  Napi::Reference<Napi::Float64Array> values_, rewards_;
  Napi::Reference<Napi::Uint8Array> done_;
};

}  // namespace rgym
