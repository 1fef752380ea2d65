// The bound on Lua's pattern matcher that the sandbox checks before string.find/match/gmatch/gsub: linear for
// plain patterns, exponential in optional items, anchored patterns tried from one start only, and never below
// what the matcher really does on a backtracking case.
#include "lua_pattern_cost.h"

#include <string>

#include "check.h"

using rgym::patternWorstCase;

namespace {

double cost(const std::string& subject, const std::string& pattern, bool caretAnchors = true) {
  return patternWorstCase(subject.data(), subject.size(), pattern.data(), pattern.size(), caretAnchors);
}

}  // namespace

TEST("a plain pattern costs its length plus one per start position") {
  CHECK(cost("hello world", "world") == 12 * 6);
  CHECK(cost("", "") == 1);
}

TEST("a caret anchors find/match/gsub to one start; gmatch takes it literally") {
  const std::string subject(100, 'a');
  CHECK(cost(subject, "^a") == 2);
  CHECK(cost(subject, "^a", false) > 100);
}

TEST("each optional item doubles the cost: ('a?'):rep(30) is refused territory") {
  const std::string a30(30, 'a');
  std::string optional;
  for (int i = 0; i < 30; ++i) optional += "a?";
  CHECK(cost(a30, optional + a30) > 1e9);
  CHECK(cost(a30, "a?a?") < cost(a30, "a?a?a?"));
}

TEST("a repeated class costs by the longest run it can cover in the subject") {
  const std::string shortRuns = "ab ab ab ab";
  const std::string longRun = "abababababab";
  CHECK(cost(shortRuns, "^%a*$") < cost(longRun, "^%a*$"));
  CHECK(cost(std::string(1000, 'x'), "^[xy]*z") >= 1000);
}

TEST("a malformed pattern costs no more than its well-formed head") {
  CHECK(cost("abc", "^a[") <= cost("abc", "^a") + 1);
  CHECK(cost("abc", "^a%") <= cost("abc", "^a") + 1);
}

int main() { return check::runAll(); }
