import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { make, State, type MakeOptions } from '../lib/env/retro-env.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { RetroError } from '../lib/errors.ts';
import { packageRoot } from '../lib/package-root.ts';

const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
const dataDir = mkdtempSync(join(tmpdir(), 'rgym-env-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const opts = (extra: MakeOptions = {}): MakeOptions => ({ integrationPaths: [fixtures], dataDir, ...extra });

// Fixture RAM: pad1 bit layout A,B,Select,Start,Up,Down,Left,Right from bit 7 down.
const NES_BUTTONS = ['B', null, 'SELECT', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'];
const multiBinary = (names: string[]) => Uint8Array.from(NES_BUTTONS, (b) => (b !== null && names.includes(b) ? 1 : 0));

test('make() gives typed spaces, reset/step follow Gymnasium and info holds the RAM variables', () => {
  const env = make('TestRom-Nes', opts());
  try {
    assert.equal(env.actionSpace.toString(), 'MultiBinary(9)');
    assert.deepEqual([...env.observationSpace.shape!], [224, 256, 3]);
    assert.throws(() => env.step(multiBinary([])), { code: 'ENV_NOT_RESET' });
    const { observation, info } = env.reset({ seed: 3 });
    assert.ok(env.observationSpace.contains(observation));
    assert.equal(info.x, 128, 'Start state: x at its power-on value');
    assert.ok(info.frame > 20);
    const before = info.frame;
    let last = env.step(multiBinary(['RIGHT']));
    last = env.step(multiBinary(['RIGHT']));
    assert.equal(last.info.frame, (before + 2) & 0xffff);
    assert.equal(last.info.pad1, 0x01, 'RIGHT reached RAM');
    assert.equal(last.info.frame_be, ((last.info.frame & 0xff) << 8) | (last.info.frame >> 8), 'big-endian view of the same bytes');
    assert.equal(last.info.frame_low_nybble, last.info.frame & 15, 'mask');
    assert.equal(last.truncated, false);
    assert.ok(env.observationSpace.contains(last.observation));
    assert.deepEqual(env.getActionMeaning(multiBinary(['A', 'LEFT'])), [['LEFT', 'A']]);
  } finally {
    env.close();
  }
  assert.throws(() => env.step(multiBinary([])), { code: 'ENV_CLOSED' });
  assert.throws(() => env.reset(), { code: 'ENV_CLOSED' });
});

test('invalid actions are typed errors', () => {
  const env = make('TestRom-Nes', opts());
  try {
    env.reset();
    for (const bad of [[1, 0], new Uint8Array(10), Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 0, 0]), [NaN, 0, 0, 0, 0, 0, 0, 0, 0], 'A', null, 3]) {
      assert.throws(() => env.step(bad as never), { code: 'INVALID_ACTION' }, String(bad));
    }
  } finally {
    env.close();
  }
});

test('FILTERED drops invalid combos; DISCRETE and MULTI_DISCRETE follow stable-retro numbering', () => {
  const filtered = make('TestRom-Nes', opts());
  const discrete = make('TestRom-Nes', opts({ useRestrictedActions: Actions.DISCRETE }));
  const multi = make('TestRom-Nes', opts({ useRestrictedActions: Actions.MULTI_DISCRETE }));
  const all = make('TestRom-Nes', opts({ useRestrictedActions: Actions.ALL }));
  try {
    assert.deepEqual(filtered.getActionMeaning(multiBinary(['LEFT', 'RIGHT', 'A'])), [['A']]);
    assert.deepEqual(all.getActionMeaning(multiBinary(['LEFT', 'RIGHT', 'A'])), [['LEFT', 'RIGHT', 'A']]);
    // Groups sorted by mask: [UP/DOWN] (3), [LEFT/RIGHT] (3), [B, A, A+B] (4) -> 36 actions.
    assert.equal(discrete.actionSpace.toString(), 'Discrete(36)');
    assert.equal(multi.actionSpace.toString(), 'MultiDiscrete([3, 3, 4])');
    assert.deepEqual(discrete.getActionMeaning(0), [[]]);
    assert.deepEqual(discrete.getActionMeaning(1), [['UP']]);
    assert.deepEqual(discrete.getActionMeaning(3), [['LEFT']]);
    assert.deepEqual(discrete.getActionMeaning(9), [['B']]);
    assert.deepEqual(discrete.getActionMeaning(35), [['B', 'DOWN', 'RIGHT', 'A']]);
    assert.deepEqual(multi.getActionMeaning([2, 1, 2]), [['DOWN', 'LEFT', 'A']]);
    const seen = new Set<string>();
    for (let a = 0; a < 36; a++) seen.add(JSON.stringify(discrete.getActionMeaning(a)));
    assert.equal(seen.size, 36, 'every discrete action is a different combo');
  } finally {
    for (const e of [filtered, discrete, multi, all]) e.close();
  }
});

test('JSON reward equals the sum of reward x delta computed independently; Lua and TS scenarios agree (property)', () => {
  const envs = ['scenario', 'scenario-lua', 'scenario-ts'].map((scenario) => make('TestRom-Nes', opts({ scenario })));
  const buttonArb = fc.constantFrom<string[]>([], ['LEFT'], ['RIGHT'], ['A'], ['A', 'LEFT'], ['RIGHT', 'A'], ['DOWN']);
  try {
    fc.assert(
      fc.property(fc.array(buttonArb, { minLength: 1, maxLength: 40 }), (actions) => {
        const starts = envs.map((e) => e.reset().info);
        let prev = starts[0];
        actions.forEach((names, i) => {
          const results = envs.map((e) => e.step(multiBinary(names)));
          const info = results[0].info;
          const dx = info.x - prev.x;
          const da = info.a_frames - prev.a_frames;
          const expected = (dx > 0 ? dx : dx * 0.5) + (da > 0 ? da * 0.25 : 0);
          assert.equal(results[0].reward, expected, `JSON reward at step ${i}`);
          assert.equal(results[1].reward, expected, `Lua reward at step ${i}`);
          assert.equal(results[2].reward, expected, `TS reward at step ${i}`);
          assert.equal(results[0].terminated, info.y > 200);
          assert.equal(results[1].terminated, info.y > 200);
          assert.equal(results[2].terminated, info.y > 200);
          prev = info;
        });
      }),
      { numRuns: 25, seed: 42 },
    );
  } finally {
    for (const e of envs) e.close();
  }
});

test('done fires when the rule holds', () => {
  const env = make('TestRom-Nes', opts());
  try {
    env.reset();
    let steps = 0;
    let terminated = false;
    while (!terminated && steps < 200) {
      terminated = env.step(multiBinary(['DOWN'])).terminated;
      steps++;
    }
    assert.ok(terminated);
    assert.ok(steps > 75 && steps < 90, `y went from 120 past 200 in ${steps} steps`);
  } finally {
    env.close();
  }
});

test('determinism: two envs in one process, same state and actions => same observations, rewards and info', () => {
  const a = make('TestRom-Nes', opts({ useRestrictedActions: Actions.DISCRETE, frameskip: 2 }));
  const b = make('TestRom-Nes', opts({ useRestrictedActions: Actions.DISCRETE, frameskip: 2 }));
  try {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 35 }), { minLength: 1, maxLength: 50 }), (actions) => {
        a.reset();
        b.reset();
        for (const action of actions) {
          const ra = a.step(action);
          const rb = b.step(action);
          assert.deepEqual(rb.observation, ra.observation);
          assert.deepEqual(rb.info, ra.info);
          assert.equal(rb.reward, ra.reward);
          assert.equal(rb.terminated, ra.terminated);
        }
      }),
      { numRuns: 15, seed: 5 },
    );
  } finally {
    a.close();
    b.close();
  }
});

