/**
 * `retro doctor`'s checks: what this machine has for libretro-gym. Each check says whether a thing is there, where,
 * and which Debian package brings it when it is not. Nothing here writes anything.
 */

import { join } from 'node:path';
import { currentPlatform, declaredNapiVersion, describePlatform } from '../addon-location.ts';
import { probeCore } from '../core/core-info.ts';
import { findCore, forcedCoreVariable } from '../core/find-core.ts';
import { coreNameOfFile } from '../core/user-cores.ts';
import { listSystems, loadCoreDescriptor } from '../core/descriptor.ts';
import { RetroError } from '../errors.ts';
import { listGameLocations } from '../integration/game-index.ts';
import { dataDir, type LookupOptions } from '../integration/paths.ts';
import { romStatus } from '../integration/rom-location.ts';
import { readRomSha } from '../integration/rom-sha.ts';
import { loadedAddonFile, nativeAddon, type NativeBuildInfo } from '../native.ts';
import { packageRoot } from '../package-root.ts';
import { missingBuildRequirements, packagesFor } from './build-tools.ts';
import { canMakeFilesIn, findProgram } from './system.ts';

/**
 * ok: there. missing: needed, and the listed Debian packages (or `npx retro build`) bring it. optional: not
 * there, but only some tools need it. problem: needs a fix no package brings. note: for information.
 */
export type CheckStatus = 'ok' | 'missing' | 'optional' | 'problem' | 'note';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** Debian packages that would fix it. */
  packages: string[];
}

function nodeCheck(): Check {
  const napi = Number(process.versions.napi ?? 0);
  const needed = declaredNapiVersion(packageRoot());
  const detail = `${process.version}, Node-API ${napi} (the addon needs ${needed})`;
  return { name: 'Node.js', status: napi >= needed ? 'ok' : 'problem', detail, packages: [] };
}

interface AddonResult {
  check: Check;
  info?: Partial<NativeBuildInfo>;
}

function addonCheck(env: LookupOptions['env']): AddonResult {
  try {
    const addon = nativeAddon();
    const file = loadedAddonFile();
    const info: Partial<NativeBuildInfo> = typeof addon.buildInfo === 'function' ? addon.buildInfo() : {};
    const kind =
      file?.kind === 'prebuilt'
        ? `prebuilt for ${describePlatform(currentPlatform())}`
        : file?.kind === 'source build'
          ? 'built from source'
          : `from RETRO_ADDON_PATH${info.prebuilt ? ' (a prebuilt one)' : ''}`;
    const napi = info.napiVersion === undefined ? '' : `, Node-API ${info.napiVersion}`;
    return { check: { name: 'Native addon', status: 'ok', detail: `${kind}${napi}: ${file?.path ?? '?'}`, packages: [] }, info };
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    const packages = packagesFor(missingBuildRequirements(env ?? process.env));
    const detail = `${firstSentence(error.message)}; build it with: npx retro build`;
    return { check: { name: 'Native addon', status: 'missing', detail, packages } };
  }
}

function firstSentence(message: string): string {
  const end = message.indexOf('. ');
  return end < 0 ? message : message.slice(0, end);
}

function luaCheck(addon: AddonResult): Check {
  if (addon.check.status !== 'ok') return { name: 'Lua', status: 'missing', detail: 'comes with the native addon', packages: [] };
  const { lua, luaLinkage } = addon.info ?? {};
  if (lua === undefined) return { name: 'Lua', status: 'ok', detail: 'in the native addon (an older build: version unknown)', packages: [] };
  const how = luaLinkage === 'static' ? 'linked into the native addon' : "the system's liblua5.4 (a source build)";
  return { name: 'Lua', status: 'ok', detail: `${lua}, ${how}`, packages: [] };
}

/** ` (FCEUmm v1.2)`: what the core says it is, or nothing when the addon cannot load it here. */
function coreIdentity(path: string, addonLoads: boolean): string {
  if (!addonLoads) return '';
  try {
    const { libraryName, libraryVersion } = probeCore(path);
    return ` (${`${libraryName} ${libraryVersion}`.trim()})`;
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    return ' (does not load!)';
  }
}

