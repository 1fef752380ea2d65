#!/usr/bin/env bash
# Run by `npm pack` and `npm publish`: puts into the package what git does not hold, the compiled TypeScript
# (dist/) and the prebuilt native addon (prebuilds/).
set -euo pipefail
cd "$(dirname "$0")/.."
# Our output goes to stderr, so that `npm pack --json` prints nothing but its JSON.
exec 1>&2
# A clean dist/, so files of removed sources are not shipped; no source maps, as lib/ is not shipped either.
rm -rf dist
npx tsc -p tsconfig.json --sourceMap false
bash scripts/prebuild.sh
