// The systems stable-retro supports whose cores Debian does not package: descriptors as stable-retro's cores/*.json
// define them, `retro cores list` naming the core to install, setup and doctor not asking apt for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../lib/cli/dispatch.ts';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { comboGroups } from '../lib/env/action-codec.ts';
import { systemOfGame } from '../lib/integration/systems.ts';
import { packageRoot } from '../lib/package-root.ts';
import { captureIO, tempDir } from './fixtures/helpers.ts';

const GENESIS_BUTTONS = ['B', 'A', 'MODE', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'C', 'Y', 'X', 'Z'];
const SIX_FACE = [[], ['A'], ['B'], ['C'], ['X'], ['Y'], ['Z'], ['A', 'B'], ['B', 'C'], ['A', 'X'], ['B', 'Y'], ['C', 'Z'], ['X', 'Y'], ['Y', 'Z']];
const PAD = [[[], ['UP'], ['DOWN']], [[], ['LEFT'], ['RIGHT']]];

/**
 * stable-retro's facts per system: its folder suffix, core, buttons, action groups and RAM block, and the word size of
 * its overlay (Genesis and 32X cores keep the 68000's RAM as host-order 16-bit words: stable-retro's ["=", ">", 2]).
 */
const expected = [
  { system: 'genesis', suffix: 'Genesis', core: 'genesis_plus_gx', buttons: GENESIS_BUTTONS, actions: [...PAD, SIX_FACE], ram: [0xff0000, 0x10000], wordBytes: 2, discrete: 126 },
  { system: '32x', suffix: '32x', core: 'picodrive', buttons: GENESIS_BUTTONS, actions: [...PAD, SIX_FACE], ram: [0, 0x10000], wordBytes: 2, discrete: 126 },
  {
    system: 'sms', suffix: 'Sms', core: 'genesis_plus_gx', buttons: ['B', null, null, 'PAUSE', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'],
    actions: [...PAD, [[], ['A'], ['B'], ['A', 'B']]], ram: [0xc000, 0x2000], discrete: 36,
  },
  {
    system: 'gamegear', suffix: 'GameGear', core: 'genesis_plus_gx', buttons: ['B', null, null, 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'],
    actions: [...PAD, [[], ['A'], ['B'], ['A', 'B']]], ram: [0xc000, 0x2000], discrete: 36,
  },
  {
    system: 'atari2600', suffix: 'Atari2600', core: 'stella', buttons: ['BUTTON', null, 'SELECT', 'RESET', 'UP', 'DOWN', 'LEFT', 'RIGHT'],
    actions: [...PAD, [[], ['BUTTON']]], ram: [0x80, 0x80], discrete: 18,
  },
];

for (const want of expected) {
  test(`${want.system}: stable-retro's buttons, actions, RAM block and core`, () => {
    const d = loadCoreDescriptor(want.system);
    assert.equal(systemOfGame(`Some-${want.suffix}`), want.system, 'its integration folders find this descriptor');
    assert.deepEqual(d.buttons, want.buttons);
    assert.deepEqual(d.actions, want.actions);
    const wordBytes = 'wordBytes' in want ? { wordBytes: want.wordBytes } : {};
    assert.deepEqual(d.memory, [{ start: want.ram[0], length: want.ram[1], region: 'system_ram', ...wordBytes }]);
    assert.equal(d.rambase, want.ram[0]);
    assert.equal(d.cores[0].file, `${want.core}_libretro.so`);
    assert.equal(d.cores[0].stableRetro, true, 'its states load only in this core');
    assert.ok(d.cores.every((c) => c.debianPackage === undefined), 'Debian has no package for it');
    const groups = comboGroups(d.buttons, d.actions);
    assert.equal(groups.reduce((n, g) => n * g.combos.length, 1), want.discrete, 'Actions.DISCRETE size');
  });
}

test('setup asks apt only for the cores Debian packages', () => {
  const out = execFileSync(process.execPath, [join(packageRoot(), 'scripts', 'core-packages.mjs')], { encoding: 'utf8' });
  // n64's host is Debian's mupen64plus (core and RSP plugin); the other new systems have no Debian core.
  assert.deepEqual(out.trim().split('\n').sort(), [
    'libmupen64plus2',
    'libretro-beetle-pce-fast',
    'libretro-bsnes-mercury-performance',
    'libretro-gambatte',
    'libretro-mgba',
    'libretro-nestopia',
    'mupen64plus-rsp-hle',
  ]);
});

test('retro cores list names the core to install for each, and a missing one is no failure', async () => {
  const tmp = tempDir('rgym-systems-');
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: join(tmp.dir, 'xdg'), XDG_CONFIG_HOME: join(tmp.dir, 'config'), RETRO_CORES_PATH: '' };
    for (const k of Object.keys(env)) if (k.startsWith('RETRO_CORE_')) delete env[k];
    const io = captureIO(env, tmp.dir);
    assert.equal(await runCli(['cores', 'list'], io), 0, io.err());
    for (const want of expected) {
      const block = io.out().split('\n\n').find((b) => b.startsWith(`${want.system}  `));
      assert.ok(block, `a block for ${want.system}`);
      assert.match(block, new RegExp(`^ {4}${want.core} +stable-retro +not found \\(npx retro cores install ${want.core}\\)$`, 'm'));
    }
    const json = captureIO(env, tmp.dir);
    assert.equal(await runCli(['cores', 'list', '--json'], json), 0, json.err());
    const { systems } = JSON.parse(json.out()) as { systems: { system: string; problem?: string }[] };
    assert.match(systems.find((s) => s.system === 'genesis')!.problem!, /npx retro cores install genesis_plus_gx/);
    // A forced core that is not there is still a failure.
    const forced = captureIO({ ...env, RETRO_CORE_GENESIS: 'picodrive' }, tmp.dir);
    assert.equal(await runCli(['cores', 'list'], forced), 1);
  } finally {
    tmp.cleanup();
  }
});
