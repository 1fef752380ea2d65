// Pads the linked test ROM to its final size and writes the header checksums (CIC 6102 family), in place.
// Usage: node --import tsx homebrew/n64/fix-header.ts <rom.z64> <size in bytes>
import { readFileSync, writeFileSync } from 'node:fs';
import { checkN64Rom, fixN64Crcs } from '../../lib/n64/rom-format.ts';

const [path, sizeArg] = process.argv.slice(2);
if (!path || !sizeArg) {
  console.error('usage: fix-header.ts <rom.z64> <size in bytes>');
  process.exit(2);
}
const size = Number(sizeArg);
const linked = readFileSync(path);
if (linked.length > size) {
  console.error(`${path}: ${linked.length} bytes, over the ${size}-byte ROM`);
  process.exit(1);
}
const rom = new Uint8Array(size); // the padding is zeros
rom.set(linked);
fixN64Crcs(rom);
const { header } = checkN64Rom(rom); // the build must produce a ROM our own loader accepts
writeFileSync(path, rom);
const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
console.log(`${path}: "${header.name}" CRC1 ${hex(header.crc1)} CRC2 ${hex(header.crc2)}`);
