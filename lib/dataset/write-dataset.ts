/**
 * Turns a `.bk2` movie into a demonstration data set for behavioural cloning: the movie is replayed on its game
 * (as `retro playback` does), each frame's picture goes through the chosen wrappers, and observations, actions,
 * rewards, dones and variables are written to `data.bin` with a JSON index. Observations stream to disk as they
 * come, so a long movie needs no more memory than a short one.
 */

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Env, EnvStepResult, ResetResult } from '../env/env.ts';
import type { MakeOptions } from '../env/make-options.ts';
import type { RetroEnv } from '../env/retro-env.ts';
import { DatasetError, MovieError } from '../errors.ts';
import { jsonText, writeFileAtomic } from '../integrate/atomic-file.ts';
import { Movie } from '../movie/movie.ts';
import { makeReplayEnv, replayMovie, type ReplayedFrame } from '../movie/replay.ts';
import type { AnySpace } from '../spaces/space.ts';
import { DATA_FILE, DATASET_FORMAT, DATASET_VERSION, INDEX_FILE, layOut, type DatasetIndex } from './dataset-index.ts';
import { applyWrappers, parseWrapperList, type WrapperSpec } from './wrapper-spec.ts';

export interface WriteDatasetOptions extends Pick<MakeOptions, 'integrationPaths' | 'dataDir' | 'env' | 'scenario'> {
  /** Observation preprocessing, as specs or as `gray,resize=84,stack=4` (default none: RGB frames). */
  wrappers?: readonly WrapperSpec[] | string;
}

/**
 * The replayed frames as an env, so the library's wrappers preprocess exactly them: `reset()` gives frame 0 (the
 * frame a reset runs), each `step()` the next frame, whatever action it is given.
 */
class ReplayFeed implements Env<Uint8Array, unknown, AnySpace, AnySpace> {
  readonly observationSpace: AnySpace;
  readonly actionSpace: AnySpace;
  /** The frame the last reset or step returned. */
  last: ReplayedFrame | undefined;

  constructor(
    private readonly frames: Iterator<ReplayedFrame>,
    private readonly env: RetroEnv,
  ) {
    this.observationSpace = env.observationSpace;
    this.actionSpace = env.actionSpace;
  }

  private next(): ReplayedFrame {
    const item = this.frames.next();
    if (item.done) throw new DatasetError('DATASET_INVALID', 'the replay ran out of frames');
    this.last = item.value;
    return item.value;
  }

  reset(): ResetResult<Uint8Array> {
    const frame = this.next();
    return { observation: frame.observation, info: frame.info };
  }

  step(): EnvStepResult<Uint8Array> {
    const { observation, reward, terminated, truncated, info } = this.next();
    return { observation, reward, terminated, truncated, info };
  }

  render(): Uint8Array {
    return this.env.render();
  }

  close(): void {}
}

export interface DatasetSummary {
  dir: string;
  index: DatasetIndex;
  /** Size of data.bin. */
  bytes: number;
}

/**
 * Replays `movie` and writes `<outDir>/index.json` and `<outDir>/data.bin` (each replaced atomically).
 * @throws MovieError for a damaged movie, one for another system, or one too short to hold a step; the errors of
 *   make() for a game that is not installed.
 */
export function writeDataset(movie: string | Movie, outDir: string, options: WriteDatasetOptions = {}): DatasetSummary {
  const source = typeof movie === 'string' ? Movie.open(resolve(movie)) : movie;
  const specs = typeof options.wrappers === 'string' ? parseWrapperList(options.wrappers) : [...(options.wrappers ?? [])];
  const steps = source.frameCount - 1;
  if (steps < 1) throw new MovieError('MOVIE_INVALID', `${source.file}: ${source.frameCount} frame(s): a data set needs at least 2 (a reset frame and a step)`, { file: source.file });
  const { wrappers: _ignored, ...makeOptions } = options;
  const env = makeReplayEnv(source, makeOptions);
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${DATA_FILE}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    const feed = new ReplayFeed(replayMovie(source, env), env);
    const wrapped = applyWrappers(feed, specs);
    const first = wrapped.reset();
    const obsShape = [...(wrapped.observationSpace as { shape: readonly number[] }).shape];
    const obsSize = obsShape.reduce((a, b) => a * b, 1);
    const names = Object.keys(first.info);
    const players = source.players;
    const { arrays, total } = layOut({
      observations: { dtype: 'uint8', shape: [steps, ...obsShape] },
      actions: { dtype: 'uint16', shape: [steps, players] },
      rewards: { dtype: 'float64', shape: [steps, players] },
      terminated: { dtype: 'uint8', shape: [steps] },
      variables: { dtype: 'float64', shape: [steps, names.length] },
    });
    const actions = new Uint16Array(steps * players);
    const rewards = new Float64Array(steps * players);
    const terminated = new Uint8Array(steps);
    const variables = new Float64Array(steps * names.length);

    fd = openSync(temp, 'wx');
    let observation = first.observation;
    let info = first.info;
    for (let t = 0; t < steps; t++) {
      if (observation.length !== obsSize) throw new DatasetError('DATASET_INVALID', `step ${t}: an observation of ${observation.length} bytes, expected ${obsSize}`);
      writeSync(fd, observation, 0, obsSize, arrays.observations.offset + t * obsSize);
      names.forEach((name, i) => (variables[t * names.length + i] = info[name]));
      const result = wrapped.step(undefined);
      const frame = feed.last!;
      for (let p = 0; p < players; p++) {
        actions[t * players + p] = frame.masks[p] ?? 0;
        rewards[t * players + p] = frame.rewards[p] ?? 0;
      }
      terminated[t] = result.terminated ? 1 : 0;
      observation = result.observation;
      info = result.info;
    }
    const put = (bytes: ArrayBufferView, offset: number) => writeSync(fd!, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength, offset);
    put(actions, arrays.actions.offset);
    put(rewards, arrays.rewards.offset);
    put(terminated, arrays.terminated.offset);
    put(variables, arrays.variables.offset);
    // Pads the file to its laid-out length, so every view a reader makes lies inside it.
    if (total > arrays.variables.offset + arrays.variables.bytes) writeSync(fd, new Uint8Array(1), 0, 1, total - 1);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, join(dir, DATA_FILE));

    const index: DatasetIndex = {
      format: DATASET_FORMAT,
      version: DATASET_VERSION,
      game: source.game,
      system: source.system,
      movie: source.file,
      movieSha1: createHash('sha1').update(readFileSync(source.file)).digest('hex'),
      scenario: options.scenario ?? 'scenario',
      players,
      buttons: [...env.buttons],
      steps,
      wrappers: specs,
      variableNames: names,
      file: DATA_FILE,
      arrays,
    };
    writeFileAtomic(join(dir, INDEX_FILE), jsonText(index));
    return { dir, index, bytes: total };
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    env.close();
  }
}
