#!/usr/bin/env bash
# Rebuild the test ROMs used by libretro-gym's tests and benchmarks:
#   homebrew/test/nes-test.nes   (from homebrew/test/nes/)
#   homebrew/test/snes-test.sfc  (from homebrew/test/snes/)
#   homebrew/test/pce-test.pce   (from homebrew/test/pce/)
# Needs the cc65 toolchain (ca65, ld65) and node. The output is deterministic:
# rebuilding gives bit-identical ROMs. Intermediate files go to
# homebrew/test/build/ (gitignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/test"
build="$src/build"

for tool in ca65 ld65; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool not found; install the cc65 toolchain: sudo apt-get install cc65" >&2
    exit 1
  fi
done
if ! command -v node >/dev/null 2>&1; then
  echo "error: node not found; it is needed to fix the SNES header checksum" >&2
  exit 1
fi

rm -rf "$build"
mkdir -p "$build"

# NES: NROM-128, iNES header + PRG + CHR all come out of ld65
ca65 --cpu 6502 -o "$build/nes.o" -l "$build/nes.lst" "$src/nes/main.s"
ld65 -C "$src/nes/nrom.cfg" -m "$build/nes.map" -o "$build/nes-test.nes" "$build/nes.o"

# SNES: 32 KiB LoROM, then the header checksum
ca65 --cpu 65816 -o "$build/snes.o" -l "$build/snes.lst" "$src/snes/main.s"
ld65 -C "$src/snes/lorom.cfg" -m "$build/snes.map" -o "$build/snes-test.sfc" "$build/snes.o"
node "$src/snes/fix-checksum.mjs" "$build/snes-test.sfc"

# PC Engine: one 8 KiB HuCard bank, no header
ca65 --cpu huc6280 -o "$build/pce.o" -l "$build/pce.lst" "$src/pce/main.s"
ld65 -C "$src/pce/hucard.cfg" -m "$build/pce.map" -o "$build/pce-test.pce" "$build/pce.o"

cp "$build/nes-test.nes" "$src/nes-test.nes"
cp "$build/snes-test.sfc" "$src/snes-test.sfc"
cp "$build/pce-test.pce" "$src/pce-test.pce"
( cd "$src" && sha1sum nes-test.nes snes-test.sfc pce-test.pce )
