/** `retro playback <movie.bk2>`: replay a movie on its game, into a GIF and/or a per-frame table of variables. */

import { resolve } from 'node:path';
import { ArgumentError, RetroError } from '../errors.ts';
import { GifRecorder } from '../media/gif.ts';
import { Movie } from '../movie/movie.ts';
import { makeReplayEnv, replayMovie } from '../movie/replay.ts';
import { defineCommand } from './command.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, LOOKUP_OPTIONS, lookupOptions, plural, processIO, type CliIO } from './io.ts';

const PLAYBACK = defineCommand({
  name: 'playback',
  usage: 'retro playback <movie.bk2> [--gif out.gif] [--info] [--scenario S] [options]',
  about: `Replays a .bk2 movie (recorded here with RecordMovie, or by stable-retro) on its
game, from the movie's start state, one frame per line of its input log.`,
  options: {
    gif: { type: 'string', value: '<file>', help: 'Write the replay to an animated GIF' },
    'gif-every': { type: 'string', value: '<n>', help: 'Keep every n-th frame in the GIF (default 1); it still\nplays at game speed' },
    info: { type: 'boolean', help: "Print a tab-separated table to stdout: each frame's\nreward and the integration's variables" },
    scenario: { type: 'string', value: '<name|file>', help: 'Rewards from this scenario (default: scenario)' },
    ...LOOKUP_OPTIONS,
  },
});

export async function runPlayback(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = PLAYBACK.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return PLAYBACK.usageError(io, 'give one movie file');
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
