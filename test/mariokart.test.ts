// The MarioKart-Snes integration, tested without a Super Mario Kart ROM (which we may not ship or download).
//
// - The folder validates (schemas, cross-file names), as `retro validate` sees it.
// - Its three scenarios (JSON rules, Lua, TypeScript) agree with each other and with a reward computed here, on
//   synthetic RAM traces: the game's variables are hosted in the WRAM of our own SNES test ROM, written before each
//   step. The test ROM writes only $7E0010-$7E0025, its OAM shadow $7E0200-$7E041F and its stack under $7E2000,
//   so the Mario Kart addresses (checked below) are ours to write.
// - Its boot recipes are accepted by the schema, and a recipe whose check fails (the real Mario Circuit recipe run
//   on the test ROM) gives STATE_INVALID and writes no state.
// - Without an imported ROM, make() says which dumps it accepts and how to import one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { make, State, type RetroEnv } from '../lib/env/retro-env.ts';
import { buildStates, builtStatePath } from '../lib/env/boot-recipe.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { RetroError } from '../lib/errors.ts';
import { inspectIntegration } from '../lib/integration/integration.ts';
import { checkSchema } from '../lib/integration/schemas.ts';
import { runValidate } from '../lib/cli/validate.ts';
import type { CliIO } from '../lib/cli/io.ts';
import type { GameData, Metadata } from '../lib/integration/types.ts';
import { packageRoot } from '../lib/package-root.ts';
import {
  MARIO_KART_ACTIONS,
  MARIO_KART_GAME,
  MARIO_KART_SCENARIOS,
  MARIO_KART_STATES,
  marioKartOptions,
} from '../integrations/MarioKart-Snes/preset.ts';
import { testRoms } from './helpers.ts';

const integrationDir = join(packageRoot(), 'integrations', 'MarioKart-Snes');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(integrationDir, name), 'utf8')) as T;
const data = readJson<GameData>('data.json');
const metadata = readJson<Metadata>('metadata.json');

