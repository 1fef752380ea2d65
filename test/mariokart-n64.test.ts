// The MarioKart-N64 integration, tested without a Mario Kart 64 ROM (which we may not ship or download).
//
// - The folder validates as `retro validate` and the loader see it; its variables lie in N64 RDRAM, big-endian.
// - scenario.json's rules, run by the native evaluator (ScenarioPreview) on synthetic variable values of the real
//   data.json, give the reward and done the README defines.
// - The three scenarios (JSON rules, Lua, TypeScript) run through make() on the N64 on RAM traces: the real
//   data.json, its variables written at their Mario Kart 64 addresses into the RDRAM of our own N64 test ROM, which
//   leaves them alone (it uses 0x80000400-0x8001002F, a framebuffer at 0x80100000 and a stack under 0x80400000).
// - Boot recipes, the preset, .v64/.n64 dumps through retro import to a booting emulator, make() without a ROM.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { make, State, type RetroEnv } from '../lib/env/retro-env.ts';
import { buildStates, builtStatePath } from '../lib/env/boot-recipe.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { RetroError } from '../lib/errors.ts';
import { ScenarioPreview } from '../lib/integrate/scenario-preview.ts';
import { inspectIntegration } from '../lib/integration/integration.ts';
import { checkSchema } from '../lib/integration/schemas.ts';
import { runValidate } from '../lib/cli/validate.ts';
import type { GameData, Metadata, Scenario } from '../lib/integration/types.ts';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { packageRoot } from '../lib/package-root.ts';
import { importRoms } from '../lib/integration/rom-import.ts';
import { Emulator } from '../lib/emulator.ts';
import { readGameTrainDefaults } from '../lib/train/config.ts';
import { comboCodec } from '../lib/train/action-head.ts';
import {
  f32Bits,
  f32FromBits,
  MARIO_KART_64_ACTIONS,
  MARIO_KART_64_GAME,
  MARIO_KART_64_SCENARIOS,
  MARIO_KART_64_STATES,
  marioKart64Options,
} from '../integrations/MarioKart-N64/preset.ts';
import { captureIO, tempDir } from './fixtures/helpers.ts';
import { base, encode, frameArb, jsonDone, jsonReward, ScriptedModel, traceArb, type Frame } from './mariokart-n64-model.ts';

const integrationDir = join(packageRoot(), 'integrations', 'MarioKart-N64');
const readJson = <T>(name: string): T => JSON.parse(readFileSync(join(integrationDir, name), 'utf8')) as T;
const data = readJson<GameData>('data.json');
const metadata = readJson<Metadata>('metadata.json');
const scenario = readJson<Scenario>('scenario.json');
const readme = readFileSync(join(integrationDir, 'README.md'), 'utf8');

const ROM_SHAS = [
  '579c48e211ae952530ffc8738709f078d5dd215e', // USA (the .z64 image's SHA-1, as No-Intro lists it)
  'a729039453210b84f17019dda3f248d5888f7690', // Europe
  'f6b5f519dd57ea59e9f013cc64816e9d273b2329', // Europe Rev 1
  'afeeec65b9a03f0cb8ec92f9ba7a9f0122e8bd0e', // Japan
  '9f439457585146a4e1da7e1dd9104f7f94381688', // Japan Rev 1
];

