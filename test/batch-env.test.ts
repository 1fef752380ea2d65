import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { make, type MakeOptions } from '../lib/env/retro-env.ts';
import { Actions } from '../lib/env/action-codec.ts';
import type { Autoreset } from '../lib/vector/autoreset.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import type { VectorResetResult } from '../lib/vector/vector-result.ts';
import { AtariPreprocessing } from '../lib/wrappers/atari-preprocessing.ts';
import { packageRoot } from '../lib/package-root.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rgym-batch-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const options: MakeOptions = {
  integrationPaths: [join(packageRoot(), 'test', 'fixtures', 'integrations')],
  dataDir,
  useRestrictedActions: Actions.DISCRETE,
  frameskip: 4,
};
// Discrete actions of the fixture: 2 = DOWN, 5 = RIGHT, 9 = B, 18 = A, 0 = nothing. DOWN ends episodes (y > 200).
const actionArb = fc.constantFrom(0, 2, 2, 2, 5, 18, 20);

/** Observation `i` of a result (its observations are back to back in one array). */
function frameOf({ observations, envIds }: VectorResetResult, i: number): Uint8Array {
  const bytes = observations.length / envIds.length;
  return observations.subarray(i * bytes, (i + 1) * bytes);
}

/** N separate envs stepped one by one, with the autoreset rule applied by hand. */
function referenceRun(n: number, actions: number[][], autoreset: Autoreset) {
  const envs = Array.from({ length: n }, () => make('TestRom-Nes', options));
  try {
    const initial = envs.map((e) => e.reset().observation.slice());
    const over = new Array(n).fill(false);
    const steps = actions.map((row) =>
      row.map((action, i) => {
        const env = envs[i];
        if (autoreset === 'next-step' && over[i]) {
          over[i] = false;
          const r = env.reset();
          return { observation: r.observation.slice(), reward: 0, terminated: 0, info: r.info, final: undefined };
        }
        const r = env.step(action);
        if (autoreset === 'next-step') {
          over[i] = r.terminated;
          return { observation: r.observation.slice(), reward: r.reward, terminated: Number(r.terminated), info: r.info, final: undefined };
        }
        if (!r.terminated) return { observation: r.observation.slice(), reward: r.reward, terminated: 0, info: r.info, final: undefined };
        const final = { observation: r.observation.slice(), info: r.info };
        const reset = env.reset();
        return { observation: reset.observation.slice(), reward: r.reward, terminated: 1, info: reset.info, final };
      }),
    );
    return { initial, steps };
  } finally {
    for (const e of envs) e.close();
  }
}

for (const autoreset of ['next-step', 'same-step'] as const) {
  test(`BatchEnv gives exactly the trajectories of separate envs stepped one by one (${autoreset})`, () => {
    const n = 3;
    fc.assert(
      // 1 worker: the calling thread helps (a CPU is free); 2: one pinned worker per CPU here; 3: more than CPUs.
      fc.property(fc.array(fc.array(actionArb, { minLength: n, maxLength: n }), { minLength: 5, maxLength: 40 }), fc.constantFrom(1, 2, 3), (actions, threads) => {
        const expected = referenceRun(n, actions, autoreset);
        const batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: n, threads, autoreset });
        try {
          const start = batch.reset();
          expected.initial.forEach((o, i) => assert.deepEqual(frameOf(start, i), o, `initial obs ${i}`));
          actions.forEach((row, t) => {
            const r = batch.step(row);
            for (let i = 0; i < n; i++) {
              const e = expected.steps[t][i];
              assert.equal(r.rewards[i], e.reward, `reward t=${t} env=${i}`);
              assert.equal(r.terminations[i], e.terminated, `terminated t=${t} env=${i}`);
              assert.deepEqual(r.infos[i], e.info, `info t=${t} env=${i}`);
              assert.deepEqual(frameOf(r, i), e.observation, `obs t=${t} env=${i}`);
              if (autoreset === 'same-step') {
                assert.equal(batch.hasFinal![i], e.final ? 1 : 0);
                assert.deepEqual(r.finalObservation![i], e.final?.observation ?? null);
                assert.deepEqual(r.finalInfo![i], e.final?.info ?? null);
                if (e.final) {
                  const bytes = e.final.observation.length;
                  assert.deepEqual(batch.finalObservations!.subarray(i * bytes, (i + 1) * bytes), e.final.observation);
                }
              }
            }
          });
        } finally {
          batch.close();
        }
      }),
      { numRuns: 6, seed: 99 },
    );
  });
}

