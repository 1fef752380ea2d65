// Wrappers on the real NES core and our test ROM (test/fixtures/integrations/TestRom-Nes), checked against the
// unwrapped env stepped by hand.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { Actions } from '../lib/env/action-codec.ts';
import type { EnvStepResult } from '../lib/env/env.ts';
import { make, type Action, type MakeOptions, type RetroEnv } from '../lib/env/retro-env.ts';
import { ArgumentError } from '../lib/errors.ts';
import { maxPool, resizeArea, resizeBilinear, rgbToGray } from '../lib/frame-ops.ts';
import { packageRoot } from '../lib/package-root.ts';
import { Rng } from '../lib/rng.ts';
import {
  AtariPreprocessing,
  ClipReward,
  Discretizer,
  FrameStack,
  GrayScale,
  MaxAndSkip,
  NoopReset,
  RecordEpisodeStatistics,
  Resize,
  StickyActions,
  TimeLimit,
  Wrapper,
  type AnyEnv,
  type StepActionOf,
} from '../lib/wrappers/index.ts';

const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
const dataDir = mkdtempSync(join(tmpdir(), 'rgym-wrappers-'));
const opened: RetroEnv[] = [];
after(() => {
  for (const env of opened) env.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function makeEnv(extra: MakeOptions = {}): RetroEnv {
  const env = make('TestRom-Nes', { integrationPaths: [fixtures], dataDir, ...extra });
  opened.push(env);
  return env;
}

// One player's pad, in the core's button order.
const NES_BUTTONS = ['B', null, 'SELECT', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'];
const pad = (...names: string[]) => Uint8Array.from(NES_BUTTONS, (b) => (b !== null && names.includes(b) ? 1 : 0));
// The ROM's pad1 byte: bit 7 = A, 6 = B, 5 = Select, 4 = Start, 3 = Up, 2 = Down, 1 = Left, 0 = Right.
const PAD1_BIT: Record<string, number> = { A: 7, B: 6, SELECT: 5, START: 4, UP: 3, DOWN: 2, LEFT: 1, RIGHT: 0 };
const pad1Of = (...names: string[]) => names.reduce((m, n) => m | (1 << PAD1_BIT[n]), 0);

/** A varied but fixed action sequence that keeps the ball inside the screen. */
const ACTIONS = [pad('RIGHT'), pad('RIGHT', 'A'), pad('DOWN'), pad(), pad('LEFT', 'B'), pad('UP', 'A'), pad('A'), pad('RIGHT', 'DOWN')];

/** Remembers what went through it, from below another wrapper. */
class Recorder<E extends AnyEnv> extends Wrapper<E> {
  actions: unknown[] = [];
  observations: Uint8Array[] = [];
  override step(action: StepActionOf<E>) {
    const a: unknown = action;
    this.actions.push(a instanceof Uint8Array ? a.slice() : a);
    const result = this.env.step(action);
    this.observations.push(result.observation);
    return result;
  }
}

function refGray(rgb: Uint8Array): Float64Array {
  return Float64Array.from({ length: rgb.length / 3 }, (_, i) => 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]);
}

function assertWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > tolerance) assert.fail(`element ${i}: ${actual[i]} vs reference ${expected[i]}`);
  }
}

/** The 84 × 84 gray picture AtariPreprocessing makes of one RGB frame... */
const atariFrame = (rgb: Uint8Array) => resizeArea(rgbToGray(rgb), 256, 224, 1, new Uint8Array(84 * 84), 84, 84);
/** ...and of the last two frames of a step: grayed, max-pooled, resized, in Gymnasium's order. */
const atariPooled = (a: Uint8Array, b: Uint8Array) => resizeArea(maxPool(rgbToGray(a), rgbToGray(b)), 256, 224, 1, new Uint8Array(84 * 84), 84, 84);

const invalidArgument = (e: unknown) => e instanceof ArgumentError && e.code === 'INVALID_ARGUMENT';

