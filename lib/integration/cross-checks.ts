/**
 * Checks that span files, run after each file passed its schema: scenario and metadata variables exist in
 * data.json, buttons exist on the system, listed scripts exist and define the functions named, and start states
 * exist. Each finding is a {@link Problem} with the JSON pointer of the offending name.
 */

import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { MAX_DISCRETE_N } from '../spaces/discrete.ts';
import { pointerOf, type Problem } from './problems.ts';
import { pathInside } from './safe-names.ts';
import { closestNames } from './suggest.ts';
import type { SystemInfo } from './systems.ts';
import type { DoneNode, GameData, Metadata, RewardSpec, Scenario } from './types.ts';

export interface CrossCheckContext {
  /** Integration folder (absolute). */
  dir: string;
  /** data.json, when it loaded and passed its schema. */
  data: GameData | undefined;
  /** The system's descriptor, when known. */
  system: SystemInfo | undefined;
  /** Names of the folder's `*.state` files, without extension. */
  stateFiles: ReadonlySet<string>;
}

type Language = 'lua' | 'ts';

const LANGUAGE_NAMES: Record<Language, string> = { lua: 'Lua', ts: 'TypeScript' };

function languageOfFile(file: string): Language | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.lua') return 'lua';
  if (ext === '.ts' || ext === '.mts') return 'ts';
  return undefined;
}

/** A `scripts` entry: optional `lua:` / `ts:` prefix, then a path relative to the folder. */
export function parseScriptEntry(entry: string): { language: Language | undefined; path: string } {
  const m = /^(lua|ts):(.+)$/.exec(entry);
  if (m) return { language: m[1] as Language, path: m[2] };
  return { language: languageOfFile(entry), path: entry };
}

