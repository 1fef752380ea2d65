// Lua scenario scripts cannot hang or exhaust the process, print to stdout, and TypeScript scripts can be refused
// (issue 11, items 6 and the script parts of 5). Each case hung, grew without bound or printed before the fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { make, State, type MakeOptions, type RetroEnv } from '../lib/env/retro-env.ts';
import { ArgumentError, ScriptError, type RetroErrorCode } from '../lib/errors.ts';
import { packageRoot } from '../lib/package-root.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { copyFixture, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir('rgym-lua-');
after(() => tmp.cleanup());
// Shared by every case: the fixture's Start state is built from its boot recipe once.
const dataDir = join(tmp.dir, 'data');
let counter = 0;

/** A private copy of the TestRom-Nes fixture whose scenario-lua.json runs `source` as its script.lua. */
function integrationWith(source: string): { root: string; dir: string } {
  const root = join(tmp.dir, `case${counter++}`);
  mkdirSync(root);
  const dir = copyFixture('TestRom-Nes', root);
  writeFileSync(join(dir, 'script.lua'), source);
  return { root, dir };
}

function luaOptions(root: string, extra: MakeOptions = {}): MakeOptions {
  return { integrationPaths: [root], dataDir, scenario: 'scenario-lua', ...extra };
}

const DONE = 'function done() return false end\n';

