#!/usr/bin/env bash
# Makes the copy of Debian's static Lua (liblua5.4.a) that the addon links, and prints its path.
#
# Debian compiles liblua5.4.a as position-independent *executable* code: it is relocatable, but it reads libc's
# stdin/stdout/stderr directly, as only a program can, so a shared library like our addon cannot link it. The copy
# has those three renamed to hidden variables the addon defines (native/static_lua_streams.cpp); everything else is
# Debian's build, byte for byte. Used by CMakeLists.txt and binding.gyp alike.
set -euo pipefail
out_dir="${1:?usage: private-lua.sh <output dir>}"
libdir="$(pkg-config --variable=libdir lua5.4)"
src="$libdir/liblua5.4.a"
if [ ! -f "$src" ]; then
  echo "private-lua.sh: $src not found: install it with: sudo apt-get install liblua5.4-dev" >&2
  exit 1
fi
mkdir -p "$out_dir"
out="$(cd "$out_dir" && pwd)/liblua5.4-private.a"
if [ ! -f "$out" ] || [ "$src" -nt "$out" ]; then
  objcopy \
    --redefine-sym stdin=rgym_lua_stdin \
    --redefine-sym stdout=rgym_lua_stdout \
    --redefine-sym stderr=rgym_lua_stderr \
    "$src" "$out.tmp"
  mv "$out.tmp" "$out"
fi
echo "$out"
