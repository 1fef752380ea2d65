#!/usr/bin/env bash
# Sets up a fresh Debian machine for libretro-gym: system packages (through apt when missing), npm packages, the
# native addon and the TypeScript build. Safe to run again: it only does what is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the project needs: libretro cores, libretro.h, Lua for scenario scripts, cc65 for our ROMs, and
# a toolchain for the native addon.
required=(
  libretro-nestopia libretro-bsnes-mercury-performance libretro-gambatte libretro-mgba
  retroarch-dev liblua5.4-dev cc65
  g++ make cmake pkg-config python3
  fonts-dejavu-core
)

missing=()
for pkg in "${required[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "libretro-gym needs these Debian packages, which are missing: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    echo "then run npm run setup again." >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Build against the Node headers the machine ships, when it does, instead of downloading them.
if [ -f /usr/include/node/node_api.h ] && [ -z "${npm_config_nodedir:-}" ]; then
  export npm_config_nodedir=/usr
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "setup: building the native addon"
npx cmake-js compile --out build --log-level error >/dev/null
echo "setup: compiling TypeScript"
npx tsc -p tsconfig.json
echo "setup: done"
