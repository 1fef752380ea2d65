#include "game_session.h"

#include "errors.h"

namespace rgym {

GameSession::GameSession(Emulator& emulator, std::vector<Variable> variables, ScenarioRules rules,
                         std::optional<LuaScenario> lua)
    : emulator_(emulator), rules_(std::move(rules)), luaConfig_(std::move(lua)) {
  variables_.bind(std::move(variables), emulator_.addressSpace());
  if (rules_.rewards.empty()) rules_.rewards.emplace_back();
  current_.assign(variables_.size(), 0);
  previous_.assign(variables_.size(), 0);
  deltas_.assign(variables_.size(), 0);
  rewards_.assign(rules_.rewards.size(), 0.0);
  reset();
  if (luaConfig_) {
    for (const std::string& fn : luaConfig_->rewardFunctions) {
      if (!fn.empty()) lua_->requireFunction(fn);
    }
    if (!luaConfig_->doneFunction.empty()) lua_->requireFunction(luaConfig_->doneFunction);
  }
}

void GameSession::reset() {
  variables_.readAll(current_.data());
  previous_ = current_;
  std::fill(deltas_.begin(), deltas_.end(), 0);
  std::fill(rewards_.begin(), rewards_.end(), 0.0);
  frame_ = 0;
  // JSON done rules are pure, so they can say whether the start state already satisfies them (boot recipe checks
  // use this); script functions only ever run on steps.
  const bool scriptedDone = luaConfig_ && !luaConfig_->doneFunction.empty();
  done_ = !scriptedDone && rules_.done.evaluate(current_.data(), deltas_.data());
  if (luaConfig_) {
    lua_.reset();
    try {
      lua_ = std::make_unique<LuaScript>(luaConfig_->files, variables_, emulator_.addressSpace(), luaConfig_->limits);
      luaLoadError_.reset();
    } catch (const EmulatorError& e) {
      luaLoadError_.emplace(e.code(), std::string(e.what()) + "; reset the env to load the scripts again");
      throw;
    }
  }
}

void GameSession::restart(const uint8_t* state, size_t size) {
  emulator_.loadState(state, size);
  for (unsigned port = 0; port < Emulator::kMaxPorts; ++port) {
    emulator_.setInput(port, 0);
    for (unsigned stick = 0; stick < 2; ++stick) emulator_.setAnalog(port, stick, 0, 0);  // sticks centred too
  }
  emulator_.run(1);
  reset();
}

void GameSession::step(unsigned frames, bool maxPool) {
  std::vector<double>& total = stepRewards_;
  total.assign(rewards_.size(), 0.0);
  for (unsigned i = 0; i < frames; ++i) {
    const bool last = i + 1 == frames;
    // A step that stops early shows the frame it stopped at.
    stepFrame(i, frames, maxPool);
    for (size_t p = 0; p < total.size(); ++p) total[p] += rewards_[p];
    if (done_ && !last) {
      emulator_.showLastFrame();
      break;
    }
  }
  rewards_.swap(total);
}

Emulator::FrameOutput GameSession::frameOutput(unsigned index, unsigned frames, bool maxPool) {
  using Out = Emulator::FrameOutput;
  // Only the frame before the last is kept (for pooling), and only the last is shown.
  const bool pooled = maxPool && frames > 1;
  if (index + 1 >= frames) return pooled ? Out::ShowPooled : Out::Show;
  return pooled && index + 2 == frames ? Out::Hold : Out::Skip;
}

void GameSession::runFrame(Emulator::FrameOutput output) {
  emulator_.runFrame(output);
  ++frame_;
  previous_.swap(current_);
  variables_.readAll(current_.data());
  for (size_t i = 0; i < current_.size(); ++i) deltas_[i] = current_[i] - previous_[i];
  evaluate();
}

void GameSession::evaluate() {
  const int64_t* values = current_.data();
  const int64_t* deltas = deltas_.data();
  if (luaConfig_ && !lua_) {
    throw luaLoadError_.value_or(EmulatorError("SCRIPT_ERROR", "the Lua scripts did not load; reset the env to load them again"));
  }
  if (lua_) lua_->setFrame(frame_);
  // Done before reward, as stable-retro orders them: scripts that keep state between the two see the same order.
  done_ = luaConfig_ && !luaConfig_->doneFunction.empty() ? lua_->callBoolean(luaConfig_->doneFunction)
                                                          : rules_.done.evaluate(values, deltas);
  for (size_t player = 0; player < rules_.rewards.size(); ++player) {
    const std::string* fn = luaConfig_ && player < luaConfig_->rewardFunctions.size() &&
                                    !luaConfig_->rewardFunctions[player].empty()
                                ? &luaConfig_->rewardFunctions[player]
                                : nullptr;
    if (fn != nullptr) {
      rewards_[player] = lua_->callNumber(*fn);
      continue;
    }
    double total = 0;
    for (const RewardTerm& term : rules_.rewards[player]) total += term.evaluate(values, deltas);
    rewards_[player] = total;
  }
}

}  // namespace rgym
