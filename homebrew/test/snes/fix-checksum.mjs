// Fill in the SNES internal-header checksum of a LoROM image, in place.
// Usage: node fix-checksum.mjs <rom.sfc>
// The checksum is the 16-bit sum of every byte of the image. The header at
// $7FC0 keeps a complement at +$1C and the checksum at +$1E; any valid pair
// adds $FF + $FF + $00 + $00 to the sum, so we sum with the pair set to
// $FFFF / $0000 and the result stays true once the real values are written.
import { readFileSync, writeFileSync } from 'node:fs';

const path = process.argv[2];
if (!path) {
  console.error('usage: node fix-checksum.mjs <rom.sfc>');
  process.exit(2);
}
const rom = readFileSync(path);
const size = rom.length;
if (size < 0x8000 || (size & (size - 1)) !== 0) {
  // Other sizes need the mirroring rule for the sum; our ROM never has them.
  console.error(`${path}: size ${size} is not a power of two >= 32 KiB`);
  process.exit(1);
}
const header = 0x7fc0;
rom.writeUInt16LE(0xffff, header + 0x1c);
rom.writeUInt16LE(0x0000, header + 0x1e);
let sum = 0;
for (const byte of rom) sum = (sum + byte) & 0xffff;
rom.writeUInt16LE(sum ^ 0xffff, header + 0x1c);
rom.writeUInt16LE(sum, header + 0x1e);
writeFileSync(path, rom);
console.log(`${path}: checksum $${sum.toString(16).toUpperCase().padStart(4, '0')}`);
