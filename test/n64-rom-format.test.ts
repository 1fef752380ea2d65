import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RomError } from '../lib/errors.ts';
import { computeN64Crcs, N64_CRC_LENGTH, N64_CRC_START } from '../lib/n64/rom-crc.ts';
import {
  checkN64Rom,
  detectN64ByteOrder,
  N64_MAX_ROM_BYTES,
  N64_MIN_ROM_BYTES,
  normaliseN64Rom,
  readN64Header,
  swapN64ByteOrder,
  type N64ByteOrder,
} from '../lib/n64/rom-format.ts';

const HOMEBREW = join(import.meta.dirname, '..', 'homebrew', 'test');
const testRom = new Uint8Array(readFileSync(join(HOMEBREW, 'n64-test.z64')));
const Z64_MAGIC = [0x80, 0x37, 0x12, 0x40];
const ORDERS: readonly N64ByteOrder[] = ['z64', 'v64', 'n64'];

const romInvalid = (pattern: RegExp) => (e: unknown) =>
  e instanceof RomError && e.code === 'ROM_INVALID' && pattern.test(e.message);

/** A big-endian image: the z64 mark, then arbitrary words. */
const z64Image = fc
  .uint8Array({ minLength: 0, maxLength: 256 })
  .map((rest) => new Uint8Array([...Z64_MAGIC, ...rest.subarray(0, rest.length - (rest.length % 4))]));

