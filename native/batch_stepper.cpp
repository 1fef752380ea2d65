#include "batch_stepper.h"

#include <algorithm>
#include <cstring>

namespace rgym {

static_assert(BatchJob::kMaxPorts == Emulator::kMaxPorts, "a job carries one mask per emulator port");

BatchStepper::BatchStepper(std::vector<Env> envs, unsigned threads, unsigned frameskip, bool maxPool, Autoreset autoreset,
                           bool pinThreads)
    : envs_(std::move(envs)),
      episodeOver_(envs_.size(), 0),
      frameskip_(frameskip),
      maxPool_(maxPool),
      autoreset_(autoreset),
      queue_(envs_.size(), [this](const BatchJob& job) { runJob(job); }, threads, pinThreads) {
  for (Env& env : envs_) {
    if (!env.preprocessed) env.emulator->setFrameTarget({env.slot.observation, env.observationBytes});
  }
}

void BatchStepper::resetEnv(Env& env) {
  env.session->restart(env.startState.data(), env.startState.size());
  episodeOver_[static_cast<size_t>(&env - envs_.data())] = 0;
}

// Copies the session's results into the env's slots. Touches only this env's memory, so no lock is needed.
static void publish(const GameSession& session, const BatchSlot& slot) {
  const auto& values = session.values();
  for (size_t i = 0; i < values.size(); ++i) slot.values[i] = static_cast<double>(values[i]);
  const auto& rewards = session.rewards();
  for (size_t i = 0; i < rewards.size(); ++i) slot.rewards[i] = rewards[i];
  *slot.terminated = session.done() ? 1 : 0;
}

void BatchStepper::runJob(const BatchJob& job) {
  Env& env = envs_[job.id];
  const BatchSlot& slot = env.slot;
  if (slot.hasFinal != nullptr) *slot.hasFinal = 0;
  if (job.reset || (autoreset_ == Autoreset::NextStep && episodeOver_[job.id])) {
    resetEnv(env);
    publish(*env.session, slot);
    *slot.terminated = 0;
    return;
  }
  // Every port gets its masks and sticks, centred where the job has none: one path for pads with and without sticks.
  for (unsigned p = 0; p < Emulator::kMaxPorts; ++p) {
    env.emulator->setInput(p, job.masks[p]);
    const auto& axes = job.sticks[p];
    for (unsigned stick = 0; stick < BatchJob::kStickAxes / 2; ++stick) env.emulator->setAnalog(p, stick, axes[2 * stick], axes[2 * stick + 1]);
  }
  env.session->step(frameskip_, maxPool_);
  publish(*env.session, slot);
  if (!env.session->done()) return;
  if (autoreset_ == Autoreset::NextStep) {
    episodeOver_[job.id] = 1;
    return;
  }
  // Same-step: keep the episode's last observation and variables, then start the next episode now.
  std::memcpy(slot.finalObservation, slot.observation, env.observationBytes);
  std::copy(slot.values, slot.values + env.session->variableCount(), slot.finalValues);
  *slot.hasFinal = 1;
  resetEnv(env);
  // The reward and terminated flag stay those of the step that ended the episode; values show the new episode.
  const auto& values = env.session->values();
  for (size_t i = 0; i < values.size(); ++i) slot.values[i] = static_cast<double>(values[i]);
}

}  // namespace rgym
