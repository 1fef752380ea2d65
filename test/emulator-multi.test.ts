import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emulator } from '../lib/emulator.ts';
import { fingerprint, nesRam, snesRam, testRoms } from './helpers.ts';

test('two NES and two SNES emulators in one process run interleaved, independent and deterministic', () => {
  const make = () => [
    new Emulator({ rom: testRoms.nes }),
    new Emulator({ rom: testRoms.nes }),
    new Emulator({ rom: testRoms.snes }),
    new Emulator({ rom: testRoms.snes }),
  ];
  const xAddress = [nesRam.x, nesRam.x, snesRam.x, snesRam.x];
  // Each emulator gets its own input pattern, so shared state would show up as wrong positions.
  const patterns = [['RIGHT'], ['LEFT'], ['RIGHT'], ['LEFT', 'A']];
  const run = (emus: Emulator[]) => {
    const log: number[][] = emus.map(() => []);
    for (const emu of emus) emu.step(10); // past the ROMs' power-on initialisation
    for (let step = 0; step < 60; step++) {
      emus.forEach((emu, i) => {
        emu.setButtons(0, step < 54 && step % 3 === i % 3 ? emu.buttonMask(patterns[i]) : 0);
        emu.step(1);
        log[i].push(fingerprint(emu.memory.systemRam!), fingerprint(emu.getFrame().data), emu.read(xAddress[i])[0]);
      });
    }
    return log;
  };
  const first = make();
  const second = make();
  try {
    const a = run(first);
    // Interleave the second set with the first still open, then compare: same inputs, same traces.
    const b = run(second);
    assert.deepEqual(b, a);
    // Independence: the two NES went in opposite directions from the same start.
    const x0 = first[0].read(nesRam.x)[0];
    const x1 = first[1].read(nesRam.x)[0];
    assert.equal((x0 - 128 + 256) % 256, 18);
    assert.equal((128 - x1 + 256) % 256, 18);
    const sx2 = first[2].read(snesRam.x)[0];
    const sx3 = first[3].read(snesRam.x)[0];
    assert.equal((sx2 - 128 + 256) % 256, 18);
    assert.equal((128 - sx3 + 256) % 256, 18);
    assert.notEqual(first[3].read(snesRam.aFrames)[0], first[2].read(snesRam.aFrames)[0]);
  } finally {
    for (const e of [...first, ...second]) e.close();
  }
});
