import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Emulator, type AvInfo } from '../emulator.ts';
import { ArgumentError, IntegrationError, RetroError, StateError } from '../errors.ts';
import { getIntegration, getRomPath, locateGame } from '../integration/data-api.ts';
import { readJsonFile } from '../integration/json-file.ts';
import { builtStatesDir, type LookupOptions } from '../integration/paths.ts';
import { isSafeStateName, STATE_NAME_RULE } from '../integration/safe-names.ts';
import { validateDocument } from '../integration/schemas.ts';
import type { Integration, Scenario } from '../integration/types.ts';
import { readStateFile } from '../state-file.ts';
import { Actions } from './action-codec.ts';
import { buildRecipeStates, recipeStatePath, type RecipeGame } from './boot-recipe.ts';
import { cropMisfit } from './crop.ts';
import { Observations, State, type MakeOptions } from './make-options.ts';
import { planScenario, scriptPolicyProblem, type TsScenario } from './scenario-plan.ts';
import { Session } from './session.ts';
import { stateMakerHint } from './state-maker.ts';

/**
 * A game ready to play: its integration, an emulator with the ROM loaded and in the start state, and the session
 * that evaluates the scenario. What `make()` and BatchEnv build an env from.
 */
export interface LoadedGame {
  game: string;
  integration: Integration;
  emulator: Emulator;
  session: Session;
  scenario: Scenario;
  scenarioFile: string;
  /** Reward and done functions that run in JS, when the scenario has `ts:` scripts. */
  ts: TsScenario | undefined;
  crop: [number, number, number, number] | undefined;
  /** The start state's name; null for power-on. */
  stateName: string | null;
  initialState: Buffer;
  powerOnState: Buffer;
  /** Finds the bytes of another start state, for `reset({ options: { state } })`. */
  stateBytes(state: string): Buffer;
}

/** Checks make()'s options, locates the game and boots it in its start state. Leaks nothing when it throws. */
export function loadGame(game: string, options: MakeOptions = {}): LoadedGame {
  checkOptions(options);
  const players = options.players ?? 1;
  const location = locateGame(game, options);
  const integration = getIntegration(location);
  const lookup: LookupOptions = { integrationPaths: options.integrationPaths, dataDir: options.dataDir, env: options.env };
  const { scenario, file: scenarioFile } = loadScenario(game, integration, options.scenario);
  const data = options.info ? validateDocument('data', readJsonFile(options.info), options.info) : integration.data;
  const plan = planScenario(data, scenario, scenarioFile, integration.dir, players, { limits: options.scriptLimits, trust: options.trustScripts });

  const romPath = getRomPath(location, options);
  const states = new StateFinder(game, integration, { integration, romPath, statesDir: builtStatesDir(game, lookup), core: options.core });
  const emulator = new Emulator({ rom: romPath, system: integration.system, core: options.core, coreOptions: options.coreOptions });
  try {
    const ports = emulator.descriptor.ports ?? 2;
    if (players > ports) throw new ArgumentError('INVALID_ARGUMENT', `${game} supports at most ${ports} players`);
    if (scenario.crop) checkCrop(scenario.crop, emulator.avInfo, scenarioFile);
    const stateName = states.resolveName(options.state ?? State.DEFAULT);
    const powerOnState = emulator.saveState();
    const stateFile = stateName === null ? undefined : states.path(stateName);
    const initialState = stateFile === undefined ? powerOnState : readStateFile(stateFile);
    // A state this core cannot load (truncated, another core's) fails here, not at the first reset.
    const shipped = stateFile !== undefined && dirname(stateFile) === integration.dir;
    withStateFile(stateFile, () => emulator.loadState(initialState), shipped ? () => stateMakerHint(emulator) : undefined);
    const session = new Session(emulator, plan.native, { scenario: scenarioFile, data: options.info ?? join(integration.dir, 'data.json') });
    const stateBytes = (state: string): Buffer => {
      const name = states.resolveName(state);
      return name === null ? powerOnState : readStateFile(states.path(name));
    };
    return { game, integration, emulator, session, scenario, scenarioFile, ts: plan.ts, crop: scenario.crop, stateName, initialState, powerOnState, stateBytes };
  } catch (e) {
    emulator.close();
    throw e;
  }
}

