/**
 * The trainer's settings: every hyperparameter with its default (tuned for TinyKart's MLP policy; CNN defaults
 * follow CleanRL's `ppo_atari.py`), and the `retro train` flag parser that fills them in with clear errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ArgumentError, IntegrationError } from '../errors.ts';
import { locateGame } from '../integration/game-index.ts';
import { TRAIN_FILE } from '../integration/integration.ts';
import type { LookupOptions } from '../integration/paths.ts';
import type { BackendChoice } from './backend.ts';
import type { CnnKind, PolicyKind } from './policy.ts';

export type ActionsChoice = 'discrete' | 'multi-discrete' | 'filtered' | 'all' | 'combos';

export interface TrainConfig {
  game: string;
  state?: string;
  scenario?: string;
  actions: ActionsChoice;
  /** With `actions: 'combos'`: the Discrete actions, each a list of player 1's buttons held together. */
  combos?: string[][];
  frameskip: number;
  /** 0: episodes end only when the scenario says so. */
  maxEpisodeSteps: number;
  policy: PolicyKind;
  cnn: CnnKind;
  hidden: number;
  /** mlp: the RAM variables to observe (default: all that data.json defines). */
  obsVariables?: string[];
  frameStack: number;
  normObs: boolean;
  normReward: boolean;
  totalTimesteps: number;
  numEnvs: number;
  numSteps: number;
  learningRate: number;
  annealLr: boolean;
  gamma: number;
  gaeLambda: number;
  numMinibatches: number;
  updateEpochs: number;
  normAdv: boolean;
  clipCoef: number;
  clipVloss: boolean;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  /** Stop an update's epochs early once the approximate KL exceeds this (0: never). */
  targetKl: number;
  seed: number;
  backend: BackendChoice;
  threads?: number;
  runDir?: string;
  checkpointEvery: number;
  /** Updates between deterministic evaluation episodes logged to the metrics (0: never). */
  evalEvery: number;
  keepCheckpoints: number;
  /** Deterministic evaluation episodes after training (0: none), saved as `eval.gif`. */
  evalEpisodes: number;
  resume?: string;
}

export const MLP_DEFAULTS = {
  actions: 'discrete',
  frameskip: 4,
  maxEpisodeSteps: 0,
  policy: 'mlp',
  cnn: 'small',
  hidden: 64,
  frameStack: 4,
  normObs: true,
  normReward: true,
  totalTimesteps: 200_000,
  numEnvs: 16,
  numSteps: 128,
  learningRate: 1e-3,
  annealLr: true,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 8,
  updateEpochs: 10,
  normAdv: true,
  clipCoef: 0.2,
  clipVloss: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  targetKl: 0,
  seed: 1,
  backend: 'auto',
  checkpointEvery: 10,
  evalEvery: 5,
  keepCheckpoints: 3,
  evalEpisodes: 1,
} as const satisfies Partial<TrainConfig>;

/**
 * What `--policy cnn` changes unless given: CleanRL's Atari settings (8 envs, lr 2.5e-4, 4 minibatches; frames
 * are not normalised), but 2 epochs instead of 4: on a CPU the CNN update is ~70% of the time (one 256-sample
 * minibatch ~0.4 s on wasm), and 4 epochs held the trainer to ~110 steps/s. The mlp defaults above learn TinyKart's race in ~100k steps: a larger
 * learning rate and more epochs per rollout than CleanRL's MuJoCo settings, since the learner costs a fifth of
 * the time and the emulator the rest.
 */
export const CNN_OVERRIDES = { learningRate: 2.5e-4, normObs: false, numEnvs: 8, numMinibatches: 4, updateEpochs: 2, totalTimesteps: 1_000_000 } as const satisfies Partial<TrainConfig>;

interface FlagSpec {
  key: keyof TrainConfig;
  type: 'int' | 'number' | 'boolean' | 'string' | 'list' | 'combos';
  help: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
}