/** A ScriptError with this code whose message matches `message`. */
function scriptError(code: RetroErrorCode, message: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ScriptError, `a ScriptError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  };
}

/** Runs `fn`, asserting it took less than `ms`. */
function within<T>(ms: number, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    const took = performance.now() - start;
    assert.ok(took < ms, `took ${took.toFixed(0)} ms, more than ${ms}`);
  }
}

/** RAM the test ROM only clears at power-on: the tests pass values to their scripts through it. */
const INPUT = 0x400;
function poke(env: RetroEnv, address: number, bytes: ArrayLike<number>): void {
  env.emulator.memory.systemRam!.set(bytes, address);
}

describe('instruction and time limits', () => {
  test('an infinite loop at the top level fails make() with SCRIPT_TIMEOUT naming the script, even under pcall', () => {
    for (const loop of ['while true do end', 'while true do pcall(function() while true do end end) end']) {
      const { root, dir } = integrationWith(`function reward() return 0 end\n${DONE}${loop}\n`);
      assert.throws(
        () => within(5000, () => make('TestRom-Nes', luaOptions(root))),
        scriptError('SCRIPT_TIMEOUT', /^the top level of Lua script .*script\.lua ran over its budget of 10,000,000 instructions$/),
      );
      assert.throws(() => make('TestRom-Nes', luaOptions(root)), (e: ScriptError) => e.details.file === join(dir, 'script.lua'));
    }
  });

  test('an infinite loop in reward() fails step() with SCRIPT_TIMEOUT; the env recovers and closes', () => {
    const { root, dir } = integrationWith(`function reward() while data[${INPUT}] == 1 do end return 5 end\n${DONE}`);
    const env = make('TestRom-Nes', luaOptions(root, { scriptLimits: { instructions: 200_000 } }));
    try {
      env.reset();
      poke(env, INPUT, [1]);
      assert.throws(
        () => within(2000, () => env.step(env.actionSpace.sample())),
        scriptError('SCRIPT_TIMEOUT', /^Lua function reward\(\) ran over its budget of 200,000 instructions \(.*script\.lua\)$/),
      );
      poke(env, INPUT, [0]);
      assert.equal(env.step(env.actionSpace.sample()).reward, 5);
      poke(env, INPUT, [1]);
      assert.throws(() => env.step(env.actionSpace.sample()), (e: ScriptError) => e.details.file === join(dir, 'script.lua'));
    } finally {
      env.close();
    }
    assert.ok(env.closed);
  });

  test('a top level that fails at a later reset makes steps fail with its error until a reset, instead of crashing', () => {
    const { root } = integrationWith(`while data[${INPUT}] == 1 do end\nfunction reward() return 1 end\n${DONE}`);
    const env = make('TestRom-Nes', luaOptions(root, { scriptLimits: { instructions: 100_000 } }));
    try {
      env.reset();
      poke(env, INPUT, [1]);
      const looping = env.saveState();
      poke(env, INPUT, [0]);
      const timeout = scriptError('SCRIPT_TIMEOUT', /^the top level of Lua script .*script\.lua ran over its budget of 100,000 instructions/);
      assert.throws(() => env.loadState(looping), timeout);
      assert.throws(() => env.step(env.actionSpace.sample()), timeout);
      assert.throws(() => env.step(env.actionSpace.sample()), /reset the env to load the scripts again/);
      env.reset();
      assert.equal(env.step(env.actionSpace.sample()).reward, 1);
    } finally {
      env.close();
    }
  });

  test('the time limit stops loops of C calls and table shifts the instruction budget cannot see', () => {
    const cases = [
      'while true do local s = string.rep("x", 100000) end',
      'table.remove(setmetatable({}, { __len = function() return math.maxinteger - 1 end }), 1)',
      'table.insert(setmetatable({}, { __len = function() return math.maxinteger - 2 end }), 1, 0)',
      'table.concat(setmetatable({}, { __index = table.concat }), "", 1, 2^40)',
    ];
    const { root } = integrationWith(`local cases = {\n${cases.map((c) => `  function() ${c} end,`).join('\n')}\n}
function reward() cases[data[${INPUT}]]() return 0 end\n${DONE}`);
    const env = make('TestRom-Nes', luaOptions(root, { scriptLimits: { instructions: 1e12, timeoutMs: 100 } }));
    try {
      env.reset();
      cases.forEach((c, i) => {
        poke(env, INPUT, [i + 1]);
        assert.throws(() => within(1500, () => env.step(env.actionSpace.sample())), scriptError('SCRIPT_TIMEOUT', /reward\(\) ran over its time limit of 100 ms/), c);
      });
    } finally {
      env.close();
    }
  });

  test('pathological patterns are refused before the matcher starts; ordinary ones work', () => {
    const cases = [
      `local a = string.rep('a', 30) return a:find(string.rep('a?', 30) .. a)`,
      `local a = string.rep('a', 1e5) return a:find(string.rep('a?', 1e5) .. a)`,
      `return string.rep('a', 1e4):match(string.rep('.-', 12) .. 'b')`,
      `for _ in string.rep('a', 1e4):gmatch('a*a*a*a*b') do end`,
      `return (string.rep('a', 1e4) .. 'c'):gsub('[ab]*a*a*c', '')`,
      `return pcall(string.find, string.rep('a', 40), string.rep('a?', 40) .. string.rep('a', 40))`,
      `table.move({}, 1, math.maxinteger - 1, 2)`,
      `local t = {} for i = 1, 1.5e6 do t[i] = -i end table.sort(t)`,
    ];
    const { root } = integrationWith(`local cases = {\n${cases.map((c) => `  function() ${c} end,`).join('\n')}\n}
function reward()
  if data[${INPUT}] > 0 then cases[data[${INPUT}]]() return 0 end
  local s = 'score=1234;lives=3'
  local n = 0
  for _ in s:gmatch('(%w+)=(%d+)') do n = n + 1 end
  return tonumber(s:match('score=(%d+)')) + n + #s:gsub('%d', '#') + s:find('lives', 1, true) + #string.rep('', 2^62)
end\n${DONE}`);
    const env = make('TestRom-Nes', luaOptions(root));
    try {
      env.reset();
      assert.equal(env.step(env.actionSpace.sample()).reward, 1234 + 2 + 18 + 12 + 0);
      cases.forEach((c, i) => {
        poke(env, INPUT, [i + 1]);
        assert.throws(() => within(2500, () => env.step(env.actionSpace.sample())), scriptError('SCRIPT_TIMEOUT', /reward\(\) was stopped: (string|table)\.\w+ at script\.lua:\d+ would take up to/), c);
      });
    } finally {
      env.close();
    }
  });

  test('__gc metamethods are refused: Lua runs them with hooks off, out of every limit', () => {
    const { root } = integrationWith(`function reward() return 0 end\n${DONE}setmetatable({}, { __gc = function() while true do end end })\n`);
    assert.throws(() => make('TestRom-Nes', luaOptions(root)), scriptError('SCRIPT_ERROR', /__gc metamethods are not available/));
  });

  test('property: with a small budget a reward either returns its value or fails with SCRIPT_TIMEOUT, monotonically', () => {
    const { root } = integrationWith(`function reward() local s = 0 for i = 1, data[${INPUT}] * 20 do s = s + 1 end return s end\n${DONE}`);
    const env = make('TestRom-Nes', luaOptions(root, { scriptLimits: { instructions: 4000 } }));
    try {
      env.reset();
      let lowestFailing = 256;
      let highestPassing = -1;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 255 }), (n) => {
          poke(env, INPUT, [n]);
          try {
            assert.equal(env.step(env.actionSpace.sample()).reward, n * 20);
            highestPassing = Math.max(highestPassing, n);
          } catch (e) {
            assert.equal((e as ScriptError).code, 'SCRIPT_TIMEOUT');
            lowestFailing = Math.min(lowestFailing, n);
          }
          assert.ok(highestPassing < lowestFailing, `${highestPassing} passed but ${lowestFailing} failed`);
        }),
        { numRuns: 150 },
      );
      assert.ok(lowestFailing < 256 && highestPassing >= 0, 'both outcomes were seen');
    } finally {
      env.close();
    }
  });

  test('property: random patterns on random subjects match, fail as malformed, or are refused, always within the limit', () => {
    // The pattern and subject come through RAM; pcall() catches malformed patterns but not a refusal.
    const { root } = integrationWith(`local function text(at, length)
  local bytes = {}
  for i = 1, length do bytes[i] = string.char(data[at + i - 1]) end
  return table.concat(bytes)
end
function reward()
  local subject, pattern = text(0x600, data[0x4fe]), text(0x500, data[0x4ff])
  local ok = pcall(string.find, subject, pattern)
  local ok2 = pcall(string.gsub, subject, pattern, '')
  return (ok and 1 or 2) + (ok2 and 10 or 20)
end\n${DONE}`);
    const env = make('TestRom-Nes', luaOptions(root, { scriptLimits: { timeoutMs: 10 } }));
    const code = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
    const outcomes = { matched: 0, malformed: 0, refused: 0 };
    try {
      env.reset();
      fc.assert(
        fc.property(
          // Pieces of hostile patterns (stacked quantifiers backtrack exponentially) and of malformed ones.
          fc.array(
            fc.constantFrom('a?', 'a?', 'a*', 'a*', 'a+', '.-', '.-', '[ab]*', '%a*', 'a', 'b', '.', '(', ')', '()', '%b()', '%f[a]', '^', '$', '%', '[', '%1'),
            { maxLength: 12, size: 'max' },
          )
            .map((pieces) => pieces.join(''))
            .filter((pattern) => pattern.length <= 255),
          fc.array(fc.constantFrom('a', 'a', 'a', 'a', 'a', 'b'), { maxLength: 255, size: 'max' }).map((cs) => cs.join('')),
          (pattern, subject) => {
            poke(env, 0x4fe, [subject.length, pattern.length]);
            poke(env, 0x500, code(pattern));
            poke(env, 0x600, code(subject));
            try {
              const { reward } = within(1000, () => env.step(env.actionSpace.sample()));
              outcomes[reward === 11 ? 'matched' : 'malformed']++;
            } catch (e) {
              assert.equal((e as ScriptError).code, 'SCRIPT_TIMEOUT', `${JSON.stringify(pattern)}: ${(e as Error).message}`);
              outcomes.refused++;
            }
          },
        ),
        { numRuns: 200 },
      );
      assert.ok(outcomes.matched > 0 && outcomes.malformed > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
    } finally {
      env.close();
    }
  });
});

describe('memory cap', () => {
  test('a table growing across steps fails with SCRIPT_MEMORY; reset() starts a fresh state', () => {
    const { root } = integrationWith(`big = {}\nfunction reward() for i = 1, 1e6 do big[#big + 1] = i end return #big end\n${DONE}`);
    const env = make('TestRom-Nes', luaOptions(root, { scriptLimits: { memoryBytes: 24 << 20 } }));
    try {
      env.reset();
      const rewards: number[] = [];
      assert.throws(
        () => {
          for (let i = 0; i < 20; i++) rewards.push(env.step(env.actionSpace.sample()).reward);
        },
        scriptError('SCRIPT_MEMORY', /^Lua function reward\(\) ran over its memory limit of 24 MiB \(.*script\.lua\)$/),
      );
      assert.ok(rewards.length < 3, `failed after ${rewards.length} steps`);
      env.reset();
      assert.equal(env.step(env.actionSpace.sample()).reward, 1e6);
    } finally {
      env.close();
    }
  });

  test('a huge string at the top level fails make() with SCRIPT_MEMORY, as does a limit too small for Lua itself', () => {
    const { root } = integrationWith(`function reward() return 0 end\n${DONE}local s = string.rep('x', 2^30)\n`);
    assert.throws(() => make('TestRom-Nes', luaOptions(root)), scriptError('SCRIPT_MEMORY', /^the top level of Lua script .*script\.lua ran over its memory limit of 64 MiB$/));
    const { root: small } = integrationWith(`function reward() return 0 end\n${DONE}`);
    assert.throws(() => make('TestRom-Nes', luaOptions(small, { scriptLimits: { memoryBytes: 1000 } })), scriptError('SCRIPT_MEMORY', /memory limit of 1,000 bytes/));
  });
});

