/**
 * Walks files and folders for `retro import`, opening `.zip` archives (nested ones too), and hands every file
 * small enough to be a ROM to a callback, hashed chunk by chunk. Folders are walked recursively; hidden folders and
 * `node_modules` are skipped unless named explicitly; symlinked folders are followed once.
 *
 * Archives are bounded against zip bombs: entries declaring more than a ROM are skipped unread, nesting is limited
 * in depth and in the bytes held in memory, and each archive has a budget for inflating beyond ordinary
 * compression. A damaged or hostile archive is reported and skipped, like any unreadable file.
 */

import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RetroError, RomError, type RetroErrorCode } from '../errors.ts';
import { RomHasher, type RomDigest } from './rom-digest.ts';
import { MAX_ROM_BYTES, readRomFile } from './rom-hash.ts';
import {
  ArchiveError,
  bufferSource,
  fileSource,
  listZipEntries,
  readZipEntry,
  sliceSource,
  streamZipEntry,
  type ByteSource,
  type ZipEntry,
} from './zip-reader.ts';

/** A file found by the walk; `size` in bytes. */
export interface FoundFile {
  path: string;
  size: number;
}

export interface WalkResult {
  files: FoundFile[];
  /** Paths given that do not exist. */
  missing: string[];
  /** Folders that could not be read, with why. */
  unreadable: { source: string; reason: string }[];
}

/** A file or archive entry small enough to be a ROM, hashed as it was read. */
export interface RomCandidate {
  /** Where it was found: a path, or `archive.zip!/entry` (`!/` again for each nested archive). */
  source: string;
  size: number;
  digest: RomDigest;
  /** Reads its bytes again: only the few candidates that match a game are ever held whole. @throws RetroError */
  read(): Uint8Array;
}

export interface ScanHandlers {
  /** A file or archive entry of at most the ROM size limit. */
  onFile(candidate: RomCandidate): void;
  /** Something not scanned (too large, unreadable, a damaged or hostile archive), with the error code if any. */
  onSkip(source: string, reason: string, code?: RetroErrorCode): void;
}

export interface ScanLimits {
  /** Files and archive entries declaring more bytes are skipped unread. Default {@link MAX_ROM_BYTES} (64 MiB). */
  maxRomBytes?: number;
  /**
   * A deflated zip inside a zip is inflated into memory: at most this many bytes of them at once, over all nesting
   * levels. Default 256 MiB. Stored (uncompressed) ones are read in place and cost nothing.
   */
  maxNestedZipBytes?: number;
  /** Zips nested deeper are skipped (guards against archives that contain themselves). Default 4; a zip given is 1. */
  maxZipDepth?: number;
  /**
   * How far one archive given may inflate beyond ordinary compression before the rest of it is skipped: what its
   * entries inflate to past {@link ORDINARY_RATIO} times their compressed size, plus all that nested archives in
   * memory inflate to. Default 512 MiB. ROM sets compress 2-4:1 and hardly touch it; a zip bomb (1000:1) hits it
   * after about 512 MiB of work instead of gigabytes.
   */
  maxArchiveExpansionBytes?: number;
}

const DEFAULT_MAX_NESTED_ZIP_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_ZIP_DEPTH = 4;
const DEFAULT_MAX_ARCHIVE_EXPANSION_BYTES = 512 * 1024 * 1024;
/** Inflated bytes up to this many times an entry's compressed size are free: real ROMs compress less. */
export const ORDINARY_RATIO = 8;
/** Plain files are hashed this many bytes at a time. */
const FILE_CHUNK = 1024 * 1024;

const SKIPPED_DIRS = new Set(['node_modules']);

function isZipName(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}

