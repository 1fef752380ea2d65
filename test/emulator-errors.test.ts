import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Emulator } from '../lib/emulator.ts';
import { RetroError } from '../lib/errors.ts';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { findCore } from '../lib/core/find-core.ts';
import { testRoms, withTempDir } from './helpers.ts';

function assertCode(fn: () => unknown, code: string, messageIncludes?: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RetroError, `expected a RetroError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (messageIncludes) assert.match(e.message, messageIncludes);
    return true;
  });
}

test('missing, empty, truncated and random ROM files are typed errors', () => {
  withTempDir((dir) => {
    assertCode(() => new Emulator({ rom: join(dir, 'nope.nes') }), 'ROM_NOT_FOUND', /nope\.nes/);
    assertCode(() => new Emulator({ rom: dir, system: 'nes' }), 'ROM_NOT_FOUND');

    const empty = join(dir, 'empty.nes');
    writeFileSync(empty, '');
    assertCode(() => new Emulator({ rom: empty }), 'ROM_INVALID', /empty/);

    const nes = readFileSync(testRoms.nes);
    const truncated = join(dir, 'truncated.nes');
    writeFileSync(truncated, nes.subarray(0, nes.length - 100));
    assertCode(() => new Emulator({ rom: truncated }), 'ROM_INVALID', /truncated/);

    const snes = readFileSync(testRoms.snes);
    assertCode(() => new Emulator({ rom: snes.subarray(0, 20000), system: 'snes' }), 'ROM_INVALID');
  });
});

test('random bytes never crash either core (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 70000 }), fc.constantFrom('nes', 'snes'), (bytes, system) => {
      try {
        const emu = new Emulator({ rom: bytes, system });
        emu.step(2);
        emu.close();
      } catch (e) {
        assert.ok(e instanceof RetroError, String(e));
        assert.ok(['ROM_INVALID', 'ROM_LOAD_FAILED'].includes(e.code), e.code);
      }
    }),
    { numRuns: 40, seed: 7 },
  );
});

test('random bytes behind a valid iNES header are loaded or refused, never a crash', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16384 + 8192, maxLength: 16384 + 8192 }), fc.integer({ min: 0, max: 255 }), (body, mapperByte) => {
      const rom = new Uint8Array(16 + body.length);
      rom.set([0x4e, 0x45, 0x53, 0x1a, 1, 1, mapperByte & 0xf1, 0]);
      rom.set(body, 16);
      try {
        const emu = new Emulator({ rom, system: 'nes' });
        emu.step(10);
        emu.close();
      } catch (e) {
        assert.ok(e instanceof RetroError && e.code === 'ROM_LOAD_FAILED', String(e));
      }
    }),
    { numRuns: 25, seed: 11 },
  );
});

test('a ROM of the wrong system is refused before any core sees it', () => {
  assertCode(() => new Emulator({ rom: testRoms.snes, system: 'nes' }), 'ROM_INVALID', /not a Nintendo Entertainment System ROM/);
  assertCode(() => new Emulator({ rom: readFileSync(testRoms.nes), system: 'snes' }), 'ROM_INVALID', /SNES ROM/);
  assertCode(() => new Emulator({ rom: readFileSync(testRoms.nes) }), 'ROM_INVALID', /system/);
  assertCode(() => new Emulator({ rom: testRoms.nes, system: 'dreamcast' }), 'CORE_DESCRIPTOR_INVALID', /unknown system/);
});

test('a missing core names the Debian package to install', () => {
  const descriptor = loadCoreDescriptor('snes');
  assertCode(
    () => findCore({ ...descriptor, cores: [{ file: 'missing_libretro.so', debianPackage: 'libretro-missing' }] }, { RETRO_CORES_PATH: '/nonexistent' }),
    'CORE_NOT_FOUND',
    /sudo apt-get install libretro-missing/,
  );
  withTempDir((dir) => {
    const fake = join(dir, 'fake_libretro.so');
    writeFileSync(fake, 'not an ELF file');
    assertCode(() => new Emulator({ rom: testRoms.nes, core: fake }), 'CORE_LOAD_FAILED', /fake_libretro\.so/);
    assertCode(() => new Emulator({ rom: testRoms.nes, core: join(dir, 'absent.so') }), 'CORE_NOT_FOUND');
  });
});

test('use after close and double close are typed errors; invalid input is refused', () => {
  const emu = new Emulator({ rom: testRoms.nes });
  const ram = emu.memory.systemRam!;
  assertCode(() => emu.setButtons(0, -1), 'INVALID_ACTION');
  assertCode(() => emu.setButtons(0, 1 << 12), 'INVALID_ACTION');
  assertCode(() => emu.setButtons(0, Number.NaN), 'INVALID_ACTION');
  assertCode(() => emu.setButtons(7, 0), 'INVALID_ARGUMENT');
  assertCode(() => emu.buttonMask(['TURBO']), 'INVALID_ACTION');
  assertCode(() => emu.step(0), 'INVALID_ARGUMENT');
  assertCode(() => emu.step(1.5), 'INVALID_ARGUMENT');
  assertCode(() => emu.read(0x5000, 1), 'ADDRESS_UNMAPPED');
  assertCode(() => emu.read(0x7ff, 2), 'ADDRESS_UNMAPPED');
  emu.close();
  assert.equal(emu.closed, true);
  // The zero-copy RAM view is detached, not dangling.
  assert.equal(ram.length, 0);
  for (const call of [() => emu.step(1), () => emu.saveState(), () => emu.read(0, 1), () => emu.getFrame(), () => emu.setButtons(0, 0), () => emu.close()]) {
    assertCode(call, 'EMULATOR_CLOSED');
  }
});

test('a core that asks to shut down (RETRO_ENVIRONMENT_SHUTDOWN) fails every later call with ENV_CRASHED', () =>
  withTempDir((dir) => {
    // The C compiler that builds the addon builds a stand-in core that forwards to the real one.
    const realCore = findCore(loadCoreDescriptor('nes')).path;
    const core = join(dir, 'shutting_down_libretro.so');
    const built = spawnSync('cc', ['-shared', '-fPIC', '-O1', '-o', core, join(import.meta.dirname, 'fixtures', 'crashing-core.c'), '-ldl'], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    process.env.RGYM_REAL_CORE = realCore;
    process.env.RGYM_SHUTDOWN_AFTER = '5';
    try {
      const emu = new Emulator({ rom: testRoms.nes, core });
      try {
        emu.step(5);
        const crashed = (e: unknown) => e instanceof RetroError && e.code === 'ENV_CRASHED' && /asked to shut down/.test(e.message);
        assert.throws(() => emu.step(1), crashed);
        assert.throws(() => emu.step(1), crashed, 'and stays stopped');
        assert.throws(() => emu.saveState(), crashed);
        assert.throws(() => emu.reset(), crashed);
      } finally {
        emu.close();
      }
    } finally {
      delete process.env.RGYM_REAL_CORE;
      delete process.env.RGYM_SHUTDOWN_AFTER;
    }
  }));