const scratch = tempDir('rgym-mk64-');
after(() => scratch.cleanup());
let scratchCount = 0;
const freshDir = (label: string): string => {
  const dir = join(scratch.dir, `${label}-${scratchCount++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

// --- the folder, as retro validate and the loader see it -------------------------------------------------------

test('MarioKart-N64 validates: retro validate exits 0 and inspectIntegration finds no problem', async () => {
  const io = captureIO({}, packageRoot());
  assert.equal(await runValidate([integrationDir], io), 0, io.out() + io.err());
  assert.match(io.out(), /no problems/);

  const { integration, problems } = inspectIntegration(integrationDir);
  assert.deepEqual(problems, []);
  assert.ok(integration);
  assert.equal(integration.system, 'n64');
  assert.deepEqual(integration.romShas, ROM_SHAS);
  assert.deepEqual(Object.keys(integration.scenarios).sort(), ['scenario', 'scenario-lua', 'scenario-ts']);
  assert.equal(integration.metadata.default_state, MARIO_KART_64_STATES.LuigiRaceway);
  assert.equal(integration.states.length, 0, 'no .state file ships: states come from recipes on the user ROM');
  for (const sha of ROM_SHAS) assert.ok(readme.includes(sha), `README names dump ${sha}`);
});

/** name -> [N64 address, type], as the README's RAM table lists them. */
const EXPECTED: Record<string, [number, string]> = {
  progress: [0x80163288, '>i4'],
  path_point: [0x80164438, '>u2'],
  lap: [0x80164390, '>i4'],
  place: [0x801643b8, '>i4'],
  wrong_way: [0x80163270, '>u2'],
  wrong_way_frames: [0x80163258, '>u2'],
  race_state: [0x800dc510, '>i4'],
  game_mode: [0x800dc53c, '>i4'],
  course: [0x800dc5a0, '>i2'],
  race_time_cs: [0x8018ca78, '>u4'],
  hud_lap: [0x8018cae1, '|i1'],
  race_complete: [0x8018cae0, '|i1'],
  x: [0x8018ca9c, '>i4'],
  y: [0x8018caa0, '>i4'],
  z: [0x8018caa4, '>i4'],
  x_f32: [0x800f69a4, '>i4'],
  y_f32: [0x800f69a8, '>i4'],
  z_f32: [0x800f69ac, '>i4'],
  heading: [0x800f69be, '>i2'],
  velocity_x_f32: [0x800f69c4, '>i4'],
  velocity_z_f32: [0x800f69cc, '>i4'],
  kart_speed_f32: [0x800f6a24, '>i4'],
  speed_f32: [0x8018cfe4, '>i4'],
  effects: [0x800f6a4c, '>u4'],
  surface: [0x800f6a88, '>u2'],
  track_offset_f32: [0x80163068, '>i4'],
  track_offset_abs_f32: [0x80163068, '>u4'],
};

test('data.json: the documented N64 addresses and types, big-endian, aligned, inside RDRAM', () => {
  assert.deepEqual(Object.keys(data.info).sort(), Object.keys(EXPECTED).sort());
  const rdram = loadCoreDescriptor('n64').memory.find((b) => b.region === 'system_ram');
  assert.deepEqual(rdram && [rdram.start, rdram.length], [0x80000000, 8 * 1024 * 1024], 'n64 RDRAM: 8 MiB from 0x80000000');
  for (const [name, [address, type]] of Object.entries(EXPECTED)) {
    const variable = data.info[name];
    assert.equal(variable.address, address, `${name} address`);
    assert.equal(variable.type, type, `${name} type`);
    assert.match(type, /^(>[ui][124]|\|[ui]1)$/, `${name}: big-endian (or a single byte), as the N64 stores it`);
    const width = Number(type.at(-1));
    assert.equal(address % width, 0, `${name}: aligned to its width, as the game's C fields are`);
    // Mario Kart 64 needs no Expansion Pak: its data lies in the first 4 MiB of RDRAM.
    assert.ok(address >= 0x80000000 && address + width <= 0x80400000, `${name} lies in the first 4 MiB of RDRAM`);
    assert.ok(readme.includes(`\`${name}\``), `README's RAM table lists ${name}`);
    assert.ok(readme.toUpperCase().includes(address.toString(16).toUpperCase()), `README gives ${name}'s address in hex`);
  }
  assert.equal(data.info.track_offset_abs_f32.mask, 0x7fffffff, 'the absolute track offset drops the float sign bit');
  assert.deepEqual(
    Object.entries(data.info).filter(([, v]) => v.mask !== undefined).map(([name]) => name),
    ['track_offset_abs_f32'],
  );
});

test('f32FromBits / f32Bits: the scenario references are the floats the README names, and they round-trip (property)', () => {
  assert.equal(scenario.reward?.variables?.speed_f32.reference, f32Bits(40));
  assert.equal(scenario.reward?.variables?.track_offset_abs_f32.reference, f32Bits(1));
  assert.equal(f32FromBits(1109393408), 40);
  assert.equal(f32FromBits(f32Bits(-1.5)), -1.5);
  fc.assert(
    fc.property(fc.float({ noNaN: true }), (x) => assert.equal(f32FromBits(f32Bits(x)), x)),
    { numRuns: 500 },
  );
});

// --- scenario.json on the native evaluator -------------------------------------------------------------------

/** A frame as env info reports it: the masked absolute offset is the offset's bits without the sign bit. */
function info(f: Frame): Record<string, number> {
  const values: Record<string, number> = Object.fromEntries(Object.keys(data.info).map((name) => [name, 0]));
  return {
    ...values,
    progress: f.progress,
    lap: f.lap,
    speed_f32: f.speed,
    track_offset_f32: f.offset,
    track_offset_abs_f32: f.offset & 0x7fffffff,
    wrong_way: f.wrongWay,
    race_state: f.raceState,
  };
}

