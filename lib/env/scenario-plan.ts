import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';
import type { NativeDoneNode, NativeRewardTerm, NativeScenarioConfig } from '../native.ts';
import { IntegrationError, RetroError, ScriptError, type RetroErrorCode } from '../errors.ts';
import { parseScriptEntry, parseScriptRef } from '../integration/cross-checks.ts';
import { pathInside } from '../integration/safe-names.ts';
import { packageRoot } from '../package-root.ts';
import type { DoneNode, GameData, RewardSpec, RewardVariable, Scenario } from '../integration/types.ts';

export type { NativeScenarioConfig } from '../native.ts';

/**
 * Limits on every call into a Lua scenario script (the top level of each file at a reset, and each reward or done
 * call), and on the memory of its Lua state. Left out, a limit keeps its default.
 */
export interface ScriptLimits {
  /** Lua VM instructions per call (default 10,000,000: about a tenth of a second). */
  instructions?: number;
  /** Wall-clock milliseconds per call (default 1,000). */
  timeoutMs?: number;
  /** Bytes the script's Lua state may hold (default 64 MiB). */
  memoryBytes?: number;
}

/** Which TypeScript scenario scripts may load: see MakeOptions.trustScripts. */
export type TrustScripts = boolean | readonly string[];

/** How scenario scripts of an env are run: the limits of Lua scripts and which TypeScript scripts are trusted. */
export interface ScriptPolicy {
  limits?: ScriptLimits;
  trust?: TrustScripts;
}

const SCRIPT_LIMIT_NAMES = ['instructions', 'timeoutMs', 'memoryBytes'] as const;

/** What is wrong with the `scriptLimits` and `trustScripts` options of make(), if anything. */
export function scriptPolicyProblem(limits: unknown, trust: unknown): { field: string; message: string } | undefined {
  if (limits !== undefined) {
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
      return { field: 'scriptLimits', message: `scriptLimits must be an object like { instructions, timeoutMs, memoryBytes }, got ${describeValue(limits)}` };
    }
    for (const [name, value] of Object.entries(limits)) {
      const field = `scriptLimits.${name}`;
      if (!(SCRIPT_LIMIT_NAMES as readonly string[]).includes(name)) return { field, message: `${field} is not a limit (the limits are ${SCRIPT_LIMIT_NAMES.join(', ')})` };
      if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 1)) {
        return { field, message: `${field} must be a positive integer, got ${describeValue(value)}` };
      }
    }
  }
  const list = Array.isArray(trust) && trust.every((dir) => typeof dir === 'string' && dir !== '');
  if (trust !== undefined && typeof trust !== 'boolean' && !list) {
    return { field: 'trustScripts', message: `trustScripts must be true, false or a list of integration folders, got ${describeValue(trust)}` };
  }
  return undefined;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/** The signature of a TypeScript scenario function (`"script": "ts:<name>"`). */
export type TsScenarioFunction = (
  data: Readonly<Record<string, number>>,
  scenario: { frame: number; timestep: number },
  state: Record<string, unknown>,
) => number | boolean;

/**
 * Reward and done functions that run in JS after each native step, and an optional `reset` the script module may
 * export: called at every env reset with the start state's variables, e.g. to remember them for deltas.
 */
export interface TsScenario {
  rewards: (TsScenarioFunction | null)[];
  done: TsScenarioFunction | null;
  reset: TsScenarioFunction | null;
}

export interface ScenarioPlan {
  native: NativeScenarioConfig;
  ts?: TsScenario;
}

function rewardTerms(spec: RewardSpec | undefined): NativeRewardTerm[] {
  const term = (variable: string, v: RewardVariable): NativeRewardTerm => ({
    variable,
    measurement: v.measurement ?? 'delta',
    op: v.op ?? '',
    reference: v.reference ?? 0,
    reward: v.reward ?? 0,
    penalty: v.penalty ?? 0,
  });
  const terms = Object.entries(spec?.variables ?? {}).map(([name, v]) => term(name, v));
  if (spec?.time) terms.push(term('', spec.time));
  return terms;
}

