import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Actions } from '../lib/env/action-codec.ts';
import { Observations, type MakeOptions } from '../lib/env/retro-env.ts';
import { ArgumentError } from '../lib/errors.ts';
import { Movie, makeReplayEnv, replayMovie } from '../lib/movie/index.ts';
import { packageRoot } from '../lib/package-root.ts';
import type { Autoreset } from '../lib/vector/autoreset.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import type { VectorResetResult } from '../lib/vector/vector-result.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rgym-batch-record-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const lookup: MakeOptions = { integrationPaths: [join(packageRoot(), 'test', 'fixtures', 'integrations')], dataDir };
const FRAMESKIP = 4;
const options: MakeOptions = { ...lookup, useRestrictedActions: Actions.DISCRETE, frameskip: FRAMESKIP };
// Discrete actions of the fixture: 2 = DOWN, 5 = RIGHT, 9 = B, 18 = A, 0 = nothing. DOWN ends episodes (y > 200),
// 81 frames of it from the start state, within a step (frameskip 4): the step stops early.
const actionArb = fc.constantFrom(0, 2, 2, 2, 2, 2, 2, 5, 9, 18, 20);

/** An episode as the batch reported it: its steps, how it ended and its last observation and info. */
interface Episode {
  steps: number;
  end: 'terminated' | 'truncated' | 'open';
  observation: Uint8Array;
  info: Record<string, number>;
}

function observationOf({ observations, envIds }: VectorResetResult, i: number): Uint8Array {
  const bytes = observations.length / envIds.length;
  return observations.slice(i * bytes, (i + 1) * bytes);
}

/**
 * Steps a recording batch through `actions` and returns the episodes it reported, from its results alone (the
 * Gymnasium autoreset rules), to compare the movies with.
 */
function runBatch(batch: BatchEnv, actions: number[][]): Episode[] {
  const n = batch.numEnvs;
  const episodes: Episode[] = [];
  const start = batch.reset();
  const current: Episode[] = Array.from({ length: n }, (_, i) => ({ steps: 0, end: 'open', observation: observationOf(start, i), info: start.infos[i] }));
  const resetsNext = new Array<boolean>(n).fill(false);
  for (const row of actions) {
    const r = batch.step(row);
    for (let i = 0; i < n; i++) {
      const ended = r.terminations[i] === 1 || r.truncations[i] === 1;
      const end = r.terminations[i] === 1 ? 'terminated' : 'truncated';
      if (resetsNext[i]) {
        // next-step: this step reset the env, its action ignored.
        resetsNext[i] = false;
        current[i] = { steps: 0, end: 'open', observation: observationOf(r, i), info: r.infos[i] };
      } else if (batch.autoreset === 'same-step' && ended) {
        episodes.push({ steps: current[i].steps + 1, end, observation: r.finalObservation![i]!.slice(), info: r.finalInfo![i]! });
        current[i] = { steps: 0, end: 'open', observation: observationOf(r, i), info: r.infos[i] };
      } else {
        current[i] = { steps: current[i].steps + 1, end: 'open', observation: observationOf(r, i), info: r.infos[i] };
        if (ended) {
          episodes.push({ ...current[i], end });
          resetsNext[i] = true;
        }
      }
    }
  }
  batch.close();
  // An env whose episode ended last step (next-step) has no next episode yet: it would begin at its next step.
  return [...episodes, ...current.filter((_, i) => !resetsNext[i])];
}

/**
 * Replays `movie` and returns its length in steps, how its episode ended by the game's rules and what the replay
 * shows at the episode's end: the frame the game ended it on, else the last frame.
 */
function replayEnd(movie: Movie, replayOptions: MakeOptions, observe: (env: ReturnType<typeof makeReplayEnv>) => Uint8Array) {
  assert.equal((movie.frameCount - 1) % FRAMESKIP, 0, `${movie.file}: the reset frame, then ${FRAMESKIP} frames per step`);
  const steps = (movie.frameCount - 1) / FRAMESKIP;
  const lastStep = 1 + FRAMESKIP * (steps - 1);
  const env = makeReplayEnv(movie, replayOptions);
  try {
    let result: { terminated: boolean; observation: Uint8Array; info: Record<string, number> } | undefined;
    for (const frame of replayMovie(movie, env)) {
      const last = frame.frame === movie.frameCount - 1;
      if (frame.terminated && frame.frame < lastStep) assert.fail(`${movie.file}: the game ended the episode on frame ${frame.frame}, before its last step`);
      if (frame.terminated || last) {
        result = { terminated: frame.terminated, observation: observe(env), info: frame.info };
        break;
      }
    }
    return { steps, ...result! };
  } finally {
    env.close();
  }
}

