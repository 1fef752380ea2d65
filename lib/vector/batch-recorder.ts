/** BatchEnv's `record`: one `.bk2` per episode of each env, from the jobs the batch sends its engine. */

import type { Action } from '../env/retro-env.ts';
import { MovieRecorder, type RecordedGame } from '../movie/movie-recorder.ts';
import type { Autoreset } from './autoreset.ts';
import type { BatchEngine } from './batch-engine.ts';

export interface BatchRecording {
  dir: string;
  game: RecordedGame;
  numEnvs: number;
  /** The state every reset loads (the engines' start state). */
  startState: Uint8Array;
  /** Frames each step runs. */
  frameskip: number;
  autoreset: Autoreset;
}

/**
 * Follows the engines' episode rules from outside (`BatchStepper::runJob`, mirrored by the TS `Autoresetter`): a
 * reset job loads the start state and runs one frame with the buttons released (a movie's frame 0); a step job
 * runs `frameskip` frames with the env's masks; after a termination, next-step autoreset turns the env's next job
 * into a reset and same-step resets it within the step. Movies therefore match what `make(game, { record })`
 * writes for the same actions: a step that ended its episode early still records `frameskip` frames, the ones past
 * the end being outside the episode.
 */
export class BatchRecorder {
  private readonly recorders: MovieRecorder[];
  /** 1 where the env's episode ended (next-step): its next job is a reset, whatever action it carries. */
  private readonly resetsNext: Uint8Array;

  constructor(private readonly config: BatchRecording) {
    this.recorders = Array.from({ length: config.numEnvs }, () => new MovieRecorder(config.dir, config.game));
    this.resetsNext = new Uint8Array(config.numEnvs);
  }

  /** `ids` were sent a reset: their episodes (any unfinished one written first) begin. */
  reset(ids: ArrayLike<number>): void {
    for (const id of Array.from(ids)) this.beginEpisode(id);
  }

  /** `ids` were sent a step with `masks` (players masks per env, in `ids` order). */
  sent(ids: ArrayLike<number>, masks: ArrayLike<number>): void {
    const { players } = this.config.game;
    Array.from(ids).forEach((id, i) => {
      if (this.resetsNext[id] === 1) this.beginEpisode(id);
      else this.recorders[id].add(Array.from({ length: players }, (_, p) => masks[i * players + p]), this.config.frameskip);
    });
  }

  /** The engine answered for `ids`; `terminations` is the batch's buffer, as the engine wrote it. */
  received(ids: ArrayLike<number>, terminations: Uint8Array): void {
    for (const id of Array.from(ids)) {
      if (terminations[id] !== 1) continue;
      this.recorders[id].finish();
      if (this.config.autoreset === 'next-step') this.resetsNext[id] = 1;
      else this.recorders[id].begin(this.config.startState);  // the engine already reset it
    }
  }

  /** `ids` hit the time limit where `truncations` is 1: their episodes are over (the batch sends their resets). */
  truncated(ids: ArrayLike<number>, truncations: Uint8Array): void {
    for (const id of Array.from(ids)) if (truncations[id] === 1) this.recorders[id].finish();
  }

  /** Writes every unfinished episode. */
  close(): void {
    let failure: unknown;
    for (const recorder of this.recorders) {
      try {
        recorder.finish();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }

  private beginEpisode(id: number): void {
    this.resetsNext[id] = 0;
    this.recorders[id].begin(this.config.startState);
  }
}

/**
 * `engine` with every job also told to `recorder`, after the engine took it (a job it refuses records nothing);
 * `masks` turns actions into button masks, `terminations` is the batch's flags after a recv. Closing writes the
 * unfinished episodes, then closes the engine.
 */
export function recordingEngine(
  engine: BatchEngine,
  recorder: BatchRecorder,
  masks: (actions: readonly Action[]) => Uint16Array,
  terminations: Uint8Array,
): BatchEngine {
  return {
    send: (ids, actions) => {
      engine.send(ids, actions);
      recorder.sent(ids, masks(actions));
    },
    sendReset: (ids) => {
      engine.sendReset(ids);
      recorder.reset(ids);
    },
    recv: (n) => {
      const ids = engine.recv(n);
      recorder.received(ids, terminations);
      return ids;
    },
    close: () => {
      try {
        recorder.close();
      } finally {
        engine.close();
      }
    },
  };
}
