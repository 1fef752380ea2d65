/** A wrapper that records every episode of an env to a `.bk2` movie, as stable-retro's `make(game, record=dir)`. */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Action, RetroEnv, StepResult } from '../env/retro-env.ts';
import { ArgumentError } from '../errors.ts';
import { Wrapper, type ResetArgs } from '../wrappers/wrapper.ts';
import { writeMovie } from './movie.ts';

export interface RecordMovieOptions {
  /** The folder the movies go to (made if missing). */
  dir: string;
}

/**
 * Records each episode of a `RetroEnv` into `dir/<game>-<state>-<episode>.bk2` (episode numbered from 000000), a
 * movie stable-retro and BizHawk can play: the start state, then one line per frame, the first being the frame
 * `reset()` runs with the buttons released. A movie is written when its episode ends (terminated or truncated), at
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
  /** The path of the movie written last. */
  lastMovie: string | undefined;
  private episodes = 0;
  private recording: { startState: Uint8Array; frames: number[][] } | undefined;

  constructor(env: RetroEnv, options: RecordMovieOptions) {
    super(env);
    this.dir = options.dir;
    mkdirSync(this.dir, { recursive: true });
  }

  override reset(args?: ResetArgs): ReturnType<RetroEnv['reset']> {
    this.finishEpisode();
    if (args?.options?.state !== undefined) {
      throw new ArgumentError('INVALID_ARGUMENT', 'RecordMovie records from the env\'s own start state: make the env with { state } instead of passing options.state to reset()', { field: 'options.state' });
    }
    const result = this.env.reset(args);
    this.recording = { startState: this.env.startState, frames: [new Array<number>(this.env.players).fill(0)] };
    return result;
  }

  override step(action: Action): StepResult {
    const masks = this.env.actionToMasks(action);  // throws INVALID_ACTION as step() would, before anything is recorded
    const result = this.env.step(action);
    if (this.recording) {
      for (let i = 0; i < this.env.frameskip; i++) this.recording.frames.push(masks);
      if (result.terminated || result.truncated) this.finishEpisode();
    }
    return result;
  }

  override close(): void {
    try {
      this.finishEpisode();
    } finally {
      this.env.close();
    }
  }

  private finishEpisode(): void {
    if (!this.recording) return;
    const { startState, frames } = this.recording;
    this.recording = undefined;
    const path = join(this.dir, `${this.env.game}-${this.env.stateName ?? 'none'}-${String(this.episodes).padStart(6, '0')}.bk2`);
    this.episodes++;
    writeMovie(path, { game: this.env.game, system: this.env.integration.system, players: this.env.players, startState, frames });
    this.lastMovie = path;
  }
}
