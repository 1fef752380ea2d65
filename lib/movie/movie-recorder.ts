/** Episode bookkeeping shared by `make(game, { record })` and the `RecordMovie` wrapper: one .bk2 per episode. */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
 */
export class MovieRecorder {
  /** The path of the movie written last. */
  lastMovie: string | undefined;
  private episodes = 0;
  private recording: { startState: Uint8Array; frames: number[][] } | undefined;

  constructor(
    readonly dir: string,
    private readonly game: RecordedGame,
  ) {
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
    const { game, system, players, stateName } = this.game;
    const path = join(this.dir, `${game}-${stateName ?? 'none'}-${String(this.episodes).padStart(6, '0')}.bk2`);
    this.episodes++;
    writeMovie(path, { game, system, players, startState, frames });
    this.lastMovie = path;
  }
}
