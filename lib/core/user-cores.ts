/** Where `retro cores install` puts cores: the user's own cores folder, searched before the system's. */

import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { ArgumentError } from '../errors.ts';

/** Core names as the libretro buildbot spells them (`fceumm`, `genesis_plus_gx`, `mesen-s`): never a path. */
const CORE_NAME = /^[a-z0-9][a-z0-9_+-]*$/;

/**
 * `$XDG_DATA_HOME/libretro-gym/cores`, else `~/.local/share/libretro-gym/cores`. Not `RETRO_DATA_DIR`: cores belong
 * to the user, not to one data dir, and a test's private data dir should still see them.
 */
export function userCoresDir(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME ? resolve(env.XDG_DATA_HOME) : join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'libretro-gym', 'cores');
}

/** The same folder, refused when it lies inside a `node_modules` (installs never write into packages). */
export function writableUserCoresDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = userCoresDir(env);
  if (dir.split(sep).includes('node_modules')) {
    throw new ArgumentError('INVALID_ARGUMENT', `the cores folder ${dir} is inside node_modules: set XDG_DATA_HOME to a folder of yours`, { file: dir });
  }
  return dir;
}

/** Whether `name` is a core name (`fceumm`), as opposed to a file or a path. */
export function isCoreName(name: string): boolean {
  return CORE_NAME.test(name);
}

/** `fceumm` → `fceumm_libretro.so`. */
export function coreFileName(name: string): string {
  return `${name}_libretro.so`;
}

/** `fceumm_libretro.so` → `fceumm`; undefined for a file that is not named like a libretro core. */
export function coreNameOfFile(file: string): string | undefined {
  const match = /^(.+)_libretro\.(so|dylib|dll)$/.exec(file);
  return match && isCoreName(match[1]) ? match[1] : undefined;
}

/** Checks a name given on the command line or in `RETRO_CORE_<SYSTEM>`. */
export function checkCoreName(name: string, setBy: string): string {
  if (!isCoreName(name)) {
    throw new ArgumentError('INVALID_ARGUMENT', `${setBy}: "${name}" is not a core name (lower-case letters, digits, _ + -, e.g. fceumm)`, { field: setBy });
  }
  return name;
}