test('scenario.json on hand-made frames: progress, laps, speed, off-road, wrong way, finish', () => {
  const preview = new ScenarioPreview(data, scenario);
  preview.reset(info(base));
  const at = (f: Partial<Frame>) => preview.update(info({ ...base, ...f }));
  const close = (got: { reward: number; done: boolean }, reward: number, done: boolean, why: string) => {
    assert.ok(Math.abs(got.reward - reward) < 1e-9, `${why}: reward ${got.reward}, expected ${reward}`);
    assert.equal(got.done, done, `${why}: done`);
  };
  close(at({}), -0.025, false, 'standing still costs time only');
  close(at({ progress: 104 }), 2 - 0.025, false, 'four path points gained');
  close(at({ progress: 101 }), -1.5 - 0.025, false, 'three path points lost');
  close(at({ progress: 101, lap: 1 }), 100 - 0.025, false, 'crossing the line');
  close(at({ progress: 101, lap: 1, speed: f32Bits(40) }), 0.05 - 0.025, false, 'speedometer at 40');
  close(at({ progress: 101, lap: 1, speed: f32Bits(39.99) }), -0.025, false, 'speedometer just under 40');
  close(at({ progress: 101, lap: 1, speed: f32Bits(-50) }), -0.025, false, 'a negative float reads as a negative int: no bonus');
  close(at({ progress: 101, lap: 1, offset: f32Bits(1.5) }), -0.1 - 0.025, false, 'right of the road');
  close(at({ progress: 101, lap: 1, offset: f32Bits(-1.5) }), -0.1 - 0.025, false, 'left of the road (sign bit masked off)');
  close(at({ progress: 101, lap: 1, offset: f32Bits(-0.9) }), -0.025, false, 'on the road, left of the path');
  close(at({ progress: 101, lap: 1, wrongWay: 1 }), -0.5 - 0.025, true, 'the wrong-way flag ends the episode');
  close(at({ progress: 150, lap: 3 }), 0.5 * 49 + 100 - 0.025, true, 'the third lap done ends the race');
});

test('scenario.json on random frames gives the README reward and done (property)', () => {
  fc.assert(
    fc.property(frameArb, fc.array(frameArb, { minLength: 1, maxLength: 30 }), (start, frames) => {
      const preview = new ScenarioPreview(data, scenario);
      preview.reset(info(start));
      let prev = start;
      for (const f of frames) {
        const got = preview.update(info(f));
        assert.ok(Math.abs(got.reward - jsonReward(prev, f)) < 1e-6, `reward ${got.reward} vs ${jsonReward(prev, f)} for ${JSON.stringify([prev, f])}`);
        assert.equal(got.done, jsonDone(f));
        prev = f;
      }
    }),
    { numRuns: 200 },
  );
});

// --- the three scenarios in a session, on RAM traces ---------------------------------------------------------

const TRACE_GAME = 'MarioKartTrace-N64';
const n64TestRom = join(packageRoot(), 'homebrew', 'test', 'n64-test.z64');

/** MarioKart-N64's data.json, scenarios and scripts as they are, over our N64 test ROM. */
function traceIntegration(meta: Metadata = {}): string {
  const root = freshDir('integrations');
  const dir = join(root, TRACE_GAME);
  mkdirSync(dir);
  for (const f of ['data.json', 'scenario.json', 'scenario-lua.json', 'scenario-ts.json', 'script.lua', 'script.ts']) {
    copyFileSync(join(integrationDir, f), join(dir, f));
  }
  copyFileSync(n64TestRom, join(dir, 'rom.z64'));
  writeFileSync(join(dir, 'rom.sha'), createHash('sha1').update(readFileSync(n64TestRom)).digest('hex') + '\n');
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(meta));
  return root;
}

type TraceEnv = { env: RetroEnv; kind: 'json' | 'scripted'; name: string };

/** One env per scenario on the trace integration, and a way to close them. */
function openTraceEnvs(): { envs: TraceEnv[]; close: () => void } {
  const root = traceIntegration();
  // Buttons only (analog: false): these envs replay RAM traces; the sticks have their tests in n64-analog.test.ts.
  const lookup = { integrationPaths: [root], dataDir: freshDir('data'), state: State.NONE, useRestrictedActions: Actions.ALL, analog: false };
  const envs = (['json', 'lua', 'ts'] as const).map((name) => ({
    env: make(TRACE_GAME, { ...lookup, scenario: MARIO_KART_64_SCENARIOS[name] }),
    kind: name === 'json' ? ('json' as const) : ('scripted' as const),
    name,
  }));
  return { envs, close: () => envs.forEach((e) => e.env.close()) };
}

