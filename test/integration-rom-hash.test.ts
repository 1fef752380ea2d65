import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { RetroError } from '../lib/errors.ts';
import { hashRom, hashRomFile, hasInesHeader, MAX_ROM_BYTES, readRomFile } from '../lib/integration/rom-hash.ts';
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

  test('hashRomFile reads files; over 32 MiB is ROM_INVALID, missing is ROM_NOT_FOUND', () => {
    const file = join(tmp.dir, 'game.nes');
    writeFileSync(file, fakeNesRom(9));
    assert.equal(hashRomFile(file, 'ines'), sha1(fakeNesBody()));

    const big = join(tmp.dir, 'big.bin');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_ROM_BYTES + 1); // sparse: no 32 MiB written
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
});
