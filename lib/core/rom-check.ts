import { RomError } from '../errors.ts';
import { checkN64Rom } from '../n64/rom-format.ts';
import type { RomHeaderKind } from './descriptor.ts';

/** Largest ROM accepted, loaded or hashed (the largest cartridge of the supported systems). */
export const MAX_ROM_BYTES = 64 * 1024 * 1024;

/** Refuses a ROM over {@link MAX_ROM_BYTES} before it is read into memory or handed to a core. */
export function checkRomSize(size: number, label: string): void {
  if (size > MAX_ROM_BYTES) {
    throw new RomError('ROM_INVALID', `${label}: ${size} bytes is larger than the ${MAX_ROM_BYTES}-byte ROM limit`, { file: label, size });
  }
}

/**
 * Cheap structural checks on a ROM before any core sees it. Cores trust their input; a truncated or foreign file
 * can make them read past the end of a buffer. These checks turn such files into a clear RomError instead.
 */
export function checkRom(bytes: Uint8Array, kind: RomHeaderKind, system: string, label: string): void {
  if (bytes.length === 0) throw new RomError('ROM_INVALID', `${label} is empty`, { file: label });
  switch (kind) {
    case 'ines':
      return checkInes(bytes, label);
    case 'snes':
      return checkSnes(bytes, label);
    case 'gb':
      return checkGameBoy(bytes, label);
    case 'gba':
      return checkGba(bytes, label);
    case 'n64':
      return checkN64(bytes, label);
    case 'none':
      return;
    default:
      throw new RomError('ROM_INVALID', `unknown ROM check "${kind as string}" for ${system}`);
  }
}

function checkInes(bytes: Uint8Array, label: string): void {
  if (bytes.length < 16 || bytes[0] !== 0x4e || bytes[1] !== 0x45 || bytes[2] !== 0x53 || bytes[3] !== 0x1a) {
    throw new RomError('ROM_INVALID', `${label} is not an NES ROM: it lacks the iNES header ("NES\\x1a")`, { file: label });
  }
  const isNes2 = (bytes[7] & 0x0c) === 0x08;
  const prgUnits = bytes[4] | (isNes2 ? (bytes[9] & 0x0f) << 8 : 0);
  const chrUnits = bytes[5] | (isNes2 ? (bytes[9] & 0xf0) << 4 : 0);
  const trainer = bytes[6] & 0x04 ? 512 : 0;
  const expected = 16 + trainer + prgUnits * 16384 + chrUnits * 8192;
  if (prgUnits === 0) throw new RomError('ROM_INVALID', `${label}: the iNES header declares no PRG ROM`, { file: label });
  if (bytes.length < expected) {
    throw new RomError('ROM_INVALID', `${label} is truncated: its header declares ${expected} bytes, the file has ${bytes.length}`, {
      file: label,
      expected,
      actual: bytes.length,
    });
  }
}

// A SNES ROM has an internal header at 0x7FC0 (LoROM) or 0xFFC0 (HiROM), after an optional 512-byte copier header.
function checkSnes(bytes: Uint8Array, label: string): void {
  const copier = bytes.length % 1024 === 512 ? 512 : 0;
  const size = bytes.length - copier;
  if (size < 0x8000) {
    throw new RomError('ROM_INVALID', `${label} is too small for a SNES ROM (${size} bytes, at least 32768)`, { file: label });
  }
  const candidates = [0x7fc0, 0xffc0, 0x40ffc0].filter((h) => copier + h + 0x40 <= bytes.length);
  if (!candidates.some((h) => plausibleSnesHeader(bytes, copier + h))) {
    throw new RomError('ROM_INVALID', `${label} is not a SNES ROM: no valid internal header at 0x7FC0 or 0xFFC0`, { file: label });
  }
}

function plausibleSnesHeader(bytes: Uint8Array, at: number): boolean {
  const complement = bytes[at + 0x1c] | (bytes[at + 0x1d] << 8);
  const checksum = bytes[at + 0x1e] | (bytes[at + 0x1f] << 8);
  if ((complement ^ checksum) === 0xffff) return true;
  // Hacks and homebrew often carry a wrong checksum; accept a header whose title is text and map mode is known.
  const mapMode = bytes[at + 0x15];
  const knownMapMode = [0x20, 0x21, 0x22, 0x23, 0x25, 0x30, 0x31, 0x32, 0x35, 0x3a].includes(mapMode);
  let printableTitle = true;
  for (let i = 0; i < 21; i++) {
    const c = bytes[at + i];
    if (c < 0x20 || c > 0x7e) printableTitle = false;
  }
  return knownMapMode && printableTitle;
}

function checkGameBoy(bytes: Uint8Array, label: string): void {
  if (bytes.length < 0x8000) throw new RomError('ROM_INVALID', `${label} is too small for a Game Boy ROM`, { file: label });
  let sum = 0;
  for (let i = 0x134; i <= 0x14c; i++) sum = (sum - bytes[i] - 1) & 0xff;
  if (sum !== bytes[0x14d]) {
    throw new RomError('ROM_INVALID', `${label} is not a Game Boy ROM: its header checksum is wrong`, { file: label });
  }
}

function checkGba(bytes: Uint8Array, label: string): void {
  if (bytes.length < 0xc0 || bytes[0xb2] !== 0x96) {
    throw new RomError('ROM_INVALID', `${label} is not a GBA ROM: its header lacks the fixed byte 0x96 at 0xB2`, { file: label });
  }
}

function checkN64(bytes: Uint8Array, label: string): void {
  try {
    checkN64Rom(bytes);
  } catch (error) {
    if (!(error instanceof RomError)) throw error;
    throw new RomError('ROM_INVALID', `${label}: ${error.message}`, { ...error.details, file: label });
  }
}
