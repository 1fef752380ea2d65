/**
 * `retro.data`: what games are available and where their files are, as stable-retro's `retro.data` offers.
 *
 * Each accessor takes a game's name, or a {@link GameLocation} from {@link locateGame}: a caller asking several
 * things of one game locates it once and passes the location, so the search paths are not walked again.
 *
 * @example
 * ```ts
 * import { data } from 'libretro-gym';
 * for (const game of data.listGames()) console.log(game, data.listStates(game));
 * const rom = data.getRomPath('TinyKart-Nes'); // throws ROM_NOT_IMPORTED with the command to run when missing
 * const kart = data.locateGame('TinyKart-Nes');
 * console.log(data.getIntegration(kart).metadata.default_state, data.getRomPath(kart));
 * ```
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { IntegrationError } from '../errors.ts';
import { listGameLocations, locateGame, type GameLocation } from './game-index.ts';
import { isScenarioFile, loadIntegration } from './integration.ts';
import type { LookupOptions } from './paths.ts';
import { requireRom } from './rom-location.ts';
import { readRomSha } from './rom-sha.ts';
import { stateNames } from './state-names.ts';
import type { Integration } from './types.ts';

export { addIntegrationPath } from './paths.ts';
export type { DataDirOptions, LookupOptions } from './paths.ts';
export { locateGame, type GameLocation } from './game-index.ts';

/**
 * A game's name, or where it was found. With a location, `integrationPaths` in the options has no further use:
 * only the data dir options (`dataDir`, `env`) still count.
 */
export type GameRef = string | GameLocation;

function located(game: GameRef, options: LookupOptions): GameLocation {
  return typeof game === 'string' ? locateGame(game, options) : game;
}

/** Names (`<Game>-<System>`) of every game in the integration search paths, sorted; ROMs need not be imported. */
export function listGames(options: LookupOptions = {}): string[] {
  return listGameLocations(options).map((g) => g.name);
}

/** The integration folder of a game. @throws IntegrationError `GAME_NOT_FOUND` with suggestions. */
export function getGamePath(game: GameRef, options: LookupOptions = {}): string {
  return located(game, options).dir;
}

function folderEntries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (cause) {
    throw new IntegrationError('FILE_UNREADABLE', `${dir}: cannot list: ${(cause as Error).message}`, { file: dir }, { cause });
  }
}

/** Names of a game's states (`*.state` without extension), sorted; names starting with `_` are hidden. */
export function listStates(game: GameRef, options: LookupOptions = {}): string[] {
  const { dir } = located(game, options);
  return stateNames(dir, folderEntries(dir));
}

/** Names of a game's scenarios (`*.json` other than data.json / metadata.json, without extension), sorted. */
export function listScenarios(game: GameRef, options: LookupOptions = {}): string[] {
  return folderEntries(located(game, options).dir)
    .filter(isScenarioFile)
    .map((f) => f.slice(0, -'.json'.length));
}

/**
 * Path of a game's ROM: one shipped in its integration folder, or the one imported into the data dir
 * (`<data dir>/roms/<Game>-<System>/rom.<ext>`), whose SHA-1 is in rom.sha.
 * @throws IntegrationError `GAME_NOT_FOUND`, `ROM_NOT_IMPORTED` (with the SHA-1s expected and the import command)
 *   or `ROM_SHA_MISMATCH`.
 */
export function getRomPath(game: GameRef, options: LookupOptions = {}): string {
  const location = located(game, options);
  const { shas } = readRomSha(join(location.dir, 'rom.sha'));
  return requireRom(location, shas, options);
}

/**
 * A game's integration, loaded and validated (data.json, scenarios, metadata.json, rom.sha, states).
 * @throws IntegrationError `GAME_NOT_FOUND`, or the loader's codes (see `loadIntegration`).
 */
export function getIntegration(game: GameRef, options: LookupOptions = {}): Integration {
  return loadIntegration(located(game, options).dir);
}