describe('BatchEnv', () => {
  test('a reward() that never returns fails step() and recv() with SCRIPT_TIMEOUT instead of hanging; close() works', () => {
    const { root } = integrationWith(`function reward() while data[${INPUT}] == 1 do end return 1 end\n${DONE}`);
    const batch = new BatchEnv('TestRom-Nes', { ...luaOptions(root, { scriptLimits: { instructions: 100_000, timeoutMs: 200 } }), numEnvs: 2, threads: 2 });
    try {
      assert.equal(batch.engine, 'native');
      batch.reset();
      const actions = () => [batch.singleActionSpace.sample(), batch.singleActionSpace.sample()];
      assert.deepEqual(Array.from(batch.step(actions()).rewards), [1, 1]);
      for (const env of batch.envs) poke(env, INPUT, [1]);
      const timeout = scriptError('SCRIPT_TIMEOUT', /^env \d: Lua function reward\(\) ran over its budget of 100,000 instructions \(.*script\.lua\)$/);
      assert.throws(() => within(2000, () => batch.step(actions())), timeout);
      batch.send(actions());
      assert.throws(() => within(2000, () => batch.recv()), timeout);
    } finally {
      within(2000, () => batch.close());
    }
  });
});

describe('print', () => {
  test("Lua's print goes to the log on stderr (RETRO_LOG=info), prefixed with the script, never to stdout", () => {
    const { root } = integrationWith(`print('loaded')\nfunction reward() print('hello from reward', 42, nil) return 0 end\n${DONE}`);
    const child = join(tmp.dir, 'print-child.ts');
    const retroEnv = pathToFileURL(join(packageRoot(), 'lib', 'env', 'retro-env.ts')).href;
    writeFileSync(
      child,
      `import { make } from ${JSON.stringify(retroEnv)};
const env = make('TestRom-Nes', ${JSON.stringify(luaOptions(root))});
env.reset();
env.step(env.actionSpace.sample());
env.close();
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', child], {
      cwd: packageRoot(),
      env: { ...process.env, RETRO_LOG: 'info' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^\[lua script\.lua:1\] loaded$/m);
    assert.match(run.stderr, /^\[lua script\.lua:2\] hello from reward\t42\tnil$/m);
  });
});

describe('trustScripts', () => {
  test('false refuses a TypeScript script outside the bundled integrations, naming it; listed folders and the bundled ones load', () => {
    const { root, dir } = integrationWith(`function reward() return 0 end\n${DONE}`);
    const options: MakeOptions = { integrationPaths: [root], dataDir, scenario: 'scenario-ts' };
    const script = join(dir, 'script.ts');
    for (const trustScripts of [false, [join(tmp.dir, 'elsewhere')]]) {
      assert.throws(
        () => make('TestRom-Nes', { ...options, trustScripts }),
        (e: unknown) => {
          scriptError('SCRIPT_UNTRUSTED', /trustScripts/)(e);
          assert.equal((e as ScriptError).details.file, script);
          assert.ok((e as Error).message.includes(`TypeScript scenario script ${script} refused`), (e as Error).message);
          assert.ok((e as Error).message.includes(`trustScripts: [${JSON.stringify(dir)}]`), (e as Error).message);
          return true;
        },
      );
    }
    for (const trustScripts of [[dir], [root], true, undefined]) {
      const env = make('TestRom-Nes', { ...options, trustScripts });
      env.reset();
      env.step(env.actionSpace.sample());
      env.close();
    }
    const bundled = make('TinyKart-Nes', { dataDir, state: State.NONE, scenario: 'scenario-ts', trustScripts: false });
    bundled.reset();
    bundled.step(bundled.actionSpace.sample());
    bundled.close();
  });
});

describe('option checks', () => {
  test('scriptLimits and trustScripts must be well formed (ArgumentError naming the field, before any emulator)', () => {
    const { root } = integrationWith(`function reward() return 0 end\n${DONE}`);
    const bad: [unknown, unknown, string][] = [
      [{ instructions: 0 }, undefined, 'scriptLimits.instructions'],
      [{ timeoutMs: -5 }, undefined, 'scriptLimits.timeoutMs'],
      [{ memoryBytes: 1.5 }, undefined, 'scriptLimits.memoryBytes'],
      [{ instructions: Number.NaN }, undefined, 'scriptLimits.instructions'],
      [{ timeoutMs: '100' }, undefined, 'scriptLimits.timeoutMs'],
      [{ memoryBytes: 2 ** 53 }, undefined, 'scriptLimits.memoryBytes'],
      [{ timeout: 100 }, undefined, 'scriptLimits.timeout'],
      [null, undefined, 'scriptLimits'],
      [1000, undefined, 'scriptLimits'],
      [undefined, 'no', 'trustScripts'],
      [undefined, [1], 'trustScripts'],
      [undefined, [''], 'trustScripts'],
    ];
    for (const [scriptLimits, trustScripts, field] of bad) {
      const options = { ...luaOptions(root), scriptLimits, trustScripts } as MakeOptions;
      for (const create of [() => make('TestRom-Nes', options), () => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2 })]) {
        assert.throws(create, (e: unknown) => {
          assert.ok(e instanceof ArgumentError, String(e));
          assert.equal(e.code, 'INVALID_ARGUMENT');
          assert.equal(e.details.field, field, e.message);
          assert.ok(e.message.startsWith(field), e.message);
          return true;
        });
      }
    }
  });
});
