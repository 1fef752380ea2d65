import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { Emulator } from '../lib/emulator.ts';
import { testRoms, withTempDir } from './helpers.ts';

interface Trace {
  ram: Uint8Array[];
  frames: Uint8Array[];
}

function play(emu: Emulator, inputs: readonly number[]): Trace {
  const trace: Trace = { ram: [], frames: [] };
  for (const mask of inputs) {
    emu.setButtons(0, mask);
    emu.step(1);
    trace.ram.push(Uint8Array.from(emu.memory.systemRam!));
    trace.frames.push(Uint8Array.from(emu.getFrame().data));
  }
  return trace;
}

for (const system of ['nes', 'snes'] as const) {
  test(`${system}: after loadState the same inputs give byte-identical RAM and frames (property)`, () => {
    const emu = new Emulator({ rom: testRoms[system] });
    const buttons = emu.buttons.filter((b) => b !== null).length;
    const maskArb = fc.integer({ min: 0, max: (1 << emu.buttons.length) - 1 });
    try {
      fc.assert(
        fc.property(
          fc.array(maskArb, { minLength: 0, maxLength: 30 }),
          fc.array(maskArb, { minLength: 1, maxLength: 30 }),
          (before, after) => {
            play(emu, before);
            const state = emu.saveState();
            const first = play(emu, after);
            emu.loadState(state);
            const second = play(emu, after);
            for (let i = 0; i < after.length; i++) {
              assert.deepEqual(second.ram[i], first.ram[i], `RAM differs at step ${i}`);
              assert.deepEqual(second.frames[i], first.frames[i], `frame differs at step ${i}`);
            }
          },
        ),
        { numRuns: system === 'nes' ? 40 : 15, seed: 1234 },
      );
      assert.ok(buttons >= 8);
    } finally {
      emu.close();
    }
  });
}

test('state files are gzip, stable-retro style, and load back into another emulator', () => {
  withTempDir((dir) => {
    const a = new Emulator({ rom: testRoms.snes });
    const b = new Emulator({ rom: testRoms.snes });
    try {
      a.setButtons(0, a.buttonMask(['RIGHT']));
      a.step(37);
      const path = join(dir, 'Level1.state');
      a.saveStateFile(path);
      b.loadStateFile(path);
      assert.deepEqual(b.memory.systemRam, a.memory.systemRam);
      a.step(5);
      b.setButtons(0, b.buttonMask(['RIGHT']));
      b.step(5);
      assert.deepEqual(b.memory.systemRam, a.memory.systemRam);
    } finally {
      a.close();
      b.close();
    }
  });
});

test('a state of another core or garbage is refused with STATE_INVALID, and the emulator keeps running', () => {
  const nes = new Emulator({ rom: testRoms.nes });
  const snes = new Emulator({ rom: testRoms.snes });
  try {
    assert.throws(() => nes.loadState(snes.saveState()), { code: 'STATE_INVALID' });
    assert.throws(() => snes.loadState(new Uint8Array(10)), { code: 'STATE_INVALID' });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (junk) => {
        assert.throws(() => nes.loadState(junk), { code: 'STATE_INVALID' });
      }),
      { numRuns: 30 },
    );
    nes.step(2);
    snes.step(2);
  } finally {
    nes.close();
    snes.close();
  }
});
