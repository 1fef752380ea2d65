#!/usr/bin/env bash
# Builds the native unit tests (native/tests: the batch job queue, the observation pipeline, the state trial, core
# options, the Lua pattern cost bound; no Node or core needed) with AddressSanitizer and UndefinedBehaviorSanitizer,
# and runs them with ctest. A minute or two on two cores the first time, seconds after. `scripts/native-tests.sh --plain` builds them without sanitizers.
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=ON
build=build-native-tests
if [[ "${1:-}" == "--plain" ]]; then
  sanitize=OFF
  build=build-native-tests-plain
fi
cmake -S native/tests -B "$build" -DRGYM_SANITIZE="$sanitize" >/dev/null
cmake --build "$build" -j "$(nproc)"
# Leak checks too: the tests own every allocation they make.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$build" --output-on-failure
