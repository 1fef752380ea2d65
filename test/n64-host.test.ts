// Our N64 core (native/n64/: a libretro core that runs Debian's mupen64plus) through Emulator, on our own N64 test
// ROM (homebrew/n64; its RAM map is the block at 0x80010000 described in homebrew/n64/src/ram.h). Every emulator
// here boots Debian's mupen64plus core (libmupen64plus2, mupen64plus-rsp-hle), a second or more each, so tests
// share emulators where they can.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { systemCores } from '../lib/core/core-catalog.ts';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { Emulator } from '../lib/emulator.ts';
import { ArgumentError, CoreError, LifecycleError, RomError, StateError } from '../lib/errors.ts';
import { findCore } from '../lib/core/find-core.ts';
import { fixN64Crcs } from '../lib/n64/rom-format.ts';
import { packageRoot } from '../lib/package-root.ts';
import { testRoms } from './helpers.ts';

const n64Rom = join(packageRoot(), 'homebrew', 'test', 'n64-test.z64');

/** Addresses of the test ROM's RAM block (N64 addressing, big-endian values). */
const ram = {
  magic: 0x80010000,
  frameCount: 0x80010004,
  loopCount: 0x80010008,
  padReads: 0x8001000c,
  buttons: 0x80010010,
  stickX: 0x80010012,
  stickY: 0x80010013,
  padStatus: 0x80010014,
  cursorX: 0x80010018,
  block: 0x80010000,
  blockLength: 0x2c,
};

const u32 = (emu: Emulator, address: number) => Buffer.from(emu.read(address, 4)).readUInt32BE(0);
const s16 = (emu: Emulator, address: number) => Buffer.from(emu.read(address, 2)).readInt16BE(0);
const s8 = (emu: Emulator, address: number) => Buffer.from(emu.read(address, 1)).readInt8(0);

/** The N64 controller's own bit of each button (BUTTONS in mupen64plus's m64p_plugin.h). */
const n64Bit: Record<string, number> = {
  RIGHT: 0, LEFT: 1, DOWN: 2, UP: 3, START: 4, Z: 5, B: 6, A: 7, C_RIGHT: 8, C_LEFT: 9, C_DOWN: 10, C_UP: 11, R: 12, L: 13,
};
/** The joybus word the ROM stores for the pressed buttons: N64 bits, the word's two bytes swapped. */
function joybus(emu: Emulator, mask: number): number {
  let n64 = 0;
  emu.descriptor.buttons.forEach((name, bit) => {
    if (name !== null && mask & (1 << bit)) n64 |= 1 << n64Bit[name];
  });
  return ((n64 & 0xff) << 8) | (n64 >> 8);
}
/** The stick byte the ROM sees for an axis of setStick: full deflection is 80, as on a real pad. */
const stickStep = fc.integer({ min: -80, max: 80 });