const FLAGS: Record<string, FlagSpec> = {
  state: { key: 'state', type: 'string', help: 'start state (default: the integration\'s default)' },
  scenario: { key: 'scenario', type: 'string', help: 'scenario name (default: scenario.json)' },
  actions: { key: 'actions', type: 'string', choices: ['discrete', 'multi-discrete', 'filtered', 'all', 'combos'], help: 'action space: Discrete over all valid combos, MultiDiscrete groups, MultiBinary filtered or all buttons, or --combos' },
  combos: { key: 'combos', type: 'combos', help: 'Discrete actions as button combos, e.g. A,A+LEFT,A+RIGHT,NOOP (implies --actions combos)' },
  frameskip: { key: 'frameskip', type: 'int', min: 1, max: 64, help: 'frames per agent step' },
  'max-episode-steps': { key: 'maxEpisodeSteps', type: 'int', min: 0, help: 'truncate episodes after this many steps (0: never)' },
  policy: { key: 'policy', type: 'string', choices: ['mlp', 'cnn'], help: 'mlp over RAM variables, or cnn over 84×84 gray frames' },
  cnn: { key: 'cnn', type: 'string', choices: ['small', 'nature'], help: 'CNN trunk' },
  hidden: { key: 'hidden', type: 'int', min: 1, max: 4096, help: 'mlp: units per hidden layer' },
  'obs-variables': { key: 'obsVariables', type: 'list', help: 'mlp: comma-separated RAM variables to observe (default: all)' },
  'frame-stack': { key: 'frameStack', type: 'int', min: 1, max: 16, help: 'cnn: frames stacked per observation' },
  'norm-obs': { key: 'normObs', type: 'boolean', help: 'normalise observations with running statistics' },
  'norm-reward': { key: 'normReward', type: 'boolean', help: 'scale rewards by the running std of the discounted return' },
  'total-timesteps': { key: 'totalTimesteps', type: 'int', min: 1, help: 'agent steps to train for, over all envs' },
  'num-envs': { key: 'numEnvs', type: 'int', min: 1, max: 1024, help: 'parallel emulators' },
  'num-steps': { key: 'numSteps', type: 'int', min: 1, help: 'steps per env per rollout' },
  'learning-rate': { key: 'learningRate', type: 'number', min: 0, help: 'Adam learning rate' },
  'anneal-lr': { key: 'annealLr', type: 'boolean', help: 'anneal the learning rate linearly to 0' },
  gamma: { key: 'gamma', type: 'number', min: 0, max: 1, help: 'discount factor' },
  'gae-lambda': { key: 'gaeLambda', type: 'number', min: 0, max: 1, help: 'GAE λ' },
  'num-minibatches': { key: 'numMinibatches', type: 'int', min: 1, help: 'minibatches per epoch' },
  'update-epochs': { key: 'updateEpochs', type: 'int', min: 1, help: 'epochs per rollout' },
  'norm-adv': { key: 'normAdv', type: 'boolean', help: 'normalise advantages per minibatch' },
  'clip-coef': { key: 'clipCoef', type: 'number', min: 0, help: 'surrogate clipping ε' },
  'clip-vloss': { key: 'clipVloss', type: 'boolean', help: 'clip the value loss' },
  'ent-coef': { key: 'entCoef', type: 'number', min: 0, help: 'entropy bonus coefficient' },
  'vf-coef': { key: 'vfCoef', type: 'number', min: 0, help: 'value loss coefficient' },
  'max-grad-norm': { key: 'maxGradNorm', type: 'number', min: 0, help: 'gradient global-norm clip' },
  'target-kl': { key: 'targetKl', type: 'number', min: 0, help: 'stop epochs early above this approximate KL (0: off)' },
  seed: { key: 'seed', type: 'int', min: 0, help: 'seed for the network, sampling and shuffling' },
  backend: { key: 'backend', type: 'string', choices: ['auto', 'tensorflow', 'wasm', 'cpu'], help: 'TensorFlow.js backend' },
  threads: { key: 'threads', type: 'int', min: 1, max: 256, help: 'native emulator threads (default: one per CPU)' },
  'run-dir': { key: 'runDir', type: 'string', help: 'where the run goes (default runs/<game>-<time>)' },
  'checkpoint-every': { key: 'checkpointEvery', type: 'int', min: 1, help: 'updates between checkpoints' },
  'eval-every': { key: 'evalEvery', type: 'int', min: 0, help: 'updates between deterministic evaluation episodes in the metrics (0: never)' },
  'keep-checkpoints': { key: 'keepCheckpoints', type: 'int', min: 1, help: 'checkpoints kept' },
  'eval-episodes': { key: 'evalEpisodes', type: 'int', min: 0, help: 'deterministic episodes after training, recorded to eval.gif' },
  resume: { key: 'resume', type: 'string', help: 'continue a run dir or checkpoint file' },
};

