// The batch stepper's job queue without cores: every job runs once, batches come back in completion order, busy
// envs and bad ids are refused, errors keep their codes, and recv() runs jobs on the calling thread when asked.
#include "job_queue.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <thread>

#include "check.h"

using rgym::BatchJob;
using rgym::EmulatorError;
using rgym::JobQueue;

namespace {

std::vector<uint32_t> range(uint32_t n) {
  std::vector<uint32_t> ids(n);
  std::iota(ids.begin(), ids.end(), 0u);
  return ids;
}

std::vector<uint32_t> sorted(std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

// What the jobs of one test saw, one slot per env (each env's job runs on one thread at a time).
struct Seen {
  explicit Seen(size_t n) : runs(n, 0), resets(n, 0), masks(n), sticks(n) {}
  std::vector<int> runs, resets;
  std::vector<std::array<uint16_t, BatchJob::kMaxPorts>> masks;
  std::vector<std::array<std::array<int16_t, BatchJob::kStickAxes>, BatchJob::kMaxPorts>> sticks;
  JobQueue::RunJob recorder() {
    return [this](const BatchJob& job) {
      ++runs[job.id];
      if (job.reset) ++resets[job.id];
      masks[job.id] = job.masks;
      sticks[job.id] = job.sticks;
    };
  }
};

}  // namespace

TEST("every sent job runs once, with its own masks, and is received once") {
  Seen seen(64);
  JobQueue queue(64, seen.recorder(), 3, false);
  std::vector<uint16_t> masks;
  for (uint32_t id = 0; id < 64; ++id) masks.insert(masks.end(), {uint16_t(id * 2), uint16_t(id * 2 + 1)});
  queue.send(range(64), masks, 2);
  CHECK(sorted(queue.recv(64)) == range(64));
  for (uint32_t id = 0; id < 64; ++id) {
    CHECK(seen.runs[id] == 1);
    CHECK(seen.resets[id] == 0);
    CHECK(seen.masks[id][0] == id * 2 && seen.masks[id][1] == id * 2 + 1 && seen.masks[id][2] == 0);
  }
}

TEST("each job carries its own stick axes; axes a pad leaves out, and resets, stay centred") {
  Seen seen(3);
  JobQueue queue(3, seen.recorder(), 2, false);
  // Two ports with one stick (x, y) each: env i, port p holds (100 * i + p, -(100 * i + p)).
  std::vector<int16_t> axes;
  for (int16_t i = 0; i < 2; ++i)
    for (int16_t p = 0; p < 2; ++p) axes.insert(axes.end(), {int16_t(100 * i + p), int16_t(-(100 * i + p))});
  queue.send({0, 1}, {0, 0, 0, 0}, 2, axes, 2);
  queue.sendReset({2});
  CHECK(sorted(queue.recv(3)) == range(3));
  for (int16_t i = 0; i < 2; ++i) {
    for (int16_t p = 0; p < 2; ++p) {
      const auto& a = seen.sticks[i][p];
      CHECK(a[0] == 100 * i + p && a[1] == -(100 * i + p) && a[2] == 0 && a[3] == 0);
    }
    CHECK(seen.sticks[i][2][0] == 0);
  }
  CHECK(seen.sticks[2][0][0] == 0 && seen.sticks[2][0][1] == 0);
  CHECK_THROWS_CODE(queue.send({0}, {0, 0}, 2, {1, 2, 3}, 2), "INVALID_ARGUMENT");  // 3 axes for 2 ports × 2
  queue.send({0}, {0, 0}, 2);  // env 0 was not left busy by the refused send
  CHECK(queue.recv(1) == std::vector<uint32_t>{0});
}

TEST("recv takes a batch; the other finished envs wait for the next recv") {
  Seen seen(10);
  JobQueue queue(10, seen.recorder(), 2, false);
  queue.send(range(10), std::vector<uint16_t>(10, 0), 1);
  const std::vector<uint32_t> first = queue.recv(4);
  const std::vector<uint32_t> rest = queue.recv(6);
  CHECK(first.size() == 4 && rest.size() == 6);
  std::vector<uint32_t> all = first;
  all.insert(all.end(), rest.begin(), rest.end());
  CHECK(sorted(all) == range(10));
  CHECK_THROWS_CODE(queue.recv(1), "INVALID_ARGUMENT");  // nothing left to receive
}

TEST("sendReset queues resets") {
  Seen seen(4);
  JobQueue queue(4, seen.recorder(), 2, false);
  queue.sendReset({1, 3});
  CHECK(sorted(queue.recv(2)) == (std::vector<uint32_t>{1, 3}));
  CHECK(seen.resets == (std::vector<int>{0, 1, 0, 1}));
}

TEST("an env is busy from send to recv; a refused send queues nothing") {
  Seen seen(4);
  JobQueue queue(4, seen.recorder(), 1, false);
  queue.send({3}, {0}, 1);
  CHECK_THROWS_CODE(queue.send({3}, {0}, 1), "INVALID_ARGUMENT");
  CHECK_THROWS_CODE(queue.sendReset({2, 3}), "INVALID_ARGUMENT");
  CHECK(queue.recv(1) == std::vector<uint32_t>{3});
  CHECK_THROWS_CODE(queue.recv(1), "INVALID_ARGUMENT");  // the refused sends queued nothing, env 2 included
  CHECK_THROWS_CODE(queue.send({1, 4}, {0, 0}, 1), "INVALID_ARGUMENT");  // 4 is out of range
  queue.send({1, 2, 3}, {0, 0, 0}, 1);  // env 1 was not left busy by the refused send
  CHECK(sorted(queue.recv(3)) == (std::vector<uint32_t>{1, 2, 3}));
  CHECK(seen.runs == (std::vector<int>{0, 1, 1, 2}));
}

TEST("one env twice in one send is refused") {
  Seen seen(4);
  JobQueue queue(4, seen.recorder(), 2, false);
  CHECK_THROWS_CODE(queue.send({0, 2, 0}, {0, 0, 0}, 1), "INVALID_ARGUMENT");
  CHECK_THROWS_CODE(queue.sendReset({1, 1}), "INVALID_ARGUMENT");
  queue.send({0, 1, 2}, {0, 0, 0}, 1);  // none was left busy
  CHECK(queue.recv(3).size() == 3);
  CHECK(seen.runs == (std::vector<int>{1, 1, 1, 0}));
}

TEST("recv(0) and recv of more than was sent are refused") {
  Seen seen(2);
  JobQueue queue(2, seen.recorder(), 1, false);
  CHECK_THROWS_CODE(queue.recv(0), "INVALID_ARGUMENT");
  queue.send({0}, {0}, 1);
  CHECK_THROWS_CODE(queue.recv(2), "INVALID_ARGUMENT");
  CHECK(queue.recv(1) == std::vector<uint32_t>{0});
}

TEST("a job's error keeps its code, names the env, and comes after its batch is collected") {
  std::vector<int> runs(8, 0);
  JobQueue queue(8, [&](const BatchJob& job) {
    ++runs[job.id];
    if (job.id == 5 && !job.reset) throw EmulatorError("STATE_INVALID", "the state is truncated");
    if (job.id == 6 && job.reset) throw std::runtime_error("out of luck");
  }, 2, false);
  bool threw = false;
  queue.send(range(8), std::vector<uint16_t>(8, 0), 1);
  try {
    queue.recv(8);
  } catch (const EmulatorError& e) {
    threw = true;
    CHECK(e.code() == "STATE_INVALID");
    CHECK(std::string(e.what()) == "env 5: the state is truncated");
  }
  CHECK(threw);
  // The whole batch was collected: every env is idle again and nothing is left to receive.
  CHECK_THROWS_CODE(queue.recv(1), "INVALID_ARGUMENT");
  queue.sendReset({6});
  CHECK_THROWS_CODE(queue.recv(1), "ENV_CRASHED");  // what is not an EmulatorError
  queue.send(range(8), std::vector<uint16_t>(8, 0), 1);
  try {
    queue.recv(8);
    check::fail(__FILE__, __LINE__, "env 5 failed again without an error");
  } catch (const EmulatorError& e) {
    CHECK(e.code() == "STATE_INVALID");  // errors of the previous recv were not kept
  }
  CHECK(runs == (std::vector<int>{2, 2, 2, 2, 2, 2, 3, 2}));
}

TEST("one env never runs on two threads at once, over many batches") {
  constexpr uint32_t kEnvs = 6;
  std::vector<std::atomic<int>> running(kEnvs);
  std::atomic<int> overlaps{0}, total{0};
  JobQueue queue(kEnvs, [&](const BatchJob& job) {
    if (running[job.id].fetch_add(1) != 0) ++overlaps;
    std::this_thread::yield();
    running[job.id].fetch_sub(1);
    ++total;
  }, 3, false, true);
  for (int round = 0; round < 300; ++round) {
    queue.send(range(kEnvs), std::vector<uint16_t>(kEnvs, 0), 1);
    size_t got = 0;
    while (got < kEnvs) got += queue.recv(got == 0 ? 2 : kEnvs - got).size();
  }
  CHECK(overlaps.load() == 0);
  CHECK(total.load() == 300 * static_cast<int>(kEnvs));
}

// One worker; the first job to start waits for the second to start. Only another thread can run that second job
// meanwhile: the calling thread, inside recv(), when it helps.
TEST("recv runs queued jobs on the calling thread when it helps") {
  std::mutex m;
  std::condition_variable started;
  std::vector<std::thread::id> threads;
  bool waitedInVain = false;
  JobQueue queue(2, [&](const BatchJob&) {
    std::unique_lock<std::mutex> lock(m);
    threads.push_back(std::this_thread::get_id());
    started.notify_all();
    if (threads.size() == 1 && !started.wait_for(lock, std::chrono::seconds(20), [&] { return threads.size() == 2; })) {
      waitedInVain = true;
    }
  }, 1, false, true);
  CHECK(queue.callerHelps() && queue.workerCount() == 1);
  queue.send({0, 1}, {0, 0}, 1);
  CHECK(queue.recv(2).size() == 2);
  CHECK(!waitedInVain);
  CHECK(threads.size() == 2);
  CHECK(std::count(threads.begin(), threads.end(), std::this_thread::get_id()) == 1);
}

TEST("without calling-thread help, the workers run every job") {
  std::mutex m;
  std::vector<std::thread::id> threads;
  JobQueue queue(4, [&](const BatchJob&) {
    std::lock_guard<std::mutex> lock(m);
    threads.push_back(std::this_thread::get_id());
  }, 1, false, false);
  CHECK(!queue.callerHelps());
  for (int round = 0; round < 20; ++round) {
    queue.send(range(4), std::vector<uint16_t>(4, 0), 1);
    CHECK(queue.recv(4).size() == 4);
  }
  CHECK(threads.size() == 80);
  CHECK(std::set<std::thread::id>(threads.begin(), threads.end()).size() == 1);
  CHECK(std::count(threads.begin(), threads.end(), std::this_thread::get_id()) == 0);
}

TEST("by default the caller helps when there are fewer workers than CPUs; workers are 1 to one per env") {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  CHECK(sched_getaffinity(0, sizeof(allowed), &allowed) == 0);
  const int cpus = CPU_COUNT(&allowed);
  Seen seen(8);
  JobQueue one(8, seen.recorder(), 1, false);
  CHECK(one.workerCount() == 1);
  CHECK(one.callerHelps() == (cpus > 1));
  Seen many(static_cast<size_t>(cpus));
  JobQueue all(static_cast<size_t>(cpus), many.recorder(), static_cast<unsigned>(cpus), false);
  CHECK(!all.callerHelps());
  CHECK(JobQueue(2, seen.recorder(), 16, false).workerCount() == 2);
  CHECK(JobQueue(2, seen.recorder(), 0, false).workerCount() == 1);
}

TEST("a queue destroyed with jobs queued drops them and joins its workers") {
  std::atomic<int> runs{0};
  {
    JobQueue queue(1000, [&](const BatchJob&) {
      ++runs;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }, 1, false);
    queue.send(range(1000), std::vector<uint16_t>(1000, 0), 1);
  }
  const int after = runs.load();
  CHECK(after < 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(runs.load() == after);  // no worker is left running jobs
}

int main() { return check::runAll(); }
