// Damaged save states crash cores: bsnes-mercury unserializes whatever bytes it is given and segfaults on a later
// frame. Before a core sees a state it did not itself produce in this process, the state is tried in a forked copy
// of the process, which loads it and runs a few frames; a crash or a hang there becomes STATE_INVALID here, and the
// process the user runs never executes the damaged state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <unordered_set>

namespace rgym {

enum class TrialOutcome {
  Ran,          // the attempt returned true
  Rejected,     // the attempt returned false (the core refused the state)
  Crashed,      // the child died from a signal
  Hung,         // the child did not finish within the timeout
  Unavailable,  // no child could be made (fork failed); nothing is known
};

struct TrialResult {
  TrialOutcome outcome;
  int signal = 0;  // for Crashed
  std::string describe() const;
};

// Runs `attempt` in a forked child with its output silenced and its fatal signals at their default action, and
// reports how it ended. The child only ever leaves through _exit: no atexit handler or stream flush of the parent
// runs twice. Only the calling thread exists in the child, so `attempt` must not wait on other threads.
TrialResult runInForkedChild(const std::function<bool()>& attempt, unsigned timeoutSeconds);

// A 64-bit hash of a byte string at memory speed (8 bytes per step): identifies states, not a defence against
// someone crafting collisions.
uint64_t hashBytes(const uint8_t* data, size_t size, uint64_t seed = 0);

// The states known to be safe for a core in this process, by hash of (core file, bytes): every state a core
// produced, and every state whose trial ran. Shared by all emulators and threads; bounded, oldest forgotten first.
class TrustedStates {
 public:
  static TrustedStates& instance();
  bool contains(uint64_t key) const;
  void add(uint64_t key);
  // Cores whose frames cannot run in a forked child (they wait on threads of their own): their states are loaded
  // without a trial.
  bool untriable(const std::string& coreIdentity) const;
  void markUntriable(const std::string& coreIdentity);

 private:
  static constexpr size_t kCapacity = 1 << 16;
  TrustedStates() = default;
  mutable std::mutex mutex_;
  std::unordered_set<uint64_t> keys_;
  std::deque<uint64_t> order_;  // insertion order, for forgetting the oldest
  std::set<std::string> untriableCores_;
};

}  // namespace rgym