const none = (env: RetroEnv) => new Uint8Array(env.buttons.length);
const frameOf = (i: Record<string, number>): Frame => ({
  progress: i.progress,
  lap: i.lap,
  speed: i.speed_f32,
  offset: i.track_offset_f32,
  wrongWay: i.wrong_way,
  raceState: i.race_state,
});

/** Writes a frame's variables at their Mario Kart 64 addresses and runs one frame. */
function stepWith(env: RetroEnv, f: Frame) {
  const values = { progress: f.progress, lap: f.lap, speed_f32: f.speed, track_offset_f32: f.offset, wrong_way: f.wrongWay, race_state: f.raceState };
  for (const [name, value] of Object.entries(values)) env.emulator.write(data.info[name].address, encode(data.info[name].type, value));
  return env.step(none(env));
}

test('JSON, Lua and TS scenarios through make() on the N64: values decode as written, rewards and done as the README defines (property)', () => {
  const { envs, close } = openTraceEnvs();
  try {
    fc.assert(
      fc.property(traceArb, (runs) => {
        for (const { env, kind, name } of envs) {
          const start = frameOf(env.reset().info);
          const model = kind === 'json' ? undefined : new ScriptedModel(start);
          let prev = start;
          const expect = (f: Frame) => (model ? model.frame(f) : { reward: jsonReward(prev, f), done: jsonDone(f) });
          // A first frame as the ROM leaves the variables: the models take it as reported.
          const warm = env.step(none(env));
          const warmWant = expect(frameOf(warm.info));
          assert.ok(Math.abs(warm.reward - warmWant.reward) < 1e-6, `${name}: warm-up reward`);
          assert.equal(warm.terminated, warmWant.done, `${name}: warm-up done`);
          prev = frameOf(warm.info);
          let done = warmWant.done;
          for (const [f, length] of runs) {
            for (let n = 0; n < length && !done; n++) {
              const r = stepWith(env, f);
              assert.deepEqual(frameOf(r.info), f, 'variables decode as written (big-endian, signed where typed so)');
              assert.equal(r.info.track_offset_abs_f32, f.offset & 0x7fffffff, 'the mask drops the sign bit');
              const want = expect(f);
              const where = `${name}, frame ${n} of run ${JSON.stringify(f)}`;
              assert.ok(Math.abs(r.reward - want.reward) < 1e-6, `reward ${r.reward}, expected ${want.reward}: ${where}`);
              assert.equal(r.terminated, want.done, `done: ${where}`);
              prev = f;
              done = want.done;
            }
          }
        }
      }),
      { numRuns: 12 },
    );
  } finally {
    close();
  }
});

test('on the N64: the scripted scenarios stop a stuck kart after 300 racing frames (-20), a reversing one after 60 frames; JSON at once', () => {
  const { envs, close } = openTraceEnvs();
  try {
    for (const { env, kind, name } of envs) {
      env.reset();
      env.step(none(env));
      const countdown = Array.from({ length: 120 }, () => stepWith(env, { ...base, raceState: 2 }));
      assert.ok(countdown.slice(1).every((r) => !r.terminated && Math.abs(r.reward + 0.025) < 1e-9), `${name}: the countdown only costs time`);
      // Had the 120 countdown frames counted, the stop below would come 120 frames early.
      const racing = Array.from({ length: 300 }, () => stepWith(env, base));
      if (kind === 'json') {
        assert.ok(racing.every((r) => !r.terminated), 'JSON rules have no stuck stop');
      } else {
        assert.equal(racing.findIndex((r) => r.terminated), 299, `${name}: the 300th racing frame without new ground ends it`);
        assert.ok(Math.abs(racing[299].reward - (-0.025 - 20)) < 1e-9, `${name}: -20 on that frame`);
      }

      env.reset();
      env.step(none(env));
      stepWith(env, base);
      const reversing = Array.from({ length: 60 }, (_, i) => stepWith(env, { ...base, progress: base.progress - i - 1, wrongWay: 1 }));
      assert.equal(reversing.findIndex((r) => r.terminated), kind === 'json' ? 0 : 59, `${name}: wrong-way stop`);
      assert.ok(Math.abs(reversing[0].reward - (-0.5 - 0.5 - 0.025)) < 1e-9, `${name}: a path point lost and the wrong-way penalty`);
    }
  } finally {
    close();
  }
});

