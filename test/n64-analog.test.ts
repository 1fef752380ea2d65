// Analog sticks through every layer, on our N64 test ROM (homebrew/n64) as the TestRom-N64 fixture: the ROM stores
// the stick it reads at stick_x / stick_y (s8, up positive, full deflection ±80), so a stick action's axes must
// come back as round(x * 80), round(y * 80). Each N64 boot costs a second or more: tests share envs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { MARIO_KART_64_ACTIONS } from '../integrations/MarioKart-N64/preset.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { buildStates } from '../lib/env/boot-recipe.ts';
import type { StickSpace } from '../lib/env/pad-action.ts';
import { make, type MakeOptions, type RetroEnv, type StickAction } from '../lib/env/retro-env.ts';
import { RetroError } from '../lib/errors.ts';
import { RecordMovie } from '../lib/movie/record-movie.ts';
import { packageRoot } from '../lib/package-root.ts';
import { Box } from '../lib/spaces/box.ts';
import { Dict } from '../lib/spaces/dict.ts';
import { MultiBinary } from '../lib/spaces/multi-binary.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { ContinuousPad } from '../lib/wrappers/continuous-pad.ts';
import { Discretizer } from '../lib/wrappers/discretizer.ts';
import { StickyActions } from '../lib/wrappers/sticky-actions.ts';