function doneNode(node: DoneNode | undefined): NativeDoneNode {
  return {
    condition: node?.condition ?? 'any',
    terms: Object.entries(node?.variables ?? {}).map(([name, v]) => ({
      variable: name,
      measurement: v.measurement ?? 'absolute',
      op: v.op ?? '',
      reference: v.reference ?? 0,
    })),
    nodes: Object.values(node?.nodes ?? {}).map(doneNode),
  };
}

/**
 * Turns a validated scenario into the native session's rules, Lua files and function names, and the TypeScript
 * functions (loaded now, with no build step for the user) for `ts:` scripts.
 */
export function planScenario(
  data: GameData,
  scenario: Scenario,
  scenarioFile: string,
  dir: string,
  players: number,
  policy: ScriptPolicy = {},
): ScenarioPlan {
  const specs: (RewardSpec | undefined)[] = scenario.rewards ?? [scenario.reward];
  const perPlayer = Array.from({ length: players }, (_, p) => specs[p] ?? specs[0]);
  const scripts = (scenario.scripts ?? []).map((entry, i) => {
    const { language, path } = parseScriptEntry(entry);
    const field = `/scripts/${i}`;
    // Integration folders come from anywhere: a script may not be loaded from outside its folder.
    const file = pathInside(dir, path);
    if (!file) throw new IntegrationError('SCENARIO_INVALID', `${scenarioFile}: script '${path}' is outside the integration folder ${dir}`, { file: scenarioFile, field });
    if (!existsSync(file)) throw new IntegrationError('SCENARIO_INVALID', `${scenarioFile}: script ${file} does not exist`, { file: scenarioFile, field });
    return { file, language: language ?? (/\.(js|mjs|cjs)$/.test(path) ? 'ts' : undefined) };
  });
  const luaFiles = scripts.filter((s) => s.language === 'lua').map((s) => s.file);
  const tsFiles = scripts.filter((s) => s.language === 'ts').map((s) => s.file);

  const luaRewards: (string | null)[] = [];
  const tsRewards: (TsScenarioFunction | null)[] = [];
  let luaDone = '';
  let tsDone: TsScenarioFunction | null = null;
  for (const file of tsFiles) requireTrusted(file, dir, policy.trust ?? true);
  const tsModules = tsFiles.length > 0 ? tsFiles.map(loadTsModule) : [];
  const findTs = (fn: string, field: string): TsScenarioFunction => {
    for (const mod of tsModules) if (typeof mod[fn] === 'function') return mod[fn] as TsScenarioFunction;
    throw new IntegrationError('SCENARIO_INVALID', `${scenarioFile}: no TypeScript script in ${JSON.stringify(scenario.scripts ?? [])} exports a function "${fn}"`, {
      file: scenarioFile,
      field,
    });
  };

  perPlayer.forEach((spec, p) => {
    const ref = spec?.script ? parseScriptRef(spec.script) : undefined;
    const field = scenario.rewards ? `/rewards/${p}/script` : '/reward/script';
    luaRewards.push(ref?.language === 'lua' ? ref.fn : null);
    tsRewards.push(ref?.language === 'ts' ? findTs(ref.fn, field) : null);
    if (ref && ref.language !== 'lua' && ref.language !== 'ts') {
      throw new IntegrationError('SCENARIO_INVALID', `${scenarioFile}: script "${spec!.script}" must start with lua: or ts:`, { file: scenarioFile, field });
    }
  });
  if (scenario.done?.script) {
    const ref = parseScriptRef(scenario.done.script);
    if (ref.language === 'lua') luaDone = ref.fn;
    else if (ref.language === 'ts') tsDone = findTs(ref.fn, '/done/script');
    else throw new IntegrationError('SCENARIO_INVALID', `${scenarioFile}: script "${scenario.done.script}" must start with lua: or ts:`, { file: scenarioFile, field: '/done/script' });
  }
  const usesLua = luaDone !== '' || luaRewards.some((f) => f !== null);
  if (usesLua && luaFiles.length === 0) {
    throw new IntegrationError('SCENARIO_INVALID', `${scenarioFile}: a Lua function is named but "scripts" lists no .lua file`, { file: scenarioFile, field: '/scripts' });
  }

  const native: NativeScenarioConfig = {
    variables: Object.entries(data.info).map(([name, v]) => ({ name, address: v.address, type: v.type, mask: v.mask })),
    rewards: perPlayer.map(rewardTerms),
    done: doneNode(scenario.done),
    lua: usesLua || luaFiles.length > 0 ? { files: luaFiles, rewardFunctions: luaRewards, doneFunction: luaDone, limits: policy.limits } : undefined,
  };
  const usesTs = tsDone !== null || tsRewards.some((f) => f !== null);
  const tsReset = (tsModules.find((m) => typeof m.reset === 'function')?.reset as TsScenarioFunction | undefined) ?? null;
  return { native, ts: usesTs ? { rewards: tsRewards, done: tsDone, reset: tsReset } : undefined };
}