test('async send/recv returns the first batchSize envs; the batch buffer is one contiguous array', () => {
  const batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 4, batchSize: 2, threads: 2 });
  try {
    batch.reset();
    assert.equal(batch.observations.length, 4 * 224 * 256 * 3);
    batch.send([5, 5, 5, 5]);
    const first = batch.recv();
    const second = batch.recv();
    assert.equal(first.envIds.length, 2);
    assert.deepEqual([...first.envIds, ...second.envIds].sort(), [0, 1, 2, 3]);
    const frameBytes = 224 * 256 * 3;
    assert.equal(first.observations.length, 2 * frameBytes, 'one array of batchSize observations');
    for (const [i, id] of first.envIds.entries()) {
      assert.deepEqual(first.observations.subarray(i * frameBytes, (i + 1) * frameBytes), batch.observations.subarray(id * frameBytes, (id + 1) * frameBytes));
    }
    batch.send([0, 0], [first.envIds[0], first.envIds[1]]);
    assert.equal(batch.recv().envIds.length, 2);
  } finally {
    batch.close();
  }
});

test('bad actions, bad envIds, recv before send and close while stepping are typed errors, not crashes or hangs', { timeout: 60_000 }, () => {
  const batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, batchSize: 1 });
  batch.reset();
  assert.throws(() => batch.send([0]), { code: 'INVALID_ACTION' });
  assert.throws(() => batch.send([0, 999]), { code: 'INVALID_ACTION' });
  assert.throws(() => batch.send([0, Number.NaN]), { code: 'INVALID_ACTION' });
  assert.throws(() => batch.send([0, 0], [0, 5]), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => batch.send([0, 0], [1, 1]), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => batch.recv(), { code: 'INVALID_ARGUMENT' }, 'recv before send');
  batch.send([0], [0]);
  assert.throws(() => batch.send([0], [0]), { code: 'INVALID_ARGUMENT' }, 'env 0 still in flight');
  batch.send([2], [1]);
  batch.close();
  assert.throws(() => batch.recv(), { code: 'ENV_CLOSED' });
  assert.throws(() => batch.step([0, 0]), { code: 'INVALID_ARGUMENT' });
  batch.close();
});

for (const autoreset of ['next-step', 'same-step'] as const) {
  test(`a TS-script scenario runs on worker_threads with the same results as the native stepper (${autoreset})`, { timeout: 120_000 }, () => {
    const native = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 3, autoreset });
    const workers = new BatchEnv('TestRom-Nes', { ...options, scenario: 'scenario-ts', numEnvs: 3, threads: 2, autoreset });
    try {
      assert.equal(native.engine, 'native');
      assert.equal(workers.engine, 'workers');
      const a = native.reset();
      const b = workers.reset();
      assert.deepEqual(b.observations, a.observations);
      for (let t = 0; t < 60; t++) {
        const actions = [2, t % 3 === 0 ? 5 : 2, 18];
        const ra = native.step(actions);
        const rb = workers.step(actions);
        assert.deepEqual(rb.rewards, ra.rewards, `rewards at ${t}`);
        assert.deepEqual(rb.terminations, ra.terminations, `terminated at ${t}`);
        assert.deepEqual(rb.infos, ra.infos, `infos at ${t}`);
        assert.deepEqual(rb.observations, ra.observations, `observations at ${t}`);
        if (autoreset === 'same-step') assert.deepEqual(workers.hasFinal, native.hasFinal);
      }
    } finally {
      native.close();
      workers.close();
    }
  });
}

test('native preprocessing on the workers equals AtariPreprocessing in TS on single envs (gray, 84×84, skip 4, max-pool)', () => {
  const skip = { ...options, frameskip: 4, maxPool: true };
  const batch = new BatchEnv('TestRom-Nes', { ...skip, numEnvs: 2, threads: 2, preprocess: { grayscale: true, width: 84, height: 84 } });
  // Single-frame envs: the reference skips, grays, pools and resizes in the TS wrappers.
  const refs = [0, 1].map(() => new AtariPreprocessing(make('TestRom-Nes', { ...options, frameskip: 1 }), { noopMax: 0 }));
  try {
    assert.deepEqual(batch.observationShape, [84, 84]);
    // Spaces as SyncVectorEnv has them: the preprocessed observation, batched; one action per env.
    assert.deepEqual(batch.singleObservationSpace.shape, [84, 84]);
    assert.deepEqual(batch.observationSpace.shape, [2, 84, 84]);
    assert.equal(batch.actionSpace.sample().length, 2);
    assert.equal(batch.observations.length, 2 * 84 * 84);
    const start = batch.reset();
    refs.forEach((ref, i) => assert.deepEqual(frameOf(start, i), ref.reset().observation));
    const pendingReset = [false, false];
    let episodesEnded = 0;
    for (let t = 0; t < 40; t++) {
      const actions = [[2, 5, 18, 0][t % 4], 2];
      const result = batch.step(actions);
      refs.forEach((ref, i) => {
        // next-step autoreset: the step after an episode's end resets that env.
        const r = pendingReset[i] ? { ...ref.reset(), reward: 0, terminated: false } : ref.step(actions[i]);
        pendingReset[i] = r.terminated;
        if (r.terminated) episodesEnded++;
        assert.deepEqual(frameOf(result, i), r.observation, `obs env ${i} t ${t}`);
        assert.equal(result.rewards[i], r.reward);
        assert.equal(result.terminations[i], r.terminated ? 1 : 0);
      });
    }
    assert.ok(episodesEnded > 0, 'an episode ended and was reset along the way');
  } finally {
    batch.close();
    for (const r of refs) r.close();
  }
  assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 1, preprocess: { width: 0 } }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, scenario: 'scenario-ts', numEnvs: 1, preprocess: { grayscale: true } }), { code: 'INVALID_ARGUMENT' });
});