export function trainHelp(): string {
  const lines = Object.entries(FLAGS).map(([flag, spec]) => {
    const name = spec.type === 'boolean' ? `--[no-]${flag}` : `--${flag} ${spec.choices ? spec.choices.join('|') : spec.type === 'list' ? 'a,b' : spec.type === 'combos' ? 'A+B,C' : spec.type === 'int' ? 'N' : spec.type === 'number' ? 'X' : 'S'}`;
    const fallback = (MLP_DEFAULTS as Partial<Record<keyof TrainConfig, unknown>>)[spec.key];
    return `  ${name.padEnd(34)}${spec.help}${fallback !== undefined ? ` [${fallback}]` : ''}`;
  });
  return `Usage: retro train <game> [options]

Trains a PPO agent on a game's integration (default TinyKart-Nes) and writes everything to the run dir: the
flags (config.json), metrics.jsonl, a TensorBoard event file, returns.png, checkpoints/ and eval.gif.
--policy cnn switches to pixels with CleanRL's Atari defaults (lr 2.5e-4, 8 envs, 4 minibatches; 2 epochs).

Options:
${lines.join('\n')}
`;
}

function fail(message: string): never {
  throw new ArgumentError('INVALID_ARGUMENT', message);
}

function parseValue(flag: string, spec: FlagSpec, raw: string): unknown {
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(raw)) fail(`--${flag} must be one of ${spec.choices.join(', ')}, got '${raw}'`);
    if (raw === '') fail(`--${flag} must not be empty`);
    return raw;
  }
  if (spec.type === 'combos') {
    const combos = raw.split(',').map((combo) => combo.trim());
    if (combos.some((c) => c === '')) fail(`--${flag} has an empty combo in '${raw}' (write NOOP for no button)`);
    return combos.map((combo) => (combo.toUpperCase() === 'NOOP' ? [] : combo.split('+').map((b) => b.trim().toUpperCase())));
  }
  if (spec.type === 'list') {
    const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) fail(`--${flag} needs at least one name`);
    return items;
  }
  const value = Number(raw);
  const integer = spec.type === 'int';
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
    fail(`--${flag} must be ${integer ? 'an integer' : 'a number'}, got '${raw}'`);
  }
  if (spec.min !== undefined && value < spec.min) fail(`--${flag} must be at least ${spec.min}, got ${raw}`);
  if (spec.max !== undefined && value > spec.max) fail(`--${flag} must be at most ${spec.max}, got ${raw}`);
  return value;
}

/** The flags given on the command line, parsed and checked (without defaults). */
export function parseTrainFlags(argv: string[]): { game?: string; flags: Partial<TrainConfig>; help: boolean } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const [flag, spec] of Object.entries(FLAGS)) {
    options[flag] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
    if (spec.type === 'boolean') options[`no-${flag}`] = { type: 'boolean' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    fail(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')} (see retro train --help)`);
  }
  const flags: Partial<TrainConfig> = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    if (name === 'help' || raw === undefined) continue;
    const negated = name.startsWith('no-') && FLAGS[name.slice(3)]?.type === 'boolean';
    const flag = negated ? name.slice(3) : name;
    const spec = FLAGS[flag];
    (flags as Record<string, unknown>)[spec.key] = spec.type === 'boolean' ? !negated : parseValue(flag, spec, String(raw));
  }
  if (parsed.positionals.length > 1) fail(`retro train takes one game, got ${parsed.positionals.join(' ')}`);
  return { game: parsed.positionals[0], flags, help: parsed.values.help === true };
}

/**
 * A game's training defaults from `<integration>/train.json`: an object of `retro train` flags (names without
 * `--`) to values, e.g. `{ "scenario": "scenario-race", "combos": "A,A+LEFT,A+RIGHT" }`, checked like the flags.
 * What is game-specific (its scenario, its buttons) lives with the game; hyperparameters stay flags.
 */