describe('one N64 emulator', () => {
  let emu: Emulator;
  before(() => {
    emu = new Emulator({ rom: n64Rom });
  });
  after(() => emu.close());

  test('boots our ROM to its main loop with the controller answering', () => {
    assert.equal(emu.system, 'n64');
    assert.equal(u32(emu, ram.magic), 0x4e363454); // "N64T", big-endian despite RDRAM's host word order
    emu.step(2);
    assert.equal(emu.read(ram.padStatus)[0], 0, 'controller 1 present');
    assert.ok(u32(emu, ram.padReads) > 0);
  });

  test('step(n) runs exactly n VIs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const frames = u32(emu, ram.frameCount);
        const loops = u32(emu, ram.loopCount);
        emu.step(n);
        assert.equal(u32(emu, ram.frameCount) - frames, n);
        assert.equal(u32(emu, ram.loopCount) - loops, n);
      }),
      { numRuns: 8 },
    );
  });

  test('buttons and the analog stick reach the ROM', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: (1 << 16) - 1 }),
        stickStep,
        stickStep,
        (mask, x, y) => {
          emu.setButtons(0, mask & emu.buttonMask(emu.descriptor.buttons.filter((b): b is string => b !== null)));
          emu.setStick(0, x / 80, y / 80);
          emu.step(2);
          const usable = mask & emu.buttonMask(emu.descriptor.buttons.filter((b): b is string => b !== null));
          assert.equal(Buffer.from(emu.read(ram.buttons, 2)).readUInt16BE(0), joybus(emu, usable));
          assert.equal(s8(emu, ram.stickX), x);
          assert.equal(s8(emu, ram.stickY), y);
        },
      ),
      { numRuns: 12 },
    );
    emu.setButtons(0, emu.buttonMask(['A', 'Z', 'C_UP', 'L']));
    emu.step(2);
    assert.equal(Buffer.from(emu.read(ram.buttons, 2)).readUInt16BE(0), 0x8000 | 0x2000 | 0x0008 | 0x0020);
    emu.setButtons(0, 0);
    emu.setStick(0, 0, 0);
  });

  test('write() lands where read() and the ROM see it', () => {
    emu.write(0x80200000, [0x12, 0x34, 0x56, 0x78, 0x9a]);
    assert.deepEqual([...emu.read(0x80200000, 5)], [0x12, 0x34, 0x56, 0x78, 0x9a]);
    assert.deepEqual([...emu.read(0xa0200001, 2)], [0x34, 0x56], 'KSEG1 is the same RDRAM');
    assert.throws(() => emu.read(0x80800000, 1), (e) => e instanceof ArgumentError && e.code === 'ADDRESS_UNMAPPED');
  });

  test('a saved state replays the same VIs, and a state taken right after a load is that state', () => {
    emu.step(3);
    const state = emu.saveState();
    const frameAtSave = u32(emu, ram.frameCount);
    assert.equal(u32(emu, ram.frameCount), frameAtSave, 'saving does not move the machine');
    const play = () => {
      const trace: string[] = [];
      for (let i = 0; i < 12; i++) {
        emu.setButtons(0, i % 3 === 0 ? emu.buttonMask(['RIGHT', 'A']) : 0);
        emu.setStick(0, (i * 9 - 50) / 80, (40 - i * 7) / 80);
        emu.step(1 + (i % 2));
        trace.push(Buffer.from(emu.read(ram.block, ram.blockLength)).toString('hex'));
      }
      return trace;
    };
    const first = play();
    emu.loadState(state);
    assert.equal(u32(emu, ram.frameCount), frameAtSave);
    assert.deepEqual(emu.saveState(), state);
    assert.deepEqual(play(), first);
    emu.setButtons(0, 0);
    emu.setStick(0, 0, 0);
  });

  test('a damaged state is refused and leaves the machine where it was', () => {
    const state = emu.saveState();
    const frameOfState = u32(emu, ram.frameCount);
    fc.assert(
      // A state cut short anywhere, or damaged in its header (magic, version, the ROM's MD5).
      fc.property(fc.nat({ max: 43 }), fc.nat({ max: state.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), (inHeader, cut, flip, truncate) => {
        const damaged = truncate ? state.subarray(0, cut) : Buffer.from(state);
        if (!truncate) damaged[inHeader] ^= flip;
        emu.step(1);
        const frames = u32(emu, ram.frameCount);
        try {
          emu.loadState(damaged);
          // Only the version's low bytes can change and leave a state mupen64plus still loads.
          assert.ok(!truncate && inHeader >= 8 && inHeader < 12, `a damaged state (byte ${inHeader}) loaded`);
          assert.equal(u32(emu, ram.frameCount), frameOfState);
        } catch (e) {
          assert.ok(e instanceof StateError && e.code === 'STATE_INVALID', String(e));
          emu.step(1);
          assert.equal(u32(emu, ram.frameCount), frames + 1);
        }
      }),
      { numRuns: 6 },
    );
  });

  test('the picture is the VI framebuffer the CPU drew', () => {
    emu.step(1);
    const { data, width, height } = emu.getFrame();
    assert.equal(width, 320);
    assert.ok(height >= 224 && height <= 240, `height ${height}`);
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 3) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    assert.ok(colours.size >= 3, `${colours.size} colours`);
  });

  test('bad arguments are typed errors', () => {
    assert.throws(() => emu.setStick(0, 1.5, 0), (e) => e instanceof ArgumentError && e.code === 'INVALID_ACTION');
    assert.throws(() => emu.setStick(0, Number.NaN, 0), (e) => e instanceof ArgumentError && e.code === 'INVALID_ACTION');
    assert.throws(() => emu.setStick(4, 0, 0), ArgumentError);
    assert.throws(() => emu.setStick(0, 0, 0, 1), ArgumentError, 'the N64 pad has one stick');
    assert.throws(() => emu.loadState(new Uint8Array([1, 2, 3])), (e) => e instanceof StateError && e.code === 'STATE_INVALID');
    emu.step(1); // still running after the refused state
  });
});

test('an N64 leaves the float environment of the thread that drives it as it was (no flush-to-zero)', () => {
  const subnormal = () => [new Float32Array([1.4e-45])[0], 2.2250738585072014e-308 / 2];
  const before = subnormal();
  assert.ok(before[0] > 0 && before[1] > 0);
  const emu = new Emulator({ rom: n64Rom });
  try {
    assert.deepEqual(subnormal(), before, 'after open');
    emu.step(2);
    emu.loadState(emu.saveState());
    assert.deepEqual(subnormal(), before, 'after steps and states');
  } finally {
    emu.close();
  }
  assert.deepEqual(subnormal(), before, 'after close');
});