function checkOptions(options: MakeOptions): void {
  const { players = 1, frameskip = 1, useRestrictedActions = Actions.FILTERED, obsType = Observations.IMAGE } = options;
  if (!Number.isInteger(players) || players < 1) throw new ArgumentError('INVALID_ARGUMENT', `players must be a positive integer, got ${players}`);
  if (!Number.isInteger(frameskip) || frameskip < 1) throw new ArgumentError('INVALID_ARGUMENT', `frameskip must be a positive integer, got ${frameskip}`);
  if (!Object.values(Actions).includes(useRestrictedActions)) {
    throw new ArgumentError('INVALID_ARGUMENT', `useRestrictedActions must be one of ${Object.values(Actions).join(', ')}`);
  }
  if (!Object.values(Observations).includes(obsType)) throw new ArgumentError('INVALID_ARGUMENT', `obsType must be image or ram`);
  const scriptProblem = scriptPolicyProblem(options.scriptLimits, options.trustScripts);
  if (scriptProblem) throw new ArgumentError('INVALID_ARGUMENT', scriptProblem.message, { field: scriptProblem.field });
}

function loadScenario(game: string, integration: Integration, name: string | undefined): { scenario: Scenario; file: string } {
  const scenarioName = name ?? 'scenario';
  if (scenarioName.endsWith('.json')) {
    return { scenario: validateDocument('scenario', readJsonFile(scenarioName), scenarioName), file: scenarioName };
  }
  const scenario = integration.scenarios[scenarioName];
  if (!scenario) {
    throw new IntegrationError('SCENARIO_INVALID', `${game} has no scenario "${scenarioName}" (it has: ${Object.keys(integration.scenarios).join(', ') || 'none'})`, {
      file: join(integration.dir, `${scenarioName}.json`),
    });
  }
  return { scenario, file: join(integration.dir, `${scenarioName}.json`) };
}

/** Finds a game's start states by name. */
class StateFinder {
  constructor(
    private readonly game: string,
    private readonly integration: Integration,
    private readonly recipes: RecipeGame,
  ) {}

  /** A state's name without `.state`; null for power-on. */
  resolveName(state: string): string | null {
    if (state === State.NONE) return null;
    if (state === State.DEFAULT) return this.integration.metadata.default_state ?? null;
    return state.replace(/\.state$/, '');
  }

  /**
   * A state ships in the integration folder, or was built into the data dir from its boot recipe (see
   * `retro states build`); a missing state that has a recipe is built now, once.
   */
  path(name: string): string {
    if (!isSafeStateName(name)) throw new ArgumentError('INVALID_ARGUMENT', `${this.game}: state "${name}" refused: ${STATE_NAME_RULE}`, { field: 'state' });
    const candidates = [join(this.integration.dir, `${name}.state`), recipeStatePath(this.recipes, name)];
    let found = candidates.find((p) => existsSync(p));
    if (!found && this.integration.metadata.states?.[name]?.recipe) found = buildRecipeStates(this.recipes, [name])[0];
    if (!found) {
      const available = this.integration.states.filter((s) => !s.startsWith('_'));
      throw new StateError('STATE_NOT_FOUND', `${this.game} has no state "${name}" (looked in ${candidates.join(', ')}; available: ${available.join(', ') || 'none'})`, {
        file: candidates[0],
      });
    }
    return found;
  }
}

/** A scenario crop must lie inside the core's frame: outside it, observations would be read past the picture. */
function checkCrop(crop: readonly number[], { baseWidth, baseHeight }: AvInfo, file: string): void {
  const misfit = cropMisfit(crop, baseWidth, baseHeight);
  if (misfit) throw new IntegrationError('SCHEMA_INVALID', `${file}#/crop: ${misfit}`, { file, field: '/crop' });
}

/** Runs `load`; a typed error it throws names the state file it was loading, and the core to use when `hint` does. */
function withStateFile(file: string | undefined, load: () => void, hint?: () => string | undefined): void {
  try {
    load();
  } catch (e) {
    if (file !== undefined && e instanceof RetroError) {
      e.details.file ??= file;
      const why = hint?.();
      e.message = `${file}: ${e.message}${why ? `; ${why}` : ''}`;
    }
    throw e;
  }
}
