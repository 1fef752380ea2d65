// SyncVectorEnv against the same envs stepped one by one with Gymnasium's autoreset rules written out by hand.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { make, type MakeOptions, type RetroEnv } from '../lib/env/retro-env.ts';
import { ArgumentError } from '../lib/errors.ts';
import { packageRoot } from '../lib/package-root.ts';
import { Rng } from '../lib/rng.ts';
import type { Autoreset } from '../lib/vector/autoreset.ts';
import { SyncVectorEnv } from '../lib/vector/sync-vector-env.ts';
import { GrayScale, Resize, TimeLimit } from '../lib/wrappers/index.ts';

const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
const dataDir = mkdtempSync(join(tmpdir(), 'rgym-vector-'));
const opened: { close(): void }[] = [];
after(() => {
  for (const env of opened) env.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function makeEnv(extra: MakeOptions = {}): RetroEnv {
  const env = make('TestRom-Nes', { integrationPaths: [fixtures], dataDir, ...extra });
  opened.push(env);
  return env;
}

const N = 3;
/** Env i: small gray frames, episodes cut after 3 + i steps, so the envs finish at different times. */
const factory = (i: number) => () => new TimeLimit(new Resize(new GrayScale(makeEnv()), { width: 32, height: 28 }), { maxEpisodeSteps: 3 + i });
const factories = Array.from({ length: N }, (_, i) => factory(i));
type Sub = ReturnType<ReturnType<typeof factory>>;

/** What one env contributes to a vector step, by the documented rules. */
interface Expected {
  observation: Uint8Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, number>;
  finalObservation: Uint8Array | null;
  finalInfo: Record<string, number> | null;
}

function referenceStep(env: Sub, action: Uint8Array, mode: Autoreset, pending: { reset: boolean }): Expected {
  if (mode === 'next-step' && pending.reset) {
    pending.reset = false;
    const { observation, info } = env.reset();
    return { observation, reward: 0, terminated: false, truncated: false, info, finalObservation: null, finalInfo: null };
  }
  const step = env.step(action);
  const done = step.terminated || step.truncated;
  if (mode === 'next-step') {
    pending.reset = done;
    return { ...step, finalObservation: null, finalInfo: null };
  }
  if (!done) return { ...step, finalObservation: null, finalInfo: null };
  const next = env.reset();
  return { ...step, observation: next.observation, info: next.info, finalObservation: step.observation, finalInfo: step.info };
}

for (const mode of ['next-step', 'same-step'] as const) {
  describe(`SyncVectorEnv, autoreset ${mode}`, () => {
    it('equals N separate envs stepped one by one', () => {
      const vec = new SyncVectorEnv(factories, { autoreset: mode });
      opened.push(vec);
      const refs = factories.map((f) => f());
      const pending = refs.map(() => ({ reset: false }));
      const size = 28 * 32;
      assert.equal(vec.numEnvs, N);
      assert.deepEqual(vec.observationSpace.shape, [N, 28, 32]);
      assert.ok(vec.singleObservationSpace.equals(refs[0].observationSpace));

      const reset = vec.reset({ seed: 100 });
      refs.forEach((env, i) => {
        const { observation, info } = env.reset({ seed: 100 + i });
        assert.deepEqual(reset.observations.subarray(i * size, (i + 1) * size), observation);
        assert.deepEqual(reset.infos[i], info);
        assert.deepEqual(vec.envs[i].unwrapped.rng.state, Rng.fromSeed(100 + i).state, `env ${i} seeded with seed + ${i}`);
      });
      assert.ok(vec.observationSpace.contains(reset.observations));

      vec.actionSpace.seed(5);
      let resets = 0;
      for (let t = 0; t < 14; t++) {
        const actions = vec.actionSpace.sample() as Uint8Array[];
        const result = vec.step(actions);
        assert.ok(vec.observationSpace.contains(result.observations));
        assert.ok(result.rewards instanceof Float64Array && result.terminations instanceof Uint8Array && result.truncations instanceof Uint8Array);
        assert.equal('finalObservation' in result, mode === 'same-step');
        refs.forEach((env, i) => {
          const expected = referenceStep(env, actions[i], mode, pending[i]);
          const where = `step ${t}, env ${i}`;
          assert.deepEqual(result.observations.subarray(i * size, (i + 1) * size), expected.observation, where);
          assert.equal(result.rewards[i], expected.reward, where);
          assert.equal(result.terminations[i], expected.terminated ? 1 : 0, where);
          assert.equal(result.truncations[i], expected.truncated ? 1 : 0, where);
          assert.deepEqual(result.infos[i], expected.info, where);
          if (mode === 'same-step') {
            assert.deepEqual(result.finalObservation![i], expected.finalObservation, where);
            assert.deepEqual(result.finalInfo![i], expected.finalInfo, where);
          }
          if (expected.truncated) resets++;
        });
      }
      assert.ok(resets >= 6, `episodes ended ${resets} times`);
    });
  });
}

describe('SyncVectorEnv', () => {
  it('ignores the action of an env being reset in next-step mode', () => {
    const vec = new SyncVectorEnv([() => new TimeLimit(makeEnv(), { maxEpisodeSteps: 1 })]);
    opened.push(vec);
    const start = vec.reset().infos[0].frame;
    const right = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0]);
    const done = vec.step([right]);
    assert.equal(done.truncations[0], 1);
    assert.equal(done.infos[0].frame, start + 1);
    const restarted = vec.step([right]);
    assert.deepEqual([restarted.rewards[0], restarted.terminations[0], restarted.truncations[0]], [0, 0, 0]);
    assert.equal(restarted.infos[0].frame, start, 'reset, not stepped');
    assert.equal(restarted.infos[0].x, 128);
  });

  it('takes one seed per env, and actions as a sampled tuple', () => {
    const vec = new SyncVectorEnv([() => makeEnv(), () => makeEnv()]);
    opened.push(vec);
    vec.reset({ seed: [7, undefined] });
    assert.deepEqual(vec.envs[0].rng.state, Rng.fromSeed(7).state);
    assert.equal(vec.actionSpace.length, 2);
    const sample = vec.actionSpace.sample();
    assert.ok(vec.actionSpace.contains(sample));
    assert.equal(vec.step(sample).rewards.length, 2);
    assert.equal(vec.render().length, 2);
  });

  it('reports misuse with typed errors and leaves nothing open', () => {
    const vec = new SyncVectorEnv([() => makeEnv(), () => makeEnv()]);
    assert.throws(() => vec.step([]), { code: 'ENV_NOT_RESET' });
    vec.reset();
    const noop = new Uint8Array(9);
    assert.throws(() => vec.step([noop]), { code: 'INVALID_ACTION' });
    assert.throws(() => vec.step(null as never), { code: 'INVALID_ACTION' });
    const before = vec.envs.map((env) => env.render());
    assert.throws(() => vec.step([noop, [2] as never]), (e: unknown) => e instanceof ArgumentError && e.code === 'INVALID_ACTION' && /actions\[1\]/.test(e.message));
    assert.deepEqual(vec.envs.map((env) => env.render()), before, 'no env moved');
    assert.throws(() => vec.reset({ seed: [1] }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => vec.reset({ seed: 0.5 }), { code: 'INVALID_ARGUMENT' });
    vec.close();
    assert.ok(vec.envs.every((env) => env.closed));
    assert.throws(() => vec.reset(), { code: 'ENV_CLOSED' });
    assert.throws(() => vec.step([noop, noop]), { code: 'ENV_CLOSED' });
    vec.close();

    const made: RetroEnv[] = [];
    const tracked = (extra: MakeOptions) => () => {
      const env = makeEnv(extra);
      made.push(env);
      return env;
    };
    assert.throws(() => new SyncVectorEnv([tracked({}), tracked({ obsType: 'ram' })]), (e: unknown) => e instanceof ArgumentError && /observation space/.test(e.message));
    assert.throws(() => new SyncVectorEnv([tracked({}), tracked({ useRestrictedActions: 'discrete' })]), (e: unknown) => e instanceof ArgumentError && /action space/.test(e.message));
    assert.ok(made.every((env) => env.closed), 'envs built before the failure are closed');
    assert.throws(() => new SyncVectorEnv([]), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => new SyncVectorEnv([1 as never]), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => new SyncVectorEnv([tracked({})], { autoreset: 'never' as never }), { code: 'INVALID_ARGUMENT' });
  });
});

describe('SyncVectorEnv over raw RetroEnvs (zero-copy observations)', () => {
  it('keeps the true last frame of a finished episode in same-step mode', () => {
    const vec = new SyncVectorEnv([() => new TimeLimit(makeEnv(), { maxEpisodeSteps: 2 })], { autoreset: 'same-step' });
    opened.push(vec);
    const ref = new TimeLimit(makeEnv(), { maxEpisodeSteps: 2 });
    vec.reset();
    ref.reset();
    const action = new Uint8Array(9);
    vec.step([action]);
    ref.step(action);
    const last = vec.step([action]);
    const expected = ref.step(action).observation.slice();
    const restarted = ref.reset().observation;
    assert.equal(last.truncations[0], 1);
    assert.deepEqual(last.finalObservation![0], expected);
    assert.notDeepEqual(expected, restarted, 'the last frame and the new first frame differ, so a stale view would show');
  });
});
