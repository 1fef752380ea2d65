#include "batch_stepper.h"

#include <algorithm>
#include <cstring>
#include <optional>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

#include "errors.h"

namespace rgym {
namespace {

// The CPUs this process may run on (Linux); empty where that cannot be asked.
std::vector<int> allowedCpuList() {
  std::vector<int> cpus;
#if defined(__linux__)
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
#endif
  return cpus;
}

}  // namespace

BatchStepper::BatchStepper(std::vector<Env> envs, unsigned threads, unsigned frameskip, bool maxPool, Autoreset autoreset,
                           bool pinThreads)
    : envs_(std::move(envs)),
      busy_(envs_.size(), false),
      episodeOver_(envs_.size(), 0),
      frameskip_(frameskip),
      maxPool_(maxPool),
      autoreset_(autoreset) {
  for (Env& env : envs_) {
    if (!env.preprocessed) env.emulator->setFrameTarget({env.slot.observation, env.observationBytes});
  }
  const unsigned count = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(envs_.size())));
  for (unsigned i = 0; i < count; ++i) workers_.emplace_back([this] { work(); });
  const std::vector<int> cpus = allowedCpuList();
  if (pinThreads) pinWorkers(cpus);
  callerHelps_ = workers_.size() < (cpus.empty() ? std::max(1u, std::thread::hardware_concurrency()) : cpus.size());
}

// One worker per CPU, each kept on its own. Left alone, the scheduler wakes workers on the CPU of the thread that
// woke them (the JS thread), so after the JS thread was busy they can share one CPU for many steps while another
// idles; on a 2-CPU machine that cost a third of the throughput. Only done when there is exactly one worker per
// CPU the process may use (fewer workers pinned to the first CPUs would crowd them when several batches run);
// failures just leave the threads where the scheduler puts them.
void BatchStepper::pinWorkers(const std::vector<int>& cpus) {
#if defined(__linux__)
  if (workers_.size() != cpus.size() || cpus.size() < 2) return;
  for (size_t i = 0; i < workers_.size(); ++i) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpus[i], &one);
    pthread_setaffinity_np(workers_[i].native_handle(), sizeof(one), &one);
  }
#endif
}

BatchStepper::~BatchStepper() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  jobReady_.notify_all();
  for (std::thread& t : workers_) t.join();
}

size_t BatchStepper::inFlight() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_;
}

// Call with mutex_ held.
void BatchStepper::requireIdle(const std::vector<uint32_t>& ids) const {
  for (uint32_t id : ids) {
    if (id >= envs_.size()) throw EmulatorError("INVALID_ARGUMENT", "env id " + std::to_string(id) + " out of range");
    if (busy_[id]) throw EmulatorError("INVALID_ARGUMENT", "env " + std::to_string(id) + " is still stepping: recv() it first");
  }
}

void BatchStepper::send(const std::vector<uint32_t>& ids, const std::vector<uint16_t>& masks, unsigned portsPerEnv) {
  std::lock_guard<std::mutex> lock(mutex_);
  requireIdle(ids);
  for (size_t i = 0; i < ids.size(); ++i) {
    Job job{ids[i], false, {}};
    for (unsigned p = 0; p < portsPerEnv; ++p) job.masks[p] = masks[i * portsPerEnv + p];
    busy_[ids[i]] = true;
    jobs_.push_back(job);
    ++pending_;
  }
  jobReady_.notify_all();
}

void BatchStepper::sendReset(const std::vector<uint32_t>& ids) {
  std::lock_guard<std::mutex> lock(mutex_);
  requireIdle(ids);
  for (uint32_t id : ids) {
    busy_[id] = true;
    jobs_.push_back(Job{id, true, {}});
    ++pending_;
  }
  jobReady_.notify_all();
}

std::vector<uint32_t> BatchStepper::recv(size_t batchSize) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (batchSize == 0 || batchSize > finished_.size() + pending_) {
    throw EmulatorError("INVALID_ARGUMENT", "recv(" + std::to_string(batchSize) + ") but only " +
                                                std::to_string(finished_.size() + pending_) + " envs were sent");
  }
  wanted_ = batchSize;
  while (finished_.size() < batchSize) {
    // With a CPU no worker has, the calling thread runs queued jobs itself instead of waiting for a worker to
    // wake up and take them (a batch of one env then costs no thread hand-off at all).
    if (callerHelps_ && !jobs_.empty()) {
      runNext(lock);
      continue;
    }
    jobDone_.wait(lock, [&] { return finished_.size() >= batchSize; });
  }
  wanted_ = 0;
  std::vector<uint32_t> ready(finished_.begin(), finished_.begin() + static_cast<std::ptrdiff_t>(batchSize));
  finished_.erase(finished_.begin(), finished_.begin() + static_cast<std::ptrdiff_t>(batchSize));
  for (uint32_t id : ready) busy_[id] = false;
  if (!errors_.empty()) {
    EmulatorError first = errors_.front();
    errors_.clear();
    throw first;
  }
  return ready;
}

void BatchStepper::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    jobReady_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    runNext(lock);
    // Wake recv() once, when its batch is complete, not at every env.
    if (wanted_ != 0 && finished_.size() >= wanted_) jobDone_.notify_one();
  }
}

// Call with the lock held and a job queued; returns with the lock held again, the job finished.
void BatchStepper::runNext(std::unique_lock<std::mutex>& lock) {
  const Job job = jobs_.front();
  jobs_.pop_front();
  lock.unlock();
  std::optional<EmulatorError> error;
  try {
    runJob(job);
  } catch (const EmulatorError& e) {
    error.emplace(e.code(), "env " + std::to_string(job.id) + ": " + e.what());
  } catch (const std::exception& e) {
    // Not a failure the engine names (those are EmulatorErrors with their own codes): the env itself broke.
    error.emplace("ENV_CRASHED", "env " + std::to_string(job.id) + " failed: " + e.what());
  }
  lock.lock();
  if (error) errors_.push_back(*error);
  finished_.push_back(job.id);
  --pending_;
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

void BatchStepper::runJob(const Job& job) {
  Env& env = envs_[job.id];
  const BatchSlot& slot = env.slot;
  if (slot.hasFinal != nullptr) *slot.hasFinal = 0;
  if (job.reset || (autoreset_ == Autoreset::NextStep && episodeOver_[job.id])) {
    resetEnv(env);
    publish(*env.session, slot);
    *slot.terminated = 0;
    return;
  }
  for (unsigned p = 0; p < Emulator::kMaxPorts; ++p) env.emulator->setInput(p, job.masks[p]);
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
