// How many steps Lua's pattern matcher (lstrlib.c) can take at most on one subject: the sandbox refuses a
// string.find/match/gmatch/gsub call whose bound does not fit its time limit before the matcher starts, since the
// matcher runs no VM instruction the instruction hook could stop. Plain C++: no Lua state is needed.
#pragma once

#include <cstddef>

namespace rgym {

// Steps matching `pattern` against `subject` can take at most. With `caretAnchors`, a leading '^' anchors the match
// (find, match, gsub; gmatch takes it literally). A malformed tail costs 1: the matcher raises when it gets there.
double patternWorstCase(const char* subject, size_t length, const char* pattern, size_t patternLength, bool caretAnchors);

}  // namespace rgym
