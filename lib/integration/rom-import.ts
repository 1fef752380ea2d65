/**
 * `retro import`: finds ROMs whose SHA-1 an integration lists and copies them into the data dir as
 * `roms/<Game>-<System>/rom.<first ext>`. A file is written beside the target, read back and hashed, then renamed
 * over it, so an interrupted or bad copy never replaces a good ROM; a ROM already in place is left alone.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RetroError } from '../errors.ts';
import { listGameLocations, type GameLocation } from './game-index.ts';
import { importedRomPath, type LookupOptions } from './paths.ts';
import { hasInesHeader, hashRom, hashRomFile, sha1Hex } from './rom-hash.ts';
import { readRomSha } from './rom-sha.ts';
import { scanFile, walkPaths, type ScanLimits } from './rom-scan.ts';

export interface ImportProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ImportOptions extends LookupOptions, ScanLimits {
  /** Called after each file given or found in a folder (archives count as one file). */
  onProgress?(progress: ImportProgress): void;
}

export interface ImportedRom {
  game: string;
  /** Where it was found (`archive.zip!/entry` for archive entries). */
  source: string;
  /** Where it is now. */
  path: string;
  /** `imported`: written now; `up-to-date`: a matching ROM was already there. */
  status: 'imported' | 'up-to-date';
}

export interface ImportReport {
  /** How many games the integration search paths hold (the ROMs that can be recognised). */
  knownGames: number;
  /** One per game, in the order found. */
  games: ImportedRom[];
  /** Files and archive entries looked at (archives themselves not counted). */
  scanned: number;
  /** Of those, how many matched no game. */
  unmatched: number;
  /** Not scanned: too large, unreadable, damaged or encrypted archives. */
  skipped: { source: string; reason: string }[];
  /** Matches that could not be written. */
  failed: { game: string; source: string; reason: string }[];
  /** Paths given that do not exist. */
  missing: string[];
}

interface KnownRom {
  game: GameLocation;
  shas: string[];
}

/** SHA-1 → the games that accept it. */
function knownHashes(games: readonly GameLocation[]): Map<string, KnownRom[]> {
  const known = new Map<string, KnownRom[]>();
  for (const game of games) {
    let shas: string[];
    try {
      shas = readRomSha(join(game.dir, 'rom.sha')).shas;
    } catch (error) {
      if (error instanceof RetroError) continue;
      throw error;
    }
    for (const sha of shas) {
      const list = known.get(sha) ?? [];
      list.push({ game, shas });
      known.set(sha, list);
    }
  }
  return known;
}

/** Games a file's bytes are a ROM of, each under its own system's header rule. */
function matchingGames(bytes: Uint8Array, known: Map<string, KnownRom[]>): KnownRom[] {
  const raw = sha1Hex(bytes);
  const hashes = hasInesHeader(bytes) ? [raw, hashRom(bytes, 'ines')] : [raw];
  const matches: KnownRom[] = [];
  for (const hash of hashes) {
    for (const candidate of known.get(hash) ?? []) {
      if (hashRom(bytes, candidate.game.system.romHeader) === hash && !matches.includes(candidate)) matches.push(candidate);
    }
  }
  return matches;
}

function hashIfPresent(path: string, romHeader: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return hashRomFile(path, romHeader);
  } catch (error) {
    if (error instanceof RetroError) return undefined;
    throw error;
  }
}

/** Puts a matched ROM in place unless a matching one already is. Throws on write or verification failure. */
function install(target: string, bytes: Uint8Array, rom: KnownRom): 'imported' | 'up-to-date' {
  const rule = rom.game.system.romHeader;
  const existing = hashIfPresent(target, rule);
  if (existing !== undefined && rom.shas.includes(existing)) return 'up-to-date';
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, bytes, { flag: 'wx' });
    const written = hashRomFile(temp, rule);
    if (!rom.shas.includes(written)) throw new Error(`the copy reads back with SHA-1 ${written}, not the one matched`);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  return 'imported';
}

/** Imports every ROM found under `paths` (files, folders, zip archives) that an integration lists. */
export function importRoms(paths: readonly string[], options: ImportOptions = {}): ImportReport {
  const games = listGameLocations(options);
  const known = knownHashes(games);
  const walk = walkPaths(paths);
  const report: ImportReport = {
    knownGames: games.length,
    games: [],
    scanned: 0,
    unmatched: 0,
    skipped: [...walk.unreadable],
    failed: [],
    missing: walk.missing,
  };
  const done = new Set<string>();
  const progress: ImportProgress = {
    filesDone: 0,
    filesTotal: walk.files.length,
    bytesDone: 0,
    bytesTotal: walk.files.reduce((sum, f) => sum + f.size, 0),
  };

  const onFile = (source: string, bytes: Uint8Array): void => {
    report.scanned++;
    const matches = matchingGames(bytes, known);
    if (matches.length === 0) {
      report.unmatched++;
      return;
    }
    for (const rom of matches) {
      const game = rom.game.name;
      if (done.has(game)) continue;
      const target = importedRomPath(game, rom.game.system.ext[0], options);
      try {
        const status = install(target, bytes, rom);
        report.games.push({ game, source, path: target, status });
        done.add(game);
      } catch (error) {
        report.failed.push({ game, source, reason: (error as Error).message });
      }
    }
  };

  for (const file of walk.files) {
    scanFile(file, { onFile, onSkip: (source, reason) => report.skipped.push({ source, reason }) }, options);
    progress.filesDone++;
    progress.bytesDone += file.size;
    options.onProgress?.({ ...progress });
  }
  return report;
}
