import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadCoreDescriptor } from '../core/descriptor.ts';
import { chosenCore, findCore } from '../core/find-core.ts';
import { Emulator } from '../emulator.ts';
import { ArgumentError, IntegrationError, StateError } from '../errors.ts';
import { MAX_RECIPE_FRAMES } from '../integration/cross-checks.ts';
import { isSafeStateName, STATE_NAME_RULE } from '../integration/safe-names.ts';
import { getIntegration, getRomPath, type GameRef } from '../integration/data-api.ts';
import { locateGame } from '../integration/game-index.ts';
import { builtStatesDir, type LookupOptions } from '../integration/paths.ts';
import { hashRomFile } from '../integration/rom-hash.ts';
import type { Integration, StateInfo } from '../integration/types.ts';
import { writeStateFile } from '../state-file.ts';
import { Session } from './session.ts';

/**
 * Start states we may not ship (a commercial game's) or need not ship (our own) are declared in metadata.json as a
 * boot recipe: button presses from power-on, and a check on RAM variables that must hold at the end. Running the
 * recipe on the user's ROM yields the state; a failed check writes nothing.
 *
 * What that needs of a game, found once so that building several states does not search for it again.
 */
export interface RecipeGame {
  integration: Integration;
  romPath: string;
  /** The data dir folder the built states go to. */
  statesDir: string;
  /** The core forced by `make(game, { core })`, if any: the states are built with it and keyed by it. */
  core?: string;
}

/** Locates a game (unless given its location) and finds what its recipes need. */
export function recipeGame(game: GameRef, options: LookupOptions = {}): RecipeGame {
  const location = typeof game === 'string' ? locateGame(game, options) : game;
  return {
    integration: getIntegration(location),
    romPath: getRomPath(location, options),
    statesDir: builtStatesDir(location.name, options),
  };
}

/** Where the state `name` of a game is built to (see {@link recipeStatePath}). */
export function builtStatePath(game: GameRef, name: string, options: LookupOptions = {}): string {
  return recipeStatePath(recipeGame(game, options), name);
}

/**
 * Where the state a recipe builds is kept in the data dir. The name carries a key of the ROM's bytes, the recipe
 * and the core's file name, so a new ROM build, an edited recipe or another core (a state loads only in the core
 * that made it: nestopia's not in fceumm) makes a new state instead of reusing one made for the old.
 */
export function recipeStatePath(game: RecipeGame, name: string): string {
  if (!isSafeStateName(name)) throw new ArgumentError('INVALID_ARGUMENT', `state "${name}": ${STATE_NAME_RULE}`, { field: 'state' });
  const recipe = game.integration.metadata.states?.[name]?.recipe ?? null;
  const descriptor = loadCoreDescriptor(game.integration.system);
  const core = basename((game.core === undefined ? findCore(descriptor) : chosenCore(descriptor, game.core)).path);
  const key = createHash('sha1').update(hashRomFile(game.romPath)).update(JSON.stringify(recipe)).update(core).digest('hex').slice(0, RECIPE_KEY_LENGTH);
  return join(game.statesDir, `${name}.${key}.state`);
}

const RECIPE_KEY_LENGTH = 12;

