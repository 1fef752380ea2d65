/**
 * ROM identity: SHA-1 of the ROM bytes, as listed in an integration's `rom.sha`. For systems whose descriptor
 * says `romHeader: "ines"`, a leading 16-byte iNES header is not part of the hash, so the same game dumped with
 * different headers has one hash; for `"n64"`, the hash is the big-endian (.z64) image's, whatever the dump's
 * byte order.
 */

import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_ROM_BYTES } from '../core/rom-check.ts';
import { RomError } from '../errors.ts';
import { N64_SWAP_GROUP, n64ByteOrderOf, swapN64ByteOrder } from '../n64/rom-format.ts';

export { MAX_ROM_BYTES };

const INES_MAGIC = [0x4e, 0x45, 0x53, 0x1a]; // "NES\x1a"
const INES_HEADER_BYTES = 16;

/** Whether the bytes start with an iNES header. */
export function hasInesHeader(bytes: Uint8Array): boolean {
  return bytes.length >= INES_HEADER_BYTES && INES_MAGIC.every((b, i) => bytes[i] === b);
}

/** The bytes a ROM's hash covers under a header rule (a view, not a copy). */
export function hashedPart(bytes: Uint8Array, romHeader = 'none'): Uint8Array {
  if (romHeader === 'ines' && hasInesHeader(bytes)) return bytes.subarray(INES_HEADER_BYTES);
  if (romHeader === 'n64') {
    // The big-endian (.z64) image: a .v64 or .n64 dump of the same cartridge has the same hash.
    const order = n64ByteOrderOf(bytes);
    if (order !== undefined && order !== 'z64' && bytes.length % N64_SWAP_GROUP[order] === 0) return swapN64ByteOrder(bytes, order);
  }
  return bytes;
}

/** Lowercase hex SHA-1 of any bytes. */
export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Lowercase hex SHA-1 of a ROM under its system's header rule (`"ines"` or anything else for none). */
export function hashRom(bytes: Uint8Array, romHeader = 'none'): string {
  return sha1Hex(hashedPart(bytes, romHeader));
}

/**
 * Reads a ROM file whole, refusing files over {@link MAX_ROM_BYTES}.
 * @throws RomError `ROM_NOT_FOUND` (missing or unreadable) or `ROM_INVALID` (too large, not a file).
 */
export function readRomFile(file: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (cause) {
    throw new RomError('ROM_NOT_FOUND', `${file}: cannot open ROM: ${(cause as Error).message}`, { file }, { cause });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RomError('ROM_INVALID', `${file}: not a regular file`, { file });
    if (stat.size > MAX_ROM_BYTES) {
      throw new RomError('ROM_INVALID', `${file}: ${stat.size} bytes is larger than the ${MAX_ROM_BYTES}-byte ROM limit`, {
        file,
        size: stat.size,
      });
    }
    const bytes = new Uint8Array(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** SHA-1 of a ROM file under a header rule. Throws as {@link readRomFile}. */
export function hashRomFile(file: string, romHeader = 'none'): string {
  return hashRom(readRomFile(file), romHeader);
}
