/**
 * The checks of `retro validate` that need the game running: each `.state` file must load into the core, each
 * scenario crop must fit the core's frame, and each variable's bytes must be memory the core exposes. They run
 * when the game's ROM is imported and its core installed; otherwise validate says why they were skipped.
 */
import { basename, join } from 'node:path';
import { Emulator } from '../emulator.ts';
import { cropMisfit } from '../env/crop.ts';
import { RetroError } from '../errors.ts';
import { typeWidth } from '../integration/cross-checks.ts';
import { getRomPath } from '../integration/data-api.ts';
import type { LookupOptions } from '../integration/paths.ts';
import { pointerOf, type Problem } from '../integration/problems.ts';
import { loadSystem } from '../integration/systems.ts';
import type { Integration } from '../integration/types.ts';
import { readStateFile } from '../state-file.ts';

export type CoreCheckResult = { problems: Problem[] } | { skipped: string };

export function runCoreChecks(integration: Integration, lookup: LookupOptions): CoreCheckResult {
  let emulator: Emulator;
  try {
    // The folder being validated, not a same-named game elsewhere in the search paths.
    const rom = getRomPath({ name: integration.name, dir: integration.dir, system: loadSystem(integration.system)! }, lookup);
    emulator = new Emulator({ rom, system: integration.system });
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    return { skipped: `${error.code === 'ROM_NOT_IMPORTED' ? 'ROM not imported' : error.message}` };
  }
  try {
    return { problems: [...checkStates(emulator, integration), ...checkCrops(emulator, integration), ...checkVariables(emulator, integration)] };
  } finally {
    emulator.close();
  }
}

function checkStates(emulator: Emulator, integration: Integration): Problem[] {
  const problems: Problem[] = [];
  const powerOn = emulator.saveState();
  for (const name of integration.states) {
    const file = join(integration.dir, `${name}.state`);
    try {
      emulator.loadState(readStateFile(file));
    } catch (error) {
      if (!(error instanceof RetroError)) throw error;
      problems.push({ code: 'STATE_INVALID', file, pointer: '', message: `${emulator.systemInfo.libraryName} cannot load it: ${error.message}` });
      emulator.loadState(powerOn);
    }
  }
  return problems;
}

function checkCrops(emulator: Emulator, integration: Integration): Problem[] {
  const { baseWidth, baseHeight } = emulator.avInfo;
  const problems: Problem[] = [];
  for (const [name, scenario] of Object.entries(integration.scenarios)) {
    if (!scenario.crop) continue;
    const misfit = cropMisfit(scenario.crop, baseWidth, baseHeight);
    if (misfit) problems.push({ code: 'SCHEMA_INVALID', file: join(integration.dir, `${name}.json`), pointer: '/crop', message: misfit });
  }
  return problems;
}

function checkVariables(emulator: Emulator, integration: Integration): Problem[] {
  const problems: Problem[] = [];
  for (const [name, variable] of Object.entries(integration.data.info)) {
    try {
      emulator.read(variable.address, typeWidth(variable.type));
    } catch (error) {
      if (!(error instanceof RetroError) || error.code !== 'ADDRESS_UNMAPPED') throw error;
      problems.push({
        code: 'SCHEMA_INVALID',
        file: join(integration.dir, 'data.json'),
        pointer: pointerOf('info', name, 'address'),
        message: `${basename(emulator.corePath)} does not expose these bytes for this game: ${error.message}`,
      });
    }
  }
  return problems;
}