describe('Wrapper', () => {
  it('forwards reset, step, render and close, and exposes env and unwrapped', () => {
    const base = makeEnv();
    class CountSteps<E extends AnyEnv> extends Wrapper<E> {
      steps = 0;
      override step(action: StepActionOf<E>) {
        this.steps++;
        return super.step(action);
      }
    }
    const inner = new CountSteps(base);
    const env = new TimeLimit(inner, { maxEpisodeSteps: 100 });
    assert.equal(env.env, inner);
    assert.equal(env.unwrapped, base);
    assert.equal(inner.unwrapped, base);
    assert.equal(env.observationSpace, base.observationSpace);
    assert.equal(env.actionSpace, base.actionSpace);
    env.reset({ seed: 1 });
    const { observation } = env.step(pad('RIGHT'));
    assert.equal(inner.steps, 1);
    assert.deepEqual(env.render(), base.render());
    assert.deepEqual(observation, base.render());
    env.close();
    assert.ok(base.closed);
    assert.throws(() => env.step(pad()), { code: 'ENV_CLOSED' });
  });
});

describe('GrayScale', () => {
  it('turns [224, 256, 3] into [224, 256] (or [224, 256, 1]) of BT.601 gray', () => {
    const base = makeEnv();
    const env = new GrayScale(base);
    const kept = new GrayScale(base, { keepDim: true });
    assert.deepEqual(env.observationSpace.shape, [224, 256]);
    assert.deepEqual(kept.observationSpace.shape, [224, 256, 1]);
    assert.equal(env.observationSpace.dtype, 'uint8');
    const { observation } = env.reset();
    assertWithin(observation, refGray(base.render()), 1);
    for (const action of ACTIONS) {
      const step = env.step(action);
      assert.ok(env.observationSpace.contains(step.observation));
      assertWithin(step.observation, refGray(base.render()), 1);
    }
    assert.ok(kept.observationSpace.contains(kept.step(pad()).observation));
  });

  it('needs an RGB image space', () => {
    const base = makeEnv();
    assert.throws(() => new GrayScale(new GrayScale(base) as never), invalidArgument);
    assert.throws(() => new GrayScale(makeEnv({ obsType: 'ram' })), invalidArgument);
  });
});

describe('Resize', () => {
  it('resizes gray and RGB frames by area or bilinear interpolation', () => {
    const base = makeEnv();
    const gray = new GrayScale(base);
    const area = new Resize(gray, { width: 84, height: 84 });
    const bilinear = new Resize(gray, { width: 100, height: 60, interpolation: 'bilinear' });
    const rgb = new Resize(base, { width: 32, height: 28 });
    assert.deepEqual(area.observationSpace.shape, [84, 84]);
    assert.deepEqual(bilinear.observationSpace.shape, [60, 100]);
    assert.deepEqual(rgb.observationSpace.shape, [28, 32, 3]);
    assert.equal(area.interpolation, 'area');
    area.reset();
    for (const action of ACTIONS.slice(0, 3)) {
      const a = area.step(action).observation;
      const frame = base.render();
      assert.deepEqual(a, resizeArea(rgbToGray(frame), 256, 224, 1, new Uint8Array(84 * 84), 84, 84));
      assert.deepEqual(bilinear.step(action).observation, resizeBilinear(rgbToGray(base.render()), 256, 224, 1, new Uint8Array(6000), 100, 60));
      const small = rgb.step(action).observation;
      assert.deepEqual(small, resizeArea(base.render(), 256, 224, 3, new Uint8Array(32 * 28 * 3), 32, 28));
    }
  });

  it('rejects bad sizes and interpolations', () => {
    const base = makeEnv();
    for (const options of [{ width: 0, height: 84 }, { width: 84, height: 1.5 }, { width: 84, height: 84, interpolation: 'cubic' }, undefined]) {
      assert.throws(() => new Resize(base, options as never), invalidArgument, JSON.stringify(options));
    }
  });
});

