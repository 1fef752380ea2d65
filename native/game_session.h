// One game being played for reward: an Emulator, the RAM variables of its data.json, and its scenario (JSON rules
// or Lua functions). A step is: run frames with the held input -> decode variables -> reward and done, all native.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator.h"
#include "errors.h"
#include "lua_script.h"
#include "scenario.h"
#include "variables.h"

namespace rgym {

struct LuaScenario {
  std::vector<std::string> files;
  std::vector<std::string> rewardFunctions;  // per player; empty = use the JSON rules for that player
  std::string doneFunction;                  // empty = use the JSON rules
  LuaLimits limits;                          // per call, and the state's memory
};

class GameSession {
 public:
  GameSession(Emulator& emulator, std::vector<Variable> variables, ScenarioRules rules, std::optional<LuaScenario> lua);

  // Starts an episode from the emulator's current state: deltas count from here, the frame counter restarts and
  // Lua scripts start from a fresh state, so episodes never leak into each other. If they fail to load, every step
  // fails with that error until a reset loads them.
  void reset();
  // Loads a start state, releases every button and runs one frame, so the episode's first observation is a real
  // frame of that state (as stable-retro does), then reset()s.
  void restart(const uint8_t* state, size_t size);
  // Runs up to `frames` frames with the held input, evaluating the scenario after each one: rewards are summed and
  // the step stops at the frame that ends the episode (Gymnasium's frame-skip semantics). The picture is that of
  // the last frame run, max-pooled with the one before when `maxPool` is set and the step ran all its frames.
  void step(unsigned frames, bool maxPool = false);
  // Frame `index` of a step of `frames` frames and its evaluation, for callers that run their own frame loop
  // (scenarios with TypeScript scripts); its picture is used as step() would use it.
  void stepFrame(unsigned index, unsigned frames, bool maxPool) { runFrame(frameOutput(index, frames, maxPool)); }
  // What frame `index` of a step of `frames` frames does with its picture: the one definition of a step's frames.
  static Emulator::FrameOutput frameOutput(unsigned index, unsigned frames, bool maxPool);
  void showLastFrame() { emulator_.showLastFrame(); }

  size_t playerCount() const { return rules_.rewards.size(); }
  size_t variableCount() const { return variables_.size(); }
  const std::vector<int64_t>& values() const { return current_; }
  const std::vector<double>& rewards() const { return rewards_; }
  bool done() const { return done_; }
  uint64_t frame() const { return frame_; }
  Emulator& emulator() { return emulator_; }

 private:
  void runFrame(Emulator::FrameOutput output);
  void evaluate();

  Emulator& emulator_;
  VariableSet variables_;
  ScenarioRules rules_;
  std::optional<LuaScenario> luaConfig_;
  std::unique_ptr<LuaScript> lua_;
  std::optional<EmulatorError> luaLoadError_;  // why the scripts did not load at the last reset
  std::vector<int64_t> current_, previous_, deltas_;
  std::vector<double> rewards_;
  std::vector<double> stepRewards_;  // per-frame rewards summed over a step
  bool done_ = false;
  uint64_t frame_ = 0;
};

}  // namespace rgym
