/**
 * Where things live on disk: the package root (for bundled `cores/`, `data/`, `integrations/`), the user's data
 * dir (imported ROMs), and the ordered list of folders searched for integrations.
 */

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot } from '../package-root.ts';

/** Environment variables this module reads; a plain object so tests and the CLI can pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Options shared by everything that looks up integrations or imported ROMs. */
export interface LookupOptions {
  /** Folders searched first for `<Game>-<System>` integration folders, in order. */
  integrationPaths?: readonly string[];
  /** Data dir holding imported ROMs; defaults from `env` (see {@link dataDir}). */
  dataDir?: string;
  /** Environment to read `RETRO_*` / `XDG_DATA_HOME` / `HOME` from; defaults to `process.env`. */
  env?: Env;
}

const PACKAGE_NAME = 'libretro-gym';

export { packageRoot };

/** `<root>/integrations`: the integrations shipped with the package. */
export function bundledIntegrationsDir(): string {
  return join(packageRoot(), 'integrations');
}

/** `<root>/data`: JSON Schemas and other static data. */
export function staticDataDir(): string {
  return join(packageRoot(), 'data');
}

/**
 * The user's data dir: `RETRO_DATA_DIR`, else `$XDG_DATA_HOME/libretro-gym`, else `~/.local/share/libretro-gym`.
 * Never inside the package, so reinstalling does not lose imported ROMs.
 */
export function dataDir(options: Pick<LookupOptions, 'dataDir' | 'env'> = {}): string {
  if (options.dataDir) return resolve(options.dataDir);
  const env = options.env ?? process.env;
  if (env.RETRO_DATA_DIR) return resolve(env.RETRO_DATA_DIR);
  if (env.XDG_DATA_HOME) return resolve(env.XDG_DATA_HOME, PACKAGE_NAME);
  return join(env.HOME || homedir(), '.local', 'share', PACKAGE_NAME);
}

/** Where `retro import` puts a game's ROM: `<data dir>/roms/<Game>-<System>/rom.<ext>`. */
export function importedRomPath(game: string, ext: string, options: Pick<LookupOptions, 'dataDir' | 'env'> = {}): string {
  return join(dataDir(options), 'roms', game, `rom.${ext}`);
}

const addedPaths: string[] = [];

/**
 * Adds a folder of integrations to search in every later lookup of this process, after the `integrationPaths`
 * option and before `RETRO_INTEGRATION_PATHS`. Adding a folder twice has no further effect.
 */
export function addIntegrationPath(dir: string): void {
  const abs = resolve(dir);
  if (!addedPaths.includes(abs)) addedPaths.push(abs);
}

/** Forgets the folders added with {@link addIntegrationPath} (for tests). */
export function resetIntegrationPaths(): void {
  addedPaths.length = 0;
}

/**
 * Integration folders in lookup order: the `integrationPaths` option, then folders added with
 * {@link addIntegrationPath}, then `RETRO_INTEGRATION_PATHS` (colon-separated), then the bundled `integrations/`.
 * Absolute, without duplicates; a game found in an earlier folder hides one of the same name in later ones.
 */
export function integrationSearchPaths(options: Pick<LookupOptions, 'integrationPaths' | 'env'> = {}): string[] {
  const env = options.env ?? process.env;
  const fromEnv = (env.RETRO_INTEGRATION_PATHS ?? '').split(':').filter((p) => p !== '');
  const all = [...(options.integrationPaths ?? []).map((p) => resolve(p)), ...addedPaths, ...fromEnv.map((p) => resolve(p)), bundledIntegrationsDir()];
  return [...new Set(all)];
}
