// Evaluates a scenario's JSON reward and done rules on variable values JS already has (an env's `info`), with
// the same parsing and evaluation a session uses every step: the integration builder previews draft rules live
// without a second evaluator that could disagree with make().
#include <napi.h>

#include <cstdint>
#include <vector>

#include "errors.h"
#include "napi_guard.h"
#include "scenario.h"
#include "session_wrap.h"
#include "variables.h"

namespace rgym {

namespace {

std::vector<int64_t> wholeNumbers(const Napi::Float64Array& array) {
  std::vector<int64_t> out(array.ElementLength());
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int64_t>(array[i]);
  return out;
}

// evaluateScenarioRules(config, values: Float64Array, previous: Float64Array, rewards: Float64Array): boolean
// `values` and `previous` hold config.variables in order; rewards[p] receives player p's reward; returns done.
Napi::Value EvaluateScenarioRules(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 4 || !info[0].IsObject() || !info[1].IsTypedArray() || !info[2].IsTypedArray() || !info[3].IsTypedArray()) {
      throw EmulatorError("INVALID_ARGUMENT", "evaluateScenarioRules(config, values: Float64Array, previous: Float64Array, rewards: Float64Array)");
    }
    const Napi::Object config = info[0].As<Napi::Object>();
    const std::vector<Variable> variables = parseVariables(config.Get("variables").As<Napi::Array>());
    const ScenarioRules rules = parseRules(config, variables);
    const Napi::Float64Array valuesIn = info[1].As<Napi::Float64Array>();
    const Napi::Float64Array previousIn = info[2].As<Napi::Float64Array>();
    Napi::Float64Array rewards = info[3].As<Napi::Float64Array>();
    if (valuesIn.ElementLength() != variables.size() || previousIn.ElementLength() != variables.size() ||
        rewards.ElementLength() != rules.rewards.size()) {
      throw EmulatorError("INVALID_ARGUMENT", "value or reward arrays have the wrong length");
    }
    const std::vector<int64_t> values = wholeNumbers(valuesIn);
    const std::vector<int64_t> previous = wholeNumbers(previousIn);
    std::vector<int64_t> deltas(values.size());
    for (size_t i = 0; i < values.size(); ++i) deltas[i] = values[i] - previous[i];
    for (size_t player = 0; player < rules.rewards.size(); ++player) {
      double total = 0;
      for (const RewardTerm& term : rules.rewards[player]) total += term.evaluate(values.data(), deltas.data());
      rewards[player] = total;
    }
    return Napi::Boolean::New(info.Env(), rules.done.evaluate(values.data(), deltas.data()));
  });
}

}  // namespace

void registerScenarioPreview(Napi::Env env, Napi::Object exports) {
  exports.Set("evaluateScenarioRules", Napi::Function::New(env, EvaluateScenarioRules, "evaluateScenarioRules"));
}

}  // namespace rgym