const scratch = mkdtempSync(join(tmpdir(), 'rgym-mariokart-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;
const freshDir = (label: string): string => {
  const dir = join(scratch, `${label}-${scratchCount++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** A copy of MarioKart-Snes whose ROM is our SNES test ROM: same variables and scenarios, no Mario Kart. */
const TRACE_GAME = 'MarioKartTrace-Snes';
function traceIntegration(meta: Metadata = {}): string {
  const root = freshDir('integrations');
  const dir = join(root, TRACE_GAME);
  mkdirSync(dir);
  for (const f of ['data.json', 'scenario.json', 'scenario-lua.json', 'scenario-ts.json', 'script.lua', 'script.ts']) {
    copyFileSync(join(integrationDir, f), join(dir, f));
  }
  copyFileSync(testRoms.snes, join(dir, 'rom.sfc'));
  writeFileSync(join(dir, 'rom.sha'), createHash('sha1').update(readFileSync(testRoms.snes)).digest('hex') + '\n');
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(meta, null, 2));
  return root;
}

/** Bytes of a value for a data.json type (little-endian and single-byte types only: all this integration uses). */
function encode(type: string, value: number): number[] {
  const m = /^([|<])([ui])([12])$/.exec(type);
  assert.ok(m, `test encoder lacks type ${type}`);
  const width = Number(m[3]);
  const raw = value < 0 ? value + 2 ** (8 * width) : value;
  assert.ok(raw >= 0 && raw < 2 ** (8 * width), `${value} does not fit ${type}`);
  return Array.from({ length: width }, (_, i) => (raw >> (8 * i)) & 0xff);
}

const address = (name: string): number => data.info[name].address;

// --- (a) the folder as `retro validate` and the loader see it --------------------------------------------------

test('MarioKart-Snes validates: retro validate exits 0 and inspectIntegration finds no problem', async () => {
  const out: string[] = [];
  const io: CliIO = {
    stdout: { write: (s: string) => (out.push(s), true) },
    stderr: { write: (s: string) => (out.push(s), true) },
    env: {},
    cwd: packageRoot(),
  } as unknown as CliIO;
  const code = await runValidate([integrationDir], io);
  assert.equal(code, 0, out.join(''));
  assert.match(out.join(''), /no problems/);

  const { integration, problems } = inspectIntegration(integrationDir);
  assert.deepEqual(problems, []);
  assert.ok(integration);
  assert.equal(integration.system, 'snes');
  assert.deepEqual(integration.romShas, [
    'c9ffe61534f15ca54f0a2a29e64ea29ad2e5d112',
    '47e103d8398cf5b7cbb42b95df3a3c270691163b',
    '27d9b4f30d39af75075691344b7bdeedbd32ac19',
  ]);
  assert.deepEqual(Object.keys(integration.scenarios).sort(), ['scenario', 'scenario-lua', 'scenario-ts']);
  assert.equal(integration.metadata.default_state, MARIO_KART_STATES.MarioCircuit1);
  assert.equal(integration.states.length, 0, 'no .state file ships: states come from recipes on the user ROM');
});

test('data.json: the documented bus addresses and types, in WRAM and clear of the test ROM', () => {
  // name -> [SNES bus address, type], as the README's RAM table lists them.
  const expected: Record<string, [number, string]> = {
    laps: [0x7e10c1, '|u1'],
    checkpoint: [0x7e10c0, '|u1'],
    progress: [0x7e10c0, '<u2'],
    num_checkpoints: [0x7e0148, '|u1'],
    speed: [0x7e10ea, '<i2'],
    speed_east: [0x7e1022, '<i2'],
    speed_south: [0x7e1024, '<i2'],
    x: [0x7e0088, '<u2'],
    y: [0x7e008c, '<u2'],
    direction: [0x7e0095, '|u1'],
    kart_angle: [0x7e10aa, '<i2'],
    surface: [0x7e10ae, '|u1'],
    ground_status: [0x7e10a0, '|u1'],
    height: [0x7e101f, '<u2'],
    collision: [0x7e1052, '|u1'],
    backward: [0x7e010b, '|u1'],
    lakitu: [0x7e010b, '|u1'],
    rank: [0x7e1040, '|u1'],
    coins: [0x7e0e00, '|u1'],
    item: [0x7e0d70, '|u1'],
    item_aux: [0x7e0c69, '|u1'],
    current_frame: [0x7e0038, '<u2'],
    race_hundredths: [0x7e0101, '|d1'],
    race_seconds: [0x7e0102, '|d1'],
    race_minutes: [0x7e0104, '|u1'],
    finished: [0x7e1e96, '<u2'],
    game_mode: [0x7e00b5, '|u1'],
    course: [0x7e0124, '|u1'],
  };
  assert.deepEqual(Object.keys(data.info).sort(), Object.keys(expected).sort());
  const readme = readFileSync(join(integrationDir, 'README.md'), 'utf8');
  // Bytes the test ROM itself writes (helpers.ts contract, its private state, OAM shadow, a generous stack).
  const romOwned = (a: number) =>
    (a >= 0x7e0010 && a <= 0x7e0025) || (a >= 0x7e0200 && a <= 0x7e041f) || (a >= 0x7e1f00 && a <= 0x7e1fff);
  for (const [name, [addr, type]] of Object.entries(expected)) {
    assert.equal(data.info[name].address, addr, `${name} address`);
    assert.equal(data.info[name].type, type, `${name} type`);
    const width = Number(type.at(-1));
    for (let b = addr; b < addr + width; b++) assert.ok(!romOwned(b), `${name} byte 0x${b.toString(16)} is written by the test ROM`);
    assert.ok(addr >= 0x7e0000 && addr + width <= 0x800000, `${name} is in WRAM`);
    assert.ok(readme.includes(`\`${name}\``), `README's RAM table lists ${name}`);
    assert.ok(readme.toUpperCase().includes(addr.toString(16).toUpperCase()), `README gives ${name}'s address in hex`);
  }
  assert.equal(data.info.backward.mask, 16, 'backward is the reverse bit of the Lakitu byte');
});

// --- (b) JSON, Lua and TS scenarios agree on synthetic RAM traces ---------------------------------------------

interface TraceStep {
  laps: number;
  checkpoint: number;
  collision: number;
  surface: number;
  lakitu: number;
  speed: number;
}

/** The reward and done the README defines, computed from the trace alone. */
function expectedStep(prev: { progress: number; collision: number }, s: TraceStep): { reward: number; done: boolean } {
  const progress = s.laps * 256 + s.checkpoint;
  let reward = -1; // time
  reward += 300 * Math.sign(progress - prev.progress);
  if (s.collision > prev.collision) reward -= 10;
  if (s.surface >= 84) reward -= 15;
  const reversing = (s.lakitu & 0x10) !== 0;
  if (reversing) reward -= 2;
  return { reward, done: s.laps >= 133 || reversing };
}

