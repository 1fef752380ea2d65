// A minimal test harness for the native unit tests: CHECK records a failure and goes on, TEST registers a case,
// runAll() runs them all and returns the process exit code ctest reads.
#pragma once

#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "errors.h"

namespace check {

struct Case {
  const char* name;
  std::function<void()> body;
};

inline std::vector<Case>& cases() {
  static std::vector<Case> all;
  return all;
}
inline int& failures() {
  static int count = 0;
  return count;
}

struct Register {
  Register(const char* name, std::function<void()> body) { cases().push_back({name, std::move(body)}); }
};

inline void fail(const char* file, int line, const std::string& what) {
  ++failures();
  std::fprintf(stderr, "%s:%d: FAILED %s\n", file, line, what.c_str());
}

inline int runAll() {
  for (const Case& c : cases()) {
    const int before = failures();
    try {
      c.body();
    } catch (const std::exception& e) {
      fail(c.name, 0, std::string("unexpected exception: ") + e.what());
    }
    std::fprintf(stderr, "%s %s\n", failures() == before ? "ok  " : "FAIL", c.name);
  }
  std::fprintf(stderr, "%zu cases, %d failed checks\n", cases().size(), failures());
  return failures() == 0 && !cases().empty() ? 0 : 1;
}

}  // namespace check

#define CHECK_CONCAT_(a, b) a##b
#define CHECK_CONCAT(a, b) CHECK_CONCAT_(a, b)
#define TEST(name)                                                                          \
  static void CHECK_CONCAT(test_, __LINE__)();                                              \
  static const check::Register CHECK_CONCAT(register_, __LINE__)(name, CHECK_CONCAT(test_, __LINE__)); \
  static void CHECK_CONCAT(test_, __LINE__)()
#define CHECK(cond) \
  do {              \
    if (!(cond)) check::fail(__FILE__, __LINE__, #cond); \
  } while (0)
// Checks that `expr` throws an EmulatorError-like exception whose code() is `expected`.
#define CHECK_THROWS_CODE(expr, expected)                                                        \
  do {                                                                                           \
    bool threw_ = false;                                                                         \
    try {                                                                                        \
      expr;                                                                                      \
    } catch (const rgym::EmulatorError& e_) {                                                    \
      threw_ = true;                                                                             \
      if (e_.code() != (expected)) check::fail(__FILE__, __LINE__, #expr " threw code " + e_.code()); \
    }                                                                                            \
    if (!threw_) check::fail(__FILE__, __LINE__, #expr " did not throw");                        \
  } while (0)
