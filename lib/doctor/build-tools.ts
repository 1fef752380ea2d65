/**
 * What building the native addon from source needs (`npx retro build`, a clone's `npm run setup`): a C++
 * compiler, cmake, a build tool, pkg-config, binutils, libretro.h and Debian's static Lua.
 */

import { join } from 'node:path';
import type { Env } from '../integration/paths.ts';
import { findProgram, firstFile, LIBRARY_DIRS } from './system.ts';

export interface BuildRequirement {
  /** What it is, e.g. `cmake` or `libretro.h`. */
  what: string;
  /** Where it was found; undefined when missing. */
  foundAt: string | undefined;
  /** The Debian package that provides it. */
  debianPackage: string;
}

/** Every requirement, found or not. */
export function buildRequirements(env: Env): BuildRequirement[] {
  const program = (what: string, names: string[], debianPackage: string): BuildRequirement => ({
    what,
    foundAt: findProgram(names, env),
    debianPackage,
  });
  const file = (what: string, paths: string[], debianPackage: string): BuildRequirement => ({ what, foundAt: firstFile(paths), debianPackage });
  return [
    program('C++ compiler', ['c++', 'g++'], 'g++'),
    program('cmake', ['cmake'], 'cmake'),
    program('make', ['make', 'ninja'], 'make'),
    program('pkg-config', ['pkg-config', 'pkgconf'], 'pkg-config'),
    program('objcopy', ['objcopy'], 'binutils'),
    file('libretro.h', ['/usr/include/libretro-common/libretro.h', '/usr/local/include/libretro-common/libretro.h'], 'retroarch-dev'),
    file('lua.h', ['/usr/include/lua5.4/lua.h'], 'liblua5.4-dev'),
    file('liblua5.4.a', LIBRARY_DIRS.map((dir) => join(dir, 'liblua5.4.a')), 'liblua5.4-dev'),
    file('zlib.h', ['/usr/include/zlib.h'], 'zlib1g-dev'),
    file('mupen64plus headers', ['/usr/include/mupen64plus/m64p_frontend.h', '/usr/local/include/mupen64plus/m64p_frontend.h'], 'libmupen64plus-dev'),
  ];
}

/** The requirements that are missing. */
export function missingBuildRequirements(env: Env): BuildRequirement[] {
  return buildRequirements(env).filter((r) => r.foundAt === undefined);
}

/** The Debian packages that provide `requirements`, each once, in order. */
export function packagesFor(requirements: readonly { debianPackage: string }[]): string[] {
  return [...new Set(requirements.map((r) => r.debianPackage))];
}