/** A `script` reference: `lua:<fn>`, `ts:<fn>` or a bare Lua function name. */
export function parseScriptRef(ref: string): { language: Language; fn: string } {
  const colon = ref.indexOf(':');
  return colon < 0 ? { language: 'lua', fn: ref } : { language: ref.slice(0, colon) as Language, fn: ref.slice(colon + 1) };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function undefinedVariable(file: string, pointer: string, name: string, data: GameData): Problem {
  const close = closestNames(name, Object.keys(data.info), 1);
  const hint = close.length > 0 ? ` (did you mean '${close[0]}'?)` : '';
  return { code: 'SCENARIO_INVALID', file, pointer, message: `variable '${name}' is not defined in data.json${hint}` };
}

/** Bytes a variable spans: the width at the end of its type (`<u2` → 2). */
export function typeWidth(type: string): number {
  return Number(/(\d+)$/.exec(type)?.[1] ?? 1);
}

const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Variables whose bytes are not all inside one block of the system's memory map: make() cannot map them and
 * would refuse the integration, so validate says so first.
 */
export function checkVariableAddresses(file: string, data: GameData, system: SystemInfo): Problem[] {
  const problems: Problem[] = [];
  for (const [name, variable] of Object.entries(data.info)) {
    const width = typeWidth(variable.type);
    const inside = system.memory.some((b) => variable.address >= b.start && variable.address + width <= b.start + b.length);
    if (inside) continue;
    const blocks = system.memory.map((b) => `${b.region} ${hex(b.start)}-${hex(b.start + b.length - 1)}`).join(', ');
    problems.push({
      code: 'SCHEMA_INVALID',
      file,
      pointer: pointerOf('info', name, 'address'),
      message: `${hex(variable.address)} (${width} byte${width === 1 ? '' : 's'}) is outside the ${system.system} memory map (${blocks})`,
    });
  }
  return problems;
}

function checkButtons(
  file: string,
  buttons: readonly string[],
  keys: (string | number)[],
  system: SystemInfo,
  problems: Problem[],
  code: Problem['code'],
): void {
  const valid = system.buttons.filter((b): b is string => b !== null);
  buttons.forEach((button, i) => {
    if (!valid.includes(button)) {
      problems.push({
        code,
        file,
        pointer: pointerOf(...keys, i),
        message: `unknown button '${button}' for system ${system.system} (buttons: ${valid.join(', ')})`,
      });
    }
  });
}

/** Problems in the names a scenario refers to. */
export function checkScenarioReferences(file: string, scenario: Scenario, ctx: CrossCheckContext): Problem[] {
  const problems: Problem[] = [];
  const { data } = ctx;

  const checkVariables = (variables: Record<string, unknown> | undefined, keys: (string | number)[]): void => {
    if (!variables || !data) return;
    for (const name of Object.keys(variables)) {
      if (!Object.hasOwn(data.info, name)) problems.push(undefinedVariable(file, pointerOf(...keys, 'variables', name), name, data));
    }
  };

  // Scripts listed, read once; `script` references are checked against them below.
  const sources: { language: Language; path: string; text: string }[] = [];
  (scenario.scripts ?? []).forEach((entry, i) => {
    const { language, path } = parseScriptEntry(entry);
    const pointer = pointerOf('scripts', i);
    const full = pathInside(ctx.dir, path);
    if (!full) {
      problems.push({ code: 'SCENARIO_INVALID', file, pointer, message: `script '${path}' is outside the integration folder: scripts must live in it` });
      return;
    }
    if (!isFile(full)) {
      problems.push({ code: 'SCENARIO_INVALID', file, pointer, message: `script file '${path}' not found in ${ctx.dir}` });
      return;
    }
    if (!language) {
      problems.push({
        code: 'SCENARIO_INVALID',
        file,
        pointer,
        message: `cannot tell the language of '${path}': use a .lua or .ts file, or a lua: / ts: prefix`,
      });
      return;
    }
    try {
      sources.push({ language, path, text: readFileSync(full, 'utf8') });
    } catch (cause) {
      problems.push({ code: 'SCENARIO_INVALID', file, pointer, message: `cannot read '${path}': ${(cause as Error).message}` });
    }
  });

  const checkScript = (ref: string | undefined, keys: (string | number)[]): void => {
    if (ref === undefined) return;
    const { language, fn } = parseScriptRef(ref);
    const pointer = pointerOf(...keys, 'script');
    const candidates = sources.filter((s) => s.language === language);
    if (candidates.length === 0) {
      problems.push({
        code: 'SCENARIO_INVALID',
        file,
        pointer,
        message: `'${ref}' needs a ${LANGUAGE_NAMES[language]} file listed in 'scripts'`,
      });
      return;
    }
    const word = new RegExp(`(?:^|[^A-Za-z0-9_])${fn}(?:$|[^A-Za-z0-9_])`);
    if (!candidates.some((s) => word.test(s.text))) {
      problems.push({
        code: 'SCENARIO_INVALID',
        file,
        pointer,
        message: `function '${fn}' is not defined in ${candidates.map((s) => basename(s.path)).join(', ')}`,
      });
    }
  };

  const checkReward = (reward: RewardSpec | undefined, keys: (string | number)[]): void => {
    if (!reward) return;
    checkVariables(reward.variables, keys);
    checkScript(reward.script, keys);
  };

  const checkDone = (node: DoneNode | undefined, keys: (string | number)[]): void => {
    if (!node) return;
    checkVariables(node.variables, keys);
    checkScript(node.script, keys);
    for (const [name, child] of Object.entries(node.nodes ?? {})) checkDone(child, [...keys, 'nodes', name]);
  };

  checkReward(scenario.reward, ['reward']);
  (scenario.rewards ?? []).forEach((reward, i) => checkReward(reward, ['rewards', i]));
  checkDone(scenario.done, ['done']);

  if (ctx.system) {
    const system = ctx.system;
    (scenario.actions ?? []).forEach((group, g) =>
      group.forEach((combo, c) => checkButtons(file, combo, ['actions', g, c], system, problems, 'SCENARIO_INVALID')),
    );
  }
  const discreteActions = (scenario.actions ?? []).reduce((n, group) => n * group.length, 1);
  if (discreteActions > MAX_DISCRETE_N) {
    problems.push({
      code: 'SCENARIO_INVALID',
      file,
      pointer: '/actions',
      message: `the groups make ${discreteActions.toPrecision(3)} discrete actions, more than the ${MAX_DISCRETE_N} a Discrete space holds`,
    });
  }
  return problems;
}

/** The most frames a boot recipe may run in all (each step is capped by the schema too). */
export const MAX_RECIPE_FRAMES = 216_000;

/** Problems in the names metadata.json refers to (states, variables, buttons). */
export function checkMetadataReferences(file: string, metadata: Metadata, ctx: CrossCheckContext): Problem[] {
  const problems: Problem[] = [];
  const states = metadata.states ?? {};
  const knownStates = [...ctx.stateFiles, ...Object.keys(states).filter((name) => states[name].recipe !== undefined)];

  const checkState = (name: string | undefined, keys: (string | number)[]): void => {
    if (name === undefined) return;
    const bare = name.endsWith('.state') ? name.slice(0, -'.state'.length) : name;
    if (knownStates.includes(bare)) return;
    const close = closestNames(bare, knownStates, 1);
    const hint = close.length > 0 ? ` (did you mean '${close[0]}'?)` : '';
    problems.push({
      code: 'STATE_NOT_FOUND',
      file,
      pointer: pointerOf(...keys),
      message: `state '${bare}' has neither a ${bare}.state file nor a recipe${hint}`,
    });
  };

  checkState(metadata.default_state, ['default_state']);
  (metadata.default_player_state ?? []).forEach((name, i) => checkState(name, ['default_player_state', i]));

  for (const [stateName, info] of Object.entries(states)) {
    if (ctx.data) {
      for (const variable of Object.keys(info.check ?? {})) {
        if (!Object.hasOwn(ctx.data.info, variable)) {
          const problem = undefinedVariable(file, pointerOf('states', stateName, 'check', variable), variable, ctx.data);
          problems.push({ ...problem, code: 'METADATA_INVALID' });
        }
      }
    }
    const recipeFrames = (info.recipe ?? []).reduce((sum, step) => sum + step.frames, 0);
    if (recipeFrames > MAX_RECIPE_FRAMES) {
      problems.push({
        code: 'METADATA_INVALID',
        file,
        pointer: pointerOf('states', stateName, 'recipe'),
        message: `the recipe runs ${recipeFrames} frames in all, more than the cap of ${MAX_RECIPE_FRAMES} (an hour at 60 Hz)`,
      });
    }
    if (ctx.system) {
      const system = ctx.system;
      (info.recipe ?? []).forEach((step, i) => {
        checkButtons(file, step.buttons ?? [], ['states', stateName, 'recipe', i, 'buttons'], system, problems, 'METADATA_INVALID');
        if (step.stick !== undefined && system.sticks === 0) {
          problems.push({
            code: 'METADATA_INVALID',
            file,
            pointer: pointerOf('states', stateName, 'recipe', i, 'stick'),
            message: `a recipe step holds a stick, but ${system.system} pads have none`,
          });
        }
      });
    }
  }
  return problems;
}
