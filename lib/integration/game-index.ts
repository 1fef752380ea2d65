/**
 * Finds games in the integration search paths. A game is a folder `<Game>-<System>` holding a `rom.sha`, whose
 * system has a descriptor; a game found in an earlier search path hides one of the same name in later ones.
 */

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IntegrationError } from '../errors.ts';
import { integrationSearchPaths, type LookupOptions } from './paths.ts';
import { closestNames } from './suggest.ts';
import { knownSystems, loadSystem, systemOfGame, type SystemInfo } from './systems.ts';

export interface GameLocation {
  /** `<Game>-<System>`. */
  name: string;
  /** The folder (absolute). */
  dir: string;
  system: SystemInfo;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function gameAt(root: string, name: string): GameLocation | undefined {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'rom.sha')) || !isDirectory(dir)) return undefined;
  const system = systemOfGame(name);
  const info = system === undefined ? undefined : loadSystem(system);
  return info ? { name, dir, system: info } : undefined;
}

/** Every game in the search paths, sorted by name. */
export function listGameLocations(options: LookupOptions = {}): GameLocation[] {
  const games = new Map<string, GameLocation>();
  for (const root of integrationSearchPaths(options)) {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      continue; // a search path that does not exist holds no games
    }
    for (const name of names) {
      if (games.has(name)) continue;
      const game = gameAt(root, name);
      if (game) games.set(name, game);
    }
  }
  return [...games.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Finds one game.
 * @throws IntegrationError `GAME_NOT_FOUND`, naming the game, close names (`details.suggestions`) and the folders
 *   searched (`details.searched`).
 */
export function locateGame(game: string, options: LookupOptions = {}): GameLocation {
  const searched = integrationSearchPaths(options);
  const safe = game !== '' && game !== '.' && game !== '..' && !/[/\\\0]/.test(game);
  let reason = '';
  if (safe) {
    for (const root of searched) {
      const found = gameAt(root, game);
      if (found) return found;
      const dir = join(root, game);
      if (reason === '' && isDirectory(dir)) {
        const system = systemOfGame(game);
        if (!existsSync(join(dir, 'rom.sha'))) reason = ` The folder ${dir} has no rom.sha.`;
        else reason = ` Its system '${system ?? ''}' has no descriptor in cores/ (known: ${knownSystems().join(', ')}).`;
      }
    }
  }
  const suggestions = closestNames(game, listGameLocations(options).map((g) => g.name));
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
  throw new IntegrationError(
    'GAME_NOT_FOUND',
    `Game '${game}' not found.${reason}${hint} Searched: ${searched.join(', ')}`,
    { game, suggestions, searched },
  );
}