/** Removes the states built for `name` from other ROMs or recipes (and the unkeyed ones of older versions). */
function removeStaleBuilds(path: string, name: string): void {
  const folder = dirname(path);
  const stale = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[0-9a-f]{${RECIPE_KEY_LENGTH}})?\\.state$`);
  for (const file of readdirSync(folder)) {
    if (stale.test(file) && join(folder, file) !== path) rmSync(join(folder, file), { force: true });
  }
}

/** Runs one state's recipe and returns the raw core state. Throws STATE_INVALID when its check fails. */
export function runBootRecipe(integration: Integration, name: string, romPath: string, core?: string): Buffer {
  const info: StateInfo | undefined = integration.metadata.states?.[name];
  if (!info?.recipe) {
    throw new StateError('STATE_NOT_FOUND', `${integration.name}: metadata.json declares no boot recipe for state "${name}"`, {
      file: join(integration.dir, 'metadata.json'),
      field: `/states/${name}`,
    });
  }
  const total = info.recipe.reduce((sum, step) => sum + step.frames, 0);
  if (total > MAX_RECIPE_FRAMES) {
    throw new IntegrationError('METADATA_INVALID', `${integration.name}: the recipe of state "${name}" runs ${total} frames, more than the cap of ${MAX_RECIPE_FRAMES}`, {
      file: join(integration.dir, 'metadata.json'),
      field: `/states/${name}/recipe`,
    });
  }
  const emu = new Emulator({ rom: romPath, system: integration.system, core });
  try {
    info.recipe.forEach((step, i) => {
      emu.setButtons(0, emu.buttonMask(step.buttons ?? []));
      holdRecipeStick(emu, integration, name, i, step.stick);
      emu.step(step.frames);
    });
    emu.setButtons(0, 0);
    holdRecipeStick(emu, integration, name, info.recipe.length, undefined);
    const failed = failedChecks(emu, integration, info);
    if (failed.length > 0) {
      throw new StateError('STATE_INVALID', `${integration.name}: the boot recipe of "${name}" did not reach its goal: ${failed.join('; ')}. Is this the right ROM?`, {
        file: join(integration.dir, 'metadata.json'),
        field: `/states/${name}/check`,
      });
    }
    return emu.saveState();
  } finally {
    emu.close();
  }
}

/** Holds player 1's first stick at a recipe step's `stick` (centred without one); a stick needs a pad with one. */
function holdRecipeStick(emu: Emulator, integration: Integration, name: string, index: number, stick: readonly [number, number] | undefined): void {
  if (emu.sticks === 0) {
    if (stick === undefined) return;
    throw new IntegrationError('METADATA_INVALID', `${integration.name}: step ${index} of the recipe of "${name}" holds a stick, but ${integration.system} pads have none`, {
      file: join(integration.dir, 'metadata.json'),
      field: `/states/${name}/recipe/${index}/stick`,
    });
  }
  const [x, y] = stick ?? [0, 0];
  try {
    emu.setStick(0, x, y);
  } catch (e) {
    throw new IntegrationError('METADATA_INVALID', `${integration.name}: step ${index} of the recipe of "${name}": ${(e as Error).message}`, {
      file: join(integration.dir, 'metadata.json'),
      field: `/states/${name}/recipe/${index}/stick`,
    }, { cause: e });
  }
}

/** The checks that do not hold, evaluated by the native scenario engine as one done node per check. */
function failedChecks(emu: Emulator, integration: Integration, info: StateInfo): string[] {
  const checks = Object.entries(info.check ?? {});
  if (checks.length === 0) return [];
  const variables = Object.entries(integration.data.info).map(([n, v]) => ({ name: n, address: v.address, type: v.type, mask: v.mask }));
  for (const [variable] of checks) {
    if (!integration.data.info[variable]) {
      throw new IntegrationError('SCENARIO_INVALID', `boot recipe check names unknown variable "${variable}"`, { file: join(integration.dir, 'metadata.json') });
    }
  }
  const files = { scenario: join(integration.dir, 'metadata.json'), data: join(integration.dir, 'data.json') };
  const failed: string[] = [];
  for (const [variable, check] of checks) {
    // A session whose only done rule is this check: made on the current state, it evaluates the rule there.
    const session = new Session(emu, {
      variables,
      rewards: [[]],
      done: { condition: 'all', terms: [{ variable, measurement: 'absolute', op: check.op, reference: check.reference ?? 0 }], nodes: [] },
    }, files);
    session.close();
    if (!session.done) {
      const value = session.values[variables.findIndex((v) => v.name === variable)];
      failed.push(`${variable} = ${value}, expected ${check.op} ${check.reference ?? 0}`);
    }
  }
  return failed;
}

/** Builds (or rebuilds) the named states, or every state with a recipe, into the user's data dir. */
export function buildStates(game: GameRef, names: readonly string[] | undefined, options: LookupOptions = {}): string[] {
  return buildRecipeStates(recipeGame(game, options), names);
}

/** {@link buildStates} for a game already found. */
export function buildRecipeStates(game: RecipeGame, names?: readonly string[]): string[] {
  const { integration, romPath } = game;
  const wanted = names ?? Object.keys(integration.metadata.states ?? {}).filter((n) => integration.metadata.states![n].recipe);
  return wanted.map((name) => {
    const state = runBootRecipe(integration, name, romPath, game.core);
    const path = recipeStatePath(game, name);
    mkdirSync(dirname(path), { recursive: true });
    writeStateFile(path, state);
    removeStaleBuilds(path, name);
    return path;
  });
}
