// The PC Engine end to end: our HuCard test ROM (homebrew/test/pce) on Debian's beetle-pce-fast, through Emulator
// and make(). RAM contract: see homebrew/test/pce/main.s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Emulator } from '../lib/emulator.ts';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { make, type MakeOptions } from '../lib/env/retro-env.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { systemOfGame } from '../lib/integration/systems.ts';
import { packageRoot } from '../lib/package-root.ts';
import { fingerprint, pceRam, testRoms } from './helpers.ts';

const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
const dataDir = mkdtempSync(join(tmpdir(), 'rgym-pce-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const opts = (extra: MakeOptions = {}): MakeOptions => ({ integrationPaths: [fixtures], dataDir, ...extra });

/** The ROM's pad byte: bit 7 Left, 6 Down, 5 Right, 4 Up, 3 Run, 2 Select, 1 II, 0 I. */
const PAD_BITS: Record<string, number> = { I: 0, II: 1, SELECT: 2, RUN: 3, UP: 4, RIGHT: 5, DOWN: 6, LEFT: 7 };

function distinctColours(frame: { data: Uint8Array; width: number; height: number }): number {
  const seen = new Set<number>();
  for (let i = 0; i < frame.width * frame.height * 3; i += 3) seen.add((frame.data[i] << 16) | (frame.data[i + 1] << 8) | frame.data[i + 2]);
  return seen.size;
}

test('the PC Engine descriptor: stable-retro buttons, RAM at 0xF80000, Debian core that setup installs', () => {
  const pce = loadCoreDescriptor('pce');
  assert.deepEqual(pce.buttons, ['II', 'III', 'SELECT', 'RUN', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'I', 'IV', 'V', 'VI']);
  assert.equal(pce.rambase, 0xf80000);
  assert.deepEqual(pce.memory, [{ start: 0xf80000, length: 32768, region: 'system_ram' }]);
  assert.equal(pce.cores[0].file, 'mednafen_pce_fast_libretro.so');
  const packages = execFileSync(process.execPath, [join(packageRoot(), 'scripts', 'core-packages.mjs')], { encoding: 'utf8' }).split('\n');
  assert.ok(packages.includes('libretro-beetle-pce-fast'), packages.join(' '));
  assert.equal(systemOfGame('Bonk-PCEngine'), 'pce', "stable-retro's folder suffix");
});

test('the test ROM boots in beetle-pce-fast and counts one frame per step', () => {
  const emu = new Emulator({ rom: testRoms.pce });
  try {
    assert.equal(emu.system, 'pce');
    assert.match(emu.systemInfo.libraryName, /PCE/);
    emu.step(30);
    assert.deepEqual([...emu.read(pceRam.x, 2)], [128, 112], 'x, y at their start values');
    let lfsr = 0xa5;
    for (let f = 0; f < emu.read(pceRam.frame)[0]; f++) lfsr = (lfsr >> 1) ^ (lfsr & 1 ? 0xb8 : 0);
    assert.equal(emu.read(pceRam.lfsr)[0], lfsr, 'one LFSR step per counted frame');
    const before = emu.read(pceRam.frame, 2);
    emu.step(7);
    const after = emu.read(pceRam.frame, 2);
    assert.equal((after[0] | (after[1] << 8)) - (before[0] | (before[1] << 8)), 7);
    assert.equal(emu.memory.systemRam?.length, 32768, "the core's RAM: 8 KiB, 32 KiB for a SuperGrafx");
    assert.equal(emu.memory.systemRam?.[pceRam.x - 0xf80000], 128, 'the bus address and the RAM view agree');
  } finally {
    emu.close();
  }
});

test('held buttons reach the pad byte, and the d-pad moves x and y', () => {
  const emu = new Emulator({ rom: testRoms.pce });
  try {
    emu.step(30);
    const held = fc.subarray(Object.keys(PAD_BITS));
    fc.assert(
      fc.property(held, fc.integer({ min: 1, max: 6 }), (names, frames) => {
        const [x0, y0] = emu.read(pceRam.x, 2);
        const [i0] = emu.read(pceRam.iFrames);
        const [ii0] = emu.read(pceRam.iiFrames);
        emu.setButtons(0, emu.buttonMask(names));
        emu.step(frames);
        const has = (n: string) => (names.includes(n) ? 1 : 0);
        // The ROM reads the pad once per frame: the byte holds exactly the buttons held.
        assert.equal(emu.read(pceRam.pad)[0], names.reduce((byte, n) => byte | (1 << PAD_BITS[n]), 0));
        const [x1, y1] = emu.read(pceRam.x, 2);
        assert.equal(x1, (x0 + frames * (has('RIGHT') - has('LEFT')) + 256) % 256, 'x');
        assert.equal(y1, (y0 + frames * (has('DOWN') - has('UP')) + 256) % 256, 'y');
        assert.equal(emu.read(pceRam.iFrames)[0], (i0 + frames * has('I')) % 256, 'I count');
        assert.equal(emu.read(pceRam.iiFrames)[0], (ii0 + frames * has('II')) % 256, 'II count');
      }),
      { numRuns: 40 },
    );
  } finally {
    emu.close();
  }
});

test('the picture is not blank, and the sprite the d-pad moves changes it', () => {
  const emu = new Emulator({ rom: testRoms.pce });
  try {
    emu.step(30);
    const still = emu.getFrame();
    assert.ok(still.width >= 256 && still.height >= 224, `${still.width}x${still.height}`);
    assert.ok(distinctColours(still) >= 3, 'checkerboard, backdrop and sprites');
    const state = emu.saveState();
    // The sprite table reaches the VDC at the next vblank: a move shows one frame later.
    emu.step(2);
    const next = fingerprint(emu.getFrame().data);
    emu.loadState(state);
    emu.setButtons(0, emu.buttonMask(['DOWN']));
    emu.step(2);
    assert.notEqual(fingerprint(emu.getFrame().data), next, 'the same frame with the sprite lower differs');
  } finally {
    emu.close();
  }
});

test('make(): data.json variables, discrete actions, reward from x', () => {
  const env = make('TestRom-Pce', opts({ useRestrictedActions: Actions.DISCRETE }));
  try {
    assert.equal(env.actionSpace.toString(), 'Discrete(117)', "3 x 3 x 13: stable-retro's list names IV twice, counted once");
    const { info } = env.reset();
    assert.equal(info.x, 128, 'Start state from the boot recipe');
    assert.ok(info.frame > 20);
    const rightAndI = Array.from({ length: 117 }, (_, i) => i).find((i) => JSON.stringify(env.getActionMeaning(i)) === '[["RIGHT","I"]]');
    assert.ok(rightAndI !== undefined, 'RIGHT with I is one of the discrete actions');
    let total = 0;
    let last = env.step(rightAndI);
    total += last.reward;
    last = env.step(rightAndI);
    total += last.reward;
    assert.equal(last.info.x, 130);
    assert.equal(last.info.pad, (1 << PAD_BITS.RIGHT) | (1 << PAD_BITS.I));
    assert.equal(last.info.i_frames, 2);
    assert.equal(total, 2 * 1 + 2 * 0.25, 'x +1 per frame, I frames +0.25 each');
    assert.equal(env.core.library, 'Mednafen PCE Fast');
  } finally {
    env.close();
  }
});

test('save/load state round trip: the same actions from the same state give the same RAM and pictures', () => {
  const env = make('TestRom-Pce', opts());
  try {
    env.reset();
    const emu = env.emulator;
    const state = emu.saveState();
    const actions = fc.sample(fc.uint8Array({ minLength: 12, maxLength: 12, min: 0, max: 1 }), { numRuns: 20, seed: 7 });
    const run = () =>
      actions.map((action) => {
        const { info, observation } = env.step(action);
        return { ...info, picture: fingerprint(observation) };
      });
    const first = run();
    emu.loadState(state);
    const second = run();
    assert.deepEqual(second, first);
    assert.ok(new Set(first.map((r) => r.picture)).size > 1, 'the pictures change along the way');
    emu.loadState(state);
    assert.deepEqual(emu.saveState(), state, 'a loaded state saves back to the same bytes');
  } finally {
    env.close();
  }
});
