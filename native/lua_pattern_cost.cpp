// Worst case of Lua's matcher. A pattern is a sequence of items, each consumed by match() in lstrlib.c with no
// alternation, so the steps it can take from one start position follow a recurrence over the items, from the last
// (cost 1) to the first: a plain item costs 1 + the rest, `x?` tries the rest twice, `x*`/`x+`/`x-` try it once
// per length of the run of x they can cover (at most the longest run of bytes matching x in the subject), and %b
// and back references may scan the subject. Each item is an affine map of the rest's cost, composed left to right.
#include "lua_pattern_cost.h"

#include <cctype>

namespace rgym {
namespace {

// Subject bytes the analysis may read to measure runs of a class before assuming the worst.
constexpr size_t kAnalysisBytes = 16 << 20;

using uchar = unsigned char;

struct AffineCost {
  double scale = 1, sum = 0;
  // The items so far, followed by one costing `perRest` times the rest plus `own`.
  void then(double perRest, double own) {
    sum += scale * own;
    scale *= perRest;
  }
  double total() const { return scale + sum; }  // with the end of the pattern costing 1
};

bool inClass(uchar c, uchar cls) {
  bool in = false;
  switch (std::tolower(cls)) {
    case 'a': in = std::isalpha(c); break;
    case 'c': in = std::iscntrl(c); break;
    case 'd': in = std::isdigit(c); break;
    case 'g': in = std::isgraph(c); break;
    case 'l': in = std::islower(c); break;
    case 'p': in = std::ispunct(c); break;
    case 's': in = std::isspace(c); break;
    case 'u': in = std::isupper(c); break;
    case 'w': in = std::isalnum(c); break;
    case 'x': in = std::isxdigit(c); break;
    default: return cls == c;
  }
  return std::isupper(cls) ? !in : in;
}

// `set` points at '[', `close` at its ']'.
bool inSet(uchar c, const char* set, const char* close) {
  bool found = true;
  const char* p = set + 1;
  if (*p == '^') {
    found = false;
    ++p;
  }
  for (; p < close; ++p) {
    if (*p == '%') {
      ++p;
      if (inClass(c, static_cast<uchar>(*p))) return found;
    } else if (p[1] == '-' && p + 2 < close) {
      p += 2;
      if (static_cast<uchar>(p[-2]) <= c && c <= static_cast<uchar>(*p)) return found;
    } else if (static_cast<uchar>(*p) == c) {
      return found;
    }
  }
  return !found;
}

// A single-character class: `.`, `%x`, `[set]` or a literal, from `item` to `end`.
bool matchesItem(uchar c, const char* item, const char* end) {
  switch (*item) {
    case '.': return true;
    case '%': return inClass(c, static_cast<uchar>(item[1]));
    case '[': return inSet(c, item, end - 1);
    default: return static_cast<uchar>(*item) == c;
  }
}

// The end of the class starting at `p`, or nullptr where the matcher would raise "malformed pattern".
const char* classEnd(const char* p, const char* end) {
  const char c = *p++;
  if (c == '%') return p < end ? p + 1 : nullptr;
  if (c != '[') return p;
  if (p < end && *p == '^') ++p;
  do {  // the first character after '[' (or "[^") belongs to the set, even a ']'
    if (p == end) return nullptr;
    if (*p++ == '%' && p < end) ++p;
  } while (p == end || *p != ']');
  return p + 1;
}

// Scans the subject for the longest run of bytes the class matches, while the analysis budget lasts.
double longestRun(const char* subject, size_t length, const char* item, const char* itemEnd, size_t& budget) {
  if (*item == '.' || budget < length) return static_cast<double>(length);
  budget -= length;
  size_t best = 0, run = 0;
  for (size_t i = 0; i < length; ++i) {
    run = matchesItem(static_cast<uchar>(subject[i]), item, itemEnd) ? run + 1 : 0;
    if (run > best) best = run;
  }
  return static_cast<double>(best);
}

}  // namespace

double patternWorstCase(const char* subject, size_t length, const char* pattern, size_t patternLength, bool caretAnchors) {
  const double n = static_cast<double>(length);
  const char* p = pattern;
  const char* const end = pattern + patternLength;
  double starts = n + 1;
  if (caretAnchors && p < end && *p == '^') {
    starts = 1;
    ++p;
  }
  AffineCost cost;
  size_t budget = kAnalysisBytes;
  while (p < end) {
    if (*p == '(' || *p == ')') {  // a capture, or a position capture "()"
      cost.then(1, 1);
      p += *p == '(' && p + 1 < end && p[1] == ')' ? 2 : 1;
      continue;
    }
    if (*p == '$' && p + 1 == end) {
      cost.then(1, 1);
      break;
    }
    if (*p == '%' && p + 1 < end) {
      if (p[1] == 'b') {  // %bxy scans for the balanced end
        if (p + 4 > end) break;
        cost.then(1, n + 1);
        p += 4;
        continue;
      }
      if (p[1] == 'f') {  // frontier: one test
        p += 2;
        const char* e = p < end && *p == '[' ? classEnd(p, end) : nullptr;
        if (e == nullptr) break;
        cost.then(1, 1);
        p = e;
        continue;
      }
      if (std::isdigit(static_cast<uchar>(p[1]))) {  // back reference: compares up to a capture's length
        cost.then(1, n + 1);
        p += 2;
        continue;
      }
    }
    const char* e = classEnd(p, end);
    if (e == nullptr) break;
    const char quantifier = e < end ? *e : '\0';
    if (quantifier == '?') {
      cost.then(2, 1);
    } else if (quantifier == '*' || quantifier == '+' || quantifier == '-') {
      const double run = longestRun(subject, length, p, e, budget);
      cost.then(run + 1, run + 1);
    } else {
      cost.then(1, 1);
      p = e;
      continue;
    }
    p = e + 1;
  }
  return starts * cost.total();
}

}  // namespace rgym
