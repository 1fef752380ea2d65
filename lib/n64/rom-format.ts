/**
 * N64 ROM files come in three byte orders, told apart by the first word (the PI timing word 0x80371240):
 * `.z64` big-endian as the cartridge reads, `.v64` with each 16-bit pair swapped, `.n64` with each 32-bit word
 * reversed. Everything here works on the big-endian image; {@link normaliseN64Rom} gets there from any order and
 * {@link checkN64Rom} adds the header checks (size, name, checksums) a host runs before loading.
 */

import { RomError } from '../errors.ts';
import { computeN64Crcs, N64_CIC_FAMILIES, type N64CicFamily } from './rom-crc.ts';

export type N64ByteOrder = 'z64' | 'v64' | 'n64';

const MAGIC: Record<N64ByteOrder, readonly number[]> = {
  z64: [0x80, 0x37, 0x12, 0x40],
  v64: [0x37, 0x80, 0x40, 0x12],
  n64: [0x40, 0x12, 0x37, 0x80],
};

/** Header (0x40 bytes) plus the boot code (to 0x1000): anything shorter cannot start. */
export const N64_MIN_ROM_BYTES = 0x1000;
/** The cartridge address space (PI domain 1) holds 64 MiB. */
export const N64_MAX_ROM_BYTES = 64 * 1024 * 1024;
const NAME_OFFSET = 0x20;
const NAME_BYTES = 20;

export interface N64Header {
  /** Address the boot code jumps to. */
  entryPoint: number;
  crc1: number;
  crc2: number;
  /** Internal name, trailing spaces and NULs removed. */
  name: string;
  /** 'N' cartridge, 'D' 64DD disk, 'C' cartridge part of an expandable game, ... */
  mediaFormat: string;
  /** Two-letter game id. */
  cartridgeId: string;
  /** Region letter: 'E' North America, 'J' Japan, 'P' Europe, ... */
  region: string;
  version: number;
}

export interface CheckedN64Rom {
  /** Byte order the file was in. */
  order: N64ByteOrder;
  /** The big-endian image (a new array unless the input was already `.z64`). */
  rom: Uint8Array;
  header: N64Header;
  /** CIC family whose checksum matched the header; absent when the check was skipped. */
  cic?: N64CicFamily;
}

function romInvalid(message: string, details: Record<string, unknown> = {}): RomError {
  return new RomError('ROM_INVALID', message, details);
}

