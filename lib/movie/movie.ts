/**
 * `.bk2` movies, as stable-retro's `retro.Movie` and BizHawk read them: every frame's button masks from a start
 * state. {@link Movie} reads one; {@link writeMovie} writes one, byte for byte the entries stable-retro writes.
 */

import { MovieError } from '../errors.ts';
import { columnsOf, platformOf, readablePlatforms, systemOfPlatform } from './columns.ts';
import { encodeBk2, HEADER, readBk2, stableRetroHeader, writeBk2 } from './bk2.ts';
import { formatInputLog, parseInputLog } from './input-log.ts';

/** What a movie holds. */
export interface MovieContents {
  /** The integration's name, e.g. `TinyKart-Nes` (the header's `GameName`). */
  game: string;
  /** Our system id: `nes`, `genesis`, ... (a system whose descriptor has `moviePlatforms`). */
  system: string;
  /** Players whose buttons the log records (1 by default). */
  players?: number;
  /** The state the first frame starts from (`Core.bin`); none for power-on, which stable-retro cannot open. */
  startState?: Uint8Array;
  /** frames[i][p]: player p's button mask on frame i, bits as in `cores/<system>.json`'s `buttons`. */
  frames: readonly (readonly number[])[];
}

/** The `.bk2` bytes of a movie. */
export function encodeMovie(contents: MovieContents, mtime?: Date): Uint8Array {
  return encodeBk2(bk2Parts(contents), mtime);
}

/** Writes a movie to `path` (atomically), in stable-retro's format. */
export function writeMovie(path: string, contents: MovieContents): void {
  writeBk2(path, bk2Parts(contents));
}

function bk2Parts({ game, system, players = 1, startState, frames }: MovieContents): Parameters<typeof writeBk2>[1] {
  const columns = columnsOf(system);
  const layout = Array.from({ length: players }, () => columns);
  return { header: stableRetroHeader(platformOf(system), game), inputLog: formatInputLog(layout, frames), startState };
}

/**
 * A recorded movie, read whole when opened (a damaged one fails then, naming the file and line).
 *
 * ```ts
 * const movie = Movie.open('TinyKart-Nes-Track1-000000.bk2');
 * movie.game;                    // 'TinyKart-Nes'
 * for (const masks of movie) {}  // one button mask per player, frame after frame
 * ```
 * Frame 0 is the frame a reset runs after loading the start state (its buttons are released); see
 * `replayMovie` for playing one back into an env.
 */
export class Movie implements Iterable<readonly number[]> {
  /** The file it was read from. */
  readonly file: string;
  /** `GameName` from the header (`?` when the recorder did not know it). */
  readonly game: string;
  /** Our system id (`nes`, ...), from the header's `Platform`. */
  readonly system: string;
  readonly players: number;
  /** The state frame 0 starts from, or undefined for power-on. */
  readonly startState: Uint8Array | undefined;
  /** Every header field (`Author`, `SHA1`, ...) as written. */
  readonly header: Readonly<Record<string, string>>;
  readonly #frames: number[][];

  private constructor(file: string, header: Record<string, string>, system: string, players: number, startState: Uint8Array | undefined, frames: number[][]) {
    this.file = file;
    this.header = header;
    this.game = header.GameName ?? '?';
    this.system = system;
    this.players = players;
    this.startState = startState;
    this.#frames = frames;
  }

  /** Reads a `.bk2`. @throws MovieError `MOVIE_INVALID` or `FILE_NOT_FOUND`, naming the file (and line). */
  static open(path: string): Movie {
    const parts = readBk2(path);
    const header = Object.fromEntries(parts.header);
    const platform = header.Platform;
    if (platform === undefined) throw new MovieError('MOVIE_INVALID', `${path}!/${HEADER}: no Platform line`, { file: path, entry: HEADER });
    const system = systemOfPlatform(platform);
    if (system === undefined) {
      throw new MovieError('MOVIE_INVALID', `${path}!/${HEADER}: platform "${platform}" is not one we can replay (${readablePlatforms().join(', ')})`, { file: path, entry: HEADER });
    }
    const { layout, frames } = parseInputLog(parts.inputLog, system, path);
    return new Movie(path, header, system, Math.max(1, layout.length), parts.startState, frames);
  }

  get frameCount(): number {
    return this.#frames.length;
  }

  /** The button mask of each player on `frame` (0-based). */
  masks(frame: number): readonly number[] {
    if (!Number.isInteger(frame) || frame < 0 || frame >= this.#frames.length) {
      throw new MovieError('INVALID_ARGUMENT', `frame ${frame} is outside ${this.file}'s ${this.#frames.length} frames`, { file: this.file });
    }
    return this.#frames[frame];
  }

  *[Symbol.iterator](): Iterator<readonly number[]> {
    yield* this.#frames;
  }
}