test('two N64 emulators in one process are independent, and a state moves between them', () => {
  const left = new Emulator({ rom: n64Rom });
  const right = new Emulator({ rom: n64Rom });
  try {
    left.step(5);
    right.step(5);
    const x0 = [s16(left, ram.cursorX), s16(right, ram.cursorX)];
    left.setStick(0, -1, 0);
    right.setStick(0, 1, 0);
    for (let i = 0; i < 10; i++) {
      left.step(1);
      right.step(2);
    }
    assert.equal(u32(left, ram.frameCount), 15);
    assert.equal(u32(right, ram.frameCount), 25);
    assert.ok(s16(left, ram.cursorX) < x0[0], 'left moved left');
    assert.ok(s16(right, ram.cursorX) > x0[1], 'right moved right');
    right.loadState(left.saveState());
    assert.deepEqual(right.read(ram.block, ram.blockLength), left.read(ram.block, ram.blockLength));
  } finally {
    left.close();
    right.close();
  }
  assert.throws(() => left.step(1), (e) => e instanceof LifecycleError && e.code === 'EMULATOR_CLOSED');
});

test('a byte-swapped (.v64) image boots the same program, and reset() powers it on again', () => {
  const v64 = Buffer.from(readFileSync(n64Rom)).swap16();
  const emu = new Emulator({ rom: v64, system: 'n64' });
  try {
    emu.step(6);
    assert.equal(u32(emu, ram.magic), 0x4e363454);
    assert.equal(u32(emu, ram.frameCount), 6);
    emu.reset();
    emu.step(4);
    assert.equal(u32(emu, ram.frameCount), 4, 'the count restarted at power-on');
  } finally {
    emu.close();
  }
});

test('a ROM whose program never starts the VI fails to boot with a typed error, not a hang', () => {
  // A real header, then bytes that are no program: the core runs them, but no VI ever comes.
  const junk = Buffer.alloc(1 << 20);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24;
  readFileSync(n64Rom).copy(junk, 0, 0, 0x40);
  fixN64Crcs(junk); // a ROM whose checksums are right, so only the core can tell
  assert.throws(() => new Emulator({ rom: junk, system: 'n64' }), (e) => e instanceof RomError && e.code === 'ROM_LOAD_FAILED');
});

test('ROMs that are not N64 images are refused before the core runs', () => {
  assert.throws(() => new Emulator({ rom: testRoms.nes, system: 'n64' }), (e) => e instanceof RomError && e.code === 'ROM_INVALID');
  const truncated = new Uint8Array(3000);
  truncated.set([0x80, 0x37, 0x12, 0x40]);
  assert.throws(() => new Emulator({ rom: truncated, system: 'n64' }), (e) => e instanceof RomError && e.code === 'ROM_INVALID');
  // With our checks skipped, the core refuses it itself, and says so with the same typed error (core_error.h).
  assert.throws(
    () => new Emulator({ rom: testRoms.nes, system: 'n64', checkRom: false }),
    (e) => e instanceof RomError && e.code === 'ROM_INVALID' && /not a Nintendo 64 ROM/.test(e.message),
  );
});

test('without Debian\'s mupen64plus, the n64 system names the packages to install', () => {
  assert.throws(
    () => findCore(loadCoreDescriptor('n64'), { RETRO_MUPEN64PLUS_DIR: '/nonexistent' }),
    (e) => e instanceof CoreError && e.code === 'CORE_NOT_FOUND' && e.message.includes('libmupen64plus2 mupen64plus-rsp-hle'),
  );
});

test('our core is the n64 core when no libretro N64 core is installed, told where mupen64plus is', () => {
  const found = findCore(loadCoreDescriptor('n64'), {});
  assert.equal(found.file, 'rgym_mupen64plus_libretro.so');
  assert.equal(found.stateTrial, false);
  assert.match(found.options['rgym-mupen64plus-library'], /libmupen64plus\.so\.2$/);
  const candidate = systemCores(loadCoreDescriptor('n64'), {}).candidates.find((c) => c.name === 'mupen64plus');
  assert.ok(candidate);
  assert.equal(candidate.selected, true);
  assert.equal(candidate.loadError, undefined);
  assert.equal(candidate.install, 'sudo apt-get install libmupen64plus2 mupen64plus-rsp-hle');
});
