import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../lib/cli/dispatch.ts';
import { packageRoot } from '../lib/integration/paths.ts';
import { captureIO, FIXTURE_INTEGRATIONS, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());
const io = () => captureIO({ HOME: tmp.dir, RETRO_DATA_DIR: join(tmp.dir, 'data') }, tmp.dir);

describe('retro (dispatch)', () => {
  test('--help lists the commands; no command is a usage error', async () => {
    const help = io();
    assert.equal(await runCli(['--help'], help), 0);
    for (const command of ['import', 'list', 'validate']) assert.match(help.out(), new RegExp(`^  ${command} `, 'm'));
    const none = io();
    assert.equal(await runCli([], none), 2);
    assert.match(none.err(), /Usage: retro <command>/);
  });

  test('every command has --help, also as `retro help <command>`', async () => {
    for (const command of ['import', 'list', 'validate']) {
      const a = io();
      assert.equal(await runCli([command, '--help'], a), 0);
      assert.ok(a.out().startsWith(`Usage: retro ${command}`), a.out());
      const b = io();
      assert.equal(await runCli(['help', command], b), 0);
      assert.equal(b.out(), a.out());
    }
  });

  test('unknown command: exit 2 naming it', async () => {
    const c = io();
    assert.equal(await runCli(['imprt'], c), 2);
    assert.match(c.err(), /unknown command 'imprt'/);
  });

  test('--version prints the package version', async () => {
    const c = io();
    assert.equal(await runCli(['--version'], c), 0);
    const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
    assert.equal(c.out(), `libretro-gym ${version}\n`);
  });

  test('main.ts runs as a program and sets the exit code', () => {
    const main = join(packageRoot(), 'lib', 'cli', 'main.ts');
    assert.ok(readFileSync(main, 'utf8').startsWith('#!/usr/bin/env node\n'));
    const env = { PATH: process.env.PATH, HOME: tmp.dir, RETRO_DATA_DIR: join(tmp.dir, 'data') };
    const ok = spawnSync(process.execPath, ['--import', 'tsx', main, 'validate', join(FIXTURE_INTEGRATIONS, 'TestGame-Nes')], { env, encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Checked 1 integration: no problems/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', main, 'validate', join(tmp.dir, 'missing')], { env, encoding: 'utf8' });
    assert.equal(bad.status, 1);
    const usage = spawnSync(process.execPath, ['--import', 'tsx', main, 'list', '--bogus'], { env, encoding: 'utf8' });
    assert.equal(usage.status, 2);
  });
});