export function readGameTrainDefaults(game: string, lookup: LookupOptions = {}): Partial<TrainConfig> {
  const { dir } = locateGame(game, lookup);
  const file = join(dir, TRAIN_FILE);
  if (!existsSync(file)) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IntegrationError('JSON_INVALID', `${file}: ${(error as Error).message}`, { file });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new IntegrationError('SCHEMA_INVALID', `${file}: must be an object of retro train flags`, { file });
  const defaults: Partial<TrainConfig> = {};
  for (const [flag, value] of Object.entries(doc)) {
    if (flag.startsWith('$')) continue; // $comment, $schema
    const spec = Object.hasOwn(FLAGS, flag) ? FLAGS[flag] : undefined;
    if (!spec || ['resume', 'run-dir', 'backend', 'threads'].includes(flag)) throw new IntegrationError('SCHEMA_INVALID', `${file}#/${flag}: not a training default a game can set`, { file, field: flag });
    try {
      const parsed = spec.type === 'boolean' ? value : parseValue(flag, spec, String(value));
      if (typeof parsed === 'boolean' && spec.type !== 'boolean') throw new ArgumentError('INVALID_ARGUMENT', `--${flag} is not a yes/no flag`);
      if (spec.type === 'boolean' && typeof value !== 'boolean') throw new ArgumentError('INVALID_ARGUMENT', `--${flag} must be true or false`);
      (defaults as Record<string, unknown>)[spec.key] = parsed;
    } catch (error) {
      throw new IntegrationError('SCHEMA_INVALID', `${file}#/${flag}: ${(error as Error).message}`, { file, field: flag });
    }
  }
  return defaults;
}

/** A complete config: defaults, the policy's overrides, the game's train.json, then what the user gave. */
export function resolveConfig(game: string, flags: Partial<TrainConfig>, gameDefaults: Partial<TrainConfig> = {}): TrainConfig {
  const policy = flags.policy ?? gameDefaults.policy;
  const policyDefaults = policy === 'cnn' ? CNN_OVERRIDES : {};
  const config: TrainConfig = { ...MLP_DEFAULTS, ...policyDefaults, ...gameDefaults, ...flags, game };
  if (flags.actions !== undefined && flags.actions !== 'combos' && !flags.combos) delete config.combos; // the user's choice wins over the game's combos
  if (config.combos && (flags.actions ?? gameDefaults.actions) === undefined) config.actions = 'combos';
  if (config.actions === 'combos' && !config.combos) fail('--actions combos needs --combos, e.g. --combos A,A+LEFT,A+RIGHT');
  if (config.combos && config.actions !== 'combos') fail(`--combos goes with --actions combos, not --actions ${config.actions}`);
  checkBatch(config);
  return config;
}

/** Settings a checkpoint's weights and statistics were made for: a resumed run cannot change them. */
const FIXED_ON_RESUME = ['policy', 'cnn', 'hidden', 'obsVariables', 'frameStack', 'actions', 'combos', 'normObs', 'normReward'] as const;

/** The config of a resumed run: the saved one, with the flags the user gave on top, checked like a new one. */
export function resumeConfig(saved: TrainConfig, flags: Partial<TrainConfig>, checkpoint: string): TrainConfig {
  for (const key of FIXED_ON_RESUME) {
    if (flags[key] !== undefined && JSON.stringify(flags[key]) !== JSON.stringify(saved[key])) {
      fail(`--${flagName(key)} cannot change when resuming: the checkpoint was trained with ${JSON.stringify(saved[key] ?? null)}`);
    }
  }
  const config: TrainConfig = { ...saved, ...flags, game: saved.game, resume: checkpoint };
  checkBatch(config);
  if (config.totalTimesteps <= 0) fail('--total-timesteps must be positive');
  return config;
}

function checkBatch(config: TrainConfig): void {
  const batch = config.numEnvs * config.numSteps;
  if (batch % config.numMinibatches !== 0) fail(`--num-minibatches (${config.numMinibatches}) must divide num-envs × num-steps (${batch})`);
  if (config.totalTimesteps < batch) fail(`--total-timesteps (${config.totalTimesteps}) is less than one rollout (num-envs × num-steps = ${batch})`);
}

function flagName(key: keyof TrainConfig): string {
  return Object.entries(FLAGS).find(([, spec]) => spec.key === key)?.[0] ?? key;
}