/**
 * Refuses a TypeScript script unless `trust` allows it: `true` trusts every script (they are code you chose to
 * install, like npm packages); otherwise only the integrations bundled with this package and the listed folders
 * (an integration folder, or a folder of them) are. Compared as real paths, so a symlink does not smuggle one in.
 */
function requireTrusted(file: string, dir: string, trust: TrustScripts): void {
  if (trust === true) return;
  const trusted = [join(packageRoot(), 'integrations'), ...(trust === false ? [] : trust)].map(realPath);
  const script = realPath(file);
  if (trusted.some((root) => script === root || script.startsWith(root.endsWith(sep) ? root : root + sep))) return;
  const listed = trust === false || trust.length === 0 ? '' : ` or in ${trust.join(', ')}`;
  throw new ScriptError(
    'SCRIPT_UNTRUSTED',
    `TypeScript scenario script ${file} refused: with trustScripts it must be in a bundled integration${listed}. ` +
      `It would run with the full privileges of this process; if you trust its code, pass trustScripts: [${JSON.stringify(dir)}]`,
    { file },
  );
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

let tsRequire: ((id: string, parent: string) => Record<string, unknown>) | undefined;

/**
 * tsx's require, which compiles TypeScript on the fly. tsx is an optional peer dependency (its esbuild has an
 * install script users would have to approve), so only users of TypeScript scenario scripts install it.
 */
function tsxRequire(file: string): NonNullable<typeof tsRequire> {
  if (tsRequire) return tsRequire;
  try {
    tsRequire = (createRequire(import.meta.url)('tsx/cjs/api') as { require: NonNullable<typeof tsRequire> }).require;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new RetroError('DEPENDENCY_MISSING', `the TypeScript scenario script ${file} needs tsx, which is not installed. Install it with: npm install tsx`, { file }, { cause: e });
  }
  return tsRequire;
}

/** Loads a .ts/.js scenario module synchronously; TypeScript is compiled on the fly by tsx, no build step. */
function loadTsModule(file: string): Record<string, unknown> {
  const compile = /\.(ts|mts)$/.test(file) ? tsxRequire(file) : undefined;
  try {
    if (compile) return compile(file, import.meta.url);
    return createRequire(import.meta.url)(file) as Record<string, unknown>;
  } catch (e) {
    const err = e as Error;
    const where = /:(\d+):(\d+)/.exec(err.message ?? '');
    throw new ScriptError('SCRIPT_ERROR', `cannot load scenario script ${file}: ${err.message}`, { file, line: where ? Number(where[1]) : undefined }, { cause: e });
  }
}
