// What make() used to get wrong silently or with an untyped error, and validate used to pass: a `__proto__`
// variable, addresses outside the memory map, a crop outside the frame, action groups too many for a Discrete
// space, an addon path that is no addon. Issue 11, items 15 to 17.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../lib/cli/dispatch.ts';
import { Emulator } from '../lib/emulator.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { make } from '../lib/env/retro-env.ts';
import { inspectIntegration } from '../lib/integration/integration.ts';
import { packageRoot } from '../lib/package-root.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { captureIO, copyFixture, editJson, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir('rgym-results-');
after(() => tmp.cleanup());
let counter = 0;

/** A private copy of the TestRom-Nes fixture to break; `options` make() it from there. */
function copy(): { dir: string; options: { integrationPaths: string[]; dataDir: string } } {
  const root = join(tmp.dir, `case${counter++}`);
  mkdirSync(root);
  const dir = copyFixture('TestRom-Nes', root);
  return { dir, options: { integrationPaths: [root], dataDir: join(root, 'data') } };
}

const problems = (dir: string) => inspectIntegration(dir).problems.map((p) => `${p.pointer}: ${p.message}`);
const integrationError = (code: string, file: RegExp, field: string) => (e: Error & { code?: string; details?: { file?: string; field?: string } }) =>
  e.name === 'IntegrationError' && e.code === code && file.test(e.details?.file ?? '') && e.details?.field === field;

describe('data.json variables', () => {
  test('a variable named __proto__ is a schema problem, not a name that vanishes from info or breaks a BatchEnv', () => {
    const { dir, options } = copy();
    editJson(join(dir, 'data.json'), (d) => {
      d.info = JSON.parse(`{"__proto__": {"address": 21, "type": "|u1"}, ${JSON.stringify(d.info).slice(1)}`);
    });
    assert.deepEqual(problems(dir), ['/info/__proto__: property name "__proto__": "__proto__" is reserved by JavaScript objects: info would lose it; pick another name']);
    assert.throws(() => make('TestRom-Nes', options), integrationError('SCHEMA_INVALID', /data\.json$/, '/info/__proto__'));
    assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2 }), integrationError('SCHEMA_INVALID', /data\.json$/, '/info/__proto__'));
  });

  test('an address outside the memory map fails validation, and make() names data.json and the variable', () => {
    const { dir, options } = copy();
    editJson(join(dir, 'data.json'), (d) => {
      d.info.far = { address: 0x5000, type: '|u1' };
      d.info.straddles = { address: 0x7ff, type: '<u2' };
    });
    assert.deepEqual(problems(dir), [
      '/info/far/address: 0x5000 (1 byte) is outside the nes memory map (system_ram 0x0000-0x07FF, save_ram 0x6000-0x7FFF)',
      '/info/straddles/address: 0x07FF (2 bytes) is outside the nes memory map (system_ram 0x0000-0x07FF, save_ram 0x6000-0x7FFF)',
    ]);
    assert.throws(() => make('TestRom-Nes', options), integrationError('SCHEMA_INVALID', /data\.json$/, '/info/far/address'));
  });

  test('a data.json given to make() that the core cannot map is a typed error naming it (it was a plain Error)', () => {
    const { dir, options } = copy();
    const info = join(dir, '..', 'other-data.json');
    editJson(join(dir, 'data.json'), (d) => {
      d.info.far = { address: 0x5000, type: '|u1' };
      writeFileSync(info, JSON.stringify(d));
      delete d.info.far;
    });
    assert.throws(() => make('TestRom-Nes', { ...options, info }), (e: Error & { code?: string; details?: { file?: string; field?: string } }) =>
      e.name === 'IntegrationError' && e.details?.file === info && e.details?.field === '/info/far/address' && /outside the memory/.test(e.message));
  });
});

