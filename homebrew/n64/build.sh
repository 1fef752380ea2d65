#!/usr/bin/env bash
# Rebuild the N64 test ROM, homebrew/test/n64-test.z64, bit for bit from homebrew/n64/src.
# Needs Debian's MIPS cross toolchain (gcc-mips-linux-gnu, binutils-mips-linux-gnu) and node with the repo's
# node_modules (tsx) for the header checksums. Intermediate files go to homebrew/n64/build/ (gitignored).
# `--out FILE` writes the ROM there instead, building in a temporary folder (the bit-for-bit test uses it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
src="$here/src"
build="$here/build"
out="$root/homebrew/test/n64-test.z64"
if [[ "${1:-}" == "--out" ]]; then
  out="$2"
  build="$(mktemp -d)"
  trap 'rm -rf "$build"' EXIT
fi
rom_bytes=$((2 * 1024 * 1024)) # power of two, and holds the whole checksummed megabyte (0x1000-0x100FFF)

cross=mips-linux-gnu-
for tool in gcc ld objcopy; do
  if ! command -v "$cross$tool" >/dev/null 2>&1; then
    echo "error: $cross$tool not found; install it: sudo apt-get install gcc-mips-linux-gnu binutils-mips-linux-gnu" >&2
    exit 1
  fi
done

rm -rf "$build"
mkdir -p "$build"

cflags=(-march=vr4300 -mabi=32 -mno-abicalls -fno-pic -G0 -EB -mfix4300 -ffreestanding -nostdlib -fno-builtin
  -fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables -fno-ident -O2 -std=c11 -Wall -Wextra -Werror
  "-ffile-prefix-map=$root=.")
objs=()
for file in header.s ipl3.s crt0.s vi-wait.s main.c; do
  obj="$build/${file%.*}.o"
  "${cross}gcc" "${cflags[@]}" -c "$src/$file" -o "$obj"
  objs+=("$obj")
done
"${cross}ld" -T "$here/n64.ld" --build-id=none -nostdlib -static -Map "$build/n64-test.map" \
  -o "$build/n64-test.elf" "${objs[@]}"
"${cross}objcopy" -O binary "$build/n64-test.elf" "$build/n64-test.z64"
node --import tsx "$here/fix-header.ts" "$build/n64-test.z64" "$rom_bytes"

install -m 644 "$build/n64-test.z64" "$out"
sha1sum "$out"
