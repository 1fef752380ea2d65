// What the instruction hook cannot see. LuaGuard's hook runs every few thousand VM instructions and at every
// function call, so Lua code and C loops that call functions or metamethods are stopped at their limits. A few C
// library functions can loop for long doing neither:
//   - the pattern matcher behind string.find/match/gmatch/gsub backtracks exponentially on patterns such as
//     ("a?"):rep(30) .. ("a"):rep(30). Its worst case is bounded from the pattern and the subject alone
//     (lua_pattern_cost.h), and a call whose bound does not fit the time limit is refused before it starts
//     (SCRIPT_TIMEOUT). Ordinary patterns on ordinary strings are orders of magnitude below it.
//   - table.insert/remove shift every element up to the table's length, which a border such as t[2^40] or a
//     __len metamethod can make huge with no memory at all: here they are Lua's own loops plus a deadline check.
//   - table.move moves as many elements as its arguments say, and table.sort sorts without calling anything:
//     counts that do not fit the time limit are refused up front.
//   - string.rep of an empty string loops n times for nothing: answered directly.
// Functions refused this way raise through LuaGuard::stopForCost(), which the script cannot pcall() away.
// Also: `__gc` metamethods are refused, since Lua runs finalizers with hooks off; `print` goes to the log.
// Each C function here raises Lua errors (longjmp) only while no C++ object with a destructor is alive.
#include "lua_sandbox.h"

#include <lua.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "lua_guard.h"
#include "lua_pattern_cost.h"

namespace rgym {
namespace {

// How much of each kind of work fits one millisecond of a call's time limit, measured with margin on a slow
// machine: the matcher takes ~4e8 steps/s, table.move ~7e7 elements/s, table.sort ~1.2e6 elements/s.
constexpr double kPatternStepsPerMs = 100'000;
constexpr double kMovedElementsPerMs = 20'000;
constexpr double kSortedElementsPerMs = 1'000;

// ---------------------------------------------------------------------------------------------------------------
// Where the script called from, as "file.lua:12" (the file's name only), into `out`: the innermost Lua function on
// the stack, so a call through pcall() still names the script's line.
void callerLocation(lua_State* L, char* out, size_t size) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar) != 0; ++level) {
    if (lua_getinfo(L, "Sl", &ar) == 0 || std::strcmp(ar.what, "C") == 0) continue;
    const char* name = ar.short_src;
    if (ar.source != nullptr && ar.source[0] == '@') {
      const char* slash = std::strrchr(ar.source, '/');
      name = slash != nullptr ? slash + 1 : ar.source + 1;
    }
    std::snprintf(out, size, "%s:%d", name, ar.currentline);
    return;
  }
  std::snprintf(out, size, "?");
}

double timeLimitMs(lua_State* L) { return static_cast<double>(LuaGuard::of(L).limits().timeoutMs); }

// Stops the call unless `work` units of a C function fit its time limit.
void requireAffordable(lua_State* L, const char* function, double work, double workPerMs, const char* unit) {
  const double allowed = timeLimitMs(L) * workPerMs;
  if (work <= allowed) return;
  char where[128];
  callerLocation(L, where, sizeof(where));
  char what[320];
  std::snprintf(what, sizeof(what),
                "%s at %s would take up to %.3g %s, more than its time limit of %.0f ms allows (%.3g; scriptLimits.timeoutMs "
                "sets it)",
                function, where, work, unit, timeLimitMs(L), allowed);
  LuaGuard::of(L).stopForCost(L, what);
}

// The library function a wrapper stands in front of, kept as its upvalue.
int callOriginal(lua_State* L) { return lua_tocfunction(L, lua_upvalueindex(1))(L); }

int boundedFind(lua_State* L) {
  size_t length = 0, patternLength = 0;
  const char* subject = luaL_checklstring(L, 1, &length);
  const char* pattern = luaL_checklstring(L, 2, &patternLength);
  const double work = lua_toboolean(L, 4) ? (static_cast<double>(length) + 1) * (static_cast<double>(patternLength) + 1)
                                          : patternWorstCase(subject, length, pattern, patternLength, true);
  requireAffordable(L, "string.find", work, kPatternStepsPerMs, "matcher steps");
  return callOriginal(L);
}

template <bool kCaretAnchors>
int boundedMatcher(lua_State* L, const char* function) {
  size_t length = 0, patternLength = 0;
  const char* subject = luaL_checklstring(L, 1, &length);
  const char* pattern = luaL_checklstring(L, 2, &patternLength);
  requireAffordable(L, function, patternWorstCase(subject, length, pattern, patternLength, kCaretAnchors),
                    kPatternStepsPerMs, "matcher steps");
  return callOriginal(L);
}

int boundedMatch(lua_State* L) { return boundedMatcher<true>(L, "string.match"); }
int boundedGsub(lua_State* L) { return boundedMatcher<true>(L, "string.gsub"); }
// The bound covers every match the iterator will find: together they try each start position once.
int boundedGmatch(lua_State* L) { return boundedMatcher<false>(L, "string.gmatch"); }

int boundedRep(lua_State* L) {
  size_t length = 0, separatorLength = 0;
  luaL_checklstring(L, 1, &length);
  const lua_Integer count = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &separatorLength);
  if (count > 0 && length + separatorLength == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  return callOriginal(L);
}

