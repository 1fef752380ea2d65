#!/usr/bin/env bash
# Builds boot-check and its input plugin into homebrew/n64/build/ and boots the test ROM with them.
# Needs libmupen64plus2 and libmupen64plus-dev (headers). Usage: run-boot-check.sh [out.ppm]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$here/../build/tools"
mkdir -p "$build"
cc -std=c11 -O1 -Wall -Wextra -fPIC -shared -o "$build/script-input.so" "$here/script-input.c"
cc -std=gnu11 -O1 -Wall -Wextra -o "$build/boot-check" "$here/boot-check.c" -ldl
"$build/boot-check" "$here/../../test/n64-test.z64" "$build/script-input.so" "${1:-$build/n64-test.ppm}"