const stepArb: fc.Arbitrary<TraceStep> = fc.record({
  // Small domains so that progress rises, falls and stays put, laps cross 127/128 and the finish (133).
  laps: fc.constantFrom(126, 127, 128, 129, 132, 133, 134),
  checkpoint: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 })),
  collision: fc.constantFrom(0, 0, 1, 3, 7),
  // Road codes (64 Mario Circuit, 70 Donut Plains, 78 ice/rough, 82), the off-road threshold and above, walls.
  surface: fc.constantFrom(0, 16, 34, 64, 70, 78, 82, 83, 84, 86, 90, 94, 128),
  // Lakitu byte: nothing, back on track (4), reverse (16), race end (64), mixtures.
  lakitu: fc.constantFrom(0, 0, 0, 4, 16, 64, 20, 80, 0xef, 0xff),
  speed: fc.integer({ min: -32768, max: 32767 }),
});

test('JSON, Lua and TS scenarios give the same reward and done on RAM traces, equal to the README definition (property)', () => {
  const integrationPaths = [traceIntegration()];
  const dataDir = freshDir('data');
  const envs: RetroEnv[] = [MARIO_KART_SCENARIOS.json, MARIO_KART_SCENARIOS.lua, MARIO_KART_SCENARIOS.ts].map((scenario) =>
    make(TRACE_GAME, { integrationPaths, dataDir, state: State.NONE, scenario }),
  );
  const noButtons = new Uint8Array(12);
  const write = (env: RetroEnv, s: TraceStep) => {
    const values: Record<string, number> = {
      laps: s.laps,
      checkpoint: s.checkpoint,
      collision: s.collision,
      surface: s.surface,
      lakitu: s.lakitu,
      speed: s.speed,
    };
    for (const [name, value] of Object.entries(values)) env.emulator.write(address(name), encode(data.info[name].type, value));
  };
  try {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (trace) => {
        const starts = envs.map((e) => e.reset().info);
        // Power-on: the test ROM's first frame clears WRAM, so one warm-up step brings every variable to 0.
        const warm = envs.map((e) => e.step(noButtons));
        assert.deepEqual(warm.map((r) => r.reward), Array(3).fill(warm[0].reward), 'warm-up step: the three agree');
        assert.deepEqual(warm.map((r) => r.terminated), [false, false, false]);
        for (const name of ['laps', 'checkpoint', 'progress', 'collision', 'surface', 'backward', 'lakitu', 'speed']) {
          assert.equal(warm[0].info[name], 0, `${name} after the test ROM cleared WRAM`);
        }
        // From the power-on RAM to zeros: the time penalty, and a lost checkpoint if progress was above 0.
        assert.equal(warm[0].reward, -1 + 300 * Math.sign(0 - starts[0].progress), 'warm-up reward');

        let prev = { progress: 0, collision: 0 };
        trace.forEach((s, i) => {
          const results = envs.map((env) => {
            write(env, s);
            return env.step(noButtons);
          });
          const info = results[0].info;
          const progress = s.laps * 256 + s.checkpoint;
          // The values decode as written.
          assert.equal(info.laps, s.laps);
          assert.equal(info.checkpoint, s.checkpoint);
          assert.equal(info.progress, progress);
          assert.equal(info.collision, s.collision);
          assert.equal(info.surface, s.surface);
          assert.equal(info.lakitu, s.lakitu);
          assert.equal(info.backward, s.lakitu & 0x10);
          assert.equal(info.speed, s.speed);

          const want = expectedStep(prev, s);
          const where = `step ${i} of ${JSON.stringify(trace.slice(0, i + 1))}`;
          assert.equal(results[0].reward, want.reward, `JSON reward, ${where}`);
          assert.equal(results[1].reward, want.reward, `Lua reward, ${where}`);
          assert.equal(results[2].reward, want.reward, `TS reward, ${where}`);
          assert.equal(results[0].terminated, want.done, `JSON done, ${where}`);
          assert.equal(results[1].terminated, want.done, `Lua done, ${where}`);
          assert.equal(results[2].terminated, want.done, `TS done, ${where}`);
          prev = { progress, collision: s.collision };
        });
      }),
      { numRuns: 40, seed: 6 },
    );
  } finally {
    for (const e of envs) e.close();
  }
});

