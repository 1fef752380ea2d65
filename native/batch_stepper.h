// Steps many game sessions in parallel on a pool of native threads, EnvPool-style: send() queues actions for some
// envs, recv() returns once `batchSize` of them have finished. Every env writes its results into its own slot of
// caller-owned batch buffers, so nothing is copied or allocated per step.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "errors.h"
#include "game_session.h"

namespace rgym {

// Where one env's results go: pointers into the batch buffers, at this env's index.
struct BatchSlot {
  uint8_t* observation = nullptr;  // the emulator renders straight into it
  double* values = nullptr;
  double* rewards = nullptr;
  uint8_t* terminated = nullptr;
  uint8_t* finalObservation = nullptr;  // same-step autoreset: the last frame of the episode
  double* finalValues = nullptr;
  uint8_t* hasFinal = nullptr;
};

enum class Autoreset { NextStep, SameStep };

class BatchStepper {
 public:
  struct Env {
    GameSession* session;
    Emulator* emulator;
    std::vector<uint8_t> startState;
    BatchSlot slot;
    size_t observationBytes = 0;
    // The emulator's frame sink preprocesses into the observation slot; otherwise it renders RGB straight into it.
    bool preprocessed = false;
  };

  // With `pinThreads` and exactly one worker per CPU the process may use, each worker stays on its own CPU.
  BatchStepper(std::vector<Env> envs, unsigned threads, unsigned frameskip, bool maxPool, Autoreset autoreset, bool pinThreads);
  ~BatchStepper();
  BatchStepper(const BatchStepper&) = delete;
  BatchStepper& operator=(const BatchStepper&) = delete;

  size_t size() const { return envs_.size(); }
  // Queues a step of env `id` with these button masks (one per port). An env whose episode ended on its previous
  // step is reset instead when autoreset is next-step.
  void send(const std::vector<uint32_t>& ids, const std::vector<uint16_t>& masks, unsigned portsPerEnv);
  // Queues a reset of env `id` to its start state.
  void sendReset(const std::vector<uint32_t>& ids);
  // Blocks until `batchSize` queued jobs have finished; returns their env ids in completion order. Throws the first
  // error an env raised (SCRIPT_ERROR, SCRIPT_TIMEOUT, SCRIPT_MEMORY from Lua, ...) with its code, after the batch
  // is collected.
  std::vector<uint32_t> recv(size_t batchSize);

 private:
  struct Job {
    uint32_t id;
    bool reset;
    std::array<uint16_t, Emulator::kMaxPorts> masks;
  };
  void requireIdle(const std::vector<uint32_t>& ids) const;
  void pinWorkers(const std::vector<int>& cpus);
  void work();
  void runNext(std::unique_lock<std::mutex>& lock);
  void runJob(const Job& job);
  void resetEnv(Env& env);

  std::vector<Env> envs_;
  std::vector<bool> busy_;            // guarded by mutex_
  std::vector<uint8_t> episodeOver_;  // one byte per env: workers write different envs' flags concurrently
  unsigned frameskip_;
  bool maxPool_;
  Autoreset autoreset_;

  mutable std::mutex mutex_;
  std::condition_variable jobReady_, jobDone_;
  std::deque<Job> jobs_;
  std::vector<uint32_t> finished_;
  std::vector<EmulatorError> errors_;  // what envs raised since the last recv(), with their codes
  size_t pending_ = 0;
  size_t wanted_ = 0;  // the batch size recv() is waiting for, 0 when nobody waits
  bool stopping_ = false;
  bool callerHelps_ = false;  // fewer workers than CPUs: recv() runs queued jobs on the calling thread too
  std::vector<std::thread> workers_;
};

}  // namespace rgym