describe('MaxAndSkip', () => {
  it('repeats the action, sums the rewards and observes the max of the last two frames', () => {
    const env = new MaxAndSkip(makeEnv(), { skip: 4 });
    const ref = makeEnv();
    assert.deepEqual(env.reset().observation, ref.reset().observation);
    let moved = 0;
    let pooledDiffers = 0;
    // RetroEnv's observations are views the next step rewrites: keep copies.
    const stepCopy = (action: Parameters<typeof ref.step>[0]) => {
      const r = ref.step(action);
      return { ...r, observation: r.observation.slice() };
    };
    for (const action of ACTIONS) {
      const frames = [stepCopy(action), stepCopy(action), stepCopy(action), stepCopy(action)];
      const step = env.step(action);
      assert.deepEqual(step.observation, maxPool(frames[2].observation, frames[3].observation));
      if (!Buffer.from(step.observation).equals(Buffer.from(frames[3].observation))) pooledDiffers++;
      assert.equal(step.reward, frames.reduce((sum, f) => sum + f.reward, 0));
      assert.deepEqual(step.info, frames[3].info);
      assert.equal(step.terminated, false);
      if (step.reward !== 0) moved++;
    }
    assert.ok(moved > 0, 'the scenario paid some reward');
    assert.ok(pooledDiffers > 0, 'pooling two different frames shows in the observation');
  });

  it('stops early when the episode ends, observing the frames it saw', () => {
    const env = new MaxAndSkip(new TimeLimit(makeEnv(), { maxEpisodeSteps: 5 }), { skip: 4 });
    const ref = makeEnv();
    const start = env.reset().info.frame;
    ref.reset();
    assert.equal(env.step(pad('RIGHT')).info.frame, start + 4);
    const last = env.step(pad('RIGHT'));
    assert.equal(last.info.frame, start + 5, 'one frame, then truncated');
    assert.equal(last.truncated, true);
    for (let i = 0; i < 5; i++) ref.step(pad('RIGHT'));
    assert.deepEqual(last.observation, ref.render(), 'a single frame is observed as it is');
  });

  it('rejects bad skips and non-uint8 spaces', () => {
    const base = makeEnv();
    for (const skip of [0, -1, 2.5, NaN]) assert.throws(() => new MaxAndSkip(base, { skip }), invalidArgument, String(skip));
  });
});

