/**
 * `retro train [game] [flags]`: PPO on a game's integration, everything written to a run dir, ending with a plot
 * of episode return and a GIF of the trained policy. TensorFlow.js is loaded only here, and only if installed.
 */
import { resolve } from 'node:path';
import { ArgumentError, RetroError } from '../errors.ts';
import type { CheckpointData, CheckpointMeta } from '../train/checkpoint.ts';

import { defineCommand } from './command.ts';
import { displayPath, EXIT_OK, EXIT_USAGE, type CliIO } from './io.ts';

export const DEFAULT_GAME = 'TinyKart-Nes';

export async function runTrain(args: string[], io: CliIO): Promise<number> {
  const { parseTrainFlags, readGameTrainDefaults, resolveConfig, resumeConfig, trainHelp } = await import('../train/config.ts');
  let parsed: ReturnType<typeof parseTrainFlags>;
  try {
    parsed = parseTrainFlags(args);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    io.stderr.write(`retro train: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    io.stdout.write(trainHelp());
    return EXIT_OK;
  }
  const { resolveCheckpoint, defaultRunDir } = await import('../train/run-dir.ts');
  const { readCheckpoint } = await import('../train/checkpoint.ts');
  let config;
  let runDir: string;
  let resumeFrom: CheckpointData<CheckpointMeta> | undefined;
  try {
    if (parsed.flags.resume) {
      const { checkpoint, runDir: dir } = resolveCheckpoint(resolvePath(parsed.flags.resume, io));
      resumeFrom = readCheckpoint<CheckpointMeta>(checkpoint);
      const saved = resumeFrom.meta.config;
      if (parsed.game && parsed.game !== saved.game) throw new ArgumentError('INVALID_ARGUMENT', `the checkpoint is of ${saved.game}, not ${parsed.game}`);
      config = resumeConfig(saved, parsed.flags, checkpoint);
      runDir = dir;
    } else {
      const game = parsed.game ?? DEFAULT_GAME;
      config = resolveConfig(game, parsed.flags, readGameTrainDefaults(game, { env: io.env }));
      runDir = config.runDir ? resolvePath(config.runDir, io) : defaultRunDir(io.cwd, config.game);
    }
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    io.stderr.write(`retro train: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const { checkTrainerDependencies, loadTensorFlow } = await import('../train/backend.ts');
  await checkTrainerDependencies();
  const runtime = await loadTensorFlow(config.backend);
  const { runTraining } = await import('../train/session.ts');
  return runTraining(config, runDir, runtime, io, resumeFrom);
}

const EVAL = defineCommand({
  name: 'eval',
  usage: 'retro eval <run-dir | checkpoint.ckpt> [--episodes N] [--gif out.gif] [--stochastic] [--seed N] [--max-steps N]',
  about: `Plays a trained policy (its newest checkpoint for a run dir), deterministic unless --stochastic, and prints each
episode's return, length and final RAM variables.`,
  options: {
    episodes: { type: 'string', value: '<n>', help: 'Episodes to play (default 1)' },
    gif: { type: 'string', value: '<file>', help: 'Write the episodes, one after another, to an animated GIF' },
    stochastic: { type: 'boolean', help: "Sample actions from the policy instead of taking\nits most likely one" },
    seed: { type: 'string', value: '<n>', help: "Seed of --stochastic's sampling (default: the run's seed)" },
    'max-steps': { type: 'string', value: '<n>', help: "Cut episodes at this many steps (default: the run's\n--max-episode-steps, else 20,000)" },
    backend: { type: 'string', value: '<name>', help: 'TensorFlow.js backend: auto, tensorflow, wasm or cpu' },
  },
});

export async function runEval(args: string[], io: CliIO): Promise<number> {
  const parsed = EVAL.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals } = parsed;
  const integer = (name: string, fallback: number, min: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) throw new ArgumentError('INVALID_ARGUMENT', `--${name} must be an integer ≥ ${min}, got '${String(raw)}'`);
    return n;
  };
  if (positionals.length !== 1) {
    io.stderr.write('retro eval: give one run dir or checkpoint file (see retro eval --help)\n');
    return EXIT_USAGE;
  }
  let episodes: number;
  let seed: number | undefined;
  let maxSteps: number | undefined;
  try {
    episodes = integer('episodes', 1, 1);
    seed = values.seed === undefined ? undefined : integer('seed', 0, 0);
    maxSteps = values['max-steps'] === undefined ? undefined : integer('max-steps', 1, 1);
    const backend = values.backend;
    if (backend !== undefined && !['auto', 'tensorflow', 'wasm', 'cpu'].includes(String(backend))) {
      throw new ArgumentError('INVALID_ARGUMENT', `--backend must be auto, tensorflow, wasm or cpu, got '${String(backend)}'`);
    }
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    io.stderr.write(`retro eval: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const { checkTrainerDependencies } = await import('../train/backend.ts');
  await checkTrainerDependencies();
  const { resolveCheckpoint } = await import('../train/run-dir.ts');
  const { evaluate } = await import('../train/evaluate.ts');
  const { checkpoint } = resolveCheckpoint(resolvePath(positionals[0], io));
  const gif = typeof values.gif === 'string' ? resolvePath(values.gif, io) : undefined;
  io.stdout.write(`eval: ${displayPath(checkpoint, io)} (${values.stochastic ? 'stochastic' : 'deterministic'} policy)\n`);
  const result = await evaluate(checkpoint, {
    episodes,
    gif,
    seed,
    maxSteps,
    stochastic: values.stochastic === true,
    backend: values.backend as 'auto' | undefined,
    onEpisode: (e, i) => io.stdout.write(`episode ${i + 1}: return ${e.return.toFixed(2)}, ${e.length} steps, ${describeInfo(e.info)}\n`),
  });
  io.stdout.write(`mean return ${result.meanReturn.toFixed(2)} over ${result.episodes.length} episode${result.episodes.length === 1 ? '' : 's'}\n`);
  if (gif) io.stdout.write(`gif: ${displayPath(gif, io)} (${result.gifFrames} frames)\n`);
  return EXIT_OK;
}

export function describeInfo(info: Record<string, number>): string {
  const keys = ['lap', 'progress', 'finished', 'race_timer', 'collision', 'score', 'level'].filter((k) => k in info);
  return (keys.length > 0 ? keys : Object.keys(info).slice(0, 6)).map((k) => `${k} ${info[k]}`).join(', ');
}

function resolvePath(path: string, io: CliIO): string {
  return resolve(io.cwd, path);
}
