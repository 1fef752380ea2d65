import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { RetroError } from '../lib/errors.ts';
import { hashRom, hashRomFile, hasInesHeader, MAX_ROM_BYTES, readRomFile } from '../lib/integration/rom-hash.ts';
import { digestUnderRule, RomHasher } from '../lib/integration/rom-digest.ts';
import { swapN64ByteOrder } from '../lib/n64/rom-format.ts';
import { fakeNesBody, fakeNesRom } from './fixtures/fake-roms.ts';
import { FIXTURE_INTEGRATIONS, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const MAGIC = [0x4e, 0x45, 0x53, 0x1a];

describe('ROM SHA-1', () => {
  test('the NES fixture rom.sha is the SHA-1 of the fake ROM without its iNES header', () => {
    const expected = readFileSync(join(FIXTURE_INTEGRATIONS, 'TestGame-Nes', 'rom.sha'), 'utf8').trim();
    assert.equal(hashRom(fakeNesRom(), 'ines'), expected);
    assert.equal(sha1(fakeNesBody()), expected);
    assert.notEqual(hashRom(fakeNesRom(), 'none'), expected, 'without the rule the header is hashed');
  });

  test('iNES rule: the header is skipped only when the file starts with NES\\x1a', () => {
    const body = fakeNesBody();
    assert.equal(hashRom(body, 'ines'), sha1(body), 'headerless file: hashed whole');
    const almost = new Uint8Array([0x4e, 0x45, 0x53, 0x00, ...body]);
    assert.equal(hashRom(almost, 'ines'), sha1(almost));
    assert.equal(hasInesHeader(new Uint8Array(MAGIC)), false, 'too short to hold a header');
  });

  test('property: any iNES header is ignored; any other change to the file changes the hash', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        (headerRest, body, flip) => {
          const file = new Uint8Array([...MAGIC, ...headerRest, ...body]);
          assert.equal(hashRom(file, 'ines'), sha1(body));
          const changed = file.slice();
          changed[16 + (flip % body.length)] ^= 0x01;
          assert.notEqual(hashRom(changed, 'ines'), sha1(body));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('hashRomFile reads files; over the limit (64 MiB) is ROM_INVALID, missing is ROM_NOT_FOUND', () => {
    const file = join(tmp.dir, 'game.nes');
    writeFileSync(file, fakeNesRom(9));
    assert.equal(hashRomFile(file, 'ines'), sha1(fakeNesBody()));

    const big = join(tmp.dir, 'big.bin');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_ROM_BYTES + 1); // sparse: nothing written
    closeSync(fd);
    assert.throws(() => readRomFile(big), (e: unknown) => e instanceof RetroError && e.code === 'ROM_INVALID');
    const exact = join(tmp.dir, 'exact.bin');
    const fd2 = openSync(exact, 'w');
    ftruncateSync(fd2, MAX_ROM_BYTES);
    closeSync(fd2);
    assert.equal(readRomFile(exact).length, MAX_ROM_BYTES);
    assert.throws(() => hashRomFile(join(tmp.dir, 'none.nes')), (e: unknown) => e instanceof RetroError && e.code === 'ROM_NOT_FOUND');
    assert.throws(() => hashRomFile(tmp.dir), (e: unknown) => e instanceof RetroError && e.code === 'ROM_INVALID');
  });

  test('n64 rule: a .v64 or .n64 dump hashes as its .z64 image, streamed in chunks of any size too', () => {
    const n64Rom = readFileSync(join(import.meta.dirname, '..', 'homebrew', 'test', 'n64-test.z64')).subarray(0, 64 * 1024);
    const z64Hash = sha1(n64Rom);
    fc.assert(
      fc.property(fc.constantFrom('z64', 'v64', 'n64') as fc.Arbitrary<'z64' | 'v64' | 'n64'>, fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 20 }), (order, cuts) => {
        const dump = order === 'z64' ? n64Rom : swapN64ByteOrder(n64Rom, order);
        assert.equal(hashRom(dump, 'n64'), z64Hash);
        const hasher = new RomHasher();
        let at = 0;
        for (const cut of cuts) {
          hasher.update(dump.subarray(at, Math.min(dump.length, at + cut)));
          at = Math.min(dump.length, at + cut);
        }
        hasher.update(dump.subarray(at));
        const digest = hasher.digest();
        assert.equal(digest.sha1, sha1(dump));
        assert.equal(digestUnderRule(digest, 'n64'), z64Hash);
      }),
      { numRuns: 60 },
    );
    const damaged = swapN64ByteOrder(n64Rom, 'v64');
    damaged[5000] ^= 1;
    assert.notEqual(hashRom(damaged, 'n64'), z64Hash);
  });
});