describe('N64 byte orders', () => {
  test('property: z64 -> v64/n64 -> z64 is the identity, and each order is detected and normalised', () => {
    fc.assert(
      fc.property(z64Image, fc.constantFrom(...ORDERS), (z64, order) => {
        const file = order === 'z64' ? z64 : swapN64ByteOrder(z64, order);
        assert.equal(detectN64ByteOrder(file), order);
        assert.deepEqual(normaliseN64Rom(file), { order, rom: z64 });
        assert.deepEqual(swapN64ByteOrder(file, order), z64, 'each swap is its own inverse');
      }),
      { numRuns: 300 },
    );
  });

  test('the three orders of one word are the documented marks', () => {
    const z64 = new Uint8Array(Z64_MAGIC);
    assert.deepEqual([...swapN64ByteOrder(z64, 'v64')], [0x37, 0x80, 0x40, 0x12]);
    assert.deepEqual([...swapN64ByteOrder(z64, 'n64')], [0x40, 0x12, 0x37, 0x80]);
  });

  test('our test ROM in any order normalises to the same image and passes every check', () => {
    for (const order of ORDERS) {
      const file = order === 'z64' ? testRom : swapN64ByteOrder(testRom, order);
      const checked = checkN64Rom(file);
      assert.equal(checked.order, order);
      assert.deepEqual(checked.rom, testRom);
      assert.equal(checked.cic, '6102');
    }
  });

  test('property: bytes that start with no N64 mark are not an N64 ROM', () => {
    const marks = ORDERS.map((order) => swapN64ByteOrder(new Uint8Array(Z64_MAGIC), order).join());
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 4, maxLength: 64 }).filter((b) => !marks.includes(b.subarray(0, 4).join())),
        (garbage) => {
          assert.throws(() => detectN64ByteOrder(garbage), romInvalid(/not an N64 ROM: starts with/));
          assert.throws(() => checkN64Rom(garbage), romInvalid(/not an N64 ROM/));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('files of other systems and empty files are refused with ROM_INVALID', () => {
    for (const other of ['nes-test.nes', 'snes-test.sfc']) {
      assert.throws(() => checkN64Rom(readFileSync(join(HOMEBREW, other))), romInvalid(/not an N64 ROM/));
    }
    assert.throws(() => checkN64Rom(new Uint8Array(0)), romInvalid(/too short/));
    assert.throws(() => checkN64Rom(new Uint8Array([0x80, 0x37, 0x12])), romInvalid(/too short/));
  });
});

describe('N64 header checks', () => {
  test('our test ROM has the header the build writes', () => {
    assert.equal(testRom.length, 2 * 1024 * 1024);
    const header = readN64Header(testRom);
    assert.deepEqual(
      { ...header, crc1: undefined, crc2: undefined },
      {
        entryPoint: 0x80000400,
        crc1: undefined,
        crc2: undefined,
        name: 'LIBRETROGYM N64 TEST',
        mediaFormat: 'N',
        cartridgeId: 'LG',
        region: 'E',
        version: 0,
      },
    );
    assert.deepEqual(computeN64Crcs(testRom), { crc1: header.crc1, crc2: header.crc2 });
  });

  test('property: a ROM cut short of its boot code is truncated, in every byte order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: N64_MIN_ROM_BYTES / 4 - 1 }),
        fc.constantFrom(...ORDERS),
        (words, order) => {
          const cut = testRom.slice(0, words * 4);
          const file = order === 'z64' ? cut : swapN64ByteOrder(cut, order);
          assert.throws(() => checkN64Rom(file), romInvalid(/truncated/));
        },
      ),
      { numRuns: 100 },
    );
  });

  test('a ROM over the 64 MiB cartridge space is refused before any checksum', () => {
    const huge = new Uint8Array(N64_MAX_ROM_BYTES + 4);
    huge.set(testRom.subarray(0, 0x1000));
    assert.throws(() => checkN64Rom(huge), romInvalid(/too large/));
    const largest = checkN64Rom(huge.subarray(0, N64_MAX_ROM_BYTES), { verifyCrc: false });
    assert.equal(largest.header.name, 'LIBRETROGYM N64 TEST');
  });

  test('property: a size that is not whole words is refused, naming the byte order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x1000, max: 0x2000 }).filter((n) => n % 4 !== 0), (size) => {
        const z64 = testRom.slice(0, size);
        assert.throws(() => checkN64Rom(z64), romInvalid(/not a multiple of 4/));
        const v64 = swapN64ByteOrder(testRom.slice(0, size - (size % 2)), 'v64');
        const n64 = swapN64ByteOrder(testRom.slice(0, size - (size % 4)), 'n64');
        const odd = (file: Uint8Array) => new Uint8Array([...file, 0xaa].slice(0, size));
        if (size % 2 === 1) assert.throws(() => checkN64Rom(odd(v64)), romInvalid(/\.v64 ROM must be a multiple of 2/));
        assert.throws(() => checkN64Rom(odd(n64)), romInvalid(/\.n64 ROM must be a multiple of 4/));
      }),
      { numRuns: 50 },
    );
  });

  test('property: changing any byte the checksums cover fails the CRC check; bytes after them do not', () => {
    fc.assert(
      fc.property(fc.nat({ max: N64_CRC_LENGTH - 1 }), fc.integer({ min: 1, max: 255 }), (offset, xor) => {
        const damaged = testRom.slice();
        damaged[N64_CRC_START + offset]! ^= xor;
        assert.throws(() => checkN64Rom(damaged), romInvalid(/match no CIC boot code/));
        assert.equal(checkN64Rom(damaged, { verifyCrc: false }).cic, undefined, 'the check can be skipped');
      }),
      { numRuns: 8 },
    );
    const tail = testRom.slice();
    tail[N64_CRC_START + N64_CRC_LENGTH] ^= 0xff;
    assert.equal(checkN64Rom(tail).cic, '6102');
  });

  test('checksums of an all-zero megabyte follow each CIC family\'s final mix', () => {
    const zeros = new Uint8Array(N64_CRC_START + N64_CRC_LENGTH);
    const words = N64_CRC_LENGTH / 4;
    // With d = 0 every word: t6 = t3 = t5 = t2 = t4 = seed, and t1 = seed + words * (t5 ^ 0) for all but 6105
    const t1 = (seed: number) => (seed + Math.imul(words, seed)) >>> 0;
    assert.deepEqual(computeN64Crcs(zeros, '6102'), { crc1: 0xf8ca4ddc, crc2: t1(0xf8ca4ddc) });
    assert.deepEqual(computeN64Crcs(zeros, '6103'), { crc1: 0xa3886759, crc2: t1(0xa3886759) });
    assert.deepEqual(computeN64Crcs(zeros, '6105'), { crc1: 0xdf26f436, crc2: 0xdf26f436 });
    const mul = (a: number, b: number) => Math.imul(a, b) >>> 0;
    assert.deepEqual(computeN64Crcs(zeros, '6106'), {
      crc1: (mul(0x1fea617a, 0x1fea617a) + 0x1fea617a) >>> 0,
      crc2: (mul(0x1fea617a, 0x1fea617a) + t1(0x1fea617a)) >>> 0,
    });
    assert.deepEqual(computeN64Crcs(new Uint8Array(N64_CRC_START)), computeN64Crcs(zeros), 'missing bytes read as 0');
  });
});

test('the N64 test ROM rebuilds bit for bit from source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rgym-n64-'));
  try {
    const out = join(dir, 'n64-test.z64');
    execFileSync('bash', [join(import.meta.dirname, '..', 'homebrew', 'n64', 'build.sh'), '--out', out], { stdio: 'pipe' });
    assert.deepEqual(createHash('sha1').update(readFileSync(out)).digest('hex'), createHash('sha1').update(testRom).digest('hex'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
