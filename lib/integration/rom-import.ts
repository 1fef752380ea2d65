/**
 * `retro import`: finds ROMs whose SHA-1 an integration lists and copies them into the data dir as
 * `roms/<Game>-<System>/rom.<first ext>`. A file is written beside the target, read back and hashed, then renamed
 * over it, so an interrupted or bad copy never replaces a good ROM; a ROM already in place is left alone. The temp
 * file carries the importer's PID, so one left by a killed import is removed by the next.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RetroError, type RetroErrorCode } from '../errors.ts';
import { removeStaleTemps } from '../stale-temp.ts';
import { listGameLocations, type GameLocation } from './game-index.ts';
import { dataDir, importedRomPath, type LookupOptions } from './paths.ts';
import { digestUnderRule, type RomDigest } from './rom-digest.ts';
import { hashRomFile } from './rom-hash.ts';
import { readRomSha } from './rom-sha.ts';
import { scanFile, walkPaths, type RomCandidate, type ScanLimits } from './rom-scan.ts';

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
  /**
   * Not scanned: too large, unreadable, damaged or encrypted archives. `code` says why when there is one:
   * `ARCHIVE_INVALID` (damaged, overlapping entries), `ARCHIVE_TOO_LARGE` (past a size or nesting limit), `ROM_*`.
   * A bad archive is reported here and the import goes on, as for any unreadable file.
   */
  skipped: { source: string; reason: string; code?: RetroErrorCode }[];
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

/** Games a file is a ROM of, each under its own system's header rule. */
function matchingGames(digest: RomDigest, known: Map<string, KnownRom[]>): KnownRom[] {
  const hashes = [digest.sha1, digest.sha1WithoutInesHeader, digest.sha1AsZ64].filter((h): h is string => h !== undefined);
  const matches: KnownRom[] = [];
  for (const hash of hashes) {
    for (const candidate of known.get(hash) ?? []) {
      if (digestUnderRule(digest, candidate.game.system.romHeader) === hash && !matches.includes(candidate)) matches.push(candidate);
    }
  }
  return matches;
}

/** `rom.<ext>.<pid>-<8 hex>.tmp`: the temp file of an import by process `pid`. */
const IMPORT_TEMP_NAME = /^rom\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;

/** Removes the temp files killed imports left in the games' folders (the live PIDs' are in use). */
function sweepStaleImportTemps(romsDir: string): void {
  let games: string[];
  try {
    games = readdirSync(romsDir);
  } catch {
    return; // nothing imported yet
  }
  for (const game of games) removeStaleTemps(join(romsDir, game), IMPORT_TEMP_NAME, 'file');
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

/** Puts a matched ROM in place unless a matching one already is. Throws on read, write or verification failure. */
function install(target: string, candidate: RomCandidate, rom: KnownRom): 'imported' | 'up-to-date' {
  const rule = rom.game.system.romHeader;
  const existing = hashIfPresent(target, rule);
  if (existing !== undefined && rom.shas.includes(existing)) return 'up-to-date';
  const bytes = candidate.read();
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

/**
 * Imports every ROM found under `paths` (files, folders, zip archives) that an integration lists.
 * @throws RetroError `DATA_DIR_INVALID` when the data dir cannot hold ROMs, before anything is scanned.
 */
export function importRoms(paths: readonly string[], options: ImportOptions = {}): ImportReport {
  sweepStaleImportTemps(join(dataDir(options), 'roms'));
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

  const onFile = (candidate: RomCandidate): void => {
    const { source } = candidate;
    report.scanned++;
    const matches = matchingGames(candidate.digest, known);
    if (matches.length === 0) {
      report.unmatched++;
      return;
    }
    for (const rom of matches) {
      const game = rom.game.name;
      if (done.has(game)) continue;
      const target = importedRomPath(game, rom.game.system.ext[0], options);
      try {
        const status = install(target, candidate, rom);
        report.games.push({ game, source, path: target, status });
        done.add(game);
      } catch (error) {
        report.failed.push({ game, source, reason: (error as Error).message });
      }
    }
  };

  for (const file of walk.files) {
    const onSkip = (source: string, reason: string, code?: RetroErrorCode) => report.skipped.push(code ? { source, reason, code } : { source, reason });
    scanFile(file, { onFile, onSkip }, options);
    progress.filesDone++;
    progress.bytesDone += file.size;
    options.onProgress?.({ ...progress });
  }
  return report;
}
