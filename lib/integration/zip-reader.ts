/**
 * Reads entries of a zip archive through its central directory, one at a time, so a large archive is never held
 * in memory whole and entries too big to be ROMs are skipped without being inflated. Handles stored and deflated
 * entries and zip64 archives; encrypted entries are listed but cannot be read.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'fflate';

/** Random access to the bytes of an archive. */
export interface ByteSource {
  readonly size: number;
  /** Reads exactly `length` bytes at `offset` (fewer only at the end). */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export interface ZipEntry {
  /** Path inside the archive. */
  name: string;
  /** 0 stored, 8 deflate; others cannot be read. */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  /** Uncompressed size. */
  size: number;
  localHeaderOffset: number;
}

/** A byte source over memory. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    close: () => undefined,
  };
}

/** A byte source over a file, read on demand. */
export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return {
    size,
    read(offset, length) {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let filled = 0;
      while (filled < out.length) {
        const n = readSync(fd, out, filled, out.length - filled, offset + filled);
        if (n === 0) break;
        filled += n;
      }
      return out.subarray(0, filled);
    },
    close: () => closeSync(fd),
  };
}

/** Thrown for archives that are not zips or are damaged; callers report and skip them. */
export class ZipFormatError extends Error {}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(dv: DataView, offset: number): number {
  const value = dv.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('zip64 value too large');
  return Number(value);
}

/** Lists the entries of an archive (directories excluded). @throws ZipFormatError */
export function listZipEntries(source: ByteSource): ZipEntry[] {
  if (source.size < EOCD_MIN) throw new ZipFormatError('too small to be a zip archive');
  const tailLength = Math.min(source.size, EOCD_MIN + MAX_COMMENT);
  const tailStart = source.size - tailLength;
  const tail = source.read(tailStart, tailLength);
  const tv = view(tail);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no end of central directory record: not a zip archive');

  let count = tv.getUint16(eocd + 10, true);
  let cdSize = tv.getUint32(eocd + 12, true);
  let cdOffset = tv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locatorAt = tailStart + eocd - 20;
    const locator = locatorAt >= 0 ? source.read(locatorAt, 20) : new Uint8Array(0);
    if (locator.length === 20 && view(locator).getUint32(0, true) === ZIP64_LOCATOR_SIGNATURE) {
      const record = source.read(u64(view(locator), 8), 56);
      const rv = view(record);
      if (record.length < 56 || rv.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) throw new ZipFormatError('damaged zip64 record');
      count = u64(rv, 32);
      cdSize = u64(rv, 40);
      cdOffset = u64(rv, 48);
    }
  }
  if (cdOffset + cdSize > source.size) throw new ZipFormatError('central directory outside the file: damaged or split archive');

  const cd = source.read(cdOffset, cdSize);
  const dv = view(cd);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || dv.getUint32(p, true) !== CENTRAL_SIGNATURE) throw new ZipFormatError('damaged central directory');
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd + extraLength + commentLength > cd.length) throw new ZipFormatError('damaged central directory');
    const name = new TextDecoder().decode(cd.subarray(p + 46, nameEnd));
    // zip64 sizes/offset live in extra field 0x0001, in this order, only for the fields that overflowed.
    for (let e = nameEnd; e + 4 <= nameEnd + extraLength; ) {
      const id = dv.getUint16(e, true);
      const length = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const end = q + length;
        if (size === 0xffffffff && q + 8 <= end) { size = u64(dv, q); q += 8; }
        if (compressedSize === 0xffffffff && q + 8 <= end) { compressedSize = u64(dv, q); q += 8; }
        if (localHeaderOffset === 0xffffffff && q + 8 <= end) { localHeaderOffset = u64(dv, q); }
      }
      e += 4 + length;
    }
    if (!name.endsWith('/')) {
      entries.push({ name, method, encrypted: (flags & 1) !== 0, compressedSize, size, localHeaderOffset });
    }
    p = nameEnd + extraLength + commentLength;
  }
  return entries;
}

/** Inflates one entry. @throws ZipFormatError for unsupported, encrypted or damaged entries. */
export function readZipEntry(source: ByteSource, entry: ZipEntry): Uint8Array {
  if (entry.encrypted) throw new ZipFormatError('encrypted entry');
  const header = source.read(entry.localHeaderOffset, 30);
  const hv = view(header);
  if (header.length < 30 || hv.getUint32(0, true) !== LOCAL_SIGNATURE) throw new ZipFormatError('damaged local header');
  const dataStart = entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  const compressed = source.read(dataStart, entry.compressedSize);
  if (compressed.length < entry.compressedSize) throw new ZipFormatError('truncated entry');
  if (entry.method === 0) return compressed.slice();
  if (entry.method !== 8) throw new ZipFormatError(`unsupported compression method ${entry.method}`);
  try {
    const out = inflateSync(compressed, { out: new Uint8Array(entry.size) });
    if (out.length !== entry.size) throw new ZipFormatError('entry size does not match its header');
    return out;
  } catch (cause) {
    if (cause instanceof ZipFormatError) throw cause;
    throw new ZipFormatError(`cannot inflate: ${(cause as Error).message}`);
  }
}
