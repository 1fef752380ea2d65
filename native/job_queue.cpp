#include "job_queue.h"

#include <algorithm>
#include <string>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

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

JobQueue::JobQueue(size_t envCount, RunJob run, unsigned threads, bool pinThreads, std::optional<bool> callerHelps)
    : run_(std::move(run)), busy_(envCount, false) {
  const unsigned count = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(envCount)));
  for (unsigned i = 0; i < count; ++i) workers_.emplace_back([this] { work(); });
  const std::vector<int> cpus = allowedCpuList();
  if (pinThreads) pinWorkers(cpus);
  const size_t cpuCount = cpus.empty() ? std::max(1u, std::thread::hardware_concurrency()) : cpus.size();
  callerHelps_ = callerHelps.value_or(workers_.size() < cpuCount);
}

// One worker per CPU, each kept on its own. Left alone, the scheduler wakes workers on the CPU of the thread that
// woke them (the JS thread), so after the JS thread was busy they can share one CPU for many steps while another
// idles; on a 2-CPU machine that cost a third of the throughput. Only done when there is exactly one worker per
// CPU the process may use (fewer workers pinned to the first CPUs would crowd them when several batches run);
// failures just leave the threads where the scheduler puts them.
void JobQueue::pinWorkers(const std::vector<int>& cpus) {
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

JobQueue::~JobQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  jobReady_.notify_all();
  for (std::thread& t : workers_) t.join();
}

// Call with mutex_ held. Marks every env busy, or none: an id out of range, an env still stepping or one named
// twice (two jobs of one env would step it on two threads at once) refuses the whole call.
void JobQueue::markBusy(const std::vector<uint32_t>& ids) {
  for (size_t i = 0; i < ids.size(); ++i) {
    const uint32_t id = ids[i];
    std::string problem;
    if (id >= busy_.size()) {
      problem = "env id " + std::to_string(id) + " out of range";
    } else if (busy_[id]) {
      const bool twice = std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(i), id) != ids.begin() + static_cast<std::ptrdiff_t>(i);
      problem = twice ? "env " + std::to_string(id) + " is named twice in one call"
                      : "env " + std::to_string(id) + " is still stepping: recv() it first";
    }
    if (!problem.empty()) {
      for (size_t j = 0; j < i; ++j) busy_[ids[j]] = false;
      throw EmulatorError("INVALID_ARGUMENT", problem);
    }
    busy_[id] = true;
  }
}

void JobQueue::send(const std::vector<uint32_t>& ids, const std::vector<uint16_t>& masks, unsigned portsPerEnv,
                    const std::vector<int16_t>& sticks, unsigned axesPerPort) {
  if (portsPerEnv > BatchJob::kMaxPorts || axesPerPort > BatchJob::kStickAxes || masks.size() != ids.size() * portsPerEnv ||
      sticks.size() != ids.size() * portsPerEnv * axesPerPort) {
    throw EmulatorError("INVALID_ARGUMENT", "one mask per env and port, and one value per env, port and stick axis");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  markBusy(ids);
  for (size_t i = 0; i < ids.size(); ++i) {
    BatchJob job{ids[i], false, {}, {}};
    for (unsigned p = 0; p < portsPerEnv; ++p) {
      job.masks[p] = masks[i * portsPerEnv + p];
      for (unsigned a = 0; a < axesPerPort; ++a) job.sticks[p][a] = sticks[(i * portsPerEnv + p) * axesPerPort + a];
    }
    jobs_.push_back(job);
    ++pending_;
  }
  jobReady_.notify_all();
}

void JobQueue::sendReset(const std::vector<uint32_t>& ids) {
  std::lock_guard<std::mutex> lock(mutex_);
  markBusy(ids);
  for (uint32_t id : ids) {
    jobs_.push_back(BatchJob{id, true, {}, {}});
    ++pending_;
  }
  jobReady_.notify_all();
}

std::vector<uint32_t> JobQueue::recv(size_t batchSize) {
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

void JobQueue::work() {
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
void JobQueue::runNext(std::unique_lock<std::mutex>& lock) {
  const BatchJob job = jobs_.front();
  jobs_.pop_front();
  lock.unlock();
  std::optional<EmulatorError> error;
  try {
    run_(job);
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

}  // namespace rgym
