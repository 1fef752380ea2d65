import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../lib/cli/dispatch.ts';
import type { Check } from '../lib/doctor/checks.ts';
import { captureIO, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());
const baseEnv = { HOME: tmp.dir, RETRO_DATA_DIR: join(tmp.dir, 'data'), PATH: process.env.PATH };
const io = (env: Record<string, string | undefined> = {}) => captureIO({ ...baseEnv, ...env }, tmp.dir);

async function doctorJson(env: Record<string, string | undefined> = {}): Promise<{ code: number; checks: Check[]; missingPackages: string[]; optionalPackages: string[] }> {
  const c = io(env);
  const code = await runCli(['doctor', '--json'], c);
  return { code, ...JSON.parse(c.out()) };
}

const row = (checks: Check[], name: string): Check => {
  const found = checks.find((c) => c.name === name);
  assert.ok(found, `no ${name} row`);
  return found;
};

describe('retro doctor', () => {
  test('a table of checks: the addon, Lua, a core per system, data dir, ROMs', async () => {
    const c = io();
    const code = await runCli(['doctor'], c);
    const out = c.out();
    assert.match(out, /^CHECK\s+STATUS\s+DETAIL$/m);
    assert.match(out, /^Native addon\s+ok\s+/m);
    assert.match(out, /^Lua\s+ok\s+Lua 5\.4/m);
    for (const system of ['nes', 'snes', 'gb', 'gba']) assert.match(out, new RegExp(`^Core: ${system}\\s+(ok|missing)`, 'm'));
    assert.match(out, new RegExp(`^Data dir\\s+ok\\s+${join(tmp.dir, 'data')} \\(writable; made on first use\\)$`, 'm'));
    assert.match(out, /^ROMs\s+note\s+1 of 3 games have their ROM \(TinyKart-Nes\); missing: MarioKart-N64, MarioKart-Snes \(npx retro import <dir>\)$/m);
    const { checks } = await doctorJson();
    assert.equal(code, checks.some((r) => r.status === 'missing' || r.status === 'problem') ? 1 : 0);
  });

  test('tools only some commands need are optional: they go on their own apt-get line and do not fail', async () => {
    const { code, checks, missingPackages, optionalPackages } = await doctorJson({ PATH: join(tmp.dir, 'empty-path') });
    assert.equal(row(checks, 'Build tools').status, 'optional');
    assert.match(row(checks, 'Build tools').detail, /missing C\+\+ compiler, cmake, make, pkg-config, objcopy/);
    assert.equal(row(checks, 'Chromium').status, 'optional');
    for (const pkg of ['g++', 'cmake', 'make', 'pkg-config', 'binutils', 'chromium']) assert.ok(optionalPackages.includes(pkg), pkg);
    assert.ok(!missingPackages.includes('g++'));
    assert.equal(code, missingPackages.length > 0 ? 1 : 0);

    const c = io({ PATH: join(tmp.dir, 'empty-path') });
    await runCli(['doctor'], c);
    assert.match(c.out(), /Optional, for the tools that need them:\n {2}(sudo )?apt-get install -y g\+\+ cmake make pkg-config binutils chromium\n/);
  });

  test("a found core's row says which core it is: file, its own name and version, folder", async () => {
    const { checks } = await doctorJson();
    assert.match(row(checks, 'Core: gba').detail, /^mgba_libretro\.so \(mGBA \d+\.\d+\.\d+\) in \//);
  });

  test('RETRO_CORE_<SYSTEM> naming a core that is not there is a problem naming the setting', async () => {
    const { code, checks } = await doctorJson({ RETRO_CORE_GBA: 'nosuchcore' });
    assert.equal(row(checks, 'Core: gba').status, 'problem');
    assert.match(row(checks, 'Core: gba').detail, /^RETRO_CORE_GBA=nosuchcore forces a core for gba, but nosuchcore_libretro\.so is in none of /);
    assert.equal(code, 1);
  });

  test('a data dir nothing can be written to is a problem: exit 1', async () => {
    const { code, checks } = await doctorJson({ RETRO_DATA_DIR: '/proc/libretro-gym' });
    assert.equal(row(checks, 'Data dir').status, 'problem');
    assert.match(row(checks, 'Data dir').detail, /RETRO_DATA_DIR/);
    assert.equal(code, 1);
  });

  test('--help, and usage errors', async () => {
    const help = io();
    assert.equal(await runCli(['doctor', '--help'], help), 0);
    assert.ok(help.out().startsWith('Usage: retro doctor'));
    assert.match(help.out(), /--install/);
    const bad = io();
    assert.equal(await runCli(['doctor', 'extra'], bad), 2);
    assert.match(bad.err(), /unexpected argument 'extra'/);
  });
});

describe('retro build', () => {
  test('--help says what it needs and where the build goes', async () => {
    const c = io();
    assert.equal(await runCli(['build', '--help'], c), 0);
    assert.match(c.out(), /^Usage: retro build/);
    assert.match(c.out(), /retroarch-dev and liblua5\.4-dev/);
  });

  test('missing tools: names them and the apt-get line, builds nothing', async () => {
    const c = io({ PATH: join(tmp.dir, 'empty-path') });
    assert.equal(await runCli(['build'], c), 1);
    assert.match(c.err(), /retro build: missing C\+\+ compiler, cmake, make, pkg-config, objcopy\. Install with:\n {2}(sudo )?apt-get install -y g\+\+ cmake make pkg-config binutils\n/);
    assert.equal(c.out(), '');
  });
});