test('the scenarios on hand-made traces: a lap crossing, a finish, a wall hit, off-road, reversing', () => {
  const integrationPaths = [traceIntegration()];
  const dataDir = freshDir('data');
  const envs = [MARIO_KART_SCENARIOS.json, MARIO_KART_SCENARIOS.lua, MARIO_KART_SCENARIOS.ts].map((scenario) =>
    make(TRACE_GAME, { integrationPaths, dataDir, state: State.NONE, scenario }),
  );
  const none = new Uint8Array(12);
  const run = (s: Partial<TraceStep>) =>
    envs.map((env) => {
      const full = { laps: 127, checkpoint: 20, collision: 0, surface: 64, lakitu: 0, speed: 0, ...s };
      for (const [name, value] of Object.entries(full)) env.emulator.write(address(name), encode(data.info[name].type, value));
      const r = env.step(none);
      return [r.reward, r.terminated] as const;
    });
  try {
    for (const env of envs) {
      env.reset();
      env.step(none);
    }
    const all = (reward: number, done: boolean) => Array(3).fill([reward, done]);
    assert.deepEqual(run({}), all(-1 + 300, false), 'on the grid: 0 -> 127*256+20 counts as progress');
    assert.deepEqual(run({}), all(-1, false), 'standing still costs the time penalty only');
    assert.deepEqual(run({ laps: 128, checkpoint: 0 }), all(299, false), 'crossing the line (checkpoint 20 -> 0, lap +1) is progress');
    assert.deepEqual(run({ laps: 128, checkpoint: 1 }), all(299, false));
    assert.deepEqual(run({ laps: 128, checkpoint: 0 }), all(-301, false), 'losing a checkpoint costs as much as gaining one');
    assert.deepEqual(run({ laps: 128, checkpoint: 0, collision: 7 }), all(-11, false), 'a wall hit (counter rises)');
    assert.deepEqual(run({ laps: 128, checkpoint: 0, collision: 6 }), all(-1, false), 'the counter running down is no new hit');
    assert.deepEqual(run({ laps: 128, checkpoint: 0, surface: 84 }), all(-16, false), 'Mario Circuit off-road');
    assert.deepEqual(run({ laps: 128, checkpoint: 0, surface: 82 }), all(-1, false), 'surface 82 counts as road');
    assert.deepEqual(run({ laps: 128, checkpoint: 0, lakitu: 4 }), all(-1, false), 'Lakitu bringing the kart back is not reversing');
    assert.deepEqual(run({ laps: 128, checkpoint: 0, lakitu: 16 }), all(-3, true), 'the reverse flag ends the episode');
    assert.deepEqual(run({ laps: 132, checkpoint: 30 }), all(299, false), 'fifth lap');
    assert.deepEqual(run({ laps: 133, checkpoint: 0 }), all(299, true), 'the fifth crossing (lap byte 133) finishes the race');
  } finally {
    for (const e of envs) e.close();
  }
});

// --- (c) boot recipes ------------------------------------------------------------------------------------------

test('boot recipes: the schema accepts them, and a failing check gives STATE_INVALID and writes no state', () => {
  assert.deepEqual(checkSchema('metadata', metadata, 'metadata.json'), []);
  const mc1 = metadata.states![MARIO_KART_STATES.MarioCircuit1];
  assert.ok(mc1.recipe && mc1.recipe.length > 0 && mc1.check && Object.keys(mc1.check).length >= 2);
  for (const name of Object.values(MARIO_KART_STATES)) {
    const info = metadata.states![name];
    assert.ok(info?.recipe, `${name} has a recipe`);
    assert.deepEqual(Object.keys(info.check ?? {}).sort(), ['course', 'game_mode', 'laps'], `${name} checks it is in a race`);
  }
  // A malformed step is refused by the schema.
  const broken = structuredClone(metadata);
  broken.states![MARIO_KART_STATES.MarioCircuit1].recipe![0] = { frames: 0, buttons: ['START'], hold: true } as never;
  assert.ok(checkSchema('metadata', broken, 'metadata.json').length > 0);

  // The real Mario Circuit 1 recipe, run on the test ROM: the checks cannot hold, so the build fails loudly.
  const meta: Metadata = {
    default_state: MARIO_KART_STATES.MarioCircuit1,
    states: {
      [MARIO_KART_STATES.MarioCircuit1]: mc1,
      // Control: the same kind of recipe whose check holds on the test ROM (WRAM is cleared at boot).
      Booted: { recipe: [{ frames: 10 }], check: { laps: { op: 'equal', reference: 0 } } },
    },
  };
  const integrationPaths = [traceIntegration(meta)];
  const dataDir = freshDir('data');
  const lookup = { integrationPaths, dataDir };
  assert.throws(
    () => make(TRACE_GAME, { ...lookup, scenario: 'scenario' }),
    (e: unknown) =>
      e instanceof RetroError &&
      e.code === 'STATE_INVALID' &&
      /game_mode = 0, expected equal 28/.test(e.message) &&
      /course = 0, expected equal 7/.test(e.message) &&
      /laps = 0, expected equal 127/.test(e.message),
  );
  assert.equal(existsSync(builtStatePath(TRACE_GAME, MARIO_KART_STATES.MarioCircuit1, lookup)), false, 'no state written');

  const [built] = buildStates(TRACE_GAME, ['Booted'], lookup);
  assert.equal(built, builtStatePath(TRACE_GAME, 'Booted', lookup));
  assert.ok(existsSync(built));
  const env = make(TRACE_GAME, { ...lookup, state: 'Booted' });
  try {
    assert.equal(env.reset().info.laps, 0);
  } finally {
    env.close();
  }
});

