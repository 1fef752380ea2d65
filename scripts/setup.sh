#!/usr/bin/env bash
# Sets up a fresh Debian machine for libretro-gym: system packages (through apt when missing), npm packages, the
# native addon and the TypeScript build. Safe to run again: it only does what is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the project needs: the libretro cores cores/*.json name, libretro.h and mupen64plus's headers,
# Lua for scenario scripts,
# cc65 for our ROMs, a toolchain for the native addon, and fonts for training plots.
core_list="$(node scripts/core-packages.mjs)"
mapfile -t cores <<<"$core_list"
required=(
  "${cores[@]}"
  retroarch-dev liblua5.4-dev cc65 libmupen64plus-dev zlib1g-dev
  g++ make cmake pkg-config python3
  fonts-dejavu-core
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
