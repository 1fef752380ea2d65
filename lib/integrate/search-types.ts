/**
 * The value types a RAM search and a watch list read: the integer types of data.json (`|u1`, `<i2`, `>u4`, ...) up
 * to 4 bytes, decoded straight from a byte array. The strings are data.json's own, so a found address becomes a
 * variable with the type it was found as.
 */

import { ArgumentError } from '../errors.ts';
import { typeWidth } from '../integration/cross-checks.ts';

/** Every type a search can read: unsigned and signed, 1, 2 and 4 bytes, both byte orders. */
export const SEARCH_TYPES = ['|u1', '|i1', '<u2', '>u2', '<i2', '>i2', '<u4', '>u4', '<i4', '>i4'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** Reads the value that starts at `offset` of `bytes` (the caller keeps `offset + width` inside `bytes`). */
export type ValueReader = (bytes: Uint8Array, offset: number) => number;

// One reader per type, so the filter loops call a small monomorphic function rather than branching per byte.
const READERS: Readonly<Record<SearchType, ValueReader>> = {
  '|u1': (b, o) => b[o],
  '|i1': (b, o) => (b[o] << 24) >> 24,
  '<u2': (b, o) => b[o] | (b[o + 1] << 8),
  '>u2': (b, o) => (b[o] << 8) | b[o + 1],
  '<i2': (b, o) => ((b[o] | (b[o + 1] << 8)) << 16) >> 16,
  '>i2': (b, o) => (((b[o] << 8) | b[o + 1]) << 16) >> 16,
  '<u4': (b, o) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0,
  '>u4': (b, o) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0,
  '<i4': (b, o) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24),
  '>i4': (b, o) => (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3],
};

export function isSearchType(type: unknown): type is SearchType {
  return typeof type === 'string' && (SEARCH_TYPES as readonly string[]).includes(type);
}

/**
 * The type, checked.
 * @throws ArgumentError `INVALID_ARGUMENT` for anything but the search types (BCD and 8-byte types are data.json
 *   types too, but no one searches for them).
 */
export function checkSearchType(type: unknown): SearchType {
  if (!isSearchType(type)) {
    throw new ArgumentError('INVALID_ARGUMENT', `search type must be one of ${SEARCH_TYPES.join(', ')}, got ${JSON.stringify(type)}`, { field: 'type' });
  }
  return type;
}

/**
 * The reader of a type; with `wordBytes` > 1, for memory a core keeps as host-order words of that size (Genesis
 * RAM: 2), reading bus byte o at o XOR (wordBytes - 1), as the native address space does.
 */
export function readerOf(type: SearchType, wordBytes = 1): ValueReader {
  const read = READERS[type];
  if (wordBytes <= 1) return read;
  const swap = wordBytes - 1;
  const width = typeWidth(type);
  const bus = new Uint8Array(width);
  return (bytes, offset) => {
    for (let i = 0; i < width; i++) bus[i] = bytes[(offset + i) ^ swap]!;
    return read(bus, 0);
  };
}

/** Bytes a value of the type spans (data.json's rule: the width ends the type string). */
export function widthOf(type: SearchType): number {
  return typeWidth(type);
}

/** The smallest and largest value of a type, for checking numbers users compare against. */
export function rangeOf(type: SearchType): { min: number; max: number } {
  const bits = widthOf(type) * 8;
  return type[1] === 'i' ? { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 } : { min: 0, max: 2 ** bits - 1 };
}
