// The forked trial that guards loadState, without a core: each way a child can end is told apart, the parent's
// memory is untouched by what the child does, and the state hash and the trusted-state set behave.
#include "state_trial.h"

#include <signal.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "check.h"

using rgym::hashBytes;
using rgym::runInForkedChild;
using rgym::TrialOutcome;
using rgym::TrustedStates;

TEST("a child that returns true ran, one that returns false was rejected") {
  CHECK(runInForkedChild([] { return true; }, 5).outcome == TrialOutcome::Ran);
  CHECK(runInForkedChild([] { return false; }, 5).outcome == TrialOutcome::Rejected);
}

TEST("a child killed by a signal crashed, with that signal") {
  const auto segv = runInForkedChild([] { return ::raise(SIGSEGV) == 0; }, 5);
  CHECK(segv.outcome == TrialOutcome::Crashed);
  CHECK(segv.signal == SIGSEGV);
  CHECK(segv.describe().find("crashed") != std::string::npos);
  const auto abrt = runInForkedChild([] { return ::raise(SIGABRT) == 0; }, 5);
  CHECK(abrt.outcome == TrialOutcome::Crashed && abrt.signal == SIGABRT);
}

TEST("a child that throws counts as crashed, not as ran") {
  CHECK(runInForkedChild([]() -> bool { throw std::runtime_error("no"); }, 5).outcome == TrialOutcome::Crashed);
}

TEST("a child that never finishes hung, and is stopped by the timeout") {
  const auto hung = runInForkedChild([] {
    for (;;) ::pause();
    return true;
  }, 1);
  CHECK(hung.outcome == TrialOutcome::Hung);
}

TEST("what the child writes stays in the child") {
  std::vector<int> memory(1000, 7);
  const auto result = runInForkedChild([&] {
    std::fill(memory.begin(), memory.end(), 0);
    return true;
  }, 5);
  CHECK(result.outcome == TrialOutcome::Ran);
  CHECK(memory[0] == 7 && memory[999] == 7);
}

TEST("the hash sees every byte, the length and the seed") {
  std::vector<uint8_t> bytes(1003);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 31);
  const uint64_t base = hashBytes(bytes.data(), bytes.size());
  CHECK(base == hashBytes(bytes.data(), bytes.size()));
  for (size_t at : {size_t{0}, size_t{7}, size_t{8}, size_t{500}, size_t{1000}, size_t{1002}}) {
    std::vector<uint8_t> flipped = bytes;
    flipped[at] ^= 1;
    CHECK(hashBytes(flipped.data(), flipped.size()) != base);
  }
  CHECK(hashBytes(bytes.data(), bytes.size() - 1) != base);
  std::vector<uint8_t> zeros(16, 0);
  CHECK(hashBytes(zeros.data(), 15) != hashBytes(zeros.data(), 16));  // a zero tail still counts by length
  CHECK(hashBytes(bytes.data(), bytes.size(), 1) != base);
  CHECK(hashBytes(nullptr, 0) == hashBytes(nullptr, 0));
}

TEST("trusted states are remembered, and the oldest forgotten past the bound") {
  TrustedStates& trusted = TrustedStates::instance();
  CHECK(!trusted.contains(42));
  trusted.add(42);
  CHECK(trusted.contains(42));
  for (uint64_t key = 1000; key < 1000 + (1 << 16); ++key) trusted.add(key);
  CHECK(!trusted.contains(42));
  CHECK(trusted.contains(1000 + (1 << 16) - 1));
  CHECK(!trusted.untriable("core-a"));
  trusted.markUntriable("core-a");
  CHECK(trusted.untriable("core-a") && !trusted.untriable("core-b"));
}

int main() { return check::runAll(); }
