/**
 * Where things live on disk: the package root (for bundled `cores/`, `data/`, `integrations/`), the user's data
 * dir (imported ROMs), and the ordered list of folders searched for integrations.
 */

import { statfsSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { RetroError } from '../errors.ts';
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

/** The part of {@link LookupOptions} that places the data dir; all a game already located still needs. */
export type DataDirOptions = Pick<LookupOptions, 'dataDir' | 'env'>;

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
 * Never inside the package, so reinstalling does not lose imported ROMs. It need not exist yet, but must be a place
 * a folder can be made.
 * @throws RetroError `DATA_DIR_INVALID` when it, or the nearest part of it that exists, is not a folder (a file,
 *   `/dev/null`) or is on a kernel file system such as `/proc` or `/sys`; the message names the variable that set it.
 */
export function dataDir(options: DataDirOptions = {}): string {
  const { path, setBy } = dataDirSetting(options);
  checkDataDir(path, setBy);
  return path;
}

function dataDirSetting(options: DataDirOptions): { path: string; setBy: string } {
  if (options.dataDir) return { path: resolve(options.dataDir), setBy: 'the dataDir option (--data-dir)' };
  const env = options.env ?? process.env;
  if (env.RETRO_DATA_DIR) return { path: resolve(env.RETRO_DATA_DIR), setBy: 'RETRO_DATA_DIR' };
  if (env.XDG_DATA_HOME) return { path: resolve(env.XDG_DATA_HOME, PACKAGE_NAME), setBy: 'XDG_DATA_HOME' };
  return { path: join(env.HOME || homedir(), '.local', 'share', PACKAGE_NAME), setBy: env.HOME ? 'HOME' : 'the home folder' };
}

/**
 * Linux file systems the kernel synthesises (statfs f_type): folders cannot be made there, and on /proc Node's
 * recursive mkdir never returns.
 */
const KERNEL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x1cd1, 'devpts'],
  [0x42494e4d, 'binfmt_misc'],
  [0x65735543, 'fusectl'],
]);

/** The data dir, or its nearest ancestor that exists; undefined when that cannot be told (e.g. no permission). */
function nearestExisting(path: string): { path: string; stat: Stats } | undefined {
  for (let current = path; ; current = dirname(current)) {
    try {
      return { path: current, stat: statSync(current) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a part of the path is a file; the walk up reaches it and reports it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) return undefined;
    }
  }
}

function describeNonFolder(stat: Stats): string {
  if (stat.isFile()) return 'a file';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  return 'not a folder';
}

function kernelFileSystemOf(path: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return KERNEL_FILE_SYSTEMS.get(statfsSync(path).type);
  } catch {
    return undefined;
  }
}

/** Refuses a data dir nothing can be stored in, before anything tries to make folders there. */
function checkDataDir(path: string, setBy: string): void {
  const existing = nearestExisting(path);
  if (!existing) return;
  const where = existing.path === path ? path : `${existing.path}, part of ${path},`;
  const fix = `set ${setBy.startsWith('the ') ? 'it' : setBy} to a folder of yours`;
  const invalid = (problem: string) =>
    new RetroError('DATA_DIR_INVALID', `The data dir from ${setBy} cannot hold ROMs: ${where} ${problem}; ${fix}`, { file: path, setBy });
  if (!existing.stat.isDirectory()) throw invalid(`is ${describeNonFolder(existing.stat)}, not a folder`);
  const kernelFs = kernelFileSystemOf(existing.path);
  if (kernelFs) throw invalid(`is on ${kernelFs}, a file system the kernel makes up`);
}

/** Where `retro import` puts a game's ROM: `<data dir>/roms/<Game>-<System>/rom.<ext>`. */
export function importedRomPath(game: string, ext: string, options: DataDirOptions = {}): string {
  return join(dataDir(options), 'roms', game, `rom.${ext}`);
}

/** Where `retro states build` puts the states a game's boot recipes make: `<data dir>/states/<Game>-<System>`. */
export function builtStatesDir(game: string, options: DataDirOptions = {}): string {
  return join(dataDir(options), 'states', game);
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
