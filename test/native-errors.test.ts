// Every error code the addon throws becomes one class, keeps its code and message, wherever it surfaces: Emulator,
// make/step/reset, BatchEnv and frameOps (issue 12, item 1). File context is added only where a file is parsed.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Emulator } from '../lib/emulator.ts';
import { Session } from '../lib/env/session.ts';
import { make, type MakeOptions } from '../lib/env/retro-env.ts';
import { ArgumentError, CoreError, IntegrationError, LifecycleError, RetroError, ScriptError, StateError } from '../lib/errors.ts';
import * as frameOps from '../lib/frame-ops.ts';
import { fromNative, nativeErrorClasses, type NativeErrorCode } from '../lib/native.ts';
import { packageRoot } from '../lib/package-root.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { copyFixture, tempDir } from './fixtures/helpers.ts';
import { testRoms } from './helpers.ts';

const tmp = tempDir('rgym-native-errors-');
after(() => tmp.cleanup());
const dataDir = join(tmp.dir, 'data');
let counter = 0;

/** A private copy of the TestRom-Nes fixture, its script.lua replaced by `lua` when given. */
function integration(lua?: string): { options: MakeOptions; dir: string } {
  const root = join(tmp.dir, `case${counter++}`);
  mkdirSync(root);
  const dir = copyFixture('TestRom-Nes', root);
  if (lua !== undefined) writeFileSync(join(dir, 'script.lua'), lua);
  return { options: { integrationPaths: [root], dataDir }, dir };
}

/** The error `fn` throws is a `Class` with `code` and exactly `message` (a string) or a matching one. */
function throwsTyped(fn: () => unknown, Class: typeof RetroError, code: string, message: string | RegExp): RetroError {
  let caught: unknown;
  assert.throws(fn, (e: unknown) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof Class, `expected a ${Class.name}, got ${String(caught)}`);
  assert.equal(caught.name, Class.name);
  assert.equal(caught.code, code, caught.message);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  return caught;
}

