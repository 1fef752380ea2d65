#include "session_wrap.h"

#include "emulator_wrap.h"
#include "errors.h"
#include "napi_guard.h"

namespace rgym {
namespace {

constexpr int64_t kMaxStepFrames = 1000000;

std::string stringField(const Napi::Object& o, const char* key, const std::string& fallback = "") {
  const Napi::Value v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : fallback;
}

double numberField(const Napi::Object& o, const char* key, double fallback = 0) {
  const Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
}

// A whole number >= 1 below 2^53, or `fallback` when absent.
uint64_t positiveField(const Napi::Object& o, const char* key, uint64_t fallback) {
  const Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  const double n = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : 0;
  if (!(n >= 1 && n <= 9007199254740991.0) || n != static_cast<double>(static_cast<uint64_t>(n))) {
    throw EmulatorError("INVALID_ARGUMENT", std::string("lua.limits.") + key + " must be a positive integer");
  }
  return static_cast<uint64_t>(n);
}

// A term names its variable; "" means the per-step constant (stable-retro's reward "time").
int variableIndex(const Napi::Object& term, const std::vector<Variable>& variables) {
  const std::string name = stringField(term, "variable");
  if (name.empty()) return -1;
  for (size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].name == name) return static_cast<int>(i);
  }
  throw EmulatorError("SCENARIO_INVALID", "the scenario uses variable \"" + name + "\", which data.json does not define");
}

}  // namespace

std::vector<Variable> parseVariables(const Napi::Array& list) {
  std::vector<Variable> variables;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    const Napi::Object o = list.Get(i).As<Napi::Object>();
    Variable v;
    v.name = stringField(o, "name");
    v.address = static_cast<uint64_t>(numberField(o, "address"));
    try {
      v.type = VariableType::parse(stringField(o, "type"));
    } catch (const EmulatorError& e) {
      throw EmulatorError(e.code(), "variable \"" + v.name + "\": " + e.what());
    }
    // Masks beyond 2^53 cannot be exact JS numbers; such masks come as decimal strings.
    const Napi::Value mask = o.Get("mask");
    if (mask.IsNumber()) v.mask = static_cast<uint64_t>(mask.As<Napi::Number>().Int64Value());
    if (mask.IsString()) v.mask = std::stoull(mask.As<Napi::String>().Utf8Value());
    variables.push_back(std::move(v));
  }
  return variables;
}

namespace {

// The fields reward and done terms share: which variable, measured how, through which operation.
template <typename Term>
Term parseMeasuredTerm(const Napi::Object& t, const std::vector<Variable>& variables, const char* defaultMeasurement) {
  Term term;
  term.variable = variableIndex(t, variables);
  term.measurement = parseMeasurement(stringField(t, "measurement", defaultMeasurement));
  term.op = parseOperation(stringField(t, "op"));
  term.reference = static_cast<int64_t>(numberField(t, "reference"));
  return term;
}

DoneNode parseDoneNode(const Napi::Object& o, const std::vector<Variable>& variables) {
  DoneNode node;
  node.all = stringField(o, "condition", "any") == "all";
  const Napi::Value terms = o.Get("terms");
  if (terms.IsArray()) {
    const Napi::Array list = terms.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) {
      node.terms.push_back(parseMeasuredTerm<DoneTerm>(list.Get(i).As<Napi::Object>(), variables, "absolute"));
    }
  }
  const Napi::Value nodes = o.Get("nodes");
  if (nodes.IsArray()) {
    const Napi::Array list = nodes.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) node.nodes.push_back(parseDoneNode(list.Get(i).As<Napi::Object>(), variables));
  }
  return node;
}

}  // namespace

ScenarioRules parseRules(const Napi::Object& config, const std::vector<Variable>& variables) {
  ScenarioRules rules;
  const Napi::Value rewards = config.Get("rewards");
  if (rewards.IsArray()) {
    const Napi::Array players = rewards.As<Napi::Array>();
    for (uint32_t p = 0; p < players.Length(); ++p) {
      const Napi::Array terms = players.Get(p).As<Napi::Array>();
      std::vector<RewardTerm> parsed;
      for (uint32_t i = 0; i < terms.Length(); ++i) {
        const Napi::Object t = terms.Get(i).As<Napi::Object>();
        auto term = parseMeasuredTerm<RewardTerm>(t, variables, "delta");
        term.reward = numberField(t, "reward");
        term.penalty = numberField(t, "penalty");
        parsed.push_back(term);
      }
      rules.rewards.push_back(std::move(parsed));
    }
  }
  const Napi::Value done = config.Get("done");
  if (done.IsObject()) rules.done = parseDoneNode(done.As<Napi::Object>(), variables);
  return rules;
}

