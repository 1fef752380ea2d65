/** Episode bookkeeping shared by `make(game, { record })`, `RecordMovie` and BatchEnv: one .bk2 per episode. */

import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { platformOf } from './columns.ts';
import { writeMovie } from './movie.ts';

export interface RecordedGame {
  game: string;
  system: string;
  players: number;
  /** The start state's name, for the movie's file name (`none` for power-on). */
  stateName: string | null;
}

/**
 * Writes `dir/<game>-<state>-<episode>.bk2` (episodes numbered from 000000): the start state, then one line per
 * frame, the first being the frame `reset()` runs with the buttons released.
 *
 * Several recorders may share a folder (the envs of a vector env, other processes): each movie takes the lowest
 * number from its recorder's last one up that no file has yet, claimed by creating the file exclusively, so no
 * movie overwrites another and none needs to know the others. Alone in an empty folder, episode n is number n.
 */
export class MovieRecorder {
  /** The path of the movie written last. */
  lastMovie: string | undefined;
  /** The number the next movie tries first. */
  private nextNumber = 0;
  private recording: { startState: Uint8Array; frames: number[][] } | undefined;

  constructor(
    readonly dir: string,
    private readonly game: RecordedGame,
  ) {
    // A system without movie platforms is refused now, not when the first episode is written.
    platformOf(game.system);
    mkdirSync(dir, { recursive: true });
  }

  /** An episode starts from `startState` (the unfinished one, if any, is written first). */
  begin(startState: Uint8Array): void {
    this.finish();
    this.recording = { startState: Uint8Array.from(startState), frames: [new Array<number>(this.game.players).fill(0)] };
  }

  /** `frames` frames were run with these button masks, one per player. */
  add(masks: readonly number[], frames: number): void {
    if (!this.recording) return;
    for (let i = 0; i < frames; i++) this.recording.frames.push([...masks]);
  }

  /** Writes the episode being recorded, if any. */
  finish(): void {
    if (!this.recording) return;
    const { startState, frames } = this.recording;
    this.recording = undefined;
    const { game, system, players } = this.game;
    const path = this.claimPath();
    try {
      // Atomic: the claimed empty file is replaced by the whole movie at once.
      writeMovie(path, { game, system, players, startState, frames });
    } catch (e) {
      rmSync(path, { force: true });
      throw e;
    }
    this.lastMovie = path;
  }

  /** Creates the next free `<game>-<state>-<number>.bk2` (empty, exclusively) and returns its path. */
  private claimPath(): string {
    const { game, stateName } = this.game;
    for (;;) {
      const path = join(this.dir, `${game}-${stateName ?? 'none'}-${String(this.nextNumber).padStart(6, '0')}.bk2`);
      this.nextNumber++;
      try {
        closeSync(openSync(path, 'wx'));
        return path;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  }
}
