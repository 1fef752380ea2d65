/** What `retro cores list` shows: per system, its candidate cores in preference order, and which one runs. */

import { basename } from 'node:path';
import { RetroError } from '../errors.ts';
import { nativeAddon } from '../native.ts';
import { probeCore, type CoreIdentity } from './core-info.ts';
import { listSystems, loadCoreDescriptor, type CoreDescriptor } from './descriptor.ts';
import { coreSearchPath, findCore, forcedCoreVariable, locateCoreFile } from './find-core.ts';
import { findMupen64plus, n64HostCore } from '../n64/n64-host.ts';
import { coreNameOfFile } from './user-cores.ts';

export interface CoreCandidate {
  /** `fceumm`, as `retro cores install` takes it. */
  name: string;
  file: string;
  /** The core stable-retro runs this system with (its integrations' states load only in it). */
  stableRetro: boolean;
  /** Where it was found first on the search path; undefined when it is nowhere. */
  path?: string;
  /** The core `make()` and `Emulator` would load for this system now. */
  selected: boolean;
  /** Its `retro_get_system_info`, when found and loadable. */
  identity?: CoreIdentity;
  /** Why it could not be loaded, when found but not loadable. */
  loadError?: string;
  /** How to install it, when it is not a libretro core `retro cores install` fetches (mupen64plus). */
  install?: string;
}

export interface SystemCores {
  system: string;
  name: string;
  candidates: CoreCandidate[];
  /** `RETRO_CORE_<SYSTEM>=value` when set. */
  forcedBy?: string;
  /** Why no core would load (CORE_NOT_FOUND's message), when none would. */
  problem?: string;
}

function identify(candidate: CoreCandidate): CoreCandidate {
  if (candidate.path === undefined || candidate.identity !== undefined) return candidate;
  try {
    return { ...candidate, identity: probeCore(candidate.path) };
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    return { ...candidate, loadError: error.message };
  }
}

/** One system's cores, each found core probed for its name and version unless `probe` is false. */
export function systemCores(descriptor: CoreDescriptor, env: NodeJS.ProcessEnv = process.env, probe = true): SystemCores {
  const folders = coreSearchPath(env);
  const variable = forcedCoreVariable(descriptor.system);
  const result: SystemCores = { system: descriptor.system, name: descriptor.name, candidates: [] };
  if (env[variable]) result.forcedBy = `${variable}=${env[variable]}`;
  let selectedPath: string | undefined;
  try {
    selectedPath = findCore(descriptor, env).path;
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    result.problem = error.message;
  }
  result.candidates = descriptor.cores.map((core) => {
    if (core.host === 'mupen64plus') {
      // Our N64 core: there when Debian's mupen64plus is (the core itself is built with the addon).
      const path = findMupen64plus(env) ? n64HostCoreIfBuilt(core.file) : undefined;
      return {
        name: 'mupen64plus',
        file: core.file,
        stableRetro: false,
        path,
        selected: path !== undefined && path === selectedPath,
        ...(core.debianPackage !== undefined && { install: `sudo apt-get install ${core.debianPackage}` }),
      };
    }
    const path = locateCoreFile(core.file, folders);
    return { name: coreNameOfFile(core.file) ?? core.file, file: core.file, stableRetro: core.stableRetro === true, path, selected: path !== undefined && path === selectedPath };
  });
  // A forced core the descriptor does not list, or one found elsewhere than the search would find it, still shows.
  if (selectedPath !== undefined && !result.candidates.some((c) => c.selected)) {
    const file = basename(selectedPath);
    const stableRetro = descriptor.cores.find((c) => c.file === file)?.stableRetro === true;
    result.candidates.unshift({ name: coreNameOfFile(file) ?? file, file, stableRetro, path: selectedPath, selected: true });
  }
  if (probe) result.candidates = result.candidates.map(identify);
  return result;
}

/** Whether the native addon loads: without it no core can be probed, and that is no fault of the cores. */
function addonLoads(): boolean {
  try {
    nativeAddon();
    return true;
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    return false;
  }
}

/** Every system's cores; found cores are probed when `probe` is true and the addon loads. */
export function listCores(env: NodeJS.ProcessEnv = process.env, probe = true): SystemCores[] {
  const canProbe = probe && addonLoads();
  return listSystems().map((system) => systemCores(loadCoreDescriptor(system), env, canProbe));
}

/** Our N64 core's path, or undefined when the addon was built without it. */
function n64HostCoreIfBuilt(file: string): string | undefined {
  try {
    return n64HostCore(file);
  } catch (error) {
    if (error instanceof RetroError) return undefined;
    throw error;
  }
}