const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
const scratch = mkdtempSync(join(tmpdir(), 'rgym-n64-analog-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const dataDir = join(scratch, 'data');
const options: MakeOptions = { integrationPaths: [fixtures], dataDir, useRestrictedActions: Actions.ALL };
const GAME = 'TestRom-N64';
/** The ROM's full deflection (native/n64: a real pad's ±80 steps). */
const RANGE = 80;

/** Stick axes away from the rounding midpoints between two of the ROM's steps, where int16 rounding could tip them. */
const axis = fc.double({ min: -1, max: 1, noNaN: true }).filter((v) => Math.abs(Math.abs(v * RANGE - Math.trunc(v * RANGE)) - 0.5) > 0.01);

/** Where the ROM sees an axis: round(v * 80) (+ 0 turns -0 into the 0 the RAM holds). */
function steps(v: number): number {
  return Math.round(v * RANGE) + 0;
}

function action(env: RetroEnv, stick: readonly number[], ...names: string[]): StickAction {
  const buttons = new Uint8Array(env.buttons.length);
  for (const name of names) buttons[env.buttons.indexOf(name)] = 1;
  return { buttons, stick: [...stick] };
}

/** Player 1's buttons all released, as a batch's stick actions carry them. */
function noButtons(batch: BatchEnv): Uint8Array {
  return new Uint8Array(((batch.singleActionSpace as StickSpace).spaces.buttons as MultiBinary).n);
}

/** The code of the typed error `fn` throws. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RetroError, `a typed error, got ${String(e)}`);
    return e.code;
  }
  assert.fail('no error');
}

describe('one N64 env with its stick', () => {
  let env: RetroEnv;
  let other: RetroEnv;
  before(() => {
    env = make(GAME, options);
    other = make(GAME, options);
  });
  after(() => {
    env.close();
    other.close();
  });

  test('the action space is Dict(buttons, stick Box [2]) and its samples are valid actions', () => {
    const space = env.actionSpace;
    assert.ok(space instanceof Dict);
    assert.deepEqual(space.keys, ['buttons', 'stick']);
    assert.ok(space.spaces.buttons instanceof MultiBinary && space.spaces.buttons.n === env.buttons.length);
    assert.ok(space.spaces.stick instanceof Box);
    assert.deepEqual(space.spaces.stick.shape, [2]);
    assert.equal(env.analog, true);
    space.seed(3);
    env.reset();
    for (let i = 0; i < 5; i++) {
      const sample = space.sample();
      const { info } = env.step(sample);
      const [x, y] = sample.stick as Float32Array;
      assert.equal(info.stick_x, steps(x), `sampled x ${x}`);
      assert.equal(info.stick_y, steps(y), `sampled y ${y}`);
    }
  });

  test('stick values through make() reach the ROM as round(x * 80), round(y * 80); reset centres the stick', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(axis, axis), { minLength: 1, maxLength: 6 }), (sticks) => {
        env.reset();
        for (const [x, y] of sticks) {
          const { info } = env.step(action(env, [x, y]));
          assert.equal(info.stick_x, steps(x), `x ${x}`);
          assert.equal(info.stick_y, steps(y), `y ${y}`);
        }
        const { info } = env.reset();
        assert.equal(info.stick_x, 0, 'reset centres x');
        assert.equal(info.stick_y, 0, 'reset centres y');
      }),
      { numRuns: 8 },
    );
    // Full deflection and plain or typed arrays alike.
    env.reset();
    assert.equal(env.step(action(env, [1, -1])).info.stick_x, RANGE);
    assert.equal(env.step({ buttons: new Uint8Array(env.buttons.length), stick: Float64Array.of(-1, 1) }).info.stick_y, RANGE);
  });

  test('buttons and stick act together: A counts presses while the stick is held', () => {
    const start = env.reset().info;
    const { info } = env.step(action(env, [0.5, 0.25], 'A'));
    assert.equal(info.a_presses, start.a_presses + 1);
    assert.equal(info.stick_x, 40);
    assert.equal(info.stick_y, 20);
  });

  test('same start state and actions, sticks included, give the same frames and RAM', () => {
    const buttons = ['RIGHT', 'LEFT', 'UP', 'A', 'B', 'Z'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.subarray(buttons, { maxLength: 2 }), axis, axis), { minLength: 1, maxLength: 10 }), (plan) => {
        env.reset();
        other.reset();
        for (const [names, x, y] of plan) {
          const a = env.step(action(env, [x, y], ...names));
          const b = other.step(action(other, [x, y], ...names));
          assert.deepEqual(a.info, b.info);
          assert.equal(a.reward, b.reward);
          assert.deepEqual(a.observation, b.observation);
        }
      }),
      { numRuns: 5 },
    );
  });

  test('invalid stick actions are INVALID_ACTION errors', () => {
    env.reset();
    const bits = new Uint8Array(env.buttons.length);
    const invalid: unknown[] = [
      { buttons: bits, stick: [Number.NaN, 0] },
      { buttons: bits, stick: [1.5, 0] },
      { buttons: bits, stick: [0, -1.0001] },
      { buttons: bits, stick: [0] },
      { buttons: bits, stick: [0, 0, 0] },
      { buttons: bits, stick: ['0.5', 0] },
      { buttons: bits, stick: 0.5 },
      { buttons: bits },
      { buttons: bits, stick: [0, 0], extra: 1 },
      { buttons: [2, ...bits.subarray(1)], stick: [0, 0] },
      { buttons: bits.subarray(1), stick: [0, 0] },
      bits,
      3,
      null,
    ];
    for (const bad of invalid) assert.equal(codeOf(() => env.step(bad as StickAction)), 'INVALID_ACTION', JSON.stringify(bad, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)));
    assert.equal(env.step(action(env, [0.5, 0.5])).info.stick_x, 40, 'the env still steps');
  });

  test('Discretizer combos of buttons and stick give the Dict action, other combos a centred stick', () => {
    const combos = {
      straight: { buttons: ['A'] },
      softLeft: { buttons: ['A'], stick: [-0.5, 0] as const },
      hardRight: { buttons: ['A'], stick: [1, 0] as const },
      up: { buttons: [], stick: [0, 0.75] as const },
      brake: ['B'],
    };
    const discrete = new Discretizer(env, combos);
    assert.equal(discrete.actionSpace.n, 5);
    assert.deepEqual(discrete.sticks, [[0, 0], [-0.5, 0], [1, 0], [0, 0.75], [0, 0]]);
    const soft = discrete.action(1) as unknown as { buttons: Uint8Array; stick: Float32Array };
    assert.ok(env.actionSpace.contains(soft), 'the Dict action of the base env');
    assert.equal(soft.buttons[env.buttons.indexOf('A')], 1);
    discrete.reset();
    const expected = [[0, 0], [-40, 0], [80, 0], [0, 60], [0, 0]];
    for (let i = 0; i < 5; i++) {
      const { info } = discrete.step(i);
      assert.deepEqual([info.stick_x, info.stick_y], expected[i], discrete.names[i]);
    }
    assert.equal(codeOf(() => new Discretizer(env, { bad: { buttons: ['A'], stick: [2, 0] } })), 'INVALID_ARGUMENT');
    assert.equal(codeOf(() => new Discretizer(env, { bad: { buttons: ['A'], stick: [0] as unknown as [number, number] } })), 'INVALID_ARGUMENT');
    assert.equal(codeOf(() => new Discretizer(env, { bad: { buttons: ['NOPE'] } })), 'INVALID_ARGUMENT');
  });

  test('MarioKart-N64\'s preset through a Discretizer: each action\'s buttons and stick reach the N64 pad', () => {
    // The joybus word the ROM read from controller 1 (`buttons`): the N64's own bit per button.
    const joybus: Record<string, number> = { A: 0x8000, R: 0x0010 };
    const kart = new Discretizer(env, MARIO_KART_64_ACTIONS);
    kart.reset();
    Object.values(MARIO_KART_64_ACTIONS).forEach((combo, i) => {
      const { info } = kart.step(i);
      assert.equal(info.buttons, combo.buttons.reduce((m, b) => m | joybus[b], 0), `${kart.names[i]}: buttons`);
      assert.deepEqual([info.stick_x, info.stick_y], [steps(combo.stick[0]), steps(combo.stick[1])], `${kart.names[i]}: stick`);
    });
  });

  test('ContinuousPad: one Box of stick axes and button entries, a button pressed above 0', () => {
    const pad = new ContinuousPad(env, ['A', 'B']);
    assert.ok(pad.actionSpace.equals(new Box(-1, 1, [4], 'float32')));
    const start = pad.reset().info;
    const { info } = pad.step(Float32Array.of(-0.5, 0.25, 0.1, -0.1));
    assert.deepEqual([info.stick_x, info.stick_y, info.a_presses], [-40, 20, start.a_presses + 1]);
    pad.actionSpace.seed(9);
    for (let i = 0; i < 3; i++) {
      const sample = pad.actionSpace.sample();
      const after = pad.step(sample).info;
      assert.deepEqual([after.stick_x, after.stick_y], [steps(sample[0]), steps(sample[1])]);
    }
    for (const bad of [[0, 0, 0, 0], Float32Array.of(0, 0, 0), Float32Array.of(0, 2, 0, 0), Float32Array.of(Number.NaN, 0, 0, 0)]) {
      assert.equal(codeOf(() => pad.step(bad as Float32Array)), 'INVALID_ACTION');
    }
    assert.equal(codeOf(() => new ContinuousPad(env, ['A', 'A'])), 'INVALID_ARGUMENT');
    assert.equal(codeOf(() => new ContinuousPad(env, ['TURBO'])), 'INVALID_ARGUMENT');
  });

  test('StickyActions repeats a stick action as it was, even if the caller reuses the object', () => {
    const sticky = new StickyActions(env, { probability: 1 });
    sticky.reset({ seed: 2 });
    const held = action(env, [0.5, -0.25]);
    assert.deepEqual([sticky.step(held).info.stick_x, sticky.lastRepeated], [40, false]);
    (held.stick as number[])[0] = -1;  // reused and changed in place
    const { info } = sticky.step(held);
    assert.equal(sticky.lastRepeated, true);
    assert.deepEqual([info.stick_x, info.stick_y], [40, -20], 'the remembered stick, not the changed one');
  });

  test('movies hold buttons only: recording a stick env is refused, naming analog: false', () => {
    assert.throws(() => new RecordMovie(env, { dir: join(scratch, 'movies') }), (e: RetroError) => e.code === 'INVALID_ARGUMENT' && /analog: false/.test(e.message));
  });
});

test('analog: false gives the plain button space, with the stick centred', () => {
  const env = make(GAME, { ...options, analog: false });
  try {
    assert.equal(env.analog, false);
    assert.ok(env.actionSpace instanceof MultiBinary);
    env.reset();
    const right = new Uint8Array(env.buttons.length);
    right[env.buttons.indexOf('RIGHT')] = 1;
    const { info } = env.step(right);
    assert.deepEqual([info.stick_x, info.stick_y], [0, 0]);
    assert.equal(codeOf(() => env.step({ buttons: right, stick: [0, 0] })), 'INVALID_ACTION');
    assert.equal(codeOf(() => new Discretizer(env, { left: { buttons: [], stick: [-1, 0] } })), 'INVALID_ARGUMENT');
    assert.equal(codeOf(() => new ContinuousPad(env, ['A'])), 'INVALID_ARGUMENT');
  } finally {
    env.close();
  }
});

// Each engine gets the same plan: env 0 and env 1 hold different sticks every step.
const engines = [
  { name: 'native', extra: {} },
  { name: 'process', extra: { isolate: 'process' as const, processes: 1 } },
];
for (const { name, extra } of engines) {
  test(`BatchEnv (${name} engine) N=2 delivers each env its own stick every step`, () => {
    const batch = new BatchEnv(GAME, { ...options, ...extra, numEnvs: 2, threads: 2 });
    try {
      assert.equal(batch.engine, name);
      assert.ok(batch.singleActionSpace instanceof Dict);
      batch.reset();
      const plan: [number, number][][] = [
        [[0.5, -0.5], [-1, 1]],
        [[0, 0.25], [0.75, 0]],
        [[-0.125, 1], [0, 0]],
      ];
      const buttons = noButtons(batch);
      for (const [a, b] of plan) {
        const { infos } = batch.step([{ buttons, stick: a }, { buttons, stick: Float32Array.from(b) }]);
        assert.deepEqual([infos[0].stick_x, infos[0].stick_y], a.map(steps));
        assert.deepEqual([infos[1].stick_x, infos[1].stick_y], b.map(steps));
      }
      // Invalid stick actions are refused before anything is sent.
      assert.equal(codeOf(() => batch.step([{ buttons, stick: [0, 0] }, { buttons, stick: [0, Number.NaN] }])), 'INVALID_ACTION');
      const { infos } = batch.step(batch.actionSpace.sample());
      assert.equal(infos.length, 2);
      // A reset centres the sticks again.
      const reset = batch.reset();
      assert.deepEqual(reset.infos.map((i) => [i.stick_x, i.stick_y]), [[0, 0], [0, 0]]);
    } finally {
      batch.close();
    }
  });
}

/** A copy of the fixture to add scenarios and states to; made once. */
let copied: string | undefined;
function integrationCopy(): string {
  if (copied === undefined) {
    copied = join(scratch, 'integrations');
    cpSync(join(fixtures, GAME), join(copied, GAME), { recursive: true });
  }
  return copied;
}

test('a TypeScript scenario\'s frame loop holds the stick (BatchEnv\'s worker engine, whose envs run it)', () => {
  const integrations = integrationCopy();
  // The reward is the stick's x as the ROM read it: the TS frame loop must hold the stick like the native one.
  writeFileSync(join(integrations, GAME, 'stick.ts'), 'export function reward(data: Readonly<Record<string, number>>): number {\n  return data.stick_x;\n}\n');
  writeFileSync(join(integrations, GAME, 'scenario-stick.json'), JSON.stringify({ reward: { script: 'ts:reward' }, done: { variables: {} }, scripts: ['stick.ts'] }));
  const tsOptions = { ...options, integrationPaths: [integrations], scenario: 'scenario-stick', frameskip: 2 };
  const batch = new BatchEnv(GAME, { ...tsOptions, numEnvs: 2, threads: 2 });
  try {
    assert.equal(batch.engine, 'workers');
    batch.reset();
    const buttons = noButtons(batch);
    for (const [a, b] of [[[0.25, 0.5], [-0.5, -1]], [[1, 0], [0, 0.125]]] as const) {
      const { infos, rewards } = batch.step([{ buttons, stick: a }, { buttons, stick: b }]);
      assert.deepEqual([infos[0].stick_x, infos[0].stick_y], a.map(steps));
      assert.deepEqual([infos[1].stick_x, infos[1].stick_y], b.map(steps));
      assert.deepEqual(Array.from(rewards), [2 * steps(a[0]), 2 * steps(b[0])], 'two frames of reward, from the TS frame loop');
    }
  } finally {
    batch.close();
  }
});

test('a boot recipe step may hold the stick: the state is saved with the stick where the recipe held it', () => {
  const integrations = integrationCopy();
  const metadataFile = join(integrations, GAME, 'metadata.json');
  const metadata = JSON.parse(readFileSync(metadataFile, 'utf8'));
  metadata.states.Leaning = {
    recipe: [{ frames: 30 }, { frames: 3, buttons: ['A'], stick: [-0.5, 0.25] }],
    check: { stick_x: { op: 'equal', reference: -40 }, stick_y: { op: 'equal', reference: 20 } },
  };
  metadata.states.Wrong = { recipe: [{ frames: 30 }, { frames: 3, stick: [1, 0] }], check: { stick_x: { op: 'equal', reference: 0 } } };
  writeFileSync(metadataFile, JSON.stringify(metadata));
  const lookup = { integrationPaths: [integrations], dataDir: join(scratch, 'recipe-data') };
  const [path] = buildStates(GAME, ['Leaning'], lookup);
  assert.ok(readFileSync(path).length > 0);
  // The check sees the stick the recipe held, so a recipe whose stick is not what its check expects fails.
  assert.equal(codeOf(() => buildStates(GAME, ['Wrong'], lookup)), 'STATE_INVALID');
});
