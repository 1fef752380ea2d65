import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { runList } from '../lib/cli/list.ts';
import { runValidate } from '../lib/cli/validate.ts';
import { listGames } from '../lib/integration/data-api.ts';
import { fakeNesRom } from './fixtures/fake-roms.ts';
import { captureIO, copyFixture, editJson, FIXTURE_INTEGRATIONS, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());

let counter = 0;
function setup() {
  const base = join(tmp.dir, `case${counter++}`);
  const integrations = join(base, 'integrations');
  mkdirSync(integrations, { recursive: true });
  copyFixture('TestGame-Nes', integrations);
  copyFixture('AllTypes-Snes', integrations);
  const data = join(base, 'data');
  const env = { HOME: join(base, 'home'), RETRO_DATA_DIR: data };
  return { base, integrations, data, env, io: captureIO(env, base) };
}

describe('retro list', () => {
  test('shows each game, whether its ROM is available, and its visible states', async () => {
    const { integrations, data, env, io } = setup();
    mkdirSync(join(data, 'roms', 'TestGame-Nes'), { recursive: true });
    writeFileSync(join(data, 'roms', 'TestGame-Nes', 'rom.nes'), fakeNesRom());
    assert.equal(await runList(['--integration-path', 'integrations'], io), 0);
    const out = io.out();
    assert.match(out, /^GAME\s+ROM\s+STATES$/m);
    assert.match(out, /^TestGame-Nes\s+imported\s+Level1, Start$/m, "state files and boot-recipe states");
    assert.match(out, /^AllTypes-Snes\s+missing\s+Level1, Level1.2P$/m);
    assert.doesNotMatch(out, /_Debug/);
    const total = listGames({ integrationPaths: [integrations], env }).length; // bundled games count too
    assert.match(out, new RegExp(`^${total} games, \\d+ with a ROM available\\. Import ROMs with: npx retro import <dir>$`, 'm'));
  });

  test('--json gives rows with ROM status, path, states and scenarios; --available filters', async () => {
    const { integrations, env } = setup();
    writeFileSync(join(integrations, 'AllTypes-Snes', 'rom.sfc'), new Uint8Array(10)); // wrong dump
    writeFileSync(join(integrations, 'TestGame-Nes', 'rom.nes'), fakeNesRom());
    const io = captureIO({ ...env, RETRO_INTEGRATION_PATHS: integrations }, tmp.dir);
    assert.equal(await runList(['--json'], io), 0);
    const rows = JSON.parse(io.out()) as { game: string; rom: string; romPath?: string; states: string[]; scenarios: string[] }[];
    const nes = rows.find((r) => r.game === 'TestGame-Nes')!;
    assert.equal(nes.rom, 'bundled');
    assert.equal(nes.romPath, join(integrations, 'TestGame-Nes', 'rom.nes'));
    assert.deepEqual(nes.scenarios, ['scenario', 'speedrun']);
    assert.equal(rows.find((r) => r.game === 'AllTypes-Snes')!.rom, 'mismatch');
    const forced = captureIO({ ...io.env, RETRO_CORE_NES: 'nestopia', RETRO_CORE_SNES: 'nosuchcore' }, tmp.dir);
    assert.equal(await runList(['--json'], forced), 0);
    const cores = JSON.parse(forced.out()) as { game: string; core: string | null }[];
    assert.equal(cores.find((r) => r.game === 'TestGame-Nes')!.core, 'nestopia_libretro.so', 'the core the game would run on');
    assert.equal(cores.find((r) => r.game === 'AllTypes-Snes')!.core, null, 'none when the system has no core');
    const available = captureIO(io.env, tmp.dir);
    await runList(['--json', '--available'], available);
    const names = (JSON.parse(available.out()) as { game: string }[]).map((r) => r.game);
    assert.ok(names.includes('TestGame-Nes') && !names.includes('AllTypes-Snes'));
  });

  test('usage errors exit 2', async () => {
    const { io } = setup();
    assert.equal(await runList(['extra'], io), 2);
    assert.equal(await runList(['--jsn'], io), 2);
    assert.match(io.err(), /Usage: retro list/);
  });
});

describe('retro validate', () => {
  test('valid folders: exit 0', async () => {
    const io = captureIO({ HOME: tmp.dir }, FIXTURE_INTEGRATIONS);
    assert.equal(await runValidate(['TestGame-Nes', 'AllTypes-Snes'], io), 0, io.out());
    const skipped = ' (files only; core checks skipped: ROM not imported)';
    assert.equal(io.out(), `ok TestGame-Nes${skipped}\nok AllTypes-Snes${skipped}\nChecked 2 integrations: no problems\n`);
  });

  test('prints file#/pointer: message for every problem and exits 1', async () => {
    const { integrations, io } = setup();
    const dir = join(integrations, 'TestGame-Nes');
    editJson(join(dir, 'scenario.json'), (s) => {
      s.reward.variables.scroe = { reward: 1 };
      s.done.variables.lives.op = 'equals';
    });
    editJson(join(dir, 'data.json'), (d) => (d.info.speed = { address: 10, type: '<s2' }));
    writeFileSync(join(dir, 'metadata.json'), '{"default_state": "Level1",}');
    const code = await runValidate([dir], io);
    assert.equal(code, 1);
    const lines = io.out().trim().split('\n');
    assert.deepEqual(lines, [
      'integrations/TestGame-Nes/data.json#/info/speed/type: "<s2" must be a type such as |u1, <u2, >i2, >d4 or <n6: sigil (| < > = >< <> >= <=), kind (u unsigned, i signed, d BCD, n nybble BCD), width 1-8; | only with width 1',
      "integrations/TestGame-Nes/metadata.json:1:27: invalid JSON: trailing comma before '}'",
      'integrations/TestGame-Nes/scenario.json#/done/variables/lives/op: must be one of "equal", "negative-equal", "not-equal", "less-than", "greater-than", "less-or-equal", "greater-or-equal", "nonzero", "zero", "positive", "negative", "sign" (got "equals")',
      'Checked 1 integration: 3 problems',
    ]);
  });

  test('cross-check problems, game names from the search paths, --all', async () => {
    const { integrations, env } = setup();
    editJson(join(integrations, 'AllTypes-Snes', 'scenario.json'), (s) => (s.reward.variables.scroe = { reward: 1 }));
    const io = captureIO({ ...env, RETRO_INTEGRATION_PATHS: integrations }, tmp.dir);
    assert.equal(await runValidate(['AllTypes-Snes'], io), 1);
    assert.equal(
      io.out().split('\n')[0],
      `${relative(tmp.dir, join(integrations, 'AllTypes-Snes', 'scenario.json'))}#/reward/variables/scroe: variable 'scroe' is not defined in data.json (did you mean 'score'?)`,
    );
    const all = captureIO(io.env, tmp.dir);
    assert.equal(await runValidate(['--all'], all), 1);
    assert.match(all.out(), /^ok .*TestGame-Nes \(files only; core checks skipped: ROM not imported\)$/m);
    assert.match(all.out(), /scroe/);
  });

  test('an unknown game is a problem with suggestions; no target is a usage error', async () => {
    const { io } = setup();
    assert.equal(await runValidate(['--integration-path', 'integrations', 'TestGame-Nez'], io), 1);
    assert.match(io.out(), /^TestGame-Nez: Game 'TestGame-Nez' not found\. Did you mean 'TestGame-Nes'\?/m);
    assert.match(io.out(), /Checked 0 integrations: 1 problem$/m);
    const none = captureIO(io.env, io.cwd);
    assert.equal(await runValidate([], none), 2);
    assert.match(none.err(), /Usage: retro validate/);
  });
});
