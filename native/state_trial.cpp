#include "state_trial.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rgym {

namespace {

constexpr int kExitRan = 0;
constexpr int kExitRejected = 3;
constexpr int kExitThrew = 4;

// In the child: fatal signals kill it (no inherited handler such as a sanitizer's may report or recover), the
// alarm ends a hang, and nothing it prints reaches the parent's terminal.
void prepareChild(unsigned timeoutSeconds) {
  for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGALRM}) ::signal(signal, SIG_DFL);
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_UNBLOCK, &all, nullptr);
  const int devNull = ::open("/dev/null", O_WRONLY);
  if (devNull >= 0) {
    ::dup2(devNull, STDOUT_FILENO);
    ::dup2(devNull, STDERR_FILENO);
  }
  ::alarm(timeoutSeconds);
}

}  // namespace

std::string TrialResult::describe() const {
  switch (outcome) {
    case TrialOutcome::Ran: return "ran";
    case TrialOutcome::Rejected: return "was refused by the core";
    case TrialOutcome::Crashed: return std::string("crashed the core (") + strsignal(signal) + ")";
    case TrialOutcome::Hung: return "made the core hang";
    case TrialOutcome::Unavailable: return "could not be tried";
  }
  return "";
}

TrialResult runInForkedChild(const std::function<bool()>& attempt, unsigned timeoutSeconds) {
  const pid_t pid = ::fork();
  if (pid < 0) return {TrialOutcome::Unavailable};
  if (pid == 0) {
    prepareChild(timeoutSeconds);
    int code = kExitThrew;
    try {
      code = attempt() ? kExitRan : kExitRejected;
    } catch (...) {
    }
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return {TrialOutcome::Unavailable};
  }
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    return signal == SIGALRM ? TrialResult{TrialOutcome::Hung} : TrialResult{TrialOutcome::Crashed, signal};
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExitRan) return {TrialOutcome::Ran};
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExitRejected) return {TrialOutcome::Rejected};
  // A sanitizer's report exits with its own code: that too is a crash for our purposes.
  return {TrialOutcome::Crashed, SIGABRT};
}

uint64_t hashBytes(const uint8_t* data, size_t size, uint64_t seed) {
  constexpr uint64_t kMul1 = 0x9e3779b97f4a7c15ull, kMul2 = 0xc2b2ae3d27d4eb4full;
  uint64_t hash = seed ^ (size * kMul1);
  auto mix = [&](uint64_t word) {
    hash ^= word * kMul2;
    hash = ((hash << 31) | (hash >> 33)) * kMul1;
  };
  size_t at = 0;
  for (; at + 8 <= size; at += 8) {
    uint64_t word;
    std::memcpy(&word, data + at, 8);
    mix(word);
  }
  uint64_t tail = 0;
  if (at < size) std::memcpy(&tail, data + at, size - at);
  mix(tail);
  hash ^= hash >> 29;
  hash *= kMul2;
  return hash ^ (hash >> 32);
}

TrustedStates& TrustedStates::instance() {
  static TrustedStates trusted;
  return trusted;
}

bool TrustedStates::contains(uint64_t key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return keys_.count(key) != 0;
}

void TrustedStates::add(uint64_t key) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!keys_.insert(key).second) return;
  order_.push_back(key);
  if (order_.size() > kCapacity) {
    keys_.erase(order_.front());
    order_.pop_front();
  }
}

bool TrustedStates::untriable(const std::string& coreIdentity) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return untriableCores_.count(coreIdentity) != 0;
}

void TrustedStates::markUntriable(const std::string& coreIdentity) {
  std::lock_guard<std::mutex> lock(mutex_);
  untriableCores_.insert(coreIdentity);
}

}  // namespace rgym