namespace {

std::optional<LuaScenario> parseLua(const Napi::Object& config) {
  const Napi::Value lua = config.Get("lua");
  if (!lua.IsObject()) return std::nullopt;
  const Napi::Object o = lua.As<Napi::Object>();
  LuaScenario scenario;
  const Napi::Array files = o.Get("files").As<Napi::Array>();
  for (uint32_t i = 0; i < files.Length(); ++i) scenario.files.push_back(files.Get(i).As<Napi::String>().Utf8Value());
  const Napi::Value rewardFns = o.Get("rewardFunctions");
  if (rewardFns.IsArray()) {
    const Napi::Array list = rewardFns.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) {
      const Napi::Value fn = list.Get(i);
      scenario.rewardFunctions.push_back(fn.IsString() ? fn.As<Napi::String>().Utf8Value() : "");
    }
  }
  scenario.doneFunction = stringField(o, "doneFunction");
  // limits: { instructions, timeoutMs, memoryBytes }, validated (positive integers) by lib/env/retro-env.ts.
  const Napi::Value limits = o.Get("limits");
  if (limits.IsObject()) {
    const Napi::Object l = limits.As<Napi::Object>();
    scenario.limits.instructions = positiveField(l, "instructions", scenario.limits.instructions);
    scenario.limits.timeoutMs = positiveField(l, "timeoutMs", scenario.limits.timeoutMs);
    scenario.limits.memoryBytes = positiveField(l, "memoryBytes", scenario.limits.memoryBytes);
  }
  return scenario;
}

}  // namespace

Napi::Function SessionWrap::Define(Napi::Env env) {
  return DefineClass(env, "NativeSession",
                     {
                         InstanceMethod("bindOutputs", &SessionWrap::BindOutputs),
                         InstanceMethod("reset", &SessionWrap::Reset),
                         InstanceMethod("restart", &SessionWrap::Restart),
                         InstanceMethod("stepFrame", &SessionWrap::StepFrame),
                         InstanceMethod("showLastFrame", &SessionWrap::ShowLastFrame),
                         InstanceMethod("step", &SessionWrap::Step),
                         InstanceMethod("close", &SessionWrap::Close),
                         InstanceMethod("setObservation", &SessionWrap::SetObservation),
                     });
}

// new NativeSession(nativeEmulator, { variables, rewards, done, lua })
SessionWrap::SessionWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionWrap>(info) {
  guarded(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsObject()) {
      throw EmulatorError("INVALID_ARGUMENT", "NativeSession(emulator, config)");
    }
    EmulatorWrap* wrap = EmulatorWrap::Unwrap(info[0].As<Napi::Object>());
    if (wrap == nullptr || wrap->emulator() == nullptr) throw EmulatorError("EMULATOR_CLOSED", "the emulator is closed");
    const Napi::Object config = info[1].As<Napi::Object>();
    std::vector<Variable> variables = parseVariables(config.Get("variables").As<Napi::Array>());
    ScenarioRules rules = parseRules(config, variables);
    session_ = std::make_unique<GameSession>(*wrap->emulator(), std::move(variables), std::move(rules), parseLua(config));
    emulatorObject_ = Napi::Persistent(info[0].As<Napi::Object>());
    emulatorWrap_ = wrap;
    return info.Env().Undefined();
  });
}

GameSession& SessionWrap::open() {
  if (session_ && emulatorWrap_->emulator() == nullptr) session_.reset();  // its memory is gone with the core
  if (!session_) throw EmulatorError("EMULATOR_CLOSED", "the session or its emulator is closed");
  return *session_;
}

Napi::Value SessionWrap::BindOutputs(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    GameSession& s = open();
    if (info.Length() < 3 || !info[0].IsTypedArray() || !info[1].IsTypedArray() || !info[2].IsTypedArray()) {
      throw EmulatorError("INVALID_ARGUMENT", "bindOutputs(values: Float64Array, rewards: Float64Array, done: Uint8Array)");
    }
    Napi::Float64Array values = info[0].As<Napi::Float64Array>();
    Napi::Float64Array rewards = info[1].As<Napi::Float64Array>();
    Napi::Uint8Array done = info[2].As<Napi::Uint8Array>();
    if (values.ElementLength() != s.variableCount() || rewards.ElementLength() != s.playerCount() || done.ElementLength() < 1) {
      throw EmulatorError("INVALID_ARGUMENT", "output arrays have the wrong length");
    }
    values_ = Napi::Persistent(values);
    rewards_ = Napi::Persistent(rewards);
    done_ = Napi::Persistent(done);
    publish();
    return info.Env().Undefined();
  });
}