/** The codes native/ throws: every EmulatorError, makeError and guarded() fallback code in its sources. */
function codesInNativeSources(): Set<string> {
  const folder = join(packageRoot(), 'native');
  const codes = new Set<string>();
  for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(cpp|h)$/.test(f))) {
    const text = readFileSync(join(folder, file), 'utf8');
    for (const m of text.matchAll(/(?:EmulatorError\(|makeError\(env, |error\.emplace\(|\}, )"([A-Z_]+)"/g)) codes.add(m[1]);
  }
  return codes;
}

describe('the table', () => {
  test('names every code the native sources throw, and nothing they do not', () => {
    const inSources = codesInNativeSources();
    assert.ok(inSources.size >= 10, `found only ${[...inSources].join(', ')}`);
    assert.deepEqual([...inSources].sort(), Object.keys(nativeErrorClasses).sort());
  });

  test('fromNative keeps each code and message and gives the code its class', () => {
    for (const [code, Class] of Object.entries(nativeErrorClasses)) {
      const native = Object.assign(new Error(`a ${code} failure`), { code });
      const typed = fromNative(native);
      assert.ok(typed instanceof Class, `${code} is a ${Class.name}`);
      assert.equal((typed as RetroError).code, code as NativeErrorCode);
      assert.equal((typed as RetroError).message, `a ${code} failure`);
      assert.equal((typed as RetroError).cause, native);
    }
  });

  test('a script error names the Lua file and line its message gives; other values pass unchanged', () => {
    const native = Object.assign(new Error('/x/script.lua:7: boom (calling reward())'), { code: 'SCRIPT_ERROR' });
    assert.deepEqual((fromNative(native) as ScriptError).details, { file: '/x/script.lua', line: 7 });
    const typed = new StateError('STATE_INVALID', 'already typed');
    assert.equal(fromNative(typed), typed);
    const plain = new TypeError('not from the addon');
    assert.equal(fromNative(plain), plain);
  });
});

describe('Emulator', () => {
  test('CORE_NOT_FOUND and CORE_LOAD_FAILED are CoreErrors', () => {
    throwsTyped(() => new Emulator({ rom: testRoms.nes, core: '/nonexistent/core.so' }), CoreError, 'CORE_NOT_FOUND', 'libretro core not found: /nonexistent/core.so');
    const fake = join(tmp.dir, 'fake-core.so');
    writeFileSync(fake, 'not a shared library');
    throwsTyped(() => new Emulator({ rom: testRoms.nes, core: fake }), CoreError, 'CORE_LOAD_FAILED', /^cannot load core .*fake-core\.so: /);
  });

  test('STATE_INVALID is a StateError, ADDRESS_UNMAPPED an ArgumentError, EMULATOR_CLOSED a LifecycleError', () => {
    const emu = new Emulator({ rom: testRoms.nes });
    throwsTyped(() => emu.loadState(new Uint8Array(10)), StateError, 'STATE_INVALID', /^the state has 10 bytes, but Nestopia states of this game have \d+: /);
    const unmapped = 'address 2147483647 (+1 bytes) is not mapped to any memory the core exposes';
    throwsTyped(() => emu.read(0x7fffffff, 1), ArgumentError, 'ADDRESS_UNMAPPED', unmapped);
    throwsTyped(() => emu.write(0x7fffffff, [1]), ArgumentError, 'ADDRESS_UNMAPPED', unmapped);
    emu.close();
    throwsTyped(() => emu.step(1), LifecycleError, 'EMULATOR_CLOSED', 'the emulator is closed');
  });
});

describe('make, step and reset', () => {
  test("a step's INVALID_ARGUMENT is an ArgumentError, not a scenario file's fault", () => {
    const env = make('TestRom-Nes', { ...integration().options, frameskip: 2_000_000 });
    env.reset();
    const e = throwsTyped(() => env.step(env.actionSpace.sample()), ArgumentError, 'INVALID_ARGUMENT', 'frames must be in [1, 1000000]');
    assert.deepEqual(e.details, {});
    env.close();
  });

  test('STATE_INVALID is a StateError from loadState and reset, naming the file only where make() reads one', () => {
    const { options, dir } = integration();
    writeFileSync(join(dir, 'Bad.state'), new Uint8Array(100));
    const env = make('TestRom-Nes', options);
    const truncated = /^the state has (10|100) bytes, but Nestopia states of this game have \d+: it is truncated/;
    throwsTyped(() => env.loadState(new Uint8Array(10)), StateError, 'STATE_INVALID', truncated);
    throwsTyped(() => env.reset({ options: { state: 'Bad' } }), StateError, 'STATE_INVALID', truncated);
    env.close();
    const file = join(dir, 'Bad.state');
    const e = throwsTyped(() => make('TestRom-Nes', { ...options, state: 'Bad' }), StateError, 'STATE_INVALID', new RegExp(`^${file}: the state has 100 bytes`));
    assert.equal(e.details.file, file);
  });

  test('EMULATOR_CLOSED under an env is a LifecycleError', () => {
    const env = make('TestRom-Nes', integration().options);
    env.reset();
    env.emulator.close();
    throwsTyped(() => env.step(env.actionSpace.sample()), LifecycleError, 'EMULATOR_CLOSED', 'the emulator is closed');
    // Not env.close(): its emulator is gone already, which close() reports.
  });

  test('SCRIPT_ERROR, SCRIPT_TIMEOUT and SCRIPT_MEMORY are ScriptErrors naming the script', () => {
    const failing = integration('function reward() error("boom") end\nfunction done() return false end\n');
    const env = make('TestRom-Nes', { ...failing.options, scenario: 'scenario-lua' });
    env.reset();
    const script = join(failing.dir, 'script.lua');
    const e = throwsTyped(() => env.step(env.actionSpace.sample()), ScriptError, 'SCRIPT_ERROR', `${script}:1: boom (calling reward())`);
    assert.deepEqual(e.details, { file: script, line: 1 });
    env.close();

    const looping = integration('function reward() while true do end end\nfunction done() return false end\n');
    const slow = make('TestRom-Nes', { ...looping.options, scenario: 'scenario-lua', scriptLimits: { instructions: 100_000 } });
    slow.reset();
    throwsTyped(() => slow.step(slow.actionSpace.sample()), ScriptError, 'SCRIPT_TIMEOUT', /^Lua function reward\(\) ran over its budget of 100,000 instructions/);
    slow.close();

    const huge = integration('local s = string.rep("x", 1 << 30)\nfunction reward() return 0 end\nfunction done() return false end\n');
    throwsTyped(() => make('TestRom-Nes', { ...huge.options, scenario: 'scenario-lua' }), ScriptError, 'SCRIPT_MEMORY', /ran over its memory limit of 64 MiB$/);
  });
});

describe('while a file is parsed', () => {
  const emulator = () => new Emulator({ rom: testRoms.nes });
  const files = { scenario: '/x/scenario.json', data: '/x/data.json' };
  const variables = [{ name: 'x', address: 0x15, type: '|u1' }];
  const done = { condition: 'any' as const, terms: [], nodes: [] };

  test("the addon's SCENARIO_INVALID and INVALID_ARGUMENT name the scenario file, ADDRESS_UNMAPPED data.json", () => {
    const emu = emulator();
    try {
      const badOp = { variables, rewards: [[{ variable: 'x', measurement: 'delta', op: 'nope', reference: 0, reward: 1, penalty: 0 }]], done };
      throwsTyped(() => new Session(emu, badOp, files), IntegrationError, 'SCENARIO_INVALID', '/x/scenario.json: unknown op "nope"');
      const badLimit = { variables, rewards: [[]], done, lua: { files: [], rewardFunctions: [], doneFunction: '', limits: { instructions: 0 } } };
      throwsTyped(() => new Session(emu, badLimit, files), IntegrationError, 'SCHEMA_INVALID', '/x/scenario.json: lua.limits.instructions must be a positive integer');
      const far = { variables: [{ name: 'far', address: 0x7ffff, type: '|u1' }], rewards: [[]], done };
      const e = throwsTyped(() => new Session(emu, far, files), IntegrationError, 'SCHEMA_INVALID', /^\/x\/data\.json#\/info\/far\/address: variable "far" at address/);
      assert.equal(e.details.file, '/x/data.json');
    } finally {
      emu.close();
    }
  });
});

describe('BatchEnv', () => {
  test('an env\'s SCRIPT_ERROR and SCRIPT_TIMEOUT reach recv() as ScriptErrors, naming the env', () => {
    const failing = integration('function reward() error("boom") end\nfunction done() return false end\n');
    const batch = new BatchEnv('TestRom-Nes', { ...failing.options, scenario: 'scenario-lua', numEnvs: 2, threads: 1 });
    try {
      assert.equal(batch.engine, 'native');
      batch.reset();
      const script = join(failing.dir, 'script.lua');
      // Both envs fail; which one is reported first depends on which thread stepped it (the caller helps the worker).
      const expected = new RegExp(`^env [01]: ${script.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1: boom \\(calling reward\\(\\)\\)$`);
      const e = throwsTyped(() => batch.step([0, 0].map(() => batch.singleActionSpace.sample())), ScriptError, 'SCRIPT_ERROR', expected);
      assert.deepEqual(e.details, { file: script, line: 1 });
    } finally {
      batch.close();
    }
    const looping = integration('function reward() while true do end end\nfunction done() return false end\n');
    const slow = new BatchEnv('TestRom-Nes', { ...looping.options, scenario: 'scenario-lua', numEnvs: 1, threads: 1, scriptLimits: { instructions: 100_000 } });
    try {
      slow.reset();
      throwsTyped(() => slow.step([slow.singleActionSpace.sample()]), ScriptError, 'SCRIPT_TIMEOUT', /^env 0: Lua function reward\(\) ran over its budget of 100,000 instructions/);
    } finally {
      slow.close();
    }
  });
});

describe('BatchEnv on worker threads (a TypeScript scenario)', () => {
  test("an env's error keeps its code across the worker: a Lua timeout beside a TS reward is SCRIPT_TIMEOUT", () => {
    const mixed = integration('function reward() return 0 end\nfunction done() while true do end end\n');
    writeFileSync(join(mixed.dir, 'scenario-mixed.json'), JSON.stringify({ reward: { script: 'ts:reward' }, done: { script: 'lua:done' }, scripts: ['script.ts', 'script.lua'] }));
    const batch = new BatchEnv('TestRom-Nes', { ...mixed.options, scenario: 'scenario-mixed', numEnvs: 1, scriptLimits: { instructions: 100_000 } });
    try {
      assert.equal(batch.engine, 'workers');
      batch.reset();
      throwsTyped(() => batch.step([batch.singleActionSpace.sample()]), ScriptError, 'SCRIPT_TIMEOUT', /^env 0: Lua function done\(\) ran over its budget of 100,000 instructions/);
    } finally {
      batch.close();
    }
  });
});

describe('frameOps', () => {
  test("the kernels' INVALID_ARGUMENT is an ArgumentError with the addon's message", () => {
    throwsTyped(() => frameOps.rgbToGray(new Uint8Array(6), new Uint8Array(5)), ArgumentError, 'INVALID_ARGUMENT', 'src has 6 bytes, expected 15 (3 bytes per pixel)');
    throwsTyped(() => frameOps.decodeFrame(new Uint8Array(4), 10, 10, 20, 2), ArgumentError, 'INVALID_ARGUMENT', 'src has 4 bytes, expected 200 (height rows, pitch bytes apart)');
  });
});