// --- boot recipes ------------------------------------------------------------------------------------------------

test('boot recipes: valid, D-pad/A/START only, checked for a Time Trial race on the course the DOWN presses pick', () => {
  assert.deepEqual(checkSchema('metadata', metadata, 'metadata.json'), []);
  const n64Buttons = loadCoreDescriptor('n64').buttons;
  // Mushroom Cup order (the decomp's gCupCourseOrder) and course ids (its COURSES enum).
  const courses: Record<string, [index: number, id: number]> = {
    [MARIO_KART_64_STATES.LuigiRaceway]: [0, 8],
    [MARIO_KART_64_STATES.MooMooFarm]: [1, 9],
    [MARIO_KART_64_STATES.KoopaTroopaBeach]: [2, 6],
  };
  assert.deepEqual(Object.keys(metadata.states ?? {}).sort(), Object.keys(courses).sort());
  for (const [name, [index, id]] of Object.entries(courses)) {
    const state = metadata.states![name];
    const pressed = (state.recipe ?? []).flatMap((step) => step.buttons ?? []);
    for (const button of pressed) assert.ok(['A', 'START', 'DOWN'].includes(button) && n64Buttons.includes(button), `${name}: ${button}`);
    assert.equal(pressed.filter((b) => b === 'DOWN').length, 1 + index, `${name}: one DOWN to TIME TRIALS, ${index} down the cup`);
    assert.ok((state.recipe ?? []).every((step) => Object.keys(step).every((k) => k === 'frames' || k === 'buttons')), 'no stick steps');
    assert.deepEqual(state.check, {
      race_state: { op: 'equal', reference: 3 },
      game_mode: { op: 'equal', reference: 1 },
      course: { op: 'equal', reference: id },
      lap: { op: 'equal', reference: -1 },
    });
  }
});

test('the Luigi Raceway recipe runs on the N64; on our test ROM its checks fail: STATE_INVALID, no state written', () => {
  const name = MARIO_KART_64_STATES.LuigiRaceway;
  const root = traceIntegration({ default_state: name, states: { [name]: metadata.states![name] } });
  const lookup = { integrationPaths: [root], dataDir: freshDir('data') };
  assert.throws(
    () => buildStates(TRACE_GAME, [name], lookup),
    (e: unknown) =>
      e instanceof RetroError &&
      e.code === 'STATE_INVALID' &&
      /race_state = 0, expected equal 3/.test(e.message) &&
      /game_mode = 0, expected equal 1/.test(e.message) &&
      /course = 0, expected equal 8/.test(e.message) &&
      /lap = 0, expected equal -1/.test(e.message),
  );
  assert.equal(existsSync(builtStatePath(TRACE_GAME, name, lookup)), false, 'no state written');
});

// --- preset and a missing ROM --------------------------------------------------------------------------------------

test('preset: the steering actions hold A, press N64 buttons and keep the stick in [-1, 1]', () => {
  const n64Buttons = loadCoreDescriptor('n64').buttons;
  assert.deepEqual(Object.keys(MARIO_KART_64_ACTIONS), ['straight', 'soft_left', 'hard_left', 'soft_right', 'hard_right', 'drift_left', 'drift_right']);
  for (const [name, combo] of Object.entries(MARIO_KART_64_ACTIONS)) {
    assert.ok(combo.buttons.includes('A'), `${name} accelerates`);
    for (const button of combo.buttons) assert.ok(n64Buttons.includes(button), `${name}: ${button} is an N64 button`);
    assert.ok(combo.stick.every((v) => v >= -1 && v <= 1), `${name}: stick in [-1, 1]`);
    assert.equal(combo.stick[1], 0, `${name}: no up/down on the stick`);
    assert.equal(Math.sign(combo.stick[0]), name.endsWith('left') ? -1 : name.endsWith('right') ? 1 : 0, `${name}: steers its way`);
  }
  assert.ok(Math.abs(MARIO_KART_64_ACTIONS.hard_left.stick[0]) > Math.abs(MARIO_KART_64_ACTIONS.soft_left.stick[0]));
  const options = marioKart64Options();
  assert.equal(options.state, MARIO_KART_64_STATES.LuigiRaceway);
  assert.equal(options.useRestrictedActions, Actions.ALL);
  assert.equal(options.frameskip, 4);
  assert.ok(metadata.states![options.state!].recipe);
  assert.ok(readJson<Scenario>(`${options.scenario}.json`).reward);
  assert.equal(marioKart64Options({ frameskip: 1 }).frameskip, 1, 'overrides win');
});

