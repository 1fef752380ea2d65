/**
 * Reads zip archives through their central directory, one entry at a time and in chunks, so neither a large archive
 * nor a large entry is ever held in memory whole. Handles stored and deflated entries and zip64; encrypted entries
 * are listed but cannot be read.
 *
 * Archives come from anywhere, so the structure is checked before anything is inflated: every entry's local header
 * and data must lie before the central directory without overlapping another's (zip bombs point hundreds of entries
 * at one stream), and an entry never inflates past the size its header declares.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Inflate } from 'fflate';
import { RetroError } from '../errors.ts';
import { MAX_ROM_BYTES } from './rom-hash.ts';

/** Random access to the bytes of an archive. */
export interface ByteSource {
  readonly size: number;
  /** Names the archive in errors: a path, or `outer.zip!/inner.zip` for a nested one. */
  readonly label: string;
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
  /** Uncompressed size, as the central directory declares it. */
  size: number;
  localHeaderOffset: number;
  /** Where the entry's (compressed) bytes start, just past its local header. */
  dataOffset: number;
}

/** A damaged or hostile archive (`ARCHIVE_INVALID`) or one past a size limit (`ARCHIVE_TOO_LARGE`). */
export class ArchiveError extends RetroError {
  /** The problem without the archive's name, for reports that name it already. */
  readonly reason: string;

  constructor(code: 'ARCHIVE_INVALID' | 'ARCHIVE_TOO_LARGE', archive: string, reason: string, entry?: string) {
    const where = entry === undefined ? archive : `${archive}!/${entry}`;
    super(code, `${where}: ${reason}`, entry === undefined ? { file: archive } : { file: archive, entry });
    this.reason = reason;
  }
}

