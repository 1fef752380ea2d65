// The scheduling half of the batch stepper, with no emulator in it: a queue of per-env jobs, worker threads that
// run them, and recv(), which waits for a batch and, on a CPU no worker has, runs queued jobs on the calling
// thread itself. What a job does is the owner's (BatchStepper steps a game session), so tests can drive the queue
// with jobs of their own, without cores or Node.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "errors.h"

namespace rgym {

// One env's step (its button masks and analog sticks, one of each per port) or reset.
struct BatchJob {
  static constexpr unsigned kMaxPorts = 8;
  // Libretro's two sticks per pad, x and y each (y positive down): left x, left y, right x, right y.
  static constexpr unsigned kStickAxes = 4;
  uint32_t id;
  bool reset;
  std::array<uint16_t, kMaxPorts> masks;
  std::array<std::array<int16_t, kStickAxes>, kMaxPorts> sticks;
};

class JobQueue {
 public:
  // Runs one job. Called on a worker or on the thread in recv(), never for one env twice at once; may throw.
  using RunJob = std::function<void(const BatchJob&)>;

  // `threads` workers (at least 1, at most one per env). With `pinThreads` and exactly one worker per CPU the
  // process may use, each worker stays on its own CPU. `callerHelps` says whether recv() runs queued jobs itself;
  // by default it does when there are fewer workers than CPUs.
  JobQueue(size_t envCount, RunJob run, unsigned threads, bool pinThreads, std::optional<bool> callerHelps = std::nullopt);
  // Drops the jobs not started and joins the workers after their current ones.
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues a step of env `ids[i]` with masks[i * portsPerEnv ...] and, when `axesPerPort` > 0, stick axes
  // sticks[(i * portsPerEnv + port) * axesPerPort ...] (the axes a pad leaves out stay centred). Throws
  // INVALID_ARGUMENT for an id out of range, an env still stepping (sent and not yet received) or named twice, or
  // arrays of the wrong length, and then queues none.
  void send(const std::vector<uint32_t>& ids, const std::vector<uint16_t>& masks, unsigned portsPerEnv,
            const std::vector<int16_t>& sticks = {}, unsigned axesPerPort = 0);
  // Queues a reset of each env.
  void sendReset(const std::vector<uint32_t>& ids);
  // Blocks until `batchSize` queued jobs have finished; returns their env ids in completion order. Throws the first
  // error a job raised (with its code, the message prefixed with the env), after the batch is collected.
  std::vector<uint32_t> recv(size_t batchSize);

  size_t workerCount() const { return workers_.size(); }
  bool callerHelps() const { return callerHelps_; }

 private:
  void markBusy(const std::vector<uint32_t>& ids);
  void pinWorkers(const std::vector<int>& cpus);
  void work();
  void runNext(std::unique_lock<std::mutex>& lock);

  RunJob run_;
  std::vector<bool> busy_;  // guarded by mutex_

  std::mutex mutex_;
  std::condition_variable jobReady_, jobDone_;
  std::deque<BatchJob> jobs_;
  std::vector<uint32_t> finished_;
  std::vector<EmulatorError> errors_;  // what jobs raised since the last recv(), with their codes
  size_t pending_ = 0;
  size_t wanted_ = 0;  // the batch size recv() is waiting for, 0 when nobody waits
  bool stopping_ = false;
  bool callerHelps_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace rgym