test('with one worker per CPU, each native worker is pinned to its own CPU; pinThreads: false leaves them free', { skip: cpus().length < 2 ? 'needs 2 CPUs' : false }, () => {
  // Threads of this process allowed on exactly one CPU, read from /proc (each worker's own Cpus_allowed_list).
  const pinnedCpus = () =>
    readdirSync('/proc/self/task')
      .map((tid) => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/self/task/${tid}/status`, 'utf8'))?.[1] ?? '')
      .filter((list) => /^\d+$/.test(list));
  const before = pinnedCpus().length;
  const n = cpus().length;
  const pinned = new BatchEnv('TestRom-Nes', { ...options, numEnvs: n });
  try {
    pinned.step(Array.from({ length: n }, () => 5));
    const lists = pinnedCpus();
    assert.equal(lists.length - before, n, 'one pinned thread per CPU');
    assert.equal(new Set(lists).size, lists.length, 'each on a different CPU');
  } finally {
    pinned.close();
  }
  const free = new BatchEnv('TestRom-Nes', { ...options, numEnvs: n, pinThreads: false });
  try {
    free.step(Array.from({ length: n }, () => 5));
    assert.equal(pinnedCpus().length, before);
  } finally {
    free.close();
  }
});

for (const autoreset of ['next-step', 'same-step'] as const) {
  test(`maxEpisodeSteps truncates each episode at its limit and the env is reset (${autoreset})`, () => {
    const limit = 3;
    const batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, threads: 1, autoreset, maxEpisodeSteps: limit });
    // A reference env stepped by hand with the same actions: action 5 (RIGHT) never ends an episode.
    const ref = make('TestRom-Nes', options);
    try {
      const start = frameOf(batch.reset(), 0).slice();
      ref.reset();
      // Env 1 starts one step later, so the two envs' episodes are cut at different steps.
      batch.step([5, 5]);
      batch.reset({ envIds: [1] });
      ref.step(5);
      const truncatedAt: number[][] = [[], []];
      for (let t = 1; t <= 8; t++) {
        const r = batch.step([5, 5]);
        assert.equal(r.terminations[0] + r.terminations[1], 0);
        for (let i = 0; i < 2; i++) if (r.truncations[i]) truncatedAt[i].push(t);
        const last = ref.step(5);
        if (autoreset === 'same-step') {
          if (r.truncations[0]) {
            // Reset within the step: the new episode's first frame, the cut episode's last one in finalObservation.
            assert.deepEqual(frameOf(r, 0), start);
            assert.deepEqual(r.finalObservation![0], last.observation);
            assert.deepEqual(r.finalInfo![0], last.info);
            assert.equal(r.rewards[0], last.reward);
            ref.reset();
          } else {
            assert.equal(r.finalObservation![0], null);
            assert.deepEqual(frameOf(r, 0), last.observation);
          }
        } else if (r.truncations[0]) {
          assert.deepEqual(frameOf(r, 0), last.observation, 'next-step: the cut step shows the last frame');
          // Its next step resets it instead, with reward 0 and no flags.
          const reset = batch.step([5, 5]);
          t++;
          for (let i = 0; i < 2; i++) if (reset.truncations[i]) truncatedAt[i].push(t);
          assert.deepEqual(frameOf(reset, 0), start);
          assert.deepEqual([reset.rewards[0], reset.terminations[0], reset.truncations[0]], [0, 0, 0]);
          ref.reset();
        } else {
          assert.deepEqual(frameOf(r, 0), last.observation);
        }
      }
      // Env 0 had taken one step before t = 1; a next-step reset takes a step of its own.
      assert.deepEqual(truncatedAt, autoreset === 'same-step' ? [[2, 5, 8], [3, 6]] : [[2, 6], [3, 7]]);
    } finally {
      batch.close();
      ref.close();
    }
  });
}

test('maxEpisodeSteps must be a positive integer, and same-step needs synchronous batches', () => {
  for (const maxEpisodeSteps of [0, 1.5, -2]) {
    assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 1, maxEpisodeSteps }), { code: 'INVALID_ARGUMENT' });
  }
  assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, batchSize: 1, autoreset: 'same-step', maxEpisodeSteps: 5 }), /batchSize = numEnvs/);
});
