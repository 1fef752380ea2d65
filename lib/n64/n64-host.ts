/**
 * Where the parts of our N64 host are. The host is `rgym_mupen64plus_libretro.so`, a libretro core of ours built
 * beside the addon (native/n64/), which runs Debian's mupen64plus core library and its RSP plugin in process.
 * A descriptor core with `"host": "mupen64plus"` is that core: it counts as found when Debian's parts are
 * installed, and it is told where they are through core options.
 */

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { locateAddon, prebuiltAddonPath, currentPlatform } from '../addon-location.ts';
import { CoreError } from '../errors.ts';
import { packageRoot } from '../package-root.ts';

/** Debian's packages the N64 host runs, named whenever one of its parts is missing. */
export const MUPEN64PLUS_PACKAGES = 'libmupen64plus2 mupen64plus-rsp-hle';

/** Folders searched for Debian's mupen64plus core library. */
export const MUPEN64PLUS_FOLDERS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib'];

const MUPEN64PLUS_LIBRARY = 'libmupen64plus.so.2';
const RSP_PLUGIN = join('mupen64plus', 'mupen64plus-rsp-hle.so');
const DATA_DIR = '/usr/share/games/mupen64plus';

/** Debian's mupen64plus as our N64 core needs it: the core library and its RSP plugin. */
export interface Mupen64plusParts {
  library: string;
  rsp: string;
}

/**
 * Debian's mupen64plus parts when both are installed: in `RETRO_MUPEN64PLUS_DIR` when set (a mupen64plus installed
 * elsewhere, with the RSP plugin in its `mupen64plus/` subfolder), else in the system library folders.
 */
export function findMupen64plus(env: NodeJS.ProcessEnv = process.env): Mupen64plusParts | undefined {
  const folders = env.RETRO_MUPEN64PLUS_DIR ? [env.RETRO_MUPEN64PLUS_DIR] : MUPEN64PLUS_FOLDERS;
  for (const folder of folders) {
    const library = join(folder, MUPEN64PLUS_LIBRARY);
    const rsp = join(folder, RSP_PLUGIN);
    if (existsSync(library) && existsSync(rsp)) return { library, rsp };
  }
  return undefined;
}

/** The core options that tell our N64 core where mupen64plus is (native/n64/libretro_mupen64plus.cpp reads them). */
export function mupen64plusOptions(parts: Mupen64plusParts): Record<string, string> {
  return { 'rgym-mupen64plus-library': parts.library, 'rgym-mupen64plus-rsp': parts.rsp, 'rgym-mupen64plus-data': DATA_DIR };
}

/**
 * Our N64 libretro core, `file` in the descriptor: beside the addon that is loaded (its plugins are there too), else
 * in the source build or the prebuilt folder. Throws CORE_NOT_FOUND when the addon was built without it.
 */
export function n64HostCore(file: string, root: string = packageRoot()): string {
  const folders: string[] = [];
  try {
    folders.push(dirname(locateAddon(root).path));
  } catch {
    // No addon at all: the addon's own error comes first, when anything loads it.
  }
  folders.push(join(root, 'build', 'Release'), join(root, 'build', 'Release', 'lib.target'), dirname(prebuiltAddonPath(root, currentPlatform())));
  for (const folder of folders) {
    if (existsSync(join(folder, file))) return join(folder, file);
  }
  throw new CoreError(
    'CORE_NOT_FOUND',
    `the N64 host (${file}) was not built: the addon was built without mupen64plus's headers. ` +
      'Install them and rebuild: sudo apt-get install libmupen64plus-dev && npx retro build (in a clone: npm run setup)',
    { file, searched: folders, debianPackage: 'libmupen64plus-dev' },
  );
}
