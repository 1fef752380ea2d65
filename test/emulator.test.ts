import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Emulator } from '../lib/emulator.ts';
import { fingerprint, nesRam, snesRam, testRoms } from './helpers.ts';

const u16 = (b: Uint8Array) => b[0] | (b[1] << 8);

test('NES: avInfo, pads reach RAM in the documented bit layout, counters advance', () => {
  const emu = new Emulator({ rom: testRoms.nes });
  try {
    assert.equal(emu.system, 'nes');
    assert.equal(emu.systemInfo.libraryName, 'Nestopia');
    assert.equal(emu.avInfo.baseWidth, 256);
    assert.ok([224, 240].includes(emu.avInfo.baseHeight), `height ${emu.avInfo.baseHeight}`);
    assert.ok(Math.abs(emu.avInfo.fps - 60) < 1.1, `fps ${emu.avInfo.fps}`);
    assert.ok(emu.avInfo.sampleRate > 0);

    emu.step(10); // past the ROMs' power-on initialisation
    const frame0 = u16(emu.read(nesRam.frame, 2));
    // The ROM stores pad 1 as A,B,Select,Start,Up,Down,Left,Right from bit 7 down.
    const romBit: Record<string, number> = { A: 7, B: 6, SELECT: 5, START: 4, UP: 3, DOWN: 2, LEFT: 1, RIGHT: 0 };
    for (const [button, bit] of Object.entries(romBit)) {
      emu.setButtons(0, emu.buttonMask([button]));
      emu.step(2);
      assert.equal(emu.read(nesRam.pad1)[0], 1 << bit, `pad 1 ${button}`);
    }
    emu.setButtons(0, 0);
    emu.setButtons(1, emu.buttonMask(['A', 'B']));
    emu.step(2);
    assert.equal(emu.read(nesRam.pad1)[0], 0);
    assert.equal(emu.read(nesRam.pad2)[0], 0xc0);
    assert.equal(u16(emu.read(nesRam.frame, 2)), (frame0 + 18) & 0xffff);
    // The zero-copy view and the bus read agree.
    assert.equal(emu.memory.systemRam![nesRam.pad2], 0xc0);
  } finally {
    emu.close();
  }
});

test('SNES: avInfo, pads reach RAM as the 16-bit auto-joypad word, counters advance', () => {
  const emu = new Emulator({ rom: testRoms.snes });
  try {
    assert.equal(emu.system, 'snes');
    assert.equal(emu.avInfo.baseWidth, 256);
    assert.equal(emu.avInfo.baseHeight, 224);
    assert.ok(Math.abs(emu.avInfo.fps - 60.1) < 0.2, `fps ${emu.avInfo.fps}`);
    emu.step(10); // past the ROMs' power-on initialisation
    const frame0 = u16(emu.read(snesRam.frame, 2));
    const joypadBit: Record<string, number> = { B: 15, Y: 14, SELECT: 13, START: 12, UP: 11, DOWN: 10, LEFT: 9, RIGHT: 8, A: 7, X: 6, L: 5, R: 4 };
    for (const [button, bit] of Object.entries(joypadBit)) {
      emu.setButtons(0, emu.buttonMask([button]));
      emu.step(2);
      assert.equal(u16(emu.read(snesRam.pad1, 2)), 1 << bit, `pad 1 ${button}`);
    }
    assert.equal(u16(emu.read(snesRam.frame, 2)), (frame0 + 24) & 0xffff);
    // The low-mirror at 0x0000 reads the same WRAM bytes as bank 0x7E.
    assert.deepEqual(emu.read(0x0014, 2), emu.read(snesRam.frame, 2));
    assert.equal(emu.memory.systemRam!.length, 0x20000);
  } finally {
    emu.close();
  }
});

for (const system of ['nes', 'snes'] as const) {
  test(`${system}: frames change over time and follow input; ROM from a buffer works`, () => {
    const emu = new Emulator({ rom: readFileSync(testRoms[system]), system });
    try {
      const seen = new Set<number>();
      for (let i = 0; i < 40; i++) {
        emu.step(1);
        const { data, width, height } = emu.getFrame();
        assert.equal(data.length, width * height * 3);
        seen.add(fingerprint(data));
      }
      assert.ok(seen.size >= 5, `only ${seen.size} distinct frames in 40`);
      // Not a flat picture: more than one colour on screen.
      const { data } = emu.getFrame();
      const colours = new Set<number>();
      for (let p = 0; p < data.length; p += 3) colours.add((data[p] << 16) | (data[p + 1] << 8) | data[p + 2]);
      assert.ok(colours.size >= 2, `${colours.size} colours`);
    } finally {
      emu.close();
    }
  });
}

test('x/y follow the d-pad on both systems', () => {
  for (const [system, ram] of [['nes', nesRam], ['snes', snesRam]] as const) {
    const emu = new Emulator({ rom: testRoms[system] });
    try {
      emu.step(10);
      const x0 = emu.read(ram.x)[0];
      const y0 = emu.read(ram.y)[0];
      emu.setButtons(0, emu.buttonMask(['RIGHT', 'DOWN']));
      emu.step(10);
      const dx = (emu.read(ram.x)[0] - x0 + 256) % 256;
      const dy = (emu.read(ram.y)[0] - y0 + 256) % 256;
      assert.ok(dx >= 9 && dx <= 11, `${system} dx ${dx}`);
      assert.ok(dy >= 9 && dy <= 11, `${system} dy ${dy}`);
    } finally {
      emu.close();
    }
  }
});

test('audio capture yields int16 stereo at about sampleRate / fps frames per video frame', () => {
  const emu = new Emulator({ rom: testRoms.nes, audio: true });
  try {
    emu.takeAudio();
    emu.step(60);
    const samples = emu.takeAudio();
    const perFrame = samples.length / 2 / 60;
    const expected = emu.avInfo.sampleRate / emu.avInfo.fps;
    assert.ok(Math.abs(perFrame - expected) / expected < 0.05, `${perFrame} vs ${expected}`);
    assert.equal(emu.takeAudio().length, 0);
  } finally {
    emu.close();
  }
});

test('core options: defaults are read from the core and overrides stick', () => {
  const emu = new Emulator({ rom: testRoms.nes });
  try {
    const options = emu.coreOptions();
    assert.ok(options.length > 0, 'nestopia declares options');
    for (const o of options) assert.ok(o.choices.includes(o.defaultValue), `${o.key} default ${o.defaultValue}`);
    const option = options.find((o) => o.choices.length > 1)!;
    const other = option.choices.find((c) => c !== option.value)!;
    emu.setCoreOption(option.key, other);
    assert.equal(emu.coreOptions().find((o) => o.key === option.key)!.value, other);
  } finally {
    emu.close();
  }
});
