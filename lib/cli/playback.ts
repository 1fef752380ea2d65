/** `retro playback <movie.bk2>`: replay a movie on its game, into a GIF and/or a per-frame table of variables. */

import { resolve } from 'node:path';
import { ArgumentError, RetroError } from '../errors.ts';
import { GifRecorder } from '../media/gif.ts';
import { Movie } from '../movie/movie.ts';
import { makeReplayEnv, replayMovie } from '../movie/replay.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, LOOKUP_HELP, LOOKUP_OPTIONS, lookupOptions, parseCommandArgs, plural, processIO, type CliIO } from './io.ts';

export const PLAYBACK_USAGE = 'retro playback <movie.bk2> [--gif out.gif] [--info] [--scenario S] [options]';

export const PLAYBACK_HELP = `Usage: ${PLAYBACK_USAGE}

Replays a .bk2 movie (recorded here with RecordMovie, or by stable-retro) on its
game, from the movie's start state, one frame per line of its input log.

Options:
  --gif <file>              Write the replay to an animated GIF
  --gif-every <n>           Keep every n-th frame in the GIF (default 1); it still
                            plays at game speed
  --info                    Print a tab-separated table to stdout: each frame's
                            reward and the integration's variables
  --scenario <name|file>    Rewards from this scenario (default: scenario)
${LOOKUP_HELP}
  -h, --help                Show this help
`;

const OPTIONS = {
  ...LOOKUP_OPTIONS,
  gif: { type: 'string' },
  'gif-every': { type: 'string' },
  info: { type: 'boolean' },
  scenario: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runPlayback(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = parseCommandArgs('playback', args, OPTIONS, PLAYBACK_USAGE, io);
  if (!parsed) return EXIT_USAGE;
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(PLAYBACK_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    io.stderr.write(`retro playback: give one movie file\nUsage: ${PLAYBACK_USAGE}\n`);
    return EXIT_USAGE;
  }
  let gifEvery: number;
  try {
    gifEvery = positiveInteger(values['gif-every'], 'gif-every');
  } catch (e) {
    if (!(e instanceof RetroError)) throw e;
    io.stderr.write(`retro playback: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const gifPath = values.gif === undefined ? undefined : resolve(io.cwd, values.gif as string);
  const scenario = values.scenario as string | undefined;
  try {
    const movie = Movie.open(resolve(io.cwd, positionals[0]));
    const env = makeReplayEnv(movie, { ...lookupOptions(values, io), scenario: scenario?.endsWith('.json') ? resolve(io.cwd, scenario) : scenario });
    try {
      const gif = gifPath ? new GifRecorder({ fps: Math.round(60 / gifEvery) }) : undefined;
      // With --info stdout is the table alone; the summary goes to stderr.
      const report = values.info ? io.stderr : io.stdout;
      const table = values.info ? new InfoTable(io.stdout, movie.players) : undefined;
      const totals = new Array<number>(movie.players).fill(0);
      let frames = 0;
      for (const frame of replayMovie(movie, env)) {
        frame.rewards.forEach((r, p) => (totals[p] += r));
        table?.row(frame.frame, frame.rewards, frame.info);
        if (gif && frame.frame % gifEvery === 0) gif.addFrame({ data: env.render(), width: env.observationSpace.shape[1], height: env.observationSpace.shape[0] });
        frames++;
      }
      const rewards = totals.map((t, p) => (movie.players > 1 ? `player ${p + 1} ${t}` : String(t))).join(', ');
      report.write(`replayed ${plural(frames, 'frame')} of ${movie.game}; total reward ${rewards}\n`);
      if (gif && gifPath) {
        const bytes = gif.save(gifPath);
        report.write(`wrote ${displayPath(gifPath, io)} (${plural(gif.frameCount, 'frame')}, ${plural(bytes, 'byte')})\n`);
      }
    } finally {
      env.close();
    }
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof RetroError)) throw e;
    io.stderr.write(`retro playback: ${e.message}\n`);
    return EXIT_PROBLEMS;
  }
}

/** Tab-separated rows: frame, each player's reward, then the variables in the order the first frame gives them. */
class InfoTable {
  private names: string[] | undefined;

  constructor(
    private readonly out: CliIO['stdout'],
    private readonly players: number,
  ) {}

  row(frame: number, rewards: readonly number[], info: Record<string, number>): void {
    if (!this.names) {
      this.names = Object.keys(info);
      const rewardNames = this.players > 1 ? rewards.map((_, p) => `reward_p${p + 1}`) : ['reward'];
      this.out.write(['frame', ...rewardNames, ...this.names].join('\t') + '\n');
    }
    this.out.write([frame, ...rewards, ...this.names.map((n) => info[n])].join('\t') + '\n');
  }
}

function positiveInteger(raw: unknown, name: string): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new ArgumentError('INVALID_ARGUMENT', `--${name} must be a positive integer, got '${String(raw)}'`);
  return n;
}
