#!/usr/bin/env bash
# Rebuilds every ROM we write ourselves, bit for bit, from source (needs Debian's cc65 and gcc-mips-linux-gnu).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/build-test-roms.sh"
bash "$here/n64/build.sh"
if [ -f "$here/tinykart/build.sh" ]; then bash "$here/tinykart/build.sh"; fi