describe('FrameStack', () => {
  const base = makeEnv({ obsType: 'ram' });
  const ref = makeEnv({ obsType: 'ram' });

  it('stacks the last n observations, oldest first, padded by the first one or by zeros', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.constantFrom('reset', 'zero') as fc.Arbitrary<'reset' | 'zero'>, fc.integer({ min: 0, max: 8 }), (n, padding, steps) => {
        const env = new FrameStack(base, { n, padding });
        const size = 2048;
        assert.deepEqual(env.observationSpace.shape, [n, size]);
        const first = ref.reset().observation;
        const history: Uint8Array[] = [...Array.from({ length: n - 1 }, () => (padding === 'reset' ? first : new Uint8Array(size))), first];
        const check = (stacked: Uint8Array) => {
          assert.ok(env.observationSpace.contains(stacked));
          const expected = history.slice(-n);
          for (let k = 0; k < n; k++) assert.deepEqual(stacked.subarray(k * size, (k + 1) * size), expected[k], `slot ${k}`);
        };
        check(env.reset().observation);
        for (let i = 0; i < steps; i++) {
          const action = ACTIONS[i % ACTIONS.length];
          history.push(ref.step(action).observation);
          check(env.step(action).observation);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('copies frames in and out, so nobody can change another one’s frames', () => {
    const recorder = new Recorder(base);
    const env = new FrameStack(recorder, { n: 2 });
    const first = env.reset().observation;
    const kept = first.slice();
    first.fill(7); // the caller scribbles on what it got
    const a = env.step(pad('RIGHT')).observation;
    assert.deepEqual(a.subarray(0, 2048), kept.subarray(0, 2048), 'the stack kept its own copy');
    recorder.observations.at(-1)!.fill(9); // the inner env's array changes after the fact
    const b = env.step(pad('RIGHT')).observation;
    assert.deepEqual(b.subarray(0, 2048), a.subarray(2048), 'the stack copied the inner frame');
    assert.notEqual(a.buffer, b.buffer);
  });

  it('keeps the dtype and the bounds of the inner space', () => {
    const scaled = new AtariPreprocessing(makeEnv(), { scaleObs: true, noopMax: 0 });
    const env = new FrameStack(scaled, { n: 3 });
    assert.deepEqual(env.observationSpace.shape, [3, 84, 84]);
    assert.equal(env.observationSpace.dtype, 'float32');
    const { observation } = env.reset();
    assert.ok(observation instanceof Float32Array);
    assert.ok(env.observationSpace.contains(observation));
  });

  it('rejects bad sizes and paddings', () => {
    for (const options of [{ n: 0 }, { n: 2.5 }, { n: 2, padding: 'edge' }, undefined]) {
      assert.throws(() => new FrameStack(base, options as never), invalidArgument, JSON.stringify(options));
    }
  });
});

describe('NoopReset', () => {
  it('takes 1..noopMax no-op frames after reset, drawn from the env’s seeded rng', () => {
    const base = makeEnv();
    const start = base.reset().info.frame;
    const env = new NoopReset(base, { noopMax: 30 });
    const counts: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const { info } = env.reset({ seed });
      assert.ok(env.lastNoops >= 0 && env.lastNoops <= 30, `count ${env.lastNoops}`);
      assert.equal(env.lastNoops, 1 + Rng.fromSeed(seed).integer(30), 'the base env’s rng, as seeded');
      assert.equal(info.frame, start + env.lastNoops, 'one frame per no-op');
      assert.equal(info.pad1, 0, 'nothing pressed');
      counts.push(env.lastNoops);
    }
    assert.ok(new Set(counts).size > 10, `varied counts: ${counts}`);
    const again = Array.from({ length: 40 }, (_, seed) => (env.reset({ seed }), env.lastNoops));
    assert.deepEqual(again, counts, 'reproducible');
  });

  it('uses its own seeded generator for envs without an rng', () => {
    class HidesRng extends Wrapper<RetroEnv> {
      override get unwrapped(): RetroEnv {
        return this as unknown as RetroEnv;
      }
    }
    const env = new NoopReset(new HidesRng(makeEnv()), { noopMax: 30 });
    const run = () => [1, 2, 3, 4, 5, 6].map((seed) => (env.reset({ seed }), env.lastNoops));
    const counts = run();
    assert.deepEqual(run(), counts);
    assert.ok(counts.every((n) => n >= 1 && n <= 30));
  });

  it('honours noopMax 0 and a given noop action, and rejects bad ones', () => {
    const base = makeEnv();
    const start = base.reset().info.frame;
    const none = new NoopReset(base, { noopMax: 0 });
    assert.equal(none.reset().info.frame, start);
    assert.equal(none.lastNoops, 0);
    const holdA = new NoopReset(base, { noopMax: 10, noopAction: pad('A') });
    const { info } = holdA.reset({ seed: 4 });
    assert.ok(info.a_frames >= holdA.lastNoops - 1 && info.a_frames > 0, `a_frames ${info.a_frames}`);
    assert.throws(() => new NoopReset(base, { noopAction: [1, 2] }), invalidArgument);
    assert.throws(() => new NoopReset(base, { noopMax: -1 }), invalidArgument);
  });
});

describe('StickyActions', () => {
  it('repeats the previous action with probability p, reproducibly for a seed', () => {
    const recorder = new Recorder(makeEnv());
    const env = new StickyActions(recorder, { probability: 0.25 });
    const run = (seed: number, steps: number) => {
      recorder.actions = [];
      env.reset({ seed });
      const repeated: boolean[] = [];
      for (let i = 0; i < steps; i++) {
        const requested = ACTIONS[i % ACTIONS.length].slice();
        env.step(requested);
        const executed = recorder.actions[i];
        assert.deepEqual(executed, env.lastRepeated ? recorder.actions[i - 1] : requested);
        if (i === 0) assert.equal(env.lastRepeated, false, 'the first step after reset takes its own action');
        requested.fill(1); // reusing the array must not change the remembered action
        repeated.push(env.lastRepeated);
      }
      return repeated;
    };
    const repeated = run(11, 1500);
    const frequency = repeated.filter(Boolean).length / (repeated.length - 1);
    assert.ok(Math.abs(frequency - 0.25) < 0.04, `frequency ${frequency}`);
    assert.deepEqual(run(11, 200), repeated.slice(0, 200), 'same seed, same repeats');
    assert.notDeepEqual(run(12, 200), repeated.slice(0, 200));
  });

  it('never repeats at p = 0 and always at p = 1', () => {
    const recorder = new Recorder(makeEnv());
    const never = new StickyActions(recorder, { probability: 0 });
    never.reset({ seed: 1 });
    for (const a of ACTIONS) {
      never.step(a);
      assert.deepEqual(recorder.actions.at(-1), a);
    }
    const always = new StickyActions(recorder, { probability: 1 });
    always.reset({ seed: 1 });
    for (const a of ACTIONS) always.step(a);
    assert.ok(recorder.actions.slice(-ACTIONS.length).every((a) => String(a) === String(ACTIONS[0])));
    assert.throws(() => new StickyActions(recorder, { probability: 1.5 }), invalidArgument);
  });
});

describe('TimeLimit', () => {
  it('truncates on the maxEpisodeSteps-th step and starts counting again at reset', () => {
    const env = new TimeLimit(makeEnv(), { maxEpisodeSteps: 5 });
    for (let episode = 0; episode < 2; episode++) {
      env.reset();
      assert.equal(env.elapsedSteps, 0);
      for (let i = 1; i <= 5; i++) {
        const { truncated, terminated } = env.step(pad('RIGHT'));
        assert.equal(truncated, i === 5, `step ${i}`);
        assert.equal(terminated, false);
        assert.equal(env.elapsedSteps, i);
      }
    }
    for (const maxEpisodeSteps of [0, -3, 1.5]) assert.throws(() => new TimeLimit(env, { maxEpisodeSteps }), invalidArgument);
  });
});

describe('ClipReward', () => {
  it('keeps the sign, or clamps into [min, max]', () => {
    const sign = new ClipReward(new MaxAndSkip(makeEnv()));
    const range = new ClipReward(new MaxAndSkip(makeEnv()), { min: -1, max: 2 });
    const ref = new MaxAndSkip(makeEnv());
    sign.reset();
    range.reset();
    ref.reset();
    const seen = new Set<number>();
    for (const action of [pad('RIGHT'), pad('RIGHT'), pad('LEFT'), pad('LEFT'), pad(), pad('A')]) {
      const raw = ref.step(action).reward;
      assert.equal(sign.step(action).reward, Math.sign(raw) + 0);
      assert.equal(range.step(action).reward, Math.min(2, Math.max(-1, raw)));
      seen.add(Math.sign(raw));
    }
    assert.deepEqual([...seen].sort(), [-1, 0, 1], 'positive, negative and zero rewards were clipped');
    assert.equal(sign.reward(-0), 0);
    assert.ok(Number.isNaN(sign.reward(NaN)));
    assert.equal(new ClipReward(ref, { max: 0.5 }).reward(-100), -100);
    for (const clip of [{ min: 2, max: 1 }, { min: NaN }, 'abs', null]) assert.throws(() => new ClipReward(ref, clip as never), invalidArgument);
  });
});

describe('Discretizer', () => {
  const combos = { noop: [], right: ['RIGHT'], jump: ['A'], runLeft: ['B', 'LEFT'], menu: ['START', 'SELECT'], up: ['UP'], down: ['DOWN'] };

  it('maps Discrete actions to the named button combos and presses exactly those', () => {
    const env = new Discretizer(makeEnv({ useRestrictedActions: Actions.ALL }), combos);
    assert.equal(env.actionSpace.toString(), 'Discrete(7)');
    assert.deepEqual(env.names, Object.keys(combos));
    env.reset();
    Object.entries(combos).forEach(([name, buttons], i) => {
      assert.equal(env.getActionMeaning(i), name);
      env.step(i);
      const { info } = env.step(i); // the ROM latches the pad one frame late
      assert.equal(info.pad1, pad1Of(...buttons), `${name}: pad1 ${info.pad1.toString(2)}`);
    });
    assert.throws(() => env.step(7), { code: 'INVALID_ACTION' });
    assert.throws(() => env.step(-1), { code: 'INVALID_ACTION' });
    assert.throws(() => env.getActionMeaning(1.5), { code: 'INVALID_ACTION' });
  });

  it('outside AtariPreprocessing (which then runs natively) gives what it gives inside (TS wrappers)', () => {
    const outside = new Discretizer(new AtariPreprocessing(makeEnv({ useRestrictedActions: Actions.ALL }), { noopMax: 0 }), combos);
    const inside = new AtariPreprocessing(new Discretizer(makeEnv({ useRestrictedActions: Actions.ALL }), combos), { noopMax: 0 });
    assert.equal(outside.actionSpace.toString(), 'Discrete(7)');
    assert.deepEqual(outside.reset().observation, inside.reset().observation);
    for (const action of [1, 1, 2, 6, 6, 3, 0, 5, 1, 2]) {
      const a = outside.step(action);
      const b = inside.step(action);
      assert.deepEqual(a.observation, b.observation);
      assert.deepEqual([a.reward, a.terminated, a.info], [b.reward, b.terminated, b.info]);
    }
  });

  it('needs Actions.ALL and known button names', () => {
    assert.throws(() => new Discretizer(makeEnv(), combos), (e: unknown) => invalidArgument(e) && /Actions\.ALL/.test((e as Error).message));
    assert.throws(() => new Discretizer(makeEnv({ useRestrictedActions: Actions.DISCRETE }), combos), invalidArgument);
    const all = makeEnv({ useRestrictedActions: Actions.ALL });
    assert.throws(() => new Discretizer(all, { hop: ['B', 'L'] }), (e: unknown) => invalidArgument(e) && /unknown button "L"/.test((e as Error).message));
    assert.throws(() => new Discretizer(all, {}), invalidArgument);
    assert.throws(() => new Discretizer(all, { bad: 'A' as never }), invalidArgument);
  });
});

describe('RecordEpisodeStatistics', () => {
  it('adds the return and length of each episode to the info of its last step', () => {
    const env = new RecordEpisodeStatistics(new TimeLimit(makeEnv(), { maxEpisodeSteps: 4 }), { bufferLength: 2 });
    const returns: number[] = [];
    for (let episode = 0; episode < 3; episode++) {
      env.reset();
      let sum = 0;
      let last: EnvStepResult<Uint8Array> | undefined;
      for (let i = 0; i < 4; i++) {
        last = env.step(ACTIONS[(episode + i) % ACTIONS.length]);
        sum += last.reward;
        if (i < 3) assert.equal('episode_return' in last.info, false);
      }
      assert.equal(last!.info.episode_return, sum);
      assert.equal(last!.info.episode_length, 4);
      assert.equal(typeof last!.info.x, 'number', 'the game variables stay');
      returns.push(sum);
    }
    assert.deepEqual(env.returnQueue, returns.slice(-2));
    assert.deepEqual(env.lengthQueue, [4, 4]);
  });
});

describe('AtariPreprocessing', () => {
  it('equals no-op starts + frame skip 4 with max-pooling + gray + 84 × 84 area resize, done by hand', () => {
    const env = new AtariPreprocessing(makeEnv());
    const ref = makeEnv();
    assert.deepEqual(env.observationSpace.shape, [84, 84]);
    assert.equal(env.observationSpace.dtype, 'uint8');
    assert.equal(env.actionSpace, env.unwrapped.actionSpace);
    const seed = 9;
    const { observation } = env.reset({ seed });
    ref.reset();
    const noops = 1 + Rng.fromSeed(seed).integer(30);
    let frame = ref.render();
    for (let i = 0; i < noops; i++) frame = ref.step(pad()).observation;
    assert.deepEqual(observation, atariFrame(frame));
    for (const action of ACTIONS) {
      // Copies: RetroEnv's observations are views the next step rewrites.
      const frames = [0, 1, 2, 3].map(() => {
        const r = ref.step(action);
        return { ...r, observation: r.observation.slice() };
      });
      const step = env.step(action);
      assert.deepEqual(step.observation, atariPooled(frames[2].observation, frames[3].observation));
      assert.equal(step.reward, frames.reduce((s, f) => s + f.reward, 0));
      assert.deepEqual(step.info, frames[3].info);
    }
  });

  it('over a wrapped env (TS wrappers) and over a bare RetroEnv (all native) gives the same episode', () => {
    const native = new AtariPreprocessing(makeEnv(), { noopMax: 0 });
    // A pass-through wrapper hides the RetroEnv, so AtariPreprocessing composes GrayScale, MaxAndSkip and Resize.
    const composed = new AtariPreprocessing(new Wrapper(makeEnv()), { noopMax: 0 });
    assert.deepEqual(native.reset().observation, composed.reset().observation);
    for (const action of [...ACTIONS, ...ACTIONS]) {
      const a = native.step(action);
      const b = composed.step(action);
      assert.deepEqual(a.observation, b.observation);
      assert.equal(a.reward, b.reward);
      assert.equal(a.terminated, b.terminated);
      assert.deepEqual(a.info, b.info);
    }
  });

  it('offers Gymnasium’s options: scale, channel axis, RGB, screen size', () => {
    const base = makeEnv();
    const scaled = new AtariPreprocessing(base, { scaleObs: true, noopMax: 0 });
    const plain = new AtariPreprocessing(base, { noopMax: 0 });
    assert.equal(scaled.observationSpace.dtype, 'float32');
    const s: Float32Array = scaled.reset().observation;
    const p: Uint8Array = plain.reset().observation;
    assertWithin(s, Float32Array.from(p, (v) => v / 255), 1e-7);
    assert.ok(scaled.observationSpace.contains(s));
    assert.deepEqual(new AtariPreprocessing(base, { grayscaleNewaxis: true }).observationSpace.shape, [84, 84, 1]);
    assert.deepEqual(new AtariPreprocessing(base, { grayscaleObs: false }).observationSpace.shape, [84, 84, 3]);
    const wide = new AtariPreprocessing(base, { screenSize: [64, 48], noopMax: 0 });
    assert.deepEqual(wide.observationSpace.shape, [48, 64]);
    assert.ok(wide.observationSpace.contains(wide.reset().observation));
    const stacked = new FrameStack(new AtariPreprocessing(base), { n: 4 });
    assert.deepEqual(stacked.observationSpace.shape, [4, 84, 84]);
    assert.ok(stacked.observationSpace.contains(stacked.step(pad('A')).observation));
  });

  it('refuses a base env that already skips frames, and life-loss ends without lives', () => {
    assert.throws(() => new AtariPreprocessing(makeEnv({ frameskip: 4 })), invalidArgument);
    for (const screenSize of [0, 8.5, [84] as unknown as number]) {
      assert.throws(() => new AtariPreprocessing(makeEnv(), { screenSize }), (e) => invalidArgument(e) && /screenSize/.test((e as Error).message));
    }
    assert.doesNotThrow(() => new AtariPreprocessing(makeEnv({ frameskip: 4 }), { frameSkip: 1 }));
    const env = new AtariPreprocessing(makeEnv(), { terminalOnLifeLoss: true });
    assert.throws(() => env.reset(), (e: unknown) => invalidArgument(e) && /lives/.test((e as Error).message));
  });

  it('ends the episode when info.lives drops, with terminalOnLifeLoss', () => {
    // `lives` read from the ROM's LFSR byte, which goes up and down: a stand-in for a game's life counter.
    const data = JSON.parse(readFileSync(join(fixtures, 'TestRom-Nes', 'data.json'), 'utf8'));
    data.info.lives = { address: 23, type: '|u1' };
    const info = join(dataDir, 'lives-data.json');
    writeFileSync(info, JSON.stringify(data));
    const env = new AtariPreprocessing(makeEnv({ info }), { terminalOnLifeLoss: true, noopMax: 0 });
    let lives = env.reset().info.lives;
    let ended = 0;
    for (let i = 0; i < 40; i++) {
      const step = env.step(pad());
      assert.equal(step.terminated, step.info.lives < lives, `step ${i}: ${lives} → ${step.info.lives}`);
      if (step.terminated) ended++;
      lives = step.info.lives;
    }
    assert.ok(ended > 0 && ended < 40, `${ended} life losses`);
  });
});

// Type-level checks: the wrapped spaces and observations are typed as they are at run time.
function typeChecks(env: RetroEnv): void {
  const atari = new AtariPreprocessing(env);
  const gray: Uint8Array = atari.reset().observation;
  const scaled = new AtariPreprocessing(env, { scaleObs: true });
  const floats: Float32Array = scaled.reset().observation;
  const base: RetroEnv = new FrameStack(new TimeLimit(atari, { maxEpisodeSteps: 1 }), { n: 2 }).unwrapped;
  const discrete = new Discretizer(env, { a: ['A'] });
  const step: EnvStepResult<Uint8Array> = discrete.step(0);
  const action: Action = env.actionSpace.sample();
  void [gray, floats, base, step, action];
}
void typeChecks;