describe('scenario.json', () => {
  test('a crop outside the frame is refused by make(), naming the file and /crop, instead of reading past the picture', () => {
    const { dir, options } = copy();
    for (const crop of [[300, 0, 10, 10], [0, 0, 500, 10], [0, 200, 0, 100]]) {
      editJson(join(dir, 'scenario.json'), (s) => {
        s.crop = crop;
      });
      assert.throws(() => make('TestRom-Nes', options), integrationError('SCHEMA_INVALID', /scenario\.json$/, '/crop'), JSON.stringify(crop));
    }
    editJson(join(dir, 'scenario.json'), (s) => {
      s.crop = [8, 8, 0, 16];
    });
    const env = make('TestRom-Nes', options);
    try {
      assert.deepEqual(env.observationSpace.shape, [16, 248, 3]);
      assert.equal(env.reset().observation.length, 16 * 248 * 3);
    } finally {
      env.close();
    }
  });

  test('action groups whose product no Discrete space holds fail validation and make() names the file', () => {
    const { dir, options } = copy();
    editJson(join(dir, 'scenario.json'), (s) => {
      s.actions = Array.from({ length: 12 }, () => [[], ['A'], ['B'], ['UP'], ['DOWN'], ['LEFT'], ['RIGHT']]);
    });
    assert.deepEqual(problems(dir), ['/actions: the groups make 1.38e+10 discrete actions, more than the 4294967296 a Discrete space holds']);
    assert.throws(() => make('TestRom-Nes', { ...options, useRestrictedActions: Actions.DISCRETE }), integrationError('SCENARIO_INVALID', /scenario\.json$/, '/actions'));
  });
});

test('RETRO_ADDON_PATH pointing at something that is not the addon is a CoreError naming it', () => {
  const script = `import('./lib/emulator.ts').then(({ Emulator }) => { try { new Emulator({ rom: 'homebrew/test/nes-test.nes' }); } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); } });`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: packageRoot(),
    env: { ...process.env, RETRO_ADDON_PATH: '/bin/sh' },
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  const error = JSON.parse(child.stdout) as { name: string; code: string; message: string };
  assert.equal(error.name, 'CoreError');
  assert.equal(error.code, 'CORE_LOAD_FAILED');
  assert.match(error.message, /native addon \(RETRO_ADDON_PATH, \/bin\/sh\) does not load on this machine: .*Point RETRO_ADDON_PATH at a working build/);
});

describe('retro validate runs the game when it can', () => {
  const validate = async (dir: string, ...flags: string[]) => {
    const io = captureIO({ HOME: tmp.dir, RETRO_DATA_DIR: join(tmp.dir, 'data') }, tmp.dir);
    const code = await runCli(['validate', ...flags, dir], io);
    return { code, out: io.out() };
  };

  test('a truncated .state, a crop outside the frame and a clean folder', async () => {
    const clean = copy();
    assert.deepEqual(await validate(clean.dir), { code: 0, out: `ok ${relative(tmp.dir, clean.dir)}\nChecked 1 integration: no problems\n` });

    const { dir } = copy();
    const state = new Emulator({ rom: join(dir, 'rom.nes') });
    try {
      writeFileSync(join(dir, 'Cut.state'), state.saveState().subarray(0, 180));
    } finally {
      state.close();
    }
    editJson(join(dir, 'scenario.json'), (s) => {
      s.crop = [0, 200, 0, 100];
    });
    const result = await validate(dir);
    assert.equal(result.code, 1);
    assert.match(result.out, /Cut\.state: Nestopia cannot load it: the state has 180 bytes/);
    assert.match(result.out, /scenario\.json#\/crop: \[0, 200, 0, 100\] does not fit inside the 256×224 frame/);
    assert.match(result.out, /2 problems/);
    assert.deepEqual(await validate(dir, '--no-core'), { code: 0, out: `ok ${relative(tmp.dir, dir)}\nChecked 1 integration: no problems\n` });
  });

  test('without the ROM it checks the files and says the core checks were skipped', async () => {
    const { dir } = copy();
    rmSync(join(dir, 'rom.nes'));
    const result = await validate(dir);
    assert.equal(result.code, 0);
    assert.match(result.out, /\(files only; core checks skipped: ROM not imported\)/);
  });
});

test('a state built from a recipe is rebuilt when the recipe changes, not reused from the old recipe', () => {
  const { dir, options } = copy();
  const xAfterReset = () => {
    const env = make('TestRom-Nes', { ...options, state: 'Moved' });
    try {
      return env.reset().info.x;
    } finally {
      env.close();
    }
  };
  const first = xAfterReset();
  editJson(join(dir, 'metadata.json'), (m) => {
    m.states.Moved.recipe[1].frames = 30;
  });
  const second = xAfterReset();
  assert.ok(second > first, `x after the longer recipe: ${second}, after the shorter: ${first}`);
  const built = readdirSync(join(options.dataDir, 'states', 'TestRom-Nes')).filter((f) => f.startsWith('Moved.'));
  assert.equal(built.length, 1, built.join(', '));
  assert.match(built[0], /^Moved\.[0-9a-f]{12}\.state$/);
});