/** Expands the given paths into the files below them. */
export function walkPaths(paths: readonly string[]): WalkResult {
  const result: WalkResult = { files: [], missing: [], unreadable: [] };
  const visited = new Set<string>();

  const walkDir = (dir: string): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (cause) {
      result.unreadable.push({ source: dir, reason: (cause as Error).message });
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (cause) {
      result.unreadable.push({ source: dir, reason: (cause as Error).message });
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue; // dangling symlink
      }
      if (stat.isDirectory()) {
        if (!name.startsWith('.') && !SKIPPED_DIRS.has(name)) walkDir(path);
      } else if (stat.isFile()) {
        result.files.push({ path, size: stat.size });
      }
    }
  };

  for (const given of paths) {
    const path = resolve(given);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      result.missing.push(given);
      continue;
    }
    if (stat.isDirectory()) walkDir(path);
    else if (stat.isFile()) result.files.push({ path, size: stat.size });
  }
  return result;
}

/** What to report for an error met while scanning; anything but a typed or I/O error is a bug and is rethrown. */
function problemOf(error: unknown): { reason: string; code?: RetroErrorCode } {
  if (error instanceof ArchiveError) return { reason: error.reason, code: error.code };
  if (error instanceof RetroError) return { reason: error.message, code: error.code };
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') return { reason: error.message };
  throw error;
}

/** Where an archive error belongs: the entry it names, else the archive. */
function sourceOf(error: unknown, fallback: string): string {
  if (!(error instanceof ArchiveError)) return fallback;
  const { file, entry } = error.details;
  return typeof entry === 'string' ? `${String(file)}!/${entry}` : String(file);
}

/** Streams a file through the ROM hasher. @throws RomError `ROM_NOT_FOUND` (cannot open) or `ROM_INVALID` (grew too large). */
function hashFile(path: string, maxBytes: number): { digest: RomDigest; size: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new RomError('ROM_NOT_FOUND', `cannot open: ${(cause as Error).message}`, { file: path }, { cause });
  }
  try {
    const hasher = new RomHasher();
    const chunk = new Uint8Array(FILE_CHUNK);
    let size = 0;
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, size)) > 0; ) {
      size += n;
      if (size > maxBytes) throw new RomError('ROM_INVALID', `grew past the ${maxBytes}-byte limit while read`, { file: path });
      hasher.update(chunk.subarray(0, n));
    }
    return { digest: hasher.digest(), size };
  } finally {
    closeSync(fd);
  }
}

/** The expansion budget of one archive given, and the nested zips it holds in memory. */
interface ArchiveScan {
  archive: string;
  budget: number;
  spent: number;
  heldNested: number;
}

/** An archive given expands past its budget: the one error that ends the scan of the whole archive. */
class BudgetExceeded extends ArchiveError {}

/**
 * Charges an entry to its archive's budget before it is inflated: the part beyond the ordinary ratio for entries
 * read from the file on disk, everything for entries of nested archives in memory (those bytes were inflated
 * already, so allowing a ratio again would multiply at every level).
 * @throws BudgetExceeded (`ARCHIVE_TOO_LARGE`)
 */
function charge(scan: ArchiveScan, entry: ZipEntry, onDisk: boolean): void {
  const cost = Math.max(0, entry.size - (onDisk ? ORDINARY_RATIO * entry.compressedSize : 0));
  if (scan.spent + cost > scan.budget) {
    throw new BudgetExceeded(
      'ARCHIVE_TOO_LARGE',
      scan.archive,
      `inflates more than ${scan.budget} bytes beyond ordinary (${ORDINARY_RATIO}:1) compression, the limit for one archive (a zip bomb?); its other entries were not scanned`,
    );
  }
  scan.spent += cost;
}

