import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../lib/cli/dispatch.ts';
import { readDataset } from '../lib/dataset/read-dataset.ts';
import { parseWrapperList } from '../lib/dataset/wrapper-spec.ts';
import { writeDataset } from '../lib/dataset/write-dataset.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { make } from '../lib/env/retro-env.ts';
import { ArgumentError, DatasetError, MovieError } from '../lib/errors.ts';
import { resizeArea, rgbToGray } from '../lib/frame-ops.ts';
import { RecordMovie } from '../lib/movie/record-movie.ts';
import { Rng } from '../lib/rng.ts';

interface Recording {
  movie: string;
  /** The observation after the reset, then after each step (copies). */
  observations: Uint8Array[];
  masks: number[];
  rewards: number[];
  terminated: boolean[];
  infos: Record<string, number>[];
  width: number;
  height: number;
}

const STEPS = 120;
let tmp: string;
let recording: Recording;

/** Plays seeded random buttons on TinyKart, one frame per step, recording a movie of it. */
function record(dir: string): Recording {
  const env = new RecordMovie(make('TinyKart-Nes', { useRestrictedActions: Actions.ALL, frameskip: 1, dataDir: join(dir, 'data') }), { dir });
  try {
    const rng = Rng.fromSeed(11);
    env.actionSpace.seed(11);
    const first = env.reset({ seed: 11 });
    const [height, width] = env.observationSpace.shape;
    const out: Recording = { movie: '', observations: [first.observation.slice()], masks: [], rewards: [], terminated: [], infos: [first.info], width, height };
    const usable = env.unwrapped.buttons.reduce((mask, name, bit) => (name === null ? mask : mask | (1 << bit)), 0);
    let action = env.actionSpace.sample() as Uint8Array;
    for (let i = 0; i < STEPS; i++) {
      if (rng.integer(6) === 0) action = env.actionSpace.sample() as Uint8Array;
      action[env.unwrapped.buttons.indexOf('A')] = 1; // keep driving, so frames differ
      const result = env.step(action);
      // Movies keep the buttons a pad has; a bit with no button (null) is never pressed.
      out.masks.push(env.unwrapped.actionToMasks(action)[0] & usable);
      out.observations.push(result.observation.slice());
      out.rewards.push(result.reward);
      out.terminated.push(result.terminated);
      out.infos.push(result.info);
    }
    env.reset();
    out.movie = env.lastMovie!;
    return out;
  } finally {
    env.close();
  }
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'rgym-dataset-'));
  recording = record(join(tmp, 'movies'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('demonstration data sets', () => {
  test('round trip without wrappers: write, read, equal to the recorded episode', () => {
    const out = join(tmp, 'raw');
    const summary = writeDataset(recording.movie, out, { dataDir: join(tmp, 'data') });
    assert.deepEqual(readdirSync(out).sort(), ['data.bin', 'index.json']);
    const set = readDataset(out);
    assert.equal(set.steps, STEPS);
    assert.equal(set.index.game, 'TinyKart-Nes');
    assert.equal(set.index.players, 1);
    assert.deepEqual(set.observationShape, [STEPS, recording.height, recording.width, 3]);
    assert.equal(readFileSync(join(out, 'data.bin')).length, summary.bytes);
    const size = recording.height * recording.width * 3;
    // One buffer behind every array: zero-copy views.
    assert.equal(set.observations.buffer, set.rewards.buffer);
    assert.equal(set.actions.buffer, set.variables.buffer);
    for (let t = 0; t < STEPS; t++) {
      assert.ok(Buffer.from(set.observations.subarray(t * size, (t + 1) * size)).equals(recording.observations[t]), `observation ${t}`);
      assert.equal(set.actions[t], recording.masks[t], `action ${t}`);
      assert.equal(set.rewards[t], recording.rewards[t], `reward ${t}`);
      assert.equal(set.terminated[t], recording.terminated[t] ? 1 : 0, `terminated ${t}`);
      set.index.variableNames.forEach((name, i) => assert.equal(set.variables[t * set.index.variableNames.length + i], recording.infos[t][name], `${name} at ${t}`));
    }
    assert.ok(recording.rewards.some((r) => r !== 0), 'the episode earned some reward');
    assert.ok(new Set(recording.masks).size > 2, 'the episode pressed different buttons');
  });

  test('gray,resize=84,stack=4 matches the frame kernels applied to the recorded frames', () => {
    const out = join(tmp, 'stacked');
    writeDataset(recording.movie, out, { dataDir: join(tmp, 'data'), wrappers: 'gray,resize=84,stack=4' });
    const set = readDataset(out);
    assert.deepEqual(set.observationShape, [STEPS, 4, 84, 84]);
    assert.deepEqual(set.index.wrappers, [{ name: 'gray' }, { name: 'resize', width: 84, height: 84 }, { name: 'stack', n: 4 }]);
    const small = recording.observations.map((rgb) => resizeArea(rgbToGray(rgb), recording.width, recording.height, 1, new Uint8Array(84 * 84), 84, 84));
    const frame = 84 * 84;
    for (let t = 0; t < STEPS; t++) {
      for (let k = 0; k < 4; k++) {
        // Oldest first; before the first frame the stack repeats it.
        const source = small[Math.max(0, t - 3 + k)];
        const got = set.observations.subarray((t * 4 + k) * frame, (t * 4 + k + 1) * frame);
        assert.ok(Buffer.from(got).equals(source), `step ${t}, slot ${k}`);
      }
    }
  });

  test('retro dataset writes one from the command line; bad wrappers are usage errors', async () => {
    const io = (cwd: string) => {
      const text = { out: '', err: '' };
      return { text, io: { stdout: { write: (s: string) => (text.out += s) }, stderr: { write: (s: string) => (text.err += s) }, env: { ...process.env, RETRO_DATA_DIR: join(tmp, 'data') }, cwd } };
    };
    const ok = io(tmp);
    assert.equal(await runCli(['dataset', recording.movie, '--out', 'cli', '--wrappers', 'gray,resize=32x24'], ok.io), 0, ok.text.err);
    assert.match(ok.text.out, new RegExp(`wrote cli: ${STEPS} steps of TinyKart-Nes, observations 24×32 uint8`));
    assert.deepEqual(readDataset(join(tmp, 'cli')).observationShape, [STEPS, 24, 32]);
    const bad = io(tmp);
    assert.equal(await runCli(['dataset', recording.movie, '--out', 'cli2', '--wrappers', 'blur'], bad.io), 2);
    assert.match(bad.text.err, /unknown wrapper 'blur'/);
  });

  test('damaged inputs are typed errors naming the file, and leave no data set behind', () => {
    const corrupt = join(tmp, 'corrupt.bk2');
    writeFileSync(corrupt, 'PK\u0003\u0004 not really a zip');
    assert.throws(() => writeDataset(corrupt, join(tmp, 'never')), (e: unknown) => e instanceof MovieError && e.message.includes(corrupt));
    assert.throws(() => readDataset(join(tmp, 'never')), (e: unknown) => e instanceof DatasetError && e.code === 'DATASET_INVALID' && /index\.json/.test(e.message));
    const out = join(tmp, 'truncated');
    writeDataset(recording.movie, out, { dataDir: join(tmp, 'data'), wrappers: [{ name: 'gray' }] });
    const data = readFileSync(join(out, 'data.bin'));
    writeFileSync(join(out, 'data.bin'), data.subarray(0, data.length - 100));
    assert.throws(() => readDataset(out), (e: unknown) => e instanceof DatasetError && /outside data\.bin/.test(e.message));
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    writeFileSync(join(out, 'index.json'), JSON.stringify({ ...index, version: 99 }));
    assert.throws(() => readDataset(out), (e: unknown) => e instanceof DatasetError && /version 99/.test(e.message));
    assert.throws(() => parseWrapperList('resize=0'), ArgumentError);
    assert.throws(() => parseWrapperList('stack'), ArgumentError);
    assert.deepEqual(parseWrapperList(' gray , resize=84x64:bilinear '), [{ name: 'gray' }, { name: 'resize', width: 84, height: 64, interpolation: 'bilinear' }]);
  });
});
