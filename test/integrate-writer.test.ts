import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { runCli } from '../lib/cli/dispatch.ts';
import { make } from '../lib/env/retro-env.ts';
import { ArgumentError, IntegrationError, RomError } from '../lib/errors.ts';
import { addVariable, removeVariable, saveStartState, writeScenario } from '../lib/integrate/integration-writer.ts';
import { createIntegration, defaultIntegrationName } from '../lib/integrate/new-integration.ts';
import { ScenarioPreview } from '../lib/integrate/scenario-preview.ts';
import { inspectIntegration, loadIntegration } from '../lib/integration/integration.ts';
import { bundledIntegrationsDir } from '../lib/integration/paths.ts';
import type { Scenario, VariableSpec } from '../lib/integration/types.ts';
import { testRoms, withTempDir } from './helpers.ts';

const TINYKART = join(bundledIntegrationsDir(), 'TinyKart-Nes');

/** A copy of TinyKart's folder to write into. */
function tinyKartCopy(parent: string): string {
  const dir = join(parent, 'TinyKart-Nes');
  cpSync(TINYKART, dir, { recursive: true });
  return dir;
}

/** Every file of a folder, by name, as bytes. */
function snapshotFolder(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));
}

function captureIO(cwd: string) {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { ...process.env, RETRO_DATA_DIR: join(cwd, 'data') }, cwd },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('integration writer', () => {
  test('"add as variable" writes data.json that validate accepts, sorted, and make() reads it', () => {
    withTempDir((tmp) => {
      const dir = tinyKartCopy(tmp);
      const data = addVariable(dir, 'kart_x', { address: 779, type: '|u1' });
      assert.deepEqual(data.info.kart_x, { address: 779, type: '|u1' });
      const onDisk = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8'));
      assert.deepEqual(onDisk.info.kart_x, { address: 779, type: '|u1' });
      const names = Object.keys(onDisk.info);
      assert.deepEqual(names, [...names].sort());
      assert.deepEqual(inspectIntegration(dir).problems, []);
      const env = make('TinyKart-Nes', { integrationPaths: [tmp] });
      try {
        const { info } = env.reset();
        assert.equal(info.kart_x, info.x);
      } finally {
        env.close();
      }
      removeVariable(dir, 'kart_x');
      assert.equal(JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')).info.kart_x, undefined);
      assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
    });
  });

  test('a write that fails validation leaves the folder byte-identical', () => {
    withTempDir((tmp) => {
      const dir = tinyKartCopy(tmp);
      const before = snapshotFolder(dir);
      const badVariable: fc.Arbitrary<VariableSpec> = fc.oneof(
        fc.record({ address: fc.integer({ min: 0x800, max: 0x5fff }), type: fc.constant('|u1') }), // outside NES RAM
        fc.record({ address: fc.integer({ min: 0, max: 0x7ff }), type: fc.constantFrom('u1', '<x2', '|u2', '<u9', '') }),
        fc.record({ address: fc.constantFrom(-1, 1.5, 2 ** 40), type: fc.constant('|u1') }),
      );
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 8 }), badVariable, (name, variable) => {
          assert.throws(() => addVariable(dir, name, variable), IntegrationError);
          assert.deepEqual(snapshotFolder(dir), before);
        }),
        { numRuns: 40 },
      );
      // Scenarios naming variables data.json lacks, or ops that do not exist, change nothing either.
      const known = new Set(Object.keys(JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')).info));
      const ops = ['equal', 'negative-equal', 'not-equal', 'less-than', 'greater-than', 'less-or-equal', 'greater-or-equal', 'nonzero', 'zero', 'positive', 'negative', 'sign'];
      fc.assert(
        fc.property(
          fc.string({ minLength: 1, maxLength: 10 }).filter((n) => !known.has(n)),
          fc.string({ maxLength: 10 }).filter((op) => !ops.includes(op)),
          fc.boolean(),
          (unknown, op, asDone) => {
            const bad = asDone
              ? { done: { variables: { lap: { op, reference: 1 } } } }
              : { reward: { variables: { [unknown]: { reward: 1 } } } };
            assert.throws(() => writeScenario(dir, bad as Scenario, 'scenario-draft'), IntegrationError);
            assert.deepEqual(snapshotFolder(dir), before);
          },
        ),
        { numRuns: 25 },
      );
      // A variable the scenario uses cannot go.
      assert.throws(() => removeVariable(dir, 'progress'), (e: unknown) => e instanceof IntegrationError && e.code === 'SCENARIO_INVALID' && /progress/.test(e.message));
      assert.throws(() => writeScenario(dir, { reward: { variables: { nope: { reward: 1 } } } }), (e: unknown) => e instanceof IntegrationError && /'nope' is not defined/.test(e.message));
      assert.throws(() => writeScenario(dir, { done: { variables: { lap: { op: 'bigger' } } } } as unknown as Scenario), IntegrationError);
      assert.throws(() => writeScenario(dir, {}, '../escape'), ArgumentError);
      assert.throws(() => writeScenario(join(tmp, 'Absent-Nes'), {}), (e: unknown) => e instanceof IntegrationError && e.code === 'FILE_NOT_FOUND');
      assert.throws(() => saveStartState(dir, '../Up', new Uint8Array(8)), ArgumentError);
      assert.throws(() => saveStartState(dir, 'Empty', new Uint8Array(0)), ArgumentError);
      // A metadata.json the builder cannot parse is not overwritten, and no state file appears.
      writeFileSync(join(dir, 'metadata.json'), '{ "default_state": ');
      const broken = snapshotFolder(dir);
      assert.throws(() => saveStartState(dir, 'Fresh', new Uint8Array(8)), (e: unknown) => e instanceof IntegrationError && e.code === 'JSON_INVALID');
      assert.deepEqual(snapshotFolder(dir), broken);
    });
  });

  test('reward and done rules go to a scenario, states to gzip files registered in metadata.json', () => {
    withTempDir((tmp) => {
      const dir = tinyKartCopy(tmp);
      const scenario: Scenario = { reward: { variables: { x: { reward: 0.5 } } }, done: { variables: { lap: { op: 'greater-or-equal', reference: 2 } } } };
      writeScenario(dir, scenario, 'scenario-x');
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'scenario-x.json'), 'utf8')), scenario);
      const env = make('TinyKart-Nes', { integrationPaths: [tmp], scenario: 'scenario-x' });
      try {
        env.reset();
        const raw = env.saveState();
        const metadata = saveStartState(dir, 'Mine', raw, { setDefault: true });
        assert.equal(metadata.default_state, 'Mine');
        assert.deepEqual(metadata.states?.Mine, {});
        assert.ok(metadata.states?.Track1?.recipe, 'other states are kept');
        assert.deepEqual(gunzipSync(readFileSync(join(dir, 'Mine.state'))), raw);
        assert.deepEqual(inspectIntegration(dir).problems, []);
        assert.deepEqual(loadIntegration(dir).states, ['Mine']);
      } finally {
        env.close();
      }
      const env2 = make('TinyKart-Nes', { integrationPaths: [tmp] });
      try {
        assert.equal(env2.stateName, 'Mine');
      } finally {
        env2.close();
      }
    });
  });
});