/** A byte source over memory. */
export function bufferSource(bytes: Uint8Array, label = 'zip archive'): ByteSource {
  return {
    size: bytes.length,
    label,
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
    label: path,
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

/** A window on another source: a zip stored (not deflated) inside a zip is read in place, never copied. */
export function sliceSource(parent: ByteSource, start: number, length: number, label: string): ByteSource {
  const size = Math.max(0, Math.min(length, parent.size - start));
  return {
    size,
    label,
    read: (offset, wanted) => parent.read(start + offset, Math.max(0, Math.min(wanted, size - offset))),
    close: () => undefined,
  };
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;
const CENTRAL_RECORD_MIN = 46;
const LOCAL_HEADER_BYTES = 30;
const MAX_COMMENT = 0xffff;
/** A central directory is read whole; this holds over a million entries, far more than any ROM set. */
export const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;
/**
 * Compressed bytes fed to the inflater at a time. Deflate expands at most ~1032:1, so one push makes at most ~16 MiB
 * whatever an entry's header claims; real ROMs come out in far smaller pieces. (Larger pushes are no faster.)
 */
const INFLATE_CHUNK = 16 * 1024;

const utf8 = new TextDecoder();

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface EndRecord {
  count: number;
  cdSize: number;
  cdOffset: number;
}

/** Reads the end of central directory record (and its zip64 form when a field overflowed). */
function readEndRecord(source: ByteSource): EndRecord {
  const invalid = (reason: string) => new ArchiveError('ARCHIVE_INVALID', source.label, reason);
  if (source.size < EOCD_MIN) throw invalid('too small to be a zip archive');
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
  if (eocd < 0) throw invalid('no end of central directory record: not a zip archive');

  const record = { count: tv.getUint16(eocd + 10, true), cdSize: tv.getUint32(eocd + 12, true), cdOffset: tv.getUint32(eocd + 16, true) };
  if (record.count !== 0xffff && record.cdSize !== 0xffffffff && record.cdOffset !== 0xffffffff) return record;
  const locatorAt = tailStart + eocd - 20;
  const locator = locatorAt >= 0 ? source.read(locatorAt, 20) : new Uint8Array(0);
  if (locator.length !== 20 || view(locator).getUint32(0, true) !== ZIP64_LOCATOR_SIGNATURE) return record;
  const zip64 = source.read(u64(view(locator), 8, source.label), 56);
  const zv = view(zip64);
  if (zip64.length < 56 || zv.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) throw invalid('damaged zip64 record');
  return { count: u64(zv, 32, source.label), cdSize: u64(zv, 40, source.label), cdOffset: u64(zv, 48, source.label) };
}

function u64(dv: DataView, offset: number, archive: string): number {
  const value = dv.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ArchiveError('ARCHIVE_INVALID', archive, 'zip64 value too large');
  return Number(value);
}

interface CentralRecord extends Omit<ZipEntry, 'dataOffset'> {
  directory: boolean;
}

/** Parses the central directory's records. */
function readCentralDirectory(source: ByteSource, end: EndRecord): CentralRecord[] {
  const invalid = (reason: string) => new ArchiveError('ARCHIVE_INVALID', source.label, reason);
  if (end.cdOffset + end.cdSize > source.size) throw invalid('central directory outside the file: damaged or split archive');
  if (end.cdSize > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw new ArchiveError('ARCHIVE_TOO_LARGE', source.label, `central directory of ${end.cdSize} bytes, more than the ${MAX_CENTRAL_DIRECTORY_BYTES}-byte limit`);
  }
  const cd = source.read(end.cdOffset, end.cdSize);
  const dv = view(cd);
  const records: CentralRecord[] = [];
  let p = 0;
  for (let n = 0; n < end.count; n++) {
    if (p + CENTRAL_RECORD_MIN > cd.length || dv.getUint32(p, true) !== CENTRAL_SIGNATURE) throw invalid('damaged central directory');
    const flags = dv.getUint16(p + 8, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    const nameEnd = p + CENTRAL_RECORD_MIN + nameLength;
    if (nameEnd + extraLength + commentLength > cd.length) throw invalid('damaged central directory');
    const name = utf8.decode(cd.subarray(p + CENTRAL_RECORD_MIN, nameEnd));
    const record: CentralRecord = {
      name,
      method: dv.getUint16(p + 10, true),
      encrypted: (flags & 1) !== 0,
      compressedSize: dv.getUint32(p + 20, true),
      size: dv.getUint32(p + 24, true),
      localHeaderOffset: dv.getUint32(p + 42, true),
      directory: name.endsWith('/'),
    };
    applyZip64Extra(dv, nameEnd, nameEnd + extraLength, record, source.label);
    records.push(record);
    p = nameEnd + extraLength + commentLength;
  }
  return records;
}

/** zip64 sizes and offset live in extra field 0x0001, in this order, only for the fields that overflowed. */
function applyZip64Extra(dv: DataView, start: number, end: number, record: CentralRecord, archive: string): void {
  for (let e = start; e + 4 <= end; ) {
    const id = dv.getUint16(e, true);
    const length = dv.getUint16(e + 2, true);
    if (id === 0x0001) {
      let q = e + 4;
      const fieldEnd = Math.min(end, q + length);
      if (record.size === 0xffffffff && q + 8 <= fieldEnd) {
        record.size = u64(dv, q, archive);
        q += 8;
      }
      if (record.compressedSize === 0xffffffff && q + 8 <= fieldEnd) {
        record.compressedSize = u64(dv, q, archive);
        q += 8;
      }
      if (record.localHeaderOffset === 0xffffffff && q + 8 <= fieldEnd) record.localHeaderOffset = u64(dv, q, archive);
    }
    e += 4 + length;
  }
}

/** Finds where a record's data starts, checking that its local header is one. */
function locateData(source: ByteSource, record: CentralRecord): number {
  const header = source.read(record.localHeaderOffset, LOCAL_HEADER_BYTES);
  const hv = view(header);
  if (header.length < LOCAL_HEADER_BYTES || hv.getUint32(0, true) !== LOCAL_SIGNATURE) {
    throw new ArchiveError('ARCHIVE_INVALID', source.label, 'damaged local header', record.name);
  }
  return record.localHeaderOffset + LOCAL_HEADER_BYTES + hv.getUint16(26, true) + hv.getUint16(28, true);
}

/**
 * Refuses entries that overlap each other or the central directory. Each entry owns the bytes from its local header
 * to the end of its data; sharing them is how one 32 MiB stream was made to count as 300 ROMs.
 */
function checkLayout(source: ByteSource, entries: readonly (ZipEntry & { directory: boolean })[], cdOffset: number): void {
  const byStart = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let previous: ZipEntry | undefined;
  for (const entry of byStart) {
    const end = entry.dataOffset + entry.compressedSize;
    if (end > cdOffset) {
      throw new ArchiveError('ARCHIVE_INVALID', source.label, `entry data runs into the central directory (bytes ${entry.localHeaderOffset}-${end})`, entry.name);
    }
    if (previous && entry.localHeaderOffset < previous.dataOffset + previous.compressedSize) {
      throw new ArchiveError(
        'ARCHIVE_INVALID',
        source.label,
        `entries "${previous.name}" and "${entry.name}" share bytes (from ${entry.localHeaderOffset}): overlapping entries are how zip bombs multiply one stream`,
      );
    }
    previous = entry;
  }
}

/**
 * Lists the entries of an archive (directories excluded), after checking that every entry has its own bytes.
 * @throws ArchiveError `ARCHIVE_INVALID` (not a zip, damaged, overlapping entries) or `ARCHIVE_TOO_LARGE`.
 */
export function listZipEntries(source: ByteSource): ZipEntry[] {
  const end = readEndRecord(source);
  const located = readCentralDirectory(source, end).map((record) => ({ ...record, dataOffset: locateData(source, record) }));
  checkLayout(source, located, end.cdOffset);
  return located.filter((entry) => !entry.directory).map(({ directory: _, ...entry }) => entry);
}

/** Deflate grows data by at most 1/8 (9-bit literals) plus block headers: more compressed bytes is a lie. */
function maxDeflatedSize(size: number): number {
  return size + Math.ceil(size / 8) + 1024;
}

/**
 * Streams one entry's bytes to `onChunk`, inflating as it goes, and checks that it produces exactly the size its
 * header declares (it stops as soon as it would produce more).
 * @throws ArchiveError `ARCHIVE_INVALID` for encrypted, unsupported or damaged entries. Errors thrown by `onChunk`
 *   pass through unchanged.
 */
export function streamZipEntry(source: ByteSource, entry: ZipEntry, onChunk: (chunk: Uint8Array) => void): void {
  const invalid = (reason: string) => new ArchiveError('ARCHIVE_INVALID', source.label, reason, entry.name);
  if (entry.encrypted) throw invalid('encrypted entry');
  if (entry.method !== 0 && entry.method !== 8) throw invalid(`unsupported compression method ${entry.method}`);
  if (entry.method === 0 && entry.compressedSize !== entry.size) throw invalid('stored entry whose sizes differ');
  if (entry.method === 8 && entry.compressedSize > maxDeflatedSize(entry.size)) {
    throw invalid(`${entry.compressedSize} compressed bytes cannot inflate to only ${entry.size}`);
  }

  let produced = 0;
  let consumerFailed = false;
  const accept = (chunk: Uint8Array) => {
    produced += chunk.length;
    if (produced > entry.size) throw invalid(`inflates to more than the ${entry.size} bytes its header declares`);
    if (chunk.length === 0) return;
    try {
      onChunk(chunk);
    } catch (error) {
      consumerFailed = true;
      throw error;
    }
  };
  const inflater = entry.method === 8 ? new Inflate((chunk) => accept(chunk)) : undefined;
  for (let offset = 0; ; offset += INFLATE_CHUNK) {
    const last = offset + INFLATE_CHUNK >= entry.compressedSize;
    const wanted = Math.min(INFLATE_CHUNK, entry.compressedSize - offset);
    const compressed = source.read(entry.dataOffset + offset, wanted);
    if (compressed.length < wanted) throw invalid('truncated entry');
    if (!inflater) {
      accept(compressed);
    } else {
      try {
        inflater.push(compressed, last);
      } catch (error) {
        if (consumerFailed || error instanceof ArchiveError) throw error;
        throw invalid(`cannot inflate: ${(error as Error).message}`);
      }
    }
    if (last) break;
  }
  if (produced !== entry.size) throw invalid(`inflates to ${produced} bytes, not the ${entry.size} its header declares`);
}

/**
 * Reads one entry whole. Refuses, before inflating anything, an entry that declares more than `maxBytes`; the bytes
 * are written into a buffer of the declared size, which a lying header cannot make grow.
 * @throws ArchiveError as {@link streamZipEntry}, or `ARCHIVE_TOO_LARGE`.
 */
export function readZipEntry(source: ByteSource, entry: ZipEntry, maxBytes = MAX_ROM_BYTES): Uint8Array {
  if (entry.size > maxBytes) {
    throw new ArchiveError('ARCHIVE_TOO_LARGE', source.label, `${entry.size} bytes is larger than the ${maxBytes}-byte limit`, entry.name);
  }
  const out = new Uint8Array(entry.size);
  let filled = 0;
  streamZipEntry(source, entry, (chunk) => {
    out.set(chunk, filled);
    filled += chunk.length;
  });
  return out;
}
