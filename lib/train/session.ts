/**
 * A whole `retro train` run as a user sees it: the settings printed and saved, a live status line, Ctrl-C that
 * saves a checkpoint and stops, TensorBoard scalars, and at the end the return plot and a GIF of the trained policy.
 */
import type { CliIO } from '../cli/io.ts';
import { displayPath, EXIT_OK } from '../cli/io.ts';
import type { TfRuntime } from './backend.ts';
import type { TrainConfig } from './config.ts';
import { evaluate } from './evaluate.ts';
import { writeLineChart } from './plot.ts';
import { RunDir } from './run-dir.ts';
import { formatDuration, formatStatus } from './status-line.ts';
import { TensorBoardWriter } from './tensorboard.ts';
import type { CheckpointData, CheckpointMeta } from './checkpoint.ts';
import { train, type TrainResult } from './trainer.ts';

/** TensorBoard tags for metrics.jsonl fields (CleanRL's names, so dashboards line up). */
const TENSORBOARD_TAGS: Record<string, string> = {
  episode_return_mean: 'charts/episodic_return',
  episode_length_mean: 'charts/episodic_length',
  episode_lap_mean: 'charts/episodic_lap',
  eval_return: 'eval/return',
  eval_lap: 'eval/lap',
  learning_rate: 'charts/learning_rate',
  sps: 'charts/SPS',
  policy_loss: 'losses/policy_loss',
  value_loss: 'losses/value_loss',
  entropy: 'losses/entropy',
  approx_kl: 'losses/approx_kl',
  clip_fraction: 'losses/clipfrac',
  explained_variance: 'losses/explained_variance',
  grad_norm: 'losses/grad_norm',
};

export async function runTraining(config: TrainConfig, runDirPath: string, runtime: TfRuntime, io: CliIO, resumeFrom?: CheckpointData<CheckpointMeta>): Promise<number> {
  const out = io.stdout;
  const runDir = new RunDir(runDirPath);
  const shown = displayPath(runDir.path, io);
  out.write(`retro train: ${config.game}${config.state ? ` (${config.state})` : ''}, ${config.policy}${config.policy === 'cnn' ? ` (${config.cnn})` : ''} policy, backend ${runtime.backend}\n`);
  out.write(`  ${settingsLine(config)}\n`);
  out.write(`  run dir ${shown}${config.resume ? ` (resuming ${displayPath(config.resume, io)})` : ''}\n`);

  let stopRequested = false;
  const onSigint = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    out.write('\nretro train: stopping; saving a checkpoint (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  const tensorboard = new TensorBoardWriter(runDir.path);
  let lastLine = 0;
  let liveLine = false;
  let result: TrainResult;
  try {
    result = await train(config, {
      runDir: runDir.path,
      runtime,
      resumeFrom,
      shouldStop: () => stopRequested,
      events: {
        log: (line) => {
          if (liveLine) out.write('\n');
          liveLine = false;
          out.write(`  ${line.replace(runDir.path, shown)}\n`);
        },
        progress: (status) => {
          const line = formatStatus(status);
          if (out.isTTY) {
            out.write(`\r\x1b[2K${line.slice(0, Math.max(40, (out.columns ?? 160) - 1))}`);
            liveLine = true;
          } else if (Date.now() - lastLine > 10_000 || status.update === status.updates) {
            out.write(`${line}\n`);
            lastLine = Date.now();
          }
        },
        metrics: (record) => {
          const values: Record<string, number | null> = {};
          for (const [field, tag] of Object.entries(TENSORBOARD_TAGS)) values[tag] = record[field] ?? null;
          tensorboard.scalars(values, record.global_step ?? 0);
        },
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    tensorboard.close();
  }
  if (liveLine) out.write('\n');
  const { seconds } = result;
  const busy = seconds.env + seconds.inference + seconds.learning;
  out.write(
    `retro train: ${result.stopped ? 'stopped' : 'done'} after ${result.globalStep.toLocaleString('en-US')} steps, ${result.episodes} episodes, ${formatDuration(seconds.total)}` +
      ` (env ${pct(seconds.env, busy)}, inference ${pct(seconds.inference, busy)}, learning ${pct(seconds.learning, busy)})\n`,
  );
  const plot = runDir.file('returns.png');
  await writeReturnPlot(runDir, config, plot);
  out.write(`  plot       ${displayPath(plot, io)}\n`);
  out.write(`  checkpoint ${displayPath(result.checkpoint, io)}\n`);
  out.write(`  metrics    ${displayPath(runDir.metricsPath, io)} (tensorboard --logdir ${displayPath(runDir.path, io)})\n`);
  if (config.evalEpisodes > 0 && !result.stopped) {
    const gif = runDir.file('eval.gif');
    const evaluation = await evaluate(result.checkpoint, { episodes: config.evalEpisodes, gif, backend: config.backend });
    const e = evaluation.episodes[evaluation.episodes.length - 1];
    out.write(`  eval       return ${evaluation.meanReturn.toFixed(2)} (deterministic, ${evaluation.episodes.length} episode${evaluation.episodes.length === 1 ? '' : 's'}; last: ${e.length} steps${'lap' in e.info ? `, lap ${e.info.lap}` : ''})\n`);
    out.write(`  gif        ${displayPath(gif, io)}\n`);
  }
  return result.stopped ? 130 : EXIT_OK;
}

function settingsLine(c: TrainConfig): string {
  return [
    `${c.totalTimesteps.toLocaleString('en-US')} steps`,
    `${c.numEnvs} envs × ${c.numSteps} steps`,
    `frameskip ${c.frameskip}`,
    `actions ${c.actions}`,
    `lr ${c.learningRate}${c.annealLr ? ' (annealed)' : ''}`,
    `γ ${c.gamma} λ ${c.gaeLambda}`,
    `${c.updateEpochs} epochs × ${c.numMinibatches} minibatches`,
    `clip ${c.clipCoef}`,
    `ent ${c.entCoef}`,
    `seed ${c.seed}`,
  ].join(', ');
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((100 * part) / whole)}%` : '–';
}

/** returns.png from every metrics record of the run (resumed runs included). */
export async function writeReturnPlot(runDir: RunDir, config: TrainConfig, path: string): Promise<void> {
  const metrics = runDir.readMetrics();
  const series = (field: string) => metrics.filter((r) => field in r).map((r) => ({ step: Number(r.global_step), value: (r[field] as number | null) ?? null }));
  const evaluations = series('eval_return');
  await writeLineChart(path, {
    title: `PPO on ${config.game}: episode return`,
    subtitle: `${config.policy} policy, ${config.numEnvs} envs, seed ${config.seed}`,
    xTitle: 'agent steps',
    yTitle: 'mean episode return',
    series: [{ name: 'training episodes (mean)', points: series('episode_return_mean') }, ...(evaluations.length > 0 ? [{ name: 'deterministic evaluation', points: evaluations }] : [])],
    smoothing: 0.6,
  });
}