function hex(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * The byte order of an N64 ROM, from its first four bytes.
 * @throws RomError `ROM_INVALID` when the bytes are too short or start with no N64 byte-order mark.
 */
export function detectN64ByteOrder(bytes: Uint8Array): N64ByteOrder {
  if (bytes.length < 4) throw romInvalid(`not an N64 ROM: ${bytes.length} bytes, too short for a header`);
  for (const order of ['z64', 'v64', 'n64'] as const) {
    if (MAGIC[order].every((b, i) => bytes[i] === b)) return order;
  }
  const start = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw romInvalid(
    `not an N64 ROM: starts with ${start}, not 80 37 12 40 (.z64), 37 80 40 12 (.v64) or 40 12 37 80 (.n64)`,
    { firstBytes: start },
  );
}

/** Bytes per swapped group: the order is its own inverse, so one function converts both ways. */
export const N64_SWAP_GROUP: Readonly<Record<N64ByteOrder, number>> = { z64: 1, v64: 2, n64: 4 };
const GROUP = N64_SWAP_GROUP;

/** The byte order the first four bytes mark, if any (no error: for callers that only ask). */
export function n64ByteOrderOf(bytes: Uint8Array): N64ByteOrder | undefined {
  return (['z64', 'v64', 'n64'] as const).find((order) => bytes.length >= 4 && MAGIC[order].every((b, i) => bytes[i] === b));
}

/**
 * Converts between big-endian and another order (each is its own inverse): `swapN64ByteOrder(z64, 'v64')` gives
 * the `.v64` file and `swapN64ByteOrder(v64, 'v64')` the `.z64` image. Always returns a new array.
 * @throws RomError `ROM_INVALID` when the length is not a whole number of groups (2 bytes for v64, 4 for n64).
 */
export function swapN64ByteOrder(bytes: Uint8Array, order: N64ByteOrder): Uint8Array {
  const group = GROUP[order];
  if (bytes.length % group !== 0) {
    throw romInvalid(`a .${order} ROM must be a multiple of ${group} bytes; this one is ${bytes.length} (truncated?)`, {
      size: bytes.length,
    });
  }
  const out = new Uint8Array(bytes.length);
  for (let base = 0; base < bytes.length; base += group) {
    for (let i = 0; i < group; i++) out[base + i] = bytes[base + group - 1 - i]!;
  }
  return out;
}

/**
 * Detects the byte order and returns the big-endian image.
 * @throws RomError `ROM_INVALID` (see {@link detectN64ByteOrder} and {@link swapN64ByteOrder}).
 */
export function normaliseN64Rom(bytes: Uint8Array): { order: N64ByteOrder; rom: Uint8Array } {
  const order = detectN64ByteOrder(bytes);
  return { order, rom: order === 'z64' ? bytes : swapN64ByteOrder(bytes, order) };
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/**
 * Reads the header fields of a big-endian image.
 * @throws RomError `ROM_INVALID` when the image is shorter than the 64-byte header.
 */
export function readN64Header(z64: Uint8Array): N64Header {
  if (z64.length < 0x40) throw romInvalid(`N64 ROM truncated: ${z64.length} bytes, shorter than its 64-byte header`);
  const view = new DataView(z64.buffer, z64.byteOffset, 0x40);
  return {
    entryPoint: view.getUint32(0x08),
    crc1: view.getUint32(0x10),
    crc2: view.getUint32(0x14),
    name: ascii(z64.subarray(NAME_OFFSET, NAME_OFFSET + NAME_BYTES)).replace(/[\s\0]+$/, ''),
    mediaFormat: ascii(z64.subarray(0x3b, 0x3c)),
    cartridgeId: ascii(z64.subarray(0x3c, 0x3e)),
    region: ascii(z64.subarray(0x3e, 0x3f)),
    version: z64[0x3f]!,
  };
}

export interface CheckN64Options {
  /** Compare the header checksums with the ROM (default true). */
  verifyCrc?: boolean;
}

/**
 * Everything a host checks before loading an N64 ROM: byte order, a size the cartridge bus can hold, a whole
 * number of words, and header checksums that match one CIC family's boot code.
 * @throws RomError `ROM_INVALID` naming the first check that failed.
 */
export function checkN64Rom(bytes: Uint8Array, options: CheckN64Options = {}): CheckedN64Rom {
  const { order, rom } = normaliseN64Rom(bytes);
  if (rom.length < N64_MIN_ROM_BYTES) {
    throw romInvalid(`N64 ROM truncated: ${rom.length} bytes, shorter than header and boot code (4096)`, {
      size: rom.length,
    });
  }
  if (rom.length > N64_MAX_ROM_BYTES) {
    throw romInvalid(`N64 ROM too large: ${rom.length} bytes, over the 64 MiB cartridge space`, { size: rom.length });
  }
  if (rom.length % 4 !== 0) {
    throw romInvalid(`N64 ROM size ${rom.length} is not a multiple of 4 bytes (truncated?)`, { size: rom.length });
  }
  const header = readN64Header(rom);
  if (options.verifyCrc === false) return { order, rom, header };
  for (const cic of N64_CIC_FAMILIES) {
    const crcs = computeN64Crcs(rom, cic);
    if (crcs.crc1 === header.crc1 && crcs.crc2 === header.crc2) return { order, rom, header, cic };
  }
  const expected = computeN64Crcs(rom);
  throw romInvalid(
    `N64 ROM checksums ${hex(header.crc1)} ${hex(header.crc2)} match no CIC boot code ` +
      `(6102 expects ${hex(expected.crc1)} ${hex(expected.crc2)}); the ROM is damaged or truncated`,
    { crc1: header.crc1, crc2: header.crc2 },
  );
}

/** Writes the checksums a CIC family expects into a big-endian image, in place (used by our ROM build). */
export function fixN64Crcs(z64: Uint8Array, family: N64CicFamily = '6102'): void {
  const { crc1, crc2 } = computeN64Crcs(z64, family);
  const view = new DataView(z64.buffer, z64.byteOffset, 0x40);
  view.setUint32(0x10, crc1);
  view.setUint32(0x14, crc2);
}