/** Every movie in `dir` matches exactly one reported episode: same steps, end, last observation and info. */
function assertMoviesMatch(dir: string, episodes: Episode[], replayOptions: MakeOptions, observe: (env: ReturnType<typeof makeReplayEnv>) => Uint8Array): void {
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, episodes.map((_, k) => `TestRom-Nes-Start-${String(k).padStart(6, '0')}.bk2`), 'one movie per episode, numbered without gaps');
  const unmatched = [...episodes];
  for (const file of files) {
    const movie = Movie.open(join(dir, file));
    assert.deepEqual(movie.masks(0), [0], 'frame 0 is the reset frame, buttons released');
    const replayed = replayEnd(movie, replayOptions, observe);
    const k = unmatched.findIndex(
      (e) =>
        e.steps === replayed.steps &&
        (e.end === 'terminated') === replayed.terminated &&
        Buffer.compare(Buffer.from(e.observation), Buffer.from(replayed.observation)) === 0 &&
        JSON.stringify(e.info) === JSON.stringify(replayed.info),
    );
    assert.notEqual(k, -1, `${file} (${replayed.steps} steps, terminated ${replayed.terminated}) replays to the end of an episode the batch reported`);
    unmatched.splice(k, 1);
  }
  assert.equal(unmatched.length, 0);
}

/** How the recorded episodes ended, over all runs: the properties must have covered every kind. */
const endsSeen = new Set<Episode['end']>();

const runArb = fc.record({
  actions: fc.array(fc.array(actionArb, { minLength: 3, maxLength: 3 }), { minLength: 40, maxLength: 90, size: 'max' }),
  autoreset: fc.constantFrom<Autoreset>('next-step', 'same-step'),
  maxEpisodeSteps: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined, freq: 2 }),
});

test('the native BatchEnv records every episode of every env; each movie replays to the image and info the batch reported at its end', () => {
  fc.assert(
    fc.property(runArb, ({ actions, autoreset, maxEpisodeSteps }) => {
      const dir = mkdtempSync(join(dataDir, 'native-'));
      const batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 3, threads: 2, autoreset, maxEpisodeSteps, record: dir });
      assert.equal(batch.engine, 'native');
      const episodes = runBatch(batch, actions);
      assertMoviesMatch(dir, episodes, lookup, (env) => env.render());
      for (const e of episodes) endsSeen.add(e.end);
    }),
    { numRuns: 8, seed: 13 },
  );
  assert.deepEqual([...endsSeen].sort(), ['open', 'terminated', 'truncated'], 'the runs ended episodes every way');
});

test('the worker-thread BatchEnv records too: each movie replays to the RAM the batch observed at its episode\'s end', { timeout: 240_000 }, () => {
  fc.assert(
    fc.property(runArb, ({ actions, autoreset, maxEpisodeSteps }) => {
      const dir = mkdtempSync(join(dataDir, 'workers-'));
      // RAM observations need the worker engine; the observation is then the RAM itself.
      const batch = new BatchEnv('TestRom-Nes', { ...options, obsType: Observations.RAM, numEnvs: 3, threads: 2, autoreset, maxEpisodeSteps, record: dir });
      assert.equal(batch.engine, 'workers');
      const episodes = runBatch(batch, actions);
      assertMoviesMatch(dir, episodes, lookup, (env) => Uint8Array.from(env.emulator.memory.systemRam ?? []));
    }),
    { numRuns: 3, seed: 5 },
  );
});

test('an episode that ended on the last step before close is written once, with no empty one after it', () => {
  for (const autoreset of ['next-step', 'same-step'] as const) {
    const dir = mkdtempSync(join(dataDir, 'last-step-'));
    const batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, threads: 2, autoreset, maxEpisodeSteps: 1, record: dir });
    const episodes = runBatch(batch, [[5, 0]]);
    assert.equal(episodes.length, autoreset === 'next-step' ? 2 : 4, 'same-step began the next episodes already');
    assertMoviesMatch(dir, episodes, lookup, (env) => env.render());
  }
});

test('async send/recv records each env\'s own steps', () => {
  const dir = mkdtempSync(join(dataDir, 'async-'));
  const batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, batchSize: 1, threads: 2, record: dir });
  batch.reset();
  batch.send([5], [0]);
  batch.recv();
  batch.send([9], [1]);
  batch.recv();
  batch.send([5], [1]);
  batch.recv();
  batch.close();
  const movies = readdirSync(dir).map((f) => Movie.open(join(dir, f)));
  assert.deepEqual(movies.map((m) => m.frameCount).sort(), [1 + FRAMESKIP, 1 + 2 * FRAMESKIP]);
});

test('BatchEnv refuses record with isolate: process, and a record that is no folder path', () => {
  const dir = mkdtempSync(join(dataDir, 'refused-'));
  assert.throws(
    () => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, isolate: 'process', record: dir }),
    (e: unknown) => e instanceof ArgumentError && /record is not supported with isolate: 'process'/.test(e.message),
  );
  assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, record: '' }), (e: unknown) => e instanceof ArgumentError && /record must be a folder path/.test(e.message));
  assert.deepEqual(readdirSync(dir), []);
});
