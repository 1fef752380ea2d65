/**
 * `retro play --record out.bk2`: every frame's buttons into `.bk2` movies. Each episode (from the first start and
 * from every reset) is one movie: the first goes to `out.bk2`, later ones to `out-2.bk2`, `out-3.bk2`, ... A movie
 * starts from the state the emulator was in right after the reset, and has one line per frame played after it, so
 * `retro playback` (or `replayMovie`) reaches the same RAM on every frame.
 */

import { MovieError, RetroError } from '../errors.ts';
import { writeMovie } from '../movie/movie.ts';

export interface RecordedGameInfo {
  game: string;
  system: string;
}

export class PlayRecorder {
  /** Movies written so far (paths), in order. */
  readonly written: string[] = [];
  private episode = 0;
  private current: { path: string; startState: Uint8Array; frames: number[][]; saved: number } | undefined;

  constructor(
    private readonly path: string,
    private readonly game: RecordedGameInfo,
  ) {}

  /** A new episode starts from `startState`; the one being recorded is written first. */
  begin(startState: Uint8Array): void {
    this.finish();
    this.episode++;
    const path = this.episode === 1 ? this.path : this.path.replace(/(\.bk2)?$/i, (ext) => `-${this.episode}${ext || ''}`);
    this.current = { path, startState: Uint8Array.from(startState), frames: [], saved: -1 };
  }

  /** One frame was played with player 1's buttons `mask`. */
  add(mask: number): void {
    this.current?.frames.push([mask]);
  }

  /** Path of the movie being recorded. */
  get currentPath(): string | undefined {
    return this.current?.path;
  }

  get frames(): number {
    return this.current?.frames.length ?? 0;
  }

  /** Writes the episode so far (atomically), so a crash or a closed terminal loses at most what came after. */
  save(): void {
    const episode = this.current;
    if (!episode || episode.saved === episode.frames.length) return;
    try {
      writeMovie(episode.path, { game: this.game.game, system: this.game.system, players: 1, startState: episode.startState, frames: episode.frames });
    } catch (e) {
      if (e instanceof RetroError) throw e;
      // As writeStateFile does for states: the write's failure, typed, naming the file.
      throw new MovieError('MOVIE_INVALID', `cannot write movie ${episode.path}: ${(e as Error).message}`, { file: episode.path }, { cause: e });
    }
    episode.saved = episode.frames.length;
    if (!this.written.includes(episode.path)) this.written.push(episode.path);
  }

  /** Writes the episode being recorded and stops recording it. */
  finish(): void {
    this.save();
    this.current = undefined;
  }
}
