/**
 * Walks files and folders for `retro import`, opening `.zip` archives (nested ones too), and hands every file
 * small enough to be a ROM to a callback. Folders are walked recursively; hidden folders and `node_modules` are
 * skipped unless named explicitly; symlinked folders are followed once.
 */

import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAX_ROM_BYTES, readRomFile } from './rom-hash.ts';
import { bufferSource, fileSource, listZipEntries, readZipEntry, ZipFormatError, type ByteSource } from './zip-reader.ts';
import { RetroError } from '../errors.ts';

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

export interface ScanHandlers {
  /** A file or archive entry of at most {@link MAX_ROM_BYTES}, with its bytes. */
  onFile(source: string, bytes: Uint8Array): void;
  /** Something not scanned: too large, unreadable, damaged archive. */
  onSkip(source: string, reason: string): void;
}

export interface ScanLimits {
  /** A zip inside a zip is read into memory; larger ones are skipped. Default 512 MiB. */
  maxNestedZipBytes?: number;
  /** Zips nested deeper are skipped (guards against archives that contain themselves). Default 8. */
  maxZipDepth?: number;
}

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

function reasonOf(error: unknown): string {
  // RangeError: an archive entry too big to allocate; skip it like a damaged one.
  if (error instanceof ZipFormatError || error instanceof RetroError || error instanceof RangeError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string') return (error as Error).message;
  throw error;
}

/** Scans one found file: a ROM candidate, or an archive whose entries are scanned. */
export function scanFile(file: FoundFile, handlers: ScanHandlers, limits: ScanLimits = {}): void {
  const maxRom = MAX_ROM_BYTES;
  const maxNested = limits.maxNestedZipBytes ?? 512 * 1024 * 1024;
  const maxDepth = limits.maxZipDepth ?? 8;

  const scanArchive = (source: ByteSource, label: string, depth: number): void => {
    let entries;
    try {
      entries = listZipEntries(source);
    } catch (error) {
      handlers.onSkip(label, reasonOf(error));
      return;
    }
    for (const entry of entries) {
      const entryLabel = `${label}!/${entry.name}`;
      const nested = isZipName(entry.name);
      if (nested && depth >= maxDepth) {
        handlers.onSkip(entryLabel, `zip nested more than ${maxDepth} deep`);
        continue;
      }
      const limit = nested ? maxNested : maxRom;
      if (entry.size > limit) {
        handlers.onSkip(entryLabel, `${entry.size} bytes is larger than the ${limit}-byte limit`);
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = readZipEntry(source, entry);
      } catch (error) {
        handlers.onSkip(entryLabel, reasonOf(error));
        continue;
      }
      if (nested) scanArchive(bufferSource(bytes), entryLabel, depth + 1);
      else handlers.onFile(entryLabel, bytes);
    }
  };

  if (isZipName(file.path)) {
    let source: ByteSource;
    try {
      source = fileSource(file.path);
    } catch (error) {
      handlers.onSkip(file.path, reasonOf(error));
      return;
    }
    try {
      scanArchive(source, file.path, 1);
    } finally {
      source.close();
    }
    return;
  }
  if (file.size > maxRom) {
    handlers.onSkip(file.path, `${file.size} bytes is larger than the ${maxRom}-byte limit`);
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = readRomFile(file.path);
  } catch (error) {
    handlers.onSkip(file.path, reasonOf(error));
    return;
  }
  handlers.onFile(file.path, bytes);
}