test('states: default from metadata, named, power-on, built from a boot recipe; bad ones are typed errors', () => {
  const moved = make('TestRom-Nes', opts({ state: 'Moved' }));
  const none = make('TestRom-Nes', opts({ state: State.NONE }));
  try {
    assert.ok(moved.reset().info.x > 128);
    assert.ok(none.reset().info.frame < 5, 'power-on');
    assert.equal(moved.reset({ options: { state: 'Start' } }).info.x, 128);
    assert.ok(moved.reset({ options: { state: State.NONE } }).info.frame < 5, 'power-on on request');
    assert.ok(moved.reset().info.x > 128, 'back to the env\'s own start state');
  } finally {
    moved.close();
    none.close();
  }
  assert.throws(() => make('TestRom-Nes', opts({ state: 'Impossible' })), (e: unknown) => e instanceof RetroError && e.code === 'STATE_INVALID' && /y = \d+, expected equal 7/.test(e.message));
  assert.throws(() => make('TestRom-Nes', opts({ state: 'Nowhere' })), { code: 'STATE_NOT_FOUND' });
});

test('RAM observations', () => {
  const env = make('TestRom-Nes', opts({ obsType: 'ram' }));
  try {
    const { observation, info } = env.reset();
    assert.equal(observation.length, 2048);
    assert.equal(observation[0x15], info.x);
  } finally {
    env.close();
  }
});

test('unknown games, missing ROMs, bad scenarios and Lua errors are typed errors naming file, field or line', () => {
  assert.throws(() => make('TestRon-Nes', opts()), (e: unknown) => e instanceof RetroError && e.code === 'GAME_NOT_FOUND' && /TestRom-Nes/.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'rgym-bad-'));
  try {
    const game = join(dir, 'Broken-Nes');
    cpSync(join(fixtures, 'TestRom-Nes'), game, { recursive: true, dereference: true });
    const bad = (extra: MakeOptions) => make('Broken-Nes', { integrationPaths: [dir], dataDir, ...extra });

    writeFileSync(join(game, 'unknown-var.json'), JSON.stringify({ reward: { variables: { speed: { reward: 1 } } } }));
    assert.throws(() => bad({ scenario: 'unknown-var' }), (e: unknown) => e instanceof RetroError && /speed/.test(e.message));
    rmSync(join(game, 'unknown-var.json'));

    writeFileSync(join(game, 'script.lua'), 'function reward()\n  return data.x +\nend\nfunction done() return false end\n');
    assert.throws(() => bad({ scenario: 'scenario-lua' }), (e: unknown) => e instanceof RetroError && e.code === 'SCRIPT_ERROR' && e.details.line === 3 && /script\.lua/.test(String(e.details.file)));

    writeFileSync(join(game, 'script.lua'), 'function reward()\n  return nil + 1\nend\nfunction done() return false end\n');
    const env = bad({ scenario: 'scenario-lua' });
    env.reset();
    assert.throws(() => env.step(multiBinary([])), (e: unknown) => e instanceof RetroError && e.code === 'SCRIPT_ERROR' && e.details.line === 2);
    env.close();

    writeFileSync(join(game, 'rom.nes'), readFileSync(join(packageRoot(), 'homebrew', 'test', 'snes-test.sfc')).subarray(0, 24592));
    assert.throws(() => bad({}), (e: unknown) => e instanceof RetroError && e.code === 'ROM_SHA_MISMATCH' && /3a52e38f/.test(e.message));
    rmSync(join(game, 'rom.nes'));
    assert.throws(() => bad({}), (e: unknown) => e instanceof RetroError && e.code === 'ROM_NOT_IMPORTED' && /npx retro import/.test(e.message) && /3a52e38f/.test(e.message) && /Broken-Nes/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
