import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { CoreError } from '../errors.ts';
import { coresDir, type CoreDescriptor, type CoreEntry } from './descriptor.ts';

/**
 * Folders searched for libretro core files, in order: `RETRO_CORES_PATH`, the package's `cores/`, Debian's
 * libretro folders, then RetroArch's per-user cores folder.
 */
export function coreSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.RETRO_CORES_PATH ?? '').split(delimiter).filter((p) => p.length > 0);
  const configHome = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return [
    ...fromEnv,
    coresDir(),
    '/usr/lib/x86_64-linux-gnu/libretro',
    '/usr/lib/aarch64-linux-gnu/libretro',
    '/usr/lib/libretro',
    join(configHome, 'retroarch', 'cores'),
  ];
}

export interface FoundCore {
  path: string;
  file: string;
  options: Record<string, string>;
  /** Bytes a state may fall short of the core's own state size (descriptor's `stateSizeSlack`). */
  stateSizeSlack: number;
  /** Whether closed emulators' copies of this core may be reused (descriptor's `reusable`). */
  reusable: boolean;
  /** The game database file to put in the core's system directory (descriptor's `externalDatabase`). */
  externalDatabase?: string;
}

/** What the descriptor says about a core file at `path`; `entry` is undefined for a core it does not list. */
export function describeCore(descriptor: CoreDescriptor, path: string, entry: CoreEntry | undefined): FoundCore {
  return {
    path,
    file: basename(path),
    options: { ...descriptor.options, ...entry?.options },
    stateSizeSlack: entry?.stateSizeSlack ?? 0,
    reusable: entry?.reusable ?? true,
    externalDatabase: entry?.externalDatabase,
  };
}

/**
 * The first core of the descriptor's preference list found on the search path. Preference beats folder order: a
 * user's snes9x anywhere on the path wins over Debian's bsnes-mercury when the descriptor lists snes9x first.
 */
export function findCore(descriptor: CoreDescriptor, env: NodeJS.ProcessEnv = process.env): FoundCore {
  const folders = coreSearchPath(env);
  for (const core of descriptor.cores) {
    for (const folder of folders) {
      const path = join(folder, core.file);
      if (existsSync(path)) return describeCore(descriptor, path, core);
    }
  }
  const packages = descriptor.cores.map((c) => c.debianPackage).filter((p): p is string => p !== undefined);
  const install = packages.length > 0 ? ` Install one with: sudo apt-get install ${packages[0]}` : '';
  throw new CoreError(
    'CORE_NOT_FOUND',
    `no libretro core for ${descriptor.name} (${descriptor.system}) found: looked for ${descriptor.cores.map((c) => c.file).join(', ')} in ${folders.join(', ')}.${install}`,
    { system: descriptor.system, debianPackage: packages[0], searched: folders },
  );
}
