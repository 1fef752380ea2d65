/**
 * Where a game's ROM is: a `rom.<ext>` shipped in the integration folder (our homebrew games), else the one
 * `retro import` put in the data dir. A file only counts when its SHA-1 is in rom.sha.
 */

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { IntegrationError, RetroError } from '../errors.ts';
import type { GameLocation } from './game-index.ts';
import { importedRomPath, type DataDirOptions } from './paths.ts';
import { hashRomFile } from './rom-hash.ts';

export type RomStatus =
  /** A matching ROM ships in the integration folder. */
  | { state: 'bundled'; path: string }
  /** A matching ROM was imported into the data dir. */
  | { state: 'imported'; path: string }
  /** ROM files exist but none matches rom.sha. */
  | { state: 'mismatch'; files: { path: string; sha1: string }[] }
  /** No ROM file. */
  | { state: 'missing' };

const hashCache = new Map<string, { size: number; mtimeMs: number; ino: number; sha1: string }>();

/** SHA-1 of a file under a header rule, remembered while the file's inode, size and mtime stay the same. */
function cachedHash(path: string, romHeader: string): string | undefined {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  const key = `${romHeader}\u0000${path}`;
  const hit = hashCache.get(key);
  if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs && hit.ino === stat.ino) return hit.sha1;
  let sha1: string;
  try {
    sha1 = hashRomFile(path, romHeader);
  } catch (error) {
    if (error instanceof RetroError) return undefined;
    throw error;
  }
  hashCache.set(key, { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, sha1 });
  return sha1;
}

/** Checks the candidate ROM files of a game, shipped ones first. */
export function romStatus(game: GameLocation, shas: readonly string[], options: DataDirOptions = {}): RomStatus {
  const mismatched: { path: string; sha1: string }[] = [];
  const candidates: { path: string; state: 'bundled' | 'imported' }[] = [
    ...game.system.ext.map((ext) => ({ path: join(game.dir, `rom.${ext}`), state: 'bundled' as const })),
    ...game.system.ext.map((ext) => ({ path: importedRomPath(game.name, ext, options), state: 'imported' as const })),
  ];
  for (const { path, state } of candidates) {
    const sha1 = cachedHash(path, game.system.romHeader);
    if (sha1 === undefined) continue;
    if (shas.includes(sha1)) return { state, path };
    mismatched.push({ path, sha1 });
  }
  return mismatched.length > 0 ? { state: 'mismatch', files: mismatched } : { state: 'missing' };
}

/**
 * The path of a game's ROM.
 * @throws IntegrationError `ROM_NOT_IMPORTED` (naming the game, the accepted SHA-1s and the import command) or
 *   `ROM_SHA_MISMATCH` (a ROM file is there but is another dump).
 */
export function requireRom(game: GameLocation, shas: readonly string[], options: DataDirOptions = {}): string {
  const status = romStatus(game, shas, options);
  if (status.state === 'bundled' || status.state === 'imported') return status.path;
  const expected = shas.join(', ');
  const importHint = 'Import it with: npx retro import <dir> (the folder holding your ROM files or their .zip archives)';
  if (status.state === 'mismatch') {
    const found = status.files.map((f) => `${f.path} (SHA-1 ${f.sha1})`).join(', ');
    throw new IntegrationError(
      'ROM_SHA_MISMATCH',
      `The ROM of ${game.name} is not a dump this integration accepts: ${found}; expected SHA-1 ${expected}. ${importHint}`,
      { game: game.name, expected: [...shas], found: status.files, file: status.files[0].path },
    );
  }
  throw new IntegrationError(
    'ROM_NOT_IMPORTED',
    `No ROM imported for ${game.name} (expected SHA-1 ${expected}). ${importHint}`,
    { game: game.name, expected: [...shas], file: importedRomPath(game.name, game.system.ext[0], options) },
  );
}
