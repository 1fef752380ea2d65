import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import { ArgumentError, CoreError } from '../errors.ts';
import { coresDir, type CoreDescriptor, type CoreEntry, type CoreHost } from './descriptor.ts';
import { coreFileName, coreNameOfFile, isCoreName, userCoresDir } from './user-cores.ts';
import { findMupen64plus, mupen64plusOptions, n64HostCore } from '../n64/n64-host.ts';

/**
 * Folders searched for libretro core files, in order: `RETRO_CORES_PATH`, the user's cores folder (where
 * `retro cores install` puts them), the package's `cores/`, Debian's libretro folders, then RetroArch's per-user
 * cores folder.
 */
export function coreSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.RETRO_CORES_PATH ?? '').split(delimiter).filter((p) => p.length > 0);
  const configHome = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return [
    ...fromEnv,
    userCoresDir(env),
    coresDir(),
    '/usr/lib/x86_64-linux-gnu/libretro',
    '/usr/lib/aarch64-linux-gnu/libretro',
    '/usr/lib/libretro',
    join(configHome, 'retroarch', 'cores'),
  ];
}

export interface FoundCore {
  /** Which core it is: a libretro core, or our N64 core that runs Debian's mupen64plus (native/n64/). */
  host: CoreHost;
  path: string;
  file: string;
  options: Record<string, string>;
  /** Bytes a state may fall short of the core's own state size (descriptor's `stateSizeSlack`). */
  stateSizeSlack: number;
  /** Whether closed emulators' copies of this core may be reused (descriptor's `reusable`). */
  reusable: boolean;
  /** Whether unknown states are tried in a forked child first (descriptor's `stateTrial`). */
  stateTrial: boolean;
  /** The game database file to put in the core's system directory (descriptor's `externalDatabase`). */
  externalDatabase?: string;
}

/** What the descriptor says about a core file at `path`; `entry` is undefined for a core it does not list. */
export function describeCore(descriptor: CoreDescriptor, path: string, entry: CoreEntry | undefined): FoundCore {
  return {
    host: entry?.host ?? 'libretro',
    path,
    file: basename(path),
    options: { ...descriptor.options, ...entry?.options },
    stateSizeSlack: entry?.stateSizeSlack ?? 0,
    reusable: entry?.reusable ?? true,
    stateTrial: entry?.stateTrial ?? true,
    externalDatabase: entry?.externalDatabase,
  };
}

/** The environment variable that forces a system's core: `RETRO_CORE_NES`. */
export function forcedCoreVariable(system: string): string {
  return `RETRO_CORE_${system.toUpperCase()}`;
}

/** The first folder of the search path holding `file`, if any. */
export function locateCoreFile(file: string, folders: readonly string[]): string | undefined {
  for (const folder of folders) {
    const path = join(folder, file);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * A core forced by `RETRO_CORE_<SYSTEM>` or `make(game, { core })`: a path to a core file, or a core name (`fceumm`)
 * or file name (`fceumm_libretro.so`) looked up on the search path, listed in the descriptor or not. `source` says
 * where the choice came from, `field` the setting and `hint` how to undo it, for the error.
 */
function forcedCore(descriptor: CoreDescriptor, value: string, env: NodeJS.ProcessEnv, source: string, field: string, hint: string): FoundCore {
  const folders = coreSearchPath(env);
  const isPath = value.includes('/');
  const file = isPath ? basename(value) : isCoreName(value) ? coreFileName(value) : value;
  const path = isPath ? (existsSync(resolve(value)) ? resolve(value) : undefined) : locateCoreFile(file, folders);
  if (path === undefined) {
    const name = coreNameOfFile(file);
    const where = isPath ? `${resolve(value)} does not exist` : `${file} is in none of ${folders.join(', ')}`;
    const install = name ? `; install it with: npx retro cores install ${name}` : '';
    throw new CoreError('CORE_NOT_FOUND', `${source} forces a core for ${descriptor.system}, but ${where}${install}${hint}`, {
      system: descriptor.system,
      field,
      searched: isPath ? [resolve(value)] : folders,
    });
  }
  return describeCore(descriptor, path, descriptor.cores.find((c) => c.file === file));
}

/**
 * The core `RETRO_CORE_<SYSTEM>` forces, else the first core of the descriptor's preference list found on the search
 * path. Preference beats folder order: a user's snes9x anywhere on the path wins over Debian's bsnes-mercury when
 * the descriptor lists snes9x first.
 */
export function findCore(descriptor: CoreDescriptor, env: NodeJS.ProcessEnv = process.env): FoundCore {
  const variable = forcedCoreVariable(descriptor.system);
  const forced = env[variable];
  if (forced) return forcedCore(descriptor, forced, env, `${variable}=${forced}`, variable, ` (or unset ${variable})`);
  const folders = coreSearchPath(env);
  for (const core of descriptor.cores) {
    if (core.host === 'mupen64plus') {
      const n64 = findN64Host(descriptor, core, env);
      if (n64 !== undefined) return n64;
      continue;
    }
    const path = locateCoreFile(core.file, folders);
    if (path !== undefined) return describeCore(descriptor, path, core);
  }
  const packages = descriptor.cores.map((c) => c.debianPackage).filter((p): p is string => p !== undefined);
  const install = packages.length > 0 ? ` Install one with: sudo apt-get install ${packages[0]}` : '';
  const names = descriptor.cores.map((c) => coreNameOfFile(c.file)).filter((n): n is string => n !== undefined);
  const download = names.length > 0 ? ` Or download one with: npx retro cores install ${names[0]}` : '';
  throw new CoreError(
    'CORE_NOT_FOUND',
    `no libretro core for ${descriptor.name} (${descriptor.system}) found: looked for ${descriptor.cores.map((c) => c.file).join(', ')} in ${folders.join(', ')}.${install}${download}`,
    { system: descriptor.system, debianPackage: packages[0], searched: folders },
  );
}

/**
 * The core `new Emulator({ core })` or `make(game, { core })` names, which beats `RETRO_CORE_<SYSTEM>`: a path is
 * loaded as it is; a core name (`fceumm`) or file name is looked up on the search path like the variable's.
 */
export function chosenCore(descriptor: CoreDescriptor, value: string, env: NodeJS.ProcessEnv = process.env): FoundCore {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ArgumentError('INVALID_ARGUMENT', `core must be a core name or a core file's path, not ${JSON.stringify(value) ?? String(value)}`, { field: 'core' });
  }
  if (value.includes('/') || value.includes('\\')) {
    const path = resolve(value);
    return describeCore(descriptor, path, descriptor.cores.find((c) => c.file === basename(path)));
  }
  return forcedCore(descriptor, value, env, `core "${value}"`, 'core', '');
}

/** Our N64 core, when Debian's mupen64plus is installed, told where it is; else undefined. */
function findN64Host(descriptor: CoreDescriptor, entry: CoreEntry, env: NodeJS.ProcessEnv): FoundCore | undefined {
  const parts = findMupen64plus(env);
  if (parts === undefined) return undefined;
  const found = describeCore(descriptor, n64HostCore(entry.file), entry);
  return { ...found, options: { ...found.options, ...mupen64plusOptions(parts) } };
}
