#!/usr/bin/env bash
# Builds the native addon that ships inside the npm package, prebuilds/linux-x64/libretro_gym.glibc.node, so that
# `npm install libretro-gym` needs no compiler. Run by `npm pack` / `npm publish` (prepack); not kept in git.
# Lua is linked in: the file needs only glibc and libstdc++ (and Node-API, its version in package.json "binary").
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ] || ! getconf GNU_LIBC_VERSION >/dev/null 2>&1; then
  echo "prebuild: the shipped addon is built on linux-x64 with glibc; this is $(uname -s)-$(uname -m)" >&2
  exit 1
fi

# Its own build folder, so the developer's build/Release (which the loader prefers) is left alone.
npx cmake-js compile --out build-prebuild --CDRGYM_PREBUILD=ON --log-level error >/dev/null
built=build-prebuild/Release/libretro_gym.node
dest=prebuilds/linux-x64/libretro_gym.glibc.node

# What it needs at run time: glibc's and GCC's libraries only, no Lua.
needed="$(objdump -p "$built" | awk '/NEEDED/ {print $2}' | sort | tr '\n' ' ')"
for lib in $needed; do
  case "$lib" in
    libc.so.6 | libm.so.6 | libdl.so.2 | libpthread.so.0 | ld-linux-x86-64.so.2 | libstdc++.so.6 | libgcc_s.so.1) ;;
    *) echo "prebuild: $built needs $lib at run time; only glibc's and GCC's libraries are allowed" >&2; exit 1 ;;
  esac
done
newest() { objdump -T "$built" | grep -o "$1_[0-9.]*" | sort -uV | tail -1; }
glibc="$(newest GLIBC)"
glibcxx="$(newest GLIBCXX)"

mkdir -p "$(dirname "$dest")"
cp "$built" "$dest.tmp"
mv "$dest.tmp" "$dest"
# The N64 host: our libretro core that runs mupen64plus, and its plugins, which it looks for beside itself.
for plugin in rgym_mupen64plus_libretro.so rgym_n64_input.so rgym_n64_video.so; do
  cp "build-prebuild/Release/$plugin" "$(dirname "$dest")/$plugin.tmp"
  mv "$(dirname "$dest")/$plugin.tmp" "$(dirname "$dest")/$plugin"
done
echo "prebuild: $dest ($(du -k "$dest" | cut -f1) kB; needs ${needed% }; symbols up to $glibc, $glibcxx)"
