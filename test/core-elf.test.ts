// The ELF checks `retro cores install` runs on downloaded cores: real Debian cores pass, every other kind of file
// fails with CORE_INVALID saying why, and no byte string makes the reader throw anything else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkCoreFile, currentElfTarget, REQUIRED_CORE_SYMBOLS } from '../lib/core/core-file-check.ts';
import { readElf } from '../lib/core/elf-reader.ts';
import { CoreError } from '../lib/errors.ts';

const DEBIAN_CORES = '/usr/lib/x86_64-linux-gnu/libretro';
const gambatte = readFileSync(`${DEBIAN_CORES}/gambatte_libretro.so`);
const nestopia = readFileSync(`${DEBIAN_CORES}/nestopia_libretro.so`);
const libz = readFileSync('/usr/lib/x86_64-linux-gnu/libz.so.1');

const invalid = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof CoreError, `a CoreError, not ${String(error)}`);
  assert.equal(error.code, 'CORE_INVALID');
  assert.match(error.message, pattern);
  return true;
};

/** A copy with e_machine (bytes 18-19, little-endian) set to `machine`. */
function withMachine(bytes: Uint8Array, machine: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  new DataView(copy.buffer).setUint16(18, machine, true);
  return copy;
}

describe('ELF reader', () => {
  test("reads a Debian core's class, machine, type and libretro exports", () => {
    const elf = readElf(nestopia, 'nestopia');
    assert.equal(elf.bits, 64);
    assert.equal(elf.littleEndian, true);
    assert.equal(elf.machine, 62);
    assert.equal(elf.type, 3);
    for (const symbol of REQUIRED_CORE_SYMBOLS) assert.ok(elf.exports.has(symbol), symbol);
    assert.equal(elf.exports.has('malloc'), false, 'imported symbols are not exports');
  });

  test('every Debian core passes the core check for this machine', () => {
    assert.equal(currentElfTarget('x64').machine, 62);
    for (const core of ['nestopia', 'gambatte', 'mgba', 'bsnes_mercury_performance']) {
      const elf = checkCoreFile(readFileSync(`${DEBIAN_CORES}/${core}_libretro.so`), core, currentElfTarget('x64'));
      assert.ok(elf.exports.has('retro_run'));
    }
  });

  test('a core for another architecture is refused, naming both', () => {
    assert.throws(() => checkCoreFile(withMachine(gambatte, 183), 'arm.so', currentElfTarget('x64')), invalid(/built for AArch64 \(ELF64\), but this machine is x86-64/));
    assert.throws(() => checkCoreFile(gambatte, 'x86.so', currentElfTarget('arm64')), invalid(/built for x86-64 .* this machine is AArch64/));
  });

  test('a 32-bit file is refused on a 64-bit machine', () => {
    const copy = Uint8Array.from(gambatte);
    copy[4] = 1; // EI_CLASS: ELF32; the rest now parses as garbage or as another layout
    assert.throws(() => checkCoreFile(copy, 'elf32.so', currentElfTarget('x64')), invalid(/elf32\.so/));
  });

  test('a shared library that is not a libretro core is refused', () => {
    assert.throws(() => checkCoreFile(libz, 'libz.so.1', currentElfTarget('x64')), invalid(/exports no libretro functions: not a libretro core/));
  });

  test('a core missing some entry points is refused, naming them', () => {
    // Rename retro_run in the string table: the symbol is still there, under a name the addon does not bind.
    const copy = Buffer.from(gambatte);
    const at = copy.indexOf('retro_run\0');
    assert.ok(at > 0);
    copy.write('retro_rux', at);
    assert.throws(() => checkCoreFile(copy, 'partial.so', currentElfTarget('x64')), invalid(/does not export retro_run$/));
  });

  test('not ELF, truncated, or without section headers: refused with the reason', () => {
    assert.throws(() => readElf(Buffer.from('PK\x03\x04 a zip, not a library'), 'x.zip'), invalid(/not an ELF file/));
    assert.throws(() => readElf(gambatte.subarray(0, 40), 'short'), invalid(/truncated ELF header/));
    assert.throws(() => readElf(gambatte.subarray(0, 4096), 'head'), invalid(/outside the file \(truncated\?\)/));
    const noSections = Uint8Array.from(gambatte.subarray(0, 64));
    new DataView(noSections.buffer).setBigUint64(0x28, 0n, true);
    assert.throws(() => readElf(noSections, 'stripped'), invalid(/no section headers/));
  });
});

describe('ELF reader properties', () => {
  /** Runs the check; true when it passed, and only ever a CORE_INVALID CoreError otherwise. */
  const onlyTypedErrors = (bytes: Uint8Array): boolean => {
    try {
      checkCoreFile(bytes, 'fuzz', currentElfTarget('x64'));
      return true;
    } catch (error) {
      if (!(error instanceof CoreError) || error.code !== 'CORE_INVALID') throw error;
      return false;
    }
  };

  test('random bytes, with or without the ELF magic, never throw anything but CORE_INVALID', () => {
    const magic = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 4096 }), (withMagic, tail) => {
        const bytes = withMagic ? Uint8Array.from([...magic, ...tail]) : tail;
        assert.equal(onlyTypedErrors(bytes), false);
      }),
      { numRuns: 500 },
    );
  });

  test('a real core cut short anywhere is refused with CORE_INVALID, whole it passes', () => {
    assert.equal(onlyTypedErrors(gambatte), true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: gambatte.length - 1 }), (length) => {
        // Section headers sit at the end of the file: any cut loses some, so every prefix must be refused.
        assert.equal(onlyTypedErrors(gambatte.subarray(0, length)), false);
      }),
      { numRuns: 200 },
    );
  });

  test("random damage to a core's header and section table never throws anything but CORE_INVALID", () => {
    const elf = new DataView(gambatte.buffer, gambatte.byteOffset, gambatte.byteLength);
    const shoff = Number(elf.getBigUint64(0x28, true));
    const tableEnd = shoff + elf.getUint16(0x3c, true) * 64;
    const copy = Uint8Array.from(gambatte);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 63 }), fc.integer({ min: shoff, max: tableEnd - 1 })), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const saved = edits.map(([at]) => copy[at]);
          for (const [at, value] of edits) copy[at] = value;
          try {
            onlyTypedErrors(copy);
          } finally {
            edits.forEach(([at], i) => (copy[at] = saved[i]));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