function coreChecks(env: NonNullable<LookupOptions['env']>, addonLoads: boolean): Check[] {
  return listSystems().map((system) => {
    const name = `Core: ${system}`;
    let descriptor;
    try {
      descriptor = loadCoreDescriptor(system);
    } catch (error) {
      if (!(error instanceof RetroError)) throw error;
      return { name, status: 'problem', detail: firstSentence(error.message), packages: [] };
    }
    try {
      const core = findCore(descriptor, env as NodeJS.ProcessEnv);
      const identity = coreIdentity(core.path, addonLoads);
      return { name, status: 'ok', detail: `${core.file}${identity} in ${join(core.path, '..')}`, packages: [] };
    } catch (error) {
      if (!(error instanceof RetroError)) throw error;
      // A forced core that is not there is a setting to fix, not a package to install.
      if (env[forcedCoreVariable(system)]) return { name, status: 'problem', detail: error.message, packages: [] };
      const debianPackage = descriptor.cores.find((c) => c.debianPackage !== undefined)?.debianPackage;
      const files = descriptor.cores.map((c) => c.file).join(', ');
      const detail = debianPackage
        ? `none of ${files} found; Debian's ${debianPackage} has one`
        : `none of ${files} found; npx retro cores install ${coreNameOfFile(descriptor.cores[0].file) ?? '<name>'}, or put one in a folder named by RETRO_CORES_PATH`;
      // Without a Debian package (Genesis, Atari 2600, ...) the core is for users with games of that system to add.
      return { name, status: debianPackage ? 'missing' : 'optional', detail, packages: debianPackage ? debianPackage.split(/\s+/) : [] };
    }
  });
}

function buildToolsCheck(env: NonNullable<LookupOptions['env']>, addonLoads: boolean): Check {
  const missing = missingBuildRequirements(env);
  const name = 'Build tools';
  if (missing.length === 0) return { name, status: 'ok', detail: 'all there, for npx retro build', packages: [] };
  const detail = `missing ${missing.map((r) => r.what).join(', ')}${addonLoads ? ' (only npx retro build needs them)' : ''}`;
  return { name, status: addonLoads ? 'optional' : 'missing', detail, packages: packagesFor(missing) };
}

/** Browsers the browser tools (and their tests) can drive. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function chromiumCheck(env: NonNullable<LookupOptions['env']>): Check {
  const found = findProgram(CHROMIUM_NAMES, env);
  if (found) return { name: 'Chromium', status: 'ok', detail: found, packages: [] };
  return { name: 'Chromium', status: 'optional', detail: 'not found (only the browser tools use it)', packages: ['chromium'] };
}

function dataDirCheck(lookup: LookupOptions): Check {
  const name = 'Data dir';
  let dir: string;
  try {
    dir = dataDir(lookup);
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    return { name, status: 'problem', detail: error.message, packages: [] };
  }
  const { ok, exists } = canMakeFilesIn(dir);
  if (!ok) return { name, status: 'problem', detail: `${dir} is not writable; set RETRO_DATA_DIR to a folder of yours`, packages: [] };
  return { name, status: 'ok', detail: `${dir} (writable${exists ? '' : '; made on first use'})`, packages: [] };
}

/** Names listed in a detail, at most `max`, then "and N more". */
function someNames(names: string[], max = 4): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

function romsCheck(lookup: LookupOptions): Check {
  const ready: string[] = [];
  const missing: string[] = [];
  for (const game of listGameLocations(lookup)) {
    let state = 'missing';
    try {
      state = romStatus(game, readRomSha(join(game.dir, 'rom.sha')).shas, lookup).state;
    } catch (error) {
      if (!(error instanceof RetroError)) throw error;
    }
    (state === 'bundled' || state === 'imported' ? ready : missing).push(game.name);
  }
  const total = ready.length + missing.length;
  let detail = `${ready.length} of ${total} games have their ROM${ready.length > 0 ? ` (${someNames(ready)})` : ''}`;
  if (missing.length > 0) detail += `; missing: ${someNames(missing)} (npx retro import <dir>)`;
  return { name: 'ROMs', status: missing.length > 0 ? 'note' : 'ok', detail, packages: [] };
}

/** Runs every check, in the order the table shows them. */
export function runChecks(lookup: LookupOptions): Check[] {
  const env = lookup.env ?? process.env;
  const addon = addonCheck(env);
  return [
    nodeCheck(),
    addon.check,
    luaCheck(addon),
    ...coreChecks(env, addon.check.status === 'ok'),
    buildToolsCheck(env, addon.check.status === 'ok'),
    chromiumCheck(env),
    dataDirCheck(lookup),
    romsCheck(lookup),
  ];
}

/** The Debian packages the checks of a status ask for, each once. */
export function packagesOf(checks: readonly Check[], status: CheckStatus): string[] {
  return [...new Set(checks.filter((c) => c.status === status).flatMap((c) => c.packages))];
}
