import { basename } from 'node:path';
import { coreSearchPath, forcedCoreVariable, locateCoreFile } from '../core/find-core.ts';
import { coreNameOfFile } from '../core/user-cores.ts';
import type { Emulator } from '../emulator.ts';

/**
 * Why a state shipped in an integration folder may not load: stable-retro's integrations carry states made by its
 * core for the system (descriptor `stableRetro`), and a core loads only its own states. Says which core to install,
 * or to choose when it is installed but another one ran; undefined when that core is the one that ran.
 */
export function stateMakerHint(emulator: Emulator, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const maker = emulator.descriptor.cores.find((c) => c.stableRetro);
  if (maker === undefined || basename(emulator.corePath) === maker.file) return undefined;
  const name = coreNameOfFile(maker.file) ?? maker.file;
  const ran = emulator.core.name;
  const found = locateCoreFile(maker.file, coreSearchPath(env));
  if (found === undefined) {
    return `states of stable-retro integrations are made by ${name}, which is not installed (${ran} ran): install it with: npx retro cores install ${name}`;
  }
  const variable = forcedCoreVariable(emulator.system);
  return `states of stable-retro integrations are made by ${name}, installed at ${found} but not chosen (${ran} ran): pass make(game, { core: '${name}' }) or set ${variable}=${name}`;
}
