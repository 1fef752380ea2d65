#!/usr/bin/env bash
# Sets up a fresh Debian machine for libretro-gym: system packages (through apt when missing), npm packages, the
# native addon and the TypeScript build. Safe to run again: it only does what is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the project needs: the libretro cores cores/*.json name (and the N64 host's mupen64plus), libretro.h
# and mupen64plus's headers, Lua for scenario scripts, cc65 and the MIPS cross compiler for our ROMs, a toolchain for
# the native addon, the N64's optional GL video (glide64mk2 on Mesa's EGL, no X server), fonts for training plots,
# and chromium, which only the tests of the `retro play` page drive (players use their own browser).
core_list="$(node scripts/core-packages.mjs)"
mapfile -t cores <<<"$core_list"
required=(
  "${cores[@]}"
  retroarch-dev liblua5.4-dev cc65 gcc-mips-linux-gnu binutils-mips-linux-gnu libmupen64plus-dev zlib1g-dev
  mupen64plus-video-glide64mk2 libegl1 libegl-mesa0 libgl1-mesa-dri
  g++ make cmake pkg-config python3
  fonts-dejavu-core
  chromium
)
# The same installer as `npx retro doctor --install`.
bash scripts/apt-install.sh "${required[@]}" || { echo "then run npm run setup again." >&2; exit 1; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "setup: building the native addon"
npx cmake-js compile --out build --log-level error >/dev/null
echo "setup: compiling TypeScript"
npx tsc -p tsconfig.json
echo "setup: done"