// Lua's table.insert(t, pos, value), checking the deadline while it shifts. Other forms go to the original.
int boundedInsert(lua_State* L) {
  if (lua_gettop(L) != 3 || lua_type(L, 1) != LUA_TTABLE) return callOriginal(L);
  const lua_Integer firstEmpty = luaL_intop(+, luaL_len(L, 1), 1);
  const lua_Integer pos = luaL_checkinteger(L, 2);
  luaL_argcheck(L, static_cast<lua_Unsigned>(pos) - 1u < static_cast<lua_Unsigned>(firstEmpty), 2, "position out of bounds");
  LuaGuard& guard = LuaGuard::of(L);
  for (lua_Integer i = firstEmpty; i > pos; --i) {
    lua_geti(L, 1, i - 1);
    lua_seti(L, 1, i);
    if ((i & 0xfff) == 0) guard.checkDeadline(L);
  }
  lua_seti(L, 1, pos);
  return 0;
}

// Lua's table.remove(t [, pos]), checking the deadline while it shifts.
int boundedRemove(lua_State* L) {
  if (lua_type(L, 1) != LUA_TTABLE) return callOriginal(L);
  const lua_Integer size = luaL_len(L, 1);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size) {
    luaL_argcheck(L, static_cast<lua_Unsigned>(pos) - 1u <= static_cast<lua_Unsigned>(size), 2, "position out of bounds");
  }
  lua_geti(L, 1, pos);
  LuaGuard& guard = LuaGuard::of(L);
  for (; pos < size; ++pos) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
    if ((pos & 0xfff) == 0) guard.checkDeadline(L);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}

int boundedMove(lua_State* L) {
  const lua_Integer first = luaL_checkinteger(L, 2);
  const lua_Integer last = luaL_checkinteger(L, 3);
  luaL_checkinteger(L, 4);
  if (last >= first) {
    const double count = static_cast<double>(last) - static_cast<double>(first) + 1;
    requireAffordable(L, "table.move", count, kMovedElementsPerMs, "elements to move");
  }
  return callOriginal(L);
}

// A table with a __len metamethod is left alone: its elements must exist to be compared, so memory bounds them.
int boundedSort(lua_State* L) {
  if (lua_type(L, 1) == LUA_TTABLE) {
    if (luaL_getmetafield(L, 1, "__len") != LUA_TNIL) {
      lua_pop(L, 1);
    } else {
      requireAffordable(L, "table.sort", static_cast<double>(lua_rawlen(L, 1)), kSortedElementsPerMs, "elements to sort");
    }
  }
  return callOriginal(L);
}

// Lua runs __gc finalizers with hooks off, where no limit could stop them: an object never gets one.
int setmetatableWithoutGc(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    const bool hasGc = lua_rawget(L, 2) != LUA_TNIL;
    lua_pop(L, 1);
    if (hasGc) luaL_error(L, "setmetatable: __gc metamethods are not available to scenario scripts");
  }
  return callOriginal(L);
}

// ---------------------------------------------------------------------------------------------------------------
// print() goes to the library's log (stderr, when RETRO_LOG is info or debug, as the cores' messages) at info
// level, prefixed with the script's file and line: never to stdout, which may carry a program's own output.
bool logsInfo() {
  static const bool enabled = [] {
    const char* level = std::getenv("RETRO_LOG");
    return level != nullptr && (std::strcmp(level, "info") == 0 || std::strcmp(level, "debug") == 0);
  }();
  return enabled;
}

int logPrint(lua_State* L) {
  const int count = lua_gettop(L);
  luaL_Buffer line;
  luaL_buffinit(L, &line);
  for (int i = 1; i <= count; ++i) {
    luaL_tolstring(L, i, nullptr);  // as Lua's print: honours __tostring and __name
    luaL_addvalue(&line);
    if (i < count) luaL_addchar(&line, '\t');
  }
  luaL_pushresult(&line);
  if (!logsInfo()) return 0;
  size_t length = 0;
  const char* text = lua_tolstring(L, -1, &length);
  char where[128];
  callerLocation(L, where, sizeof(where));
  // One locked write per line: envs of a batch print from several threads.
  flockfile(stderr);
  std::fprintf(stderr, "[lua %s] ", where);
  std::fwrite(text, 1, length, stderr);
  std::fputc('\n', stderr);
  funlockfile(stderr);
  return 0;
}

// Replaces library.name with `wrapper`, which reaches the original as its upvalue. The library table is on top.
void wrapField(lua_State* L, const char* name, lua_CFunction wrapper) {
  lua_getfield(L, -1, name);
  lua_pushcclosure(L, wrapper, 1);
  lua_setfield(L, -2, name);
}

}  // namespace

void openSandboxedLibraries(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  wrapField(L, "setmetatable", setmetatableWithoutGc);
  lua_pushcfunction(L, logPrint);
  lua_setfield(L, -2, "print");
  // The base library can still read files; scenario scripts have no business doing so.
  for (const char* unsafe : {"dofile", "loadfile", "load", "require"}) {
    lua_pushnil(L);
    lua_setfield(L, -2, unsafe);
  }
  lua_pop(L, 1);

  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
  wrapField(L, "insert", boundedInsert);
  wrapField(L, "remove", boundedRemove);
  wrapField(L, "move", boundedMove);
  wrapField(L, "sort", boundedSort);
  lua_pop(L, 1);

  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);  // also the strings' metatable's __index
  wrapField(L, "find", boundedFind);
  wrapField(L, "match", boundedMatch);
  wrapField(L, "gmatch", boundedGmatch);
  wrapField(L, "gsub", boundedGsub);
  wrapField(L, "rep", boundedRep);
  lua_pop(L, 1);

  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  lua_pop(L, 1);
}

}  // namespace rgym
