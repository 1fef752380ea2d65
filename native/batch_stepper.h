// Steps many game sessions in parallel on a pool of native threads, EnvPool-style: send() queues actions for some
// envs, recv() returns once `batchSize` of them have finished. Every env writes its results into its own slot of
// caller-owned batch buffers, so nothing is copied or allocated per step. The threads and the queue are a
// JobQueue's (job_queue.h); this file is what one job does to one env.
#pragma once

#include <cstdint>
#include <vector>

#include "game_session.h"
#include "job_queue.h"

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

  size_t size() const { return envs_.size(); }
  // Queues a step of env `id` with these button masks (one per port) and stick axes (`axesPerPort` per port, in
  // libretro's units; see JobQueue::send). An env whose episode ended on its previous step is reset instead when
  // autoreset is next-step.
  void send(const std::vector<uint32_t>& ids, const std::vector<uint16_t>& masks, unsigned portsPerEnv,
            const std::vector<int16_t>& sticks = {}, unsigned axesPerPort = 0) {
    queue_.send(ids, masks, portsPerEnv, sticks, axesPerPort);
  }
  // Queues a reset of env `id` to its start state.
  void sendReset(const std::vector<uint32_t>& ids) { queue_.sendReset(ids); }
  // Blocks until `batchSize` queued jobs have finished; returns their env ids in completion order. Throws the first
  // error an env raised (SCRIPT_ERROR, SCRIPT_TIMEOUT, SCRIPT_MEMORY from Lua, ...) with its code, after the batch
  // is collected.
  std::vector<uint32_t> recv(size_t batchSize) { return queue_.recv(batchSize); }

 private:
  void runJob(const BatchJob& job);
  void resetEnv(Env& env);

  std::vector<Env> envs_;
  std::vector<uint8_t> episodeOver_;  // one byte per env: workers write different envs' flags concurrently
  unsigned frameskip_;
  bool maxPool_;
  Autoreset autoreset_;
  JobQueue queue_;  // last: destroyed first, so its workers stop before the envs they step go
};

}  // namespace rgym
