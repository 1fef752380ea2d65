/** Small facts about this machine that the doctor and `retro build` look up: programs on PATH, files, root. */

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { Env } from '../integration/paths.ts';

/** The first of `names` found as an executable on PATH, with its path. */
export function findProgram(names: readonly string[], env: Env): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const path = join(dir, name);
      try {
        if (statSync(path).isFile()) {
          accessSync(path, constants.X_OK);
          return path;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The first of `paths` that is a file. */
export function firstFile(paths: readonly string[]): string | undefined {
  return paths.find((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

/** Whether files can be made in `dir`, or, when it does not exist yet, in the nearest folder above it that does. */
export function canMakeFilesIn(dir: string): { ok: boolean; exists: boolean } {
  for (let current = dir; ; current = dirname(current)) {
    let isDir: boolean;
    try {
      isDir = statSync(current).isDirectory();
    } catch {
      if (dirname(current) === current) return { ok: false, exists: false };
      continue;
    }
    if (!isDir) return { ok: false, exists: current === dir };
    try {
      accessSync(current, constants.W_OK | constants.X_OK);
      return { ok: true, exists: current === dir };
    } catch {
      return { ok: false, exists: current === dir };
    }
  }
}

/** Whether this process runs as root (and so can run apt-get itself). */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Debian's multiarch library folders, where liblua5.4.a and the libretro cores live. */
export const LIBRARY_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib'];