void SessionWrap::publish() {
  if (values_.IsEmpty() || !session_) return;
  Napi::Float64Array values = values_.Value();
  Napi::Float64Array rewards = rewards_.Value();
  const auto& v = session_->values();
  for (size_t i = 0; i < v.size(); ++i) values[i] = static_cast<double>(v[i]);
  const auto& r = session_->rewards();
  for (size_t i = 0; i < r.size(); ++i) rewards[i] = r[i];
  done_.Value()[0] = session_->done() ? 1 : 0;
}

Napi::Value SessionWrap::Reset(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    open().reset();
    publish();
    return info.Env().Undefined();
  });
}

Napi::Value SessionWrap::Restart(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    GameSession& s = open();
    if (info.Length() < 1 || !info[0].IsTypedArray()) throw EmulatorError("INVALID_ARGUMENT", "restart(state: Uint8Array)");
    Napi::Uint8Array state = info[0].As<Napi::Uint8Array>();
    s.restart(state.Data(), state.ByteLength());
    publish();
    return info.Env().Undefined();
  });
}

// stepFrame(index, frames, maxPool): frame `index` of a step of `frames` frames, its picture used as step() uses it.
Napi::Value SessionWrap::StepFrame(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    GameSession& s = open();
    if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsBoolean()) {
      throw EmulatorError("INVALID_ARGUMENT", "stepFrame(index, frames, maxPool)");
    }
    const int64_t index = info[0].As<Napi::Number>().Int64Value();
    const int64_t frames = info[1].As<Napi::Number>().Int64Value();
    if (frames < 1 || frames > kMaxStepFrames || index < 0 || index >= frames) {
      throw EmulatorError("INVALID_ARGUMENT", "stepFrame: index must be in [0, frames) and frames in [1, 1000000]");
    }
    s.stepFrame(static_cast<unsigned>(index), static_cast<unsigned>(frames), info[2].As<Napi::Boolean>().Value());
    publish();
    return info.Env().Undefined();
  });
}

Napi::Value SessionWrap::ShowLastFrame(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    open().showLastFrame();
    return info.Env().Undefined();
  });
}

Napi::Value SessionWrap::Step(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    GameSession& s = open();
    if (info.Length() < 1 || !info[0].IsNumber()) throw EmulatorError("INVALID_ARGUMENT", "step(frames)");
    const int64_t frames = info[0].As<Napi::Number>().Int64Value();
    if (frames < 1 || frames > kMaxStepFrames) throw EmulatorError("INVALID_ARGUMENT", "frames must be in [1, 1000000]");
    const bool maxPool = info.Length() > 1 && info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value();
    s.step(static_cast<unsigned>(frames), maxPool);
    publish();
    return info.Env().Undefined();
  });
}

// setObservation({ gray, width, height, frameWidth, frameHeight }, out: Uint8Array): from now on every shown frame
// is preprocessed natively, straight from the core's picture, into `out`.
Napi::Value SessionWrap::SetObservation(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    open();
    if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsTypedArray()) {
      throw EmulatorError("INVALID_ARGUMENT", "setObservation(spec, out: Uint8Array)");
    }
    const Napi::Object o = info[0].As<Napi::Object>();
    ObservationSpec spec;
    spec.gray = o.Get("gray").ToBoolean().Value();
    spec.width = o.Get("width").As<Napi::Number>().Uint32Value();
    spec.height = o.Get("height").As<Napi::Number>().Uint32Value();
    Napi::Uint8Array out = info[1].As<Napi::Uint8Array>();
    auto pipeline = std::make_unique<ObservationPipeline>(spec, o.Get("frameWidth").As<Napi::Number>().Uint32Value(),
                                                          o.Get("frameHeight").As<Napi::Number>().Uint32Value(), out.Data());
    if (out.ByteLength() != pipeline->outputBytes()) throw EmulatorError("INVALID_ARGUMENT", "out has the wrong size");
    emulatorWrap_->setFrameSink(std::move(pipeline), out);
    preprocessing_ = true;
    return info.Env().Undefined();
  });
}

Napi::Value SessionWrap::Close(const Napi::CallbackInfo& info) {
  // An emulator that outlives its session goes back to plain RGB frames.
  if (preprocessing_ && emulatorWrap_ != nullptr) emulatorWrap_->setFrameSink(nullptr, Napi::Uint8Array());
  preprocessing_ = false;
  session_.reset();
  values_.Reset();
  rewards_.Reset();
  done_.Reset();
  emulatorObject_.Reset();
  return info.Env().Undefined();
}

}  // namespace rgym
