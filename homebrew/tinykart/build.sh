#!/usr/bin/env bash
# Build TinyKart's ROM from source with cc65, bit for bit reproducibly.
#   homebrew/tinykart/build.sh            build + write integrations/TinyKart-Nes/rom.nes, rom.sha
#   homebrew/tinykart/build.sh --regen    first regenerate gen/ from tools/gen.py (needs python3)
#   homebrew/tinykart/build.sh --out F    write the ROM to F only (no rom.sha), e.g. for checks
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dest="$repo/integrations/TinyKart-Nes"
out=""
regen=0
while [ $# -gt 0 ]; do
    case "$1" in
        --regen) regen=1 ;;
        --out) out="$2"; shift ;;
        *) echo "usage: $0 [--regen] [--out FILE]" >&2; exit 2 ;;
    esac
    shift
done

for tool in cc65 ca65 ld65; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: '$tool' not found. Install cc65 first: sudo apt-get install cc65" >&2
        exit 1
    fi
done

if [ "$regen" = 1 ]; then
    python3 "$here/tools/gen.py"
fi

build="$here/build"
rm -rf "$build"
mkdir -p "$build"
objs=()
for c in "$here"/src/*.c; do
    name="$(basename "$c" .c)"
    # -Oirs: optimise, inline helpers, register vars, static locals for speed.
    cc65 -t nes -Oirs --static-locals -I "$here/src" -o "$build/$name.s" "$c"
    ca65 -t nes -o "$build/$name.o" "$build/$name.s"
    objs+=("$build/$name.o")
done
for s in "$here"/src/*.s "$here"/gen/*.s; do
    name="$(basename "$s" .s)"
    ca65 -t nes -o "$build/asm_$name.o" "$s"
    objs+=("$build/asm_$name.o")
done
ld65 -C "$here/src/tinykart.cfg" -m "$build/tinykart.map" -o "$build/tinykart.nes" "${objs[@]}" nes.lib

# Initialised RAM data would need copying at boot; the game keeps none.
if grep -Eq '^DATA +[0-9A-F]+ +[0-9A-F]+ +0*[1-9A-F]' "$build/tinykart.map"; then
    echo "error: DATA segment is not empty (use const or runtime init)" >&2
    exit 1
fi

size=$(wc -c < "$build/tinykart.nes")
if [ "$size" -ne 40976 ]; then
    echo "error: ROM is $size bytes, expected 40976" >&2
    exit 1
fi

if [ -n "$out" ]; then
    cp "$build/tinykart.nes" "$out"
    echo "wrote $out"
else
    mkdir -p "$dest"
    cp "$build/tinykart.nes" "$dest/rom.nes"
    # stable-retro hashes .nes files without their 16-byte iNES header.
    tail -c +17 "$dest/rom.nes" | sha1sum | cut -d' ' -f1 > "$dest/rom.sha"
    echo "wrote $dest/rom.nes (sha1 without header: $(cat "$dest/rom.sha"))"
fi
