/** A wrapper that records every episode of an env to a `.bk2` movie, as stable-retro's `make(game, record=dir)`. */

import { stickRecordingError, type Action, type RetroEnv, type StepResult } from '../env/retro-env.ts';
import { ArgumentError } from '../errors.ts';
import { Wrapper, type ResetArgs } from '../wrappers/wrapper.ts';
import { MovieRecorder } from './movie-recorder.ts';

export interface RecordMovieOptions {
  /** The folder the movies go to (made if missing). */
  dir: string;
}

/**
 * Records each episode of a `RetroEnv` into `dir/<game>-<state>-<number>.bk2` (the next number no file has, from
 * 000000, so envs sharing `dir` never overwrite each other), a movie stable-retro and BizHawk can play: the start
 * state, then one line per frame, the first being the frame `reset()` runs with the buttons released. A movie is written when its episode ends (terminated or truncated), at
 * the next `reset()`, or at `close()`.
 *
 * Wrap the `RetroEnv` itself, inside wrappers that change actions (`StickyActions`, `Discretizer`): the movie
 * records the buttons the emulator gets. With `frameskip` n every step records n frames, also for a step that ended
 * the episode early (the frames after its end change nothing in a replay of the episode).
 *
 * ```ts
 * const env = new RecordMovie(make('TinyKart-Nes'), { dir: 'movies' });
 * env.reset();  // ... episodes ...
 * env.close();  // movies/TinyKart-Nes-Track1-000000.bk2, ...
 * ```
 */
export class RecordMovie extends Wrapper<RetroEnv> {
  readonly dir: string;
  private readonly recorder: MovieRecorder;

  constructor(env: RetroEnv, options: RecordMovieOptions) {
    if (env.analog) throw stickRecordingError();
    super(env);
    this.dir = options.dir;
    this.recorder = new MovieRecorder(options.dir, { game: env.game, system: env.integration.system, players: env.players, stateName: env.stateName });
  }

  /** The path of the movie written last. */
  get lastMovie(): string | undefined {
    return this.recorder.lastMovie;
  }

  override reset(args?: ResetArgs): ReturnType<RetroEnv['reset']> {
    this.recorder.finish();
    if (args?.options?.state !== undefined) {
      throw new ArgumentError('INVALID_ARGUMENT', 'RecordMovie records from the env\'s own start state: make the env with { state } instead of passing options.state to reset()', { field: 'options.state' });
    }
    const result = this.env.reset(args);
    this.recorder.begin(this.env.startState);
    return result;
  }

  override step(action: Action): StepResult {
    const masks = this.env.actionToMasks(action);  // throws INVALID_ACTION as step() would, before anything is recorded
    const result = this.env.step(action);
    this.recorder.add(masks, this.env.frameskip);
    if (result.terminated || result.truncated) this.recorder.finish();
    return result;
  }

  override close(): void {
    try {
      this.recorder.finish();
    } finally {
      this.env.close();
    }
  }
}
