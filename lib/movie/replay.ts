/** Playing a movie back into an env, frame by frame, the way stable-retro's playback does. */

import { Actions } from '../env/action-codec.ts';
import { make, State, type MakeOptions, type RetroEnv, type StepResult } from '../env/retro-env.ts';
import { MovieError } from '../errors.ts';
import type { Movie } from './movie.ts';

/** One replayed frame: its index, the buttons it pressed and what the env reported after it. */
export interface ReplayedFrame extends StepResult {
  frame: number;
  masks: readonly number[];
}

/**
 * An env for replaying `movie`: its game at power-on with one frame per step, every button available to each of
 * its players. `options` adds lookup options, a scenario, core options.
 */
export function makeReplayEnv(movie: Movie, options: MakeOptions = {}): RetroEnv {
  if (movie.game === '?' || movie.game === '') {
    throw new MovieError('MOVIE_INVALID', `${movie.file}: the header names no game (GameName), so there is nothing to replay it on`, { file: movie.file });
  }
  const env = make(movie.game, { ...options, state: State.NONE, players: movie.players, frameskip: 1, useRestrictedActions: Actions.ALL, analog: false });
  if (env.integration.system !== movie.system) {
    env.close();
    throw new MovieError('MOVIE_INVALID', `${movie.file}: a ${movie.system} movie cannot play on ${movie.game}, a ${env.integration.system} game`, { file: movie.file });
  }
  return env;
}

/**
 * Replays every frame of `movie` in `env` (from {@link makeReplayEnv}): loads the start state (power-on when the
 * movie has none) and steps one frame per movie frame. Frame 0 is the frame a reset runs, so a movie recorded
 * here gives the same RAM after frame i as the recorded episode after its reset (i = 0) or i-th step. The env must
 * be fresh from {@link makeReplayEnv} for a movie that starts at power-on. Frame 0's reward is the scenario's for
 * that frame, which a recorded `reset()` does not report.
 */
export function* replayMovie(movie: Movie, env: RetroEnv): Generator<ReplayedFrame, void, undefined> {
  // Made with State.NONE, the env sits at power-on until its first reset.
  const start = movie.startState ?? env.saveState();
  env.reset();
  env.loadState(start);
  const buttons = env.buttons.length;
  const action = new Uint8Array(buttons * movie.players);
  let frame = 0;
  for (const masks of movie) {
    for (let p = 0; p < movie.players; p++) {
      for (let bit = 0; bit < buttons; bit++) action[p * buttons + bit] = (masks[p] >>> bit) & 1;
    }
    yield { frame, masks, ...env.step(action) };
    frame++;
  }
}