describe('new integration folders', () => {
  test('createIntegration writes rom.sha and empty files that validate, and make() runs the game', () => {
    withTempDir((tmp) => {
      const created = createIntegration(testRoms.nes, { dir: join(tmp, 'ints'), dataDir: join(tmp, 'data') });
      assert.equal(created.name, 'NesTest-Nes');
      assert.equal(created.system, 'nes');
      assert.equal(readFileSync(join(created.dir, 'rom.sha'), 'utf8').trim(), created.sha1);
      assert.deepEqual(readdirSync(created.dir).sort(), ['data.json', 'metadata.json', 'rom.sha', 'scenario.json']);
      assert.deepEqual(inspectIntegration(created.dir).problems, []);
      assert.ok(created.romPath?.startsWith(join(tmp, 'data')));
      assert.deepEqual(readdirSync(join(tmp, 'ints')), ['NesTest-Nes'], 'no temp folder left behind');
      addVariable(created.dir, 'x', { address: 0x15, type: '|u1' });
      const env = make('NesTest-Nes', { integrationPaths: [join(tmp, 'ints')], dataDir: join(tmp, 'data') });
      try {
        const { info } = env.reset();
        assert.equal(typeof info.x, 'number');
      } finally {
        env.close();
      }
      assert.throws(() => createIntegration(testRoms.nes, { dir: join(tmp, 'ints'), importRom: false }), (e: unknown) => e instanceof ArgumentError && /already exists/.test(e.message));
      assert.throws(() => createIntegration(testRoms.nes, { dir: tmp, name: 'Wrong-Snes', importRom: false }), (e: unknown) => e instanceof ArgumentError && /is a nes ROM/.test(e.message));
      assert.throws(() => createIntegration(testRoms.nes, { dir: tmp, name: 'no spaces-Nes', importRom: false }), ArgumentError);
      assert.throws(() => createIntegration(join(tmp, 'missing.nes'), { dir: tmp }), (e: unknown) => e instanceof RomError && e.code === 'ROM_NOT_FOUND');
      writeFileSync(join(tmp, 'game.xyz'), 'x');
      assert.throws(() => createIntegration(join(tmp, 'game.xyz'), { dir: tmp }), (e: unknown) => e instanceof RomError && e.code === 'ROM_INVALID');
    });
  });

  test('default names follow stable-retro folder names', () => {
    assert.equal(defaultIntegrationName('/roms/super mario (USA) [!].sfc', 'snes'), 'SuperMario-Snes');
    assert.equal(defaultIntegrationName('tetris.gb', 'gb'), 'Tetris-GameBoy');
  });

  test('retro integrate new <rom> --name --dir creates the folder; usage errors exit 2', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rgym-test-'));
    try {
      const cli = captureIO(tmp);
      assert.equal(await runCli(['integrate', 'new', testRoms.snes, '--name', 'Probe-Snes', '--dir', 'out', '--no-import'], cli.io), 0, cli.err());
      assert.match(cli.out(), /created out\/Probe-Snes \(snes, rom\.sha [0-9a-f]{40}\)/);
      assert.ok(existsSync(join(tmp, 'out', 'Probe-Snes', 'rom.sha')));
      assert.deepEqual(inspectIntegration(join(tmp, 'out', 'Probe-Snes')).problems, []);
      const again = captureIO(tmp);
      assert.equal(await runCli(['integrate', 'new', testRoms.snes, '--name', 'Probe-Snes', '--dir', 'out'], again.io), 1);
      assert.match(again.err(), /already exists/);
      const usage = captureIO(tmp);
      assert.equal(await runCli(['integrate', 'old', testRoms.snes], usage.io), 2);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('live preview of draft rules', () => {
  test('matches the rewards and done make() computes from the same scenario, step by step', () => {
    const scenario = JSON.parse(readFileSync(join(TINYKART, 'scenario.json'), 'utf8')) as Scenario;
    // Extra terms with ops and absolute measurements, so every path of the evaluator is compared.
    scenario.reward!.variables!.speed = { measurement: 'absolute', op: 'greater-than', reference: 100, reward: 0.25 };
    scenario.done = { condition: 'any', variables: { ...scenario.done!.variables, lap: { op: 'greater-or-equal', reference: 1 } } };
    withTempDir((tmp) => {
      const dir = tinyKartCopy(tmp);
      writeScenario(dir, scenario, 'scenario-preview');
      const env = make('TinyKart-Nes', { integrationPaths: [tmp], scenario: 'scenario-preview', frameskip: 1 });
      try {
        const preview = new ScenarioPreview(env.integration.data, scenario);
        preview.reset(env.reset({ seed: 3 }).info);
        let nonzero = 0;
        for (let i = 0; i < 300; i++) {
          const step = env.step(env.actionSpace.sample());
          const result = preview.update(step.info);
          assert.equal(result.reward, step.reward, `step ${i}`);
          assert.equal(result.done, step.terminated, `step ${i}`);
          if (step.reward !== 0) nonzero++;
          if (step.terminated) break;
        }
        assert.ok(nonzero > 10, `only ${nonzero} steps had a reward`);
      } finally {
        env.close();
      }
    });
  });

  test('refuses drafts that would not validate, name unknown variables or use scripts', () => {
    const data = { info: { x: { address: 1, type: '|u1' } } };
    assert.throws(() => new ScenarioPreview(data, { reward: { variables: { y: { reward: 1 } } } }), IntegrationError);
    assert.throws(() => new ScenarioPreview(data, { reward: { variables: { x: { op: 'bigger' } } } } as unknown as Scenario), IntegrationError);
    assert.throws(() => new ScenarioPreview(data, { reward: { script: 'lua:reward' }, scripts: ['script.lua'] }), ArgumentError);
    const preview = new ScenarioPreview(data, { reward: { variables: { x: { reward: 2, penalty: 1 } } } });
    assert.deepEqual(preview.update({ x: 5 }), { reward: 0, rewards: [0], done: false });
    assert.deepEqual(preview.update({ x: 8 }), { reward: 6, rewards: [6], done: false });
    assert.deepEqual(preview.update({ x: 6 }), { reward: -2, rewards: [-2], done: false });
    assert.throws(() => preview.update({}), (e: unknown) => e instanceof ArgumentError && /lacks the variable x/.test(e.message));
  });
});
