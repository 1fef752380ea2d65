import type { Autoreset } from './autoreset.ts';

/** The batch buffers the time limit reads (what the engine wrote) and writes (`truncations`). */
interface EpisodeBuffers {
  terminations: Uint8Array;
  truncations: Uint8Array;
  hasFinal: Uint8Array | undefined;
}

/**
 * Gymnasium's `TimeLimit` for BatchEnv, counted per env in TypeScript on top of every engine (the engines only know
 * an episode's end by the game's rules): an episode's `maxEpisodeSteps`-th step sets `truncations`, unless it
 * terminated. The engines' autoreset only follows terminations, so BatchEnv resets truncated envs itself: at their
 * next send in `next-step` mode (their action ignored), within the same step in `same-step` mode.
 */
export class EpisodeTimeLimit {
  /** Steps of each env's current episode. */
  private readonly steps: Uint32Array;
  /** 1 where the job last sent to the env resets it (next-step autoreset) rather than steps it. */
  private readonly resetting: Uint8Array;

  constructor(
    numEnvs: number,
    readonly maxEpisodeSteps: number,
    private readonly autoreset: Autoreset,
    private readonly buffers: EpisodeBuffers,
  ) {
    this.steps = new Uint32Array(numEnvs);
    this.resetting = new Uint8Array(numEnvs);
  }

  /**
   * Called before `ids` are sent, while the buffers still show their last results: which of them must be reset
   * instead of stepped (next-step mode, truncated last step). Also remembers which will start a new episode, those
   * the engine resets after a termination included.
   */
  plan(ids: Uint32Array): boolean[] {
    const { terminations, truncations } = this.buffers;
    return Array.from(ids, (id) => {
      const ended = this.autoreset === 'next-step' && (terminations[id] === 1 || truncations[id] === 1);
      this.resetting[id] = ended ? 1 : 0;
      return ended && truncations[id] === 1;
    });
  }

  /**
   * Called once the engine answered for `ids`: counts their steps and sets `truncations`. Returns the envs truncated
   * now that must be reset within this step (same-step mode); their count already starts over.
   */
  counted(ids: Uint32Array): number[] {
    const { terminations, truncations, hasFinal } = this.buffers;
    const resetNow: number[] = [];
    for (const id of ids) {
      truncations[id] = 0;
      // A next-step reset, or a same-step reset after a termination: a new episode began.
      if (this.resetting[id] === 1 || hasFinal?.[id] === 1) {
        this.resetting[id] = 0;
        this.steps[id] = 0;
        continue;
      }
      this.steps[id]++;
      if (this.steps[id] < this.maxEpisodeSteps || terminations[id] === 1) continue;
      truncations[id] = 1;
      if (this.autoreset === 'same-step') {
        this.steps[id] = 0;
        resetNow.push(id);
      }
    }
    return resetNow;
  }

  /** `ids` were reset from outside (reset(), restart()): their episodes start over, nothing is pending. */
  restarted(ids: ArrayLike<number>): void {
    for (const id of Array.from(ids)) {
      this.steps[id] = 0;
      this.resetting[id] = 0;
      this.buffers.truncations[id] = 0;
    }
  }
}
