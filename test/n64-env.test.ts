// The N64 through make() and BatchEnv: our N64 test ROM (homebrew/n64) as the TestRom-N64 fixture integration, on
// our N64 core (native/n64/, Debian's mupen64plus). The fixture's data.json maps the ROM's RAM block at 0x80010000
// (homebrew/n64/README.md); its reward is the square's x movement plus 10 per press of A. Each env boots the core
// (a second or more), so tests share envs where they can.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Actions } from '../lib/env/action-codec.ts';
import { make, Observations, type MakeOptions, type RetroEnv } from '../lib/env/retro-env.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { packageRoot } from '../lib/package-root.ts';

const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
const dataDir = mkdtempSync(join(tmpdir(), 'rgym-n64-env-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
// Buttons only (analog: false): the sticks have their own tests in n64-analog.test.ts.
const options: MakeOptions = { integrationPaths: [fixtures], dataDir, useRestrictedActions: Actions.ALL, analog: false };
const GAME = 'TestRom-N64';

/** A MultiBinary action pressing `names` (RetroPad bit order, cores/n64.json). */
function press(env: RetroEnv, ...names: string[]): Uint8Array {
  const action = new Uint8Array(env.buttons.length);
  for (const name of names) action[env.buttons.indexOf(name)] = 1;
  return action;
}

describe('one N64 env', () => {
  let env: RetroEnv;
  before(() => {
    env = make(GAME, options);
  });
  after(() => env.close());

  test('reset() starts at the start state its recipe built: the ROM running, the square at its start', () => {
    const { observation, info } = env.reset({ seed: 1 });
    assert.equal(info.magic, 0x4e363454);
    assert.equal(info.cursor_x, 152);
    assert.deepEqual(env.observationSpace.shape, [240, 320, 3]);
    assert.equal(observation.length, 240 * 320 * 3);
    const colours = new Set<number>();
    for (let i = 0; i < observation.length; i += 3) colours.add((observation[i] << 16) | (observation[i + 1] << 8) | observation[i + 2]);
    assert.ok(colours.size >= 3, `a picture, not a blank: ${colours.size} colours`);
  });

  test('buttons move the square, and the reward is what scenario.json says of the variables', () => {
    env.reset();
    let x = env.reset().info.cursor_x;
    let presses = 0;
    for (const [names, frames] of [[['RIGHT'], 5], [['LEFT', 'A'], 3], [[], 2], [['RIGHT', 'A'], 4]] as const) {
      for (let f = 0; f < frames; f++) {
        const { reward, info } = env.step(press(env, ...names));
        assert.equal(reward, info.cursor_x - x + 10 * (info.a_presses - presses), `${names.join('+')}: reward from the variables`);
        if (names.includes('RIGHT' as never)) assert.ok(info.cursor_x > x, 'RIGHT moves the square right');
        if (names.includes('LEFT' as never)) assert.ok(info.cursor_x < x, 'LEFT moves it left');
        x = info.cursor_x;
        presses = info.a_presses;
      }
    }
  });

  test('the episode ends where the scenario says: the square past x = 290', () => {
    env.reset();
    let steps = 0;
    let result = env.step(press(env, 'RIGHT'));
    while (!result.terminated && steps++ < 400) result = env.step(press(env, 'RIGHT'));
    assert.equal(result.terminated, true);
    assert.ok(result.info.cursor_x > 290);
  });

  test('same start state and actions give the same frames and RAM variables', () => {
    const buttons = ['RIGHT', 'LEFT', 'UP', 'DOWN', 'A', 'B', 'Z', 'START'];
    const other = make(GAME, options);
    try {
      fc.assert(
        fc.property(fc.array(fc.subarray(buttons, { maxLength: 3 }), { minLength: 1, maxLength: 12 }), (plan) => {
          env.reset();
          other.reset();
          for (const names of plan) {
            const a = env.step(press(env, ...names));
            const b = other.step(press(other, ...names));
            assert.deepEqual(a.info, b.info);
            assert.equal(a.reward, b.reward);
            assert.deepEqual(a.observation, b.observation);
          }
        }),
        { numRuns: 5, seed: 64 },
      );
    } finally {
      other.close();
    }
  });

  test('an emulator state saved mid-episode replays the same steps', () => {
    env.reset();
    for (let i = 0; i < 5; i++) env.step(press(env, 'DOWN'));
    const state = env.emulator.saveState();
    const play = () => [0, 1, 2, 3, 4, 5].map((i) => env.step(press(env, i % 2 ? 'RIGHT' : 'UP', 'A')).info);
    const first = play();
    env.emulator.loadState(state);
    assert.deepEqual(play(), first);
  });
});

test('a RAM-only env observes RDRAM and draws no pictures', () => {
  const env = make(GAME, { ...options, obsType: Observations.RAM });
  try {
    const { observation, info } = env.reset();
    assert.equal(observation.length, 8 * 1024 * 1024, 'the whole of RDRAM');
    const before = env.emulator.getFrame().data.slice();
    const { info: after } = env.step(press(env, 'RIGHT'));
    assert.ok(after.cursor_x > info.cursor_x, 'the machine runs');
    // The square moved, but no picture was drawn: the last one stays.
    for (let i = 0; i < 20; i++) env.step(press(env, 'RIGHT'));
    assert.deepEqual(env.emulator.getFrame().data, before);
  } finally {
    env.close();
  }
});

test('BatchEnv steps two N64s on native threads exactly as two envs stepped one by one', () => {
  const plan = [['RIGHT'], ['RIGHT', 'A'], ['DOWN'], [], ['LEFT'], ['A'], ['UP', 'RIGHT']];
  const batch = new BatchEnv(GAME, { ...options, numEnvs: 2, threads: 2 });
  const single = make(GAME, options);
  try {
    assert.equal(batch.engine, 'native');
    batch.reset();
    const expected = [0, 1].map((envIndex) => {
      single.reset();
      return plan.map((names, t) => single.step(press(single, ...(envIndex === 0 ? names : plan[plan.length - 1 - t]))).info);
    });
    plan.forEach((names, t) => {
      const r = batch.step([press(single, ...names), press(single, ...plan[plan.length - 1 - t])]);
      assert.deepEqual(r.infos[0], expected[0][t], `env 0, step ${t}`);
      assert.deepEqual(r.infos[1], expected[1][t], `env 1, step ${t}`);
    });
  } finally {
    batch.close();
    single.close();
  }
});

test('recording an N64 env is refused when the env is made, not when its first movie is written', () => {
  // N64 movies have no BizHawk platform here yet: the refusal must come before any step is played.
  assert.throws(
    () => make(GAME, { ...options, record: join(dataDir, 'movies') }),
    (e) => e instanceof Error && (e as { code?: string }).code === 'INVALID_ARGUMENT' && /movies of system "n64" are not supported/.test(e.message),
  );
});

test('video: false keeps image observations at the last picture drawn while the machine runs on', () => {
  const env = make(GAME, { ...options, video: false });
  try {
    const first = env.reset().observation.slice();
    let info = env.step(press(env, 'RIGHT')).info;
    for (let i = 0; i < 10; i++) info = env.step(press(env, 'RIGHT')).info;
    assert.ok(info.cursor_x > 152, 'the square moved');
    assert.deepEqual(env.step(press(env, 'RIGHT')).observation, first, 'no new picture was drawn');
  } finally {
    env.close();
  }
});
