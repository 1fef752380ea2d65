/**
 * Which native addon file to load. In order: the file `RETRO_ADDON_PATH` names (e.g. a sanitizer build), a source
 * build in `build/` (a clone's `npm run setup`, or `npx retro build` in an installed package), then the prebuilt
 * file the npm package ships for this platform. A source build wins so that a user who rebuilt gets their build.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from './errors.ts';

export type AddonKind = 'RETRO_ADDON_PATH' | 'source build' | 'prebuilt';

export interface AddonFile {
  path: string;
  kind: AddonKind;
}

/** What a prebuilt addon must match: OS, CPU and, on Linux, the C library. */
export interface Platform {
  os: string;
  arch: string;
  libc?: 'glibc' | 'musl';
}

/** This process's platform. Node reports a glibc version only when it runs on glibc. */
export function currentPlatform(): Platform {
  const platform: Platform = { os: process.platform, arch: process.arch };
  if (process.platform === 'linux') {
    const { header } = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
    platform.libc = header?.glibcVersionRuntime ? 'glibc' : 'musl';
  }
  return platform;
}

/** `linux-x64`, the folder of `prebuilds/` for a platform. */
export function platformFolder(platform: Platform): string {
  return `${platform.os}-${platform.arch}`;
}

/** `linux-x64 (glibc)`, for messages. */
export function describePlatform(platform: Platform): string {
  return platform.libc ? `${platformFolder(platform)} (${platform.libc})` : platformFolder(platform);
}

/** Where the package keeps the prebuilt addon for a platform. */
export function prebuiltAddonPath(root: string, platform: Platform): string {
  return join(root, 'prebuilds', platformFolder(platform), `libretro_gym.${platform.libc ?? 'any'}.node`);
}

/** Where a source build puts the addon (cmake-js and node-gyp alike). */
export function sourceBuildPaths(root: string): string[] {
  return [join(root, 'build', 'Release', 'libretro_gym.node'), join(root, 'build', 'Debug', 'libretro_gym.node')];
}

/** The prebuilt addons the package holds, as `linux-x64 (glibc)`. */
export function shippedPrebuilds(root: string): string[] {
  const shipped: string[] = [];
  let folders: string[];
  try {
    folders = readdirSync(join(root, 'prebuilds')).sort();
  } catch {
    return shipped;
  }
  for (const folder of folders) {
    let files: string[] = [];
    try {
      files = readdirSync(join(root, 'prebuilds', folder));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      const libc = /^libretro_gym\.(\w+)\.node$/.exec(file)?.[1];
      if (libc) shipped.push(libc === 'any' ? folder : `${folder} (${libc})`);
    }
  }
  return shipped;
}

/**
 * The addon file to load.
 * @throws CoreError `CORE_LOAD_FAILED` when there is none, saying how to build one.
 */
export function locateAddon(root: string, env: Readonly<Record<string, string | undefined>> = process.env, platform?: Platform): AddonFile {
  const override = env.RETRO_ADDON_PATH;
  if (override) {
    if (existsSync(override)) return { path: override, kind: 'RETRO_ADDON_PATH' };
    throw new CoreError('CORE_LOAD_FAILED', `RETRO_ADDON_PATH names ${override}, which does not exist`, { file: override });
  }
  const built = sourceBuildPaths(root).find((p) => existsSync(p));
  if (built) return { path: built, kind: 'source build' };
  const here = platform ?? currentPlatform();
  const prebuilt = prebuiltAddonPath(root, here);
  if (existsSync(prebuilt)) return { path: prebuilt, kind: 'prebuilt' };

  const shipped = shippedPrebuilds(root);
  const why =
    shipped.length > 0
      ? `this package ships a prebuilt one for ${shipped.join(', ')} only, not for ${describePlatform(here)}`
      : 'this copy of the package has no prebuilt one';
  throw new CoreError(
    'CORE_LOAD_FAILED',
    `libretro-gym's native addon is missing: ${why}, and there is no source build (${sourceBuildPaths(root)[0]}). ` +
      'Build it from source with: npx retro build (in a clone of the repository: npm run setup). ' +
      '`npx retro doctor` lists the compiler and Debian packages that needs.',
    { file: sourceBuildPaths(root)[0], platform: describePlatform(here) },
  );
}

/** The message for an addon file that exists but does not load (wrong glibc, missing library, other CPU). */
export function loadFailureMessage(file: AddonFile, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const fix =
    file.kind === 'prebuilt'
      ? 'Build one for this machine with: npx retro build (`npx retro doctor` lists what that needs).'
      : file.kind === 'source build'
        ? 'Rebuild it with: npx retro build (in a clone: npm run build:native).'
        : 'Point RETRO_ADDON_PATH at a working build, or unset it.';
  return `libretro-gym's native addon (${file.kind}, ${file.path}) does not load on this machine: ${reason}. ${fix}`;
}

/** The Node-API version the addon is built for, as package.json's `binary.napi_versions` declares it. */
export function declaredNapiVersion(root: string): number {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { binary?: { napi_versions?: number[] } };
  return Math.min(...(manifest.binary?.napi_versions ?? [NaN]));
}