/** Scans one found file: a ROM candidate, or an archive whose entries are scanned. */
export function scanFile(file: FoundFile, handlers: ScanHandlers, limits: ScanLimits = {}): void {
  const maxRom = limits.maxRomBytes ?? MAX_ROM_BYTES;
  const maxNested = limits.maxNestedZipBytes ?? DEFAULT_MAX_NESTED_ZIP_BYTES;
  const maxDepth = limits.maxZipDepth ?? DEFAULT_MAX_ZIP_DEPTH;
  const skip = (source: string, error: unknown) => {
    const { reason, code } = problemOf(error);
    handlers.onSkip(sourceOf(error, source), reason, code);
  };
  const tooLarge = (archive: string, entry: string, reason: string) => new ArchiveError('ARCHIVE_TOO_LARGE', archive, reason, entry);

  const scanEntry = (source: ByteSource, entry: ZipEntry, onDisk: boolean, scan: ArchiveScan): void => {
    const label = `${source.label}!/${entry.name}`;
    if (entry.size > maxRom) {
      skip(label, tooLarge(source.label, entry.name, `${entry.size} bytes is larger than the ${maxRom}-byte limit`));
      return;
    }
    charge(scan, entry, onDisk);
    const hasher = new RomHasher();
    try {
      streamZipEntry(source, entry, (chunk) => hasher.update(chunk));
    } catch (error) {
      skip(label, error);
      return;
    }
    const read = () => readZipEntry(source, entry, maxRom);
    handlers.onFile({ source: label, size: entry.size, digest: hasher.digest(), read });
  };

  const scanNested = (source: ByteSource, entry: ZipEntry, depth: number, onDisk: boolean, scan: ArchiveScan): void => {
    const label = `${source.label}!/${entry.name}`;
    if (depth >= maxDepth) {
      skip(label, tooLarge(source.label, entry.name, `zip nested more than ${maxDepth} deep`));
      return;
    }
    if (entry.method === 0 && !entry.encrypted && entry.compressedSize === entry.size) {
      scanArchive(sliceSource(source, entry.dataOffset, entry.size, label), depth + 1, onDisk, scan);
      return;
    }
    if (scan.heldNested + entry.size > maxNested) {
      const reason = `inflating it would hold ${scan.heldNested + entry.size} bytes of nested archives in memory, more than the ${maxNested}-byte limit`;
      skip(label, tooLarge(source.label, entry.name, reason));
      return;
    }
    charge(scan, entry, false);
    let bytes: Uint8Array;
    try {
      bytes = readZipEntry(source, entry, maxNested);
    } catch (error) {
      skip(label, error);
      return;
    }
    scan.heldNested += bytes.length;
    try {
      scanArchive(bufferSource(bytes, label), depth + 1, false, scan);
    } finally {
      scan.heldNested -= bytes.length;
    }
  };

  // Damaged archives and entries are reported and skipped; only the budget error ends the whole archive's scan.
  const scanArchive = (source: ByteSource, depth: number, onDisk: boolean, scan: ArchiveScan): void => {
    let entries: ZipEntry[];
    try {
      entries = listZipEntries(source);
    } catch (error) {
      skip(source.label, error);
      return;
    }
    for (const entry of entries) {
      if (isZipName(entry.name)) scanNested(source, entry, depth, onDisk, scan);
      else scanEntry(source, entry, onDisk, scan);
    }
  };

  if (isZipName(file.path)) {
    let source: ByteSource;
    try {
      source = fileSource(file.path);
    } catch (error) {
      skip(file.path, error);
      return;
    }
    const budget = limits.maxArchiveExpansionBytes ?? DEFAULT_MAX_ARCHIVE_EXPANSION_BYTES;
    try {
      scanArchive(source, 1, true, { archive: file.path, budget, spent: 0, heldNested: 0 });
    } catch (error) {
      if (!(error instanceof BudgetExceeded)) throw error;
      skip(file.path, error);
    } finally {
      source.close();
    }
    return;
  }
  if (file.size > maxRom) {
    skip(file.path, new RomError('ROM_INVALID', `${file.size} bytes is larger than the ${maxRom}-byte limit`, { file: file.path }));
    return;
  }
  let hashed;
  try {
    hashed = hashFile(file.path, maxRom);
  } catch (error) {
    skip(file.path, error);
    return;
  }
  handlers.onFile({ source: file.path, size: hashed.size, digest: hashed.digest, read: () => readRomFile(file.path) });
}