test('the preset\'s and the recipes\' buttons reach the N64 pad as the game reads it', () => {
  // The joybus word controller 1 answers with (our test ROM keeps it at 0x80010010): the N64's own bit per button.
  const joybus: Record<string, number> = { A: 0x8000, START: 0x1000, DOWN: 0x0400, R: 0x0010 };
  const env = make(TRACE_GAME, { integrationPaths: [traceIntegration()], dataDir: freshDir('data'), state: State.NONE, useRestrictedActions: Actions.ALL, analog: false });
  try {
    env.reset();
    const combos = [...Object.values(MARIO_KART_64_ACTIONS).map((c) => c.buttons), ['START'], ['DOWN'], ['A']];
    for (const buttons of combos) {
      const action = new Uint8Array(env.buttons.length);
      for (const b of buttons) action[env.buttons.indexOf(b)] = 1;
      env.step(action);
      env.step(action);
      const word = Buffer.from(env.emulator.read(0x80010010, 2)).readUInt16BE(0);
      assert.equal(word, buttons.reduce((m, b) => m | joybus[b], 0), `${buttons.join('+')} reaches the pad`);
    }
  } finally {
    env.close();
  }
});

test('.v64 and .n64 dumps of a cartridge rom.sha lists by its .z64 SHA-1 import and boot', () => {
  // Our N64 test ROM stands in for the cartridge: rom.sha names its .z64 image, the dumps are byte-swapped copies.
  const z64 = readFileSync(n64TestRom);
  const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
  const root = freshDir('integrations');
  mkdirSync(join(root, 'DumpTrace-N64'));
  writeFileSync(join(root, 'DumpTrace-N64', 'rom.sha'), sha1(z64) + '\n');
  for (const [ext, dump] of [['v64', Buffer.from(z64).swap16()], ['n64', Buffer.from(z64).swap32()]] as const) {
    assert.notEqual(sha1(dump), sha1(z64));
    const roms = freshDir('roms');
    writeFileSync(join(roms, `dump.${ext}`), dump);
    const report = importRoms([roms], { integrationPaths: [root], dataDir: freshDir('data'), env: {} });
    assert.deepEqual(report.games.map((g) => [g.game, g.status]), [['DumpTrace-N64', 'imported']], `.${ext} recognised`);
    const emu = new Emulator({ rom: report.games[0].path });
    try {
      emu.step(2);
      assert.equal(Buffer.from(emu.read(0x80010000, 4)).readUInt32BE(0), 0x4e363454, `.${ext}: the program runs ("N64T")`);
    } finally {
      emu.close();
    }
  }
});

test('make(MarioKart-N64) without an imported ROM: ROM_NOT_IMPORTED naming the accepted SHA-1s and npx retro import', () => {
  assert.throws(
    () => make(MARIO_KART_64_GAME, { dataDir: freshDir('empty-data'), env: {} }),
    (e: unknown) => {
      assert.ok(e instanceof RetroError, String(e));
      assert.equal(e.code, 'ROM_NOT_IMPORTED');
      for (const sha of ROM_SHAS) assert.match(e.message, new RegExp(sha));
      assert.match(e.message, /npx retro import/);
      assert.match(e.message, /MarioKart-N64/);
      return true;
    },
  );
});

test('train.json gives retro train the preset\'s seven actions, stick and buttons alike', () => {
  const { combos } = readGameTrainDefaults(MARIO_KART_64_GAME);
  assert.ok(combos);
  const axes = 2;
  const codec = comboCodec(loadCoreDescriptor('n64').buttons, 1, combos, axes);
  const buttons = loadCoreDescriptor('n64').buttons;
  const preset = Object.values(MARIO_KART_64_ACTIONS);
  assert.equal(combos.length, preset.length);
  preset.forEach((expected, i) => {
    const action = codec.encode(Int32Array.of(i)) as { buttons: Uint8Array; stick: Float32Array };
    assert.deepEqual([...action.buttons].flatMap((b, bit) => (b ? [buttons[bit]] : [])).sort(), [...expected.buttons].sort(), `action ${i}`);
    assert.deepEqual([...action.stick], [...expected.stick], `action ${i}`);
  });
});
