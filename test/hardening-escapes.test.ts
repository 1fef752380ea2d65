// Integration folders come from anywhere: names and paths in their files must not reach outside the folder, and
// boot recipes must not run for days. Each case failed before the fix (issue 11, items 4, 8 and the lua: prefix
// of item 16).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { make } from '../lib/env/retro-env.ts';
import { inspectIntegration } from '../lib/integration/integration.ts';
import { isSafeStateName, pathInside } from '../lib/integration/safe-names.ts';
import { copyFixture, editJson, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir('rgym-escape-');
after(() => tmp.cleanup());
let counter = 0;

/** A private copy of the TestRom-Nes fixture (our test ROM, boot recipes) to break, and its own data dir. */
function copy(): { root: string; dir: string; dataDir: string } {
  const root = join(tmp.dir, `case${counter++}`);
  mkdirSync(root);
  const dir = copyFixture('TestRom-Nes', root);
  return { root, dir, dataDir: join(root, 'data') };
}

const codes = (dir: string) => inspectIntegration(dir).problems.map((p) => [p.code, p.pointer]);

describe('state names', () => {
  test('safe names: stable-retro style names pass, path-like names fail (property)', () => {
    for (const ok of ['Level1', 'TimeTrial.MarioCircuit1', '_Debug', '1Player.Level1-1', 'Start']) assert.ok(isSafeStateName(ok), ok);
    for (const bad of ['', '.', '..', '../x', 'a/b', 'a\\b', '.hidden', 'x\0y', 'x'.repeat(201)]) assert.ok(!isSafeStateName(bad), JSON.stringify(bad));
    fc.assert(
      fc.property(fc.string(), (name) => {
        if (isSafeStateName(name)) assert.ok(pathInside('/integration', `${name}.state`)?.startsWith('/integration/'), name);
      }),
    );
  });

  test('a default_state or recipe state that walks out of the folder fails validation and make() writes nothing outside', () => {
    const { root, dir, dataDir } = copy();
    const outside = join(root, 'outside');
    mkdirSync(outside);
    editJson(join(dir, 'metadata.json'), (m) => {
      m.default_state = `../../../../../../../..${outside}/X`;
      m.states[m.default_state] = { recipe: [{ frames: 2 }] };
    });
    const problems = codes(dir);
    assert.deepEqual(problems[0], ['SCHEMA_INVALID', '/default_state']);
    assert.equal(problems[1][0], 'SCHEMA_INVALID');
    assert.match(String(problems[1][1]), /^\/states\//);
    assert.equal(problems.length, 2);
    assert.throws(() => make('TestRom-Nes', { integrationPaths: [root], dataDir }), (e: Error & { code?: string }) => e.code === 'SCHEMA_INVALID');
    assert.deepEqual(readdirSync(outside), []);
  });

  test('reset() and make() refuse state names that are paths', () => {
    const { root, dataDir } = copy();
    assert.throws(() => make('TestRom-Nes', { integrationPaths: [root], dataDir, state: '../../etc/passwd' }), /refused: a state name may not contain/);
    const env = make('TestRom-Nes', { integrationPaths: [root], dataDir });
    try {
      for (const state of ['../..', '/tmp/x', '.']) {
        assert.throws(() => env.reset({ options: { state } }), (e: Error & { code?: string }) => e.code === 'INVALID_ARGUMENT', state);
      }
      env.reset({ options: { state: 'Start' } });
    } finally {
      env.close();
    }
  });
});

describe('script paths', () => {
  test('a ../ or absolute script path is a validation problem and make() refuses it', () => {
    const { root, dir, dataDir } = copy();
    const evil = join(root, 'evil.lua');
    writeFileSync(evil, 'function reward() return 1000 end\nfunction done() return false end\n');
    for (const path of ['../evil.lua', evil]) {
      editJson(join(dir, 'scenario-lua.json'), (s) => (s.scripts = [path]));
      assert.deepEqual(codes(dir)[0], ['SCENARIO_INVALID', '/scripts/0'], path);
      assert.match(inspectIntegration(dir).problems[0].message, /outside the integration folder/);
      assert.throws(() => make('TestRom-Nes', { integrationPaths: [root], dataDir, scenario: 'scenario-lua' }), /outside the integration folder/, path);
    }
  });

  test("the schema's lua: prefix works in make(), as validate already accepted it", () => {
    const { root, dir, dataDir } = copy();
    editJson(join(dir, 'scenario-lua.json'), (s) => (s.scripts = ['lua:script.lua']));
    assert.deepEqual(codes(dir), []);
    const env = make('TestRom-Nes', { integrationPaths: [root], dataDir, scenario: 'scenario-lua' });
    try {
      env.reset();
      const { reward } = env.step(new Uint8Array(env.buttons.length));
      assert.equal(typeof reward, 'number');
    } finally {
      env.close();
    }
  });
});

describe('boot recipes', () => {
  test('a step of 4,294,967,295 frames fails the schema, naming the cap', () => {
    const { dir } = copy();
    editJson(join(dir, 'metadata.json'), (m) => (m.states.Start.recipe = [{ frames: 4294967295 }]));
    const problems = inspectIntegration(dir).problems;
    assert.deepEqual(problems.map((p) => [p.code, p.pointer]), [['SCHEMA_INVALID', '/states/Start/recipe/0/frames']]);
    assert.match(problems[0].message, /216000/);
  });

  test('many capped steps still may not add up to more than an hour: validate and make() both refuse', () => {
    const { root, dir, dataDir } = copy();
    editJson(join(dir, 'metadata.json'), (m) => (m.states.Start.recipe = Array.from({ length: 5 }, () => ({ frames: 200000 }))));
    const problems = inspectIntegration(dir).problems;
    assert.deepEqual(problems.map((p) => [p.code, p.pointer]), [['METADATA_INVALID', '/states/Start/recipe']]);
    assert.match(problems[0].message, /1000000 frames in all, more than the cap of 216000/);
    const started = Date.now();
    assert.throws(() => make('TestRom-Nes', { integrationPaths: [root], dataDir }), /more than the cap of 216000/);
    assert.ok(Date.now() - started < 5000);
    assert.ok(!existsSync(join(dataDir, 'states')) || readdirSync(join(dataDir, 'states', 'TestRom-Nes')).length === 0);
  });
});

describe('numbers that used to be silently wrong', () => {
  test('an address of 2^64 - 1 or 1e30 and a reference of 1e300 fail validation instead of reading address 0', () => {
    const { dir } = copy();
    const dataFile = join(dir, 'data.json');
    writeFileSync(dataFile, readFileSync(dataFile, 'utf8').replace('"address": 21', '"address": 18446744073709551615').replace('"address": 22', '"address": 1e30'));
    editJson(join(dir, 'scenario.json'), (s) => (s.done.variables.y.reference = 1e300));
    const problems = codes(dir);
    assert.deepEqual(problems.slice(0, 2), [
      ['SCHEMA_INVALID', '/info/x/address'],
      ['SCHEMA_INVALID', '/info/y/address'],
    ]);
    assert.deepEqual(problems[2], ['SCHEMA_INVALID', '/done/variables/y/reference']);
  });
});
