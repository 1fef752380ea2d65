/** What a core file says of itself (`retro_get_system_info`), asked without loading a game. */

import { CoreError, RetroError } from '../errors.ts';
import { isNativeError, nativeAddon, type NativeSystemInfo } from '../native.ts';
import { createWorkDir, releaseWorkDir } from '../work-dir.ts';

export type CoreIdentity = Pick<NativeSystemInfo, 'libraryName' | 'libraryVersion' | 'validExtensions'>;

/**
 * Loads a private copy of the core just long enough to read its system info: libretro allows
 * retro_get_system_info before any game. The copy is not pooled, so probing leaves nothing loaded.
 * @throws CoreError `CORE_LOAD_FAILED` / `CORE_NOT_FOUND` from the addon, as loading the core for a game would.
 */
export function probeCore(path: string): CoreIdentity {
  const workDir = createWorkDir();
  try {
    return readSystemInfo(path, workDir);
  } catch (error) {
    if (error instanceof RetroError || !isNativeError(error)) throw error;
    const code = error.code === 'CORE_NOT_FOUND' ? 'CORE_NOT_FOUND' : 'CORE_LOAD_FAILED';
    throw new CoreError(code, error.message, { file: path }, { cause: error });
  } finally {
    releaseWorkDir(workDir);
  }
}

function readSystemInfo(path: string, workDir: string): CoreIdentity {
  const native = new (nativeAddon().NativeEmulator)(path, workDir, false);
  try {
    const { libraryName, libraryVersion, validExtensions } = native.systemInfo();
    // Some cores pad their version ("1.52.0 "): trimmed, it reads the same in tables and JSON.
    return { libraryName: libraryName.trim(), libraryVersion: libraryVersion.trim(), validExtensions };
  } finally {
    native.close();
  }
}