// --- (d) no ROM ------------------------------------------------------------------------------------------------

test('make(MarioKart-Snes) without an imported ROM: ROM_NOT_IMPORTED naming the accepted SHA-1s and npx retro import', () => {
  const dataDir = freshDir('empty-data');
  assert.throws(
    () => make(MARIO_KART_GAME, { dataDir, env: {} }),
    (e: unknown) => {
      assert.ok(e instanceof RetroError, String(e));
      assert.equal(e.code, 'ROM_NOT_IMPORTED');
      for (const sha of ['c9ffe61534f15ca54f0a2a29e64ea29ad2e5d112', '47e103d8398cf5b7cbb42b95df3a3c270691163b', '27d9b4f30d39af75075691344b7bdeedbd32ac19']) {
        assert.match(e.message, new RegExp(sha));
      }
      assert.match(e.message, /npx retro import/);
      assert.match(e.message, /MarioKart-Snes/);
      return true;
    },
  );
});

// --- preset ----------------------------------------------------------------------------------------------------

test('preset: the four driving actions press valid buttons, and the recommended options name what the integration has', () => {
  assert.deepEqual(Object.keys(MARIO_KART_ACTIONS), ['accelerate', 'left', 'right', 'hop']);
  const integrationPaths = [traceIntegration()];
  const options = marioKartOptions({ integrationPaths, dataDir: freshDir('data'), state: State.NONE });
  assert.equal(options.useRestrictedActions, Actions.FILTERED);
  assert.equal(options.frameskip, 4);
  const env = make(TRACE_GAME, options);
  try {
    env.reset();
    for (let i = 0; i < 4; i++) env.step(new Uint8Array(12)); // let the test ROM boot
    assert.equal(env.actionSpace.toString(), 'MultiBinary(12)');
    // The test ROM keeps pad 1 as read from the joypad at $7E0010 (16-bit: B 0x8000, Left 0x0200, Right 0x0100, L 0x0020).
    const padBit: Record<string, number> = { B: 0x8000, LEFT: 0x0200, RIGHT: 0x0100, L: 0x0020 };
    for (const combo of Object.values(MARIO_KART_ACTIONS)) {
      const action = Uint8Array.from(env.buttons, (b) => (b !== null && (combo as readonly string[]).includes(b) ? 1 : 0));
      assert.deepEqual(env.getActionMeaning(action)[0].sort(), [...combo].sort(), 'FILTERED keeps every driving combo whole');
      env.step(action);
      const [lo, hi] = env.emulator.read(0x7e0010, 2);
      assert.equal(lo | (hi << 8), combo.reduce((m, b) => m | padBit[b], 0), `${combo.join('+')} reaches the game's joypad`);
    }
  } finally {
    env.close();
  }
  const defaults = marioKartOptions();
  assert.equal(defaults.state, MARIO_KART_STATES.MarioCircuit1);
  assert.ok(metadata.states![defaults.state!].recipe);
  assert.ok(existsSync(join(integrationDir, `${defaults.scenario}.json`)));
  assert.equal(marioKartOptions({ frameskip: 1 }).frameskip, 1, 'overrides win');
});
