import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { zipSync } from 'fflate';
import { runImport } from '../lib/cli/import.ts';
import { renderProgress } from '../lib/cli/progress.ts';
import { MAX_ROM_BYTES } from '../lib/integration/rom-hash.ts';
import { bufferSource, listZipEntries, readZipEntry } from '../lib/integration/zip-reader.ts';
import { fakeNesRom, fakeSnesRom } from './fixtures/fake-roms.ts';
import { captureIO, copyFixture, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());
const text = (s: string) => new TextEncoder().encode(s);

let counter = 0;
/** Integrations (via RETRO_INTEGRATION_PATHS), an empty data dir (RETRO_DATA_DIR) and an empty ROM folder. */
function setup() {
  const base = join(tmp.dir, `case${counter++}`);
  const integrations = join(base, 'integrations');
  mkdirSync(integrations, { recursive: true });
  copyFixture('TestGame-Nes', integrations);
  copyFixture('AllTypes-Snes', integrations);
  const data = join(base, 'data');
  const roms = join(base, 'roms');
  mkdirSync(roms);
  const env = { HOME: join(base, 'home'), RETRO_DATA_DIR: data, RETRO_INTEGRATION_PATHS: integrations };
  return { base, data, roms, io: captureIO(env, base), romPath: (game: string, ext: string) => join(data, 'roms', game, `rom.${ext}`) };
}

/** Every file under a folder, relative, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();
}

describe('retro import', () => {
  test('imports from nested zips, keeps the iNES header, copies nothing that does not match', async () => {
    const { roms, data, io, romPath } = setup();
    const inner = zipSync({ 'game.nes': fakeNesRom(5), 'readme.txt': text('hello') });
    writeFileSync(join(roms, 'outer.zip'), zipSync({ 'inner.zip': [inner, { level: 0 }], 'snes/AllTypes.sfc': fakeSnesRom() }));
    writeFileSync(join(roms, 'junk.bin'), fakeNesRom().subarray(0, 1000));
    mkdirSync(join(roms, '.hidden'));
    writeFileSync(join(roms, '.hidden', 'copy.nes'), fakeNesRom());
    mkdirSync(join(roms, 'node_modules'));
    writeFileSync(join(roms, 'node_modules', 'copy.nes'), fakeNesRom());

    const code = await runImport([roms], io);
    assert.equal(code, 0, io.err());
    const lines = io.out().trim().split('\n');
    assert.deepEqual(lines.slice(0, 2).sort(), [
      'Imported AllTypes-Snes from roms/outer.zip!/snes/AllTypes.sfc',
      'Imported TestGame-Nes from roms/outer.zip!/inner.zip!/game.nes',
    ]);
    assert.equal(lines[2], 'Imported 2 games (scanned 4 files, 2 unmatched)');
    assert.equal(lines[3], `ROMs are in ${join(data, 'roms')}`);
    assert.deepEqual(readFileSync(romPath('TestGame-Nes', 'nes')), Buffer.from(fakeNesRom(5)));
    assert.deepEqual(readFileSync(romPath('AllTypes-Snes', 'sfc')), Buffer.from(fakeSnesRom()));
    assert.deepEqual(tree(data), ['roms/AllTypes-Snes/rom.sfc', 'roms/TestGame-Nes/rom.nes'], 'no temp files, no unmatched copies');
  });

  test('a second run leaves imported ROMs alone', async () => {
    const { roms, io, romPath } = setup();
    writeFileSync(join(roms, 'a.nes'), fakeNesRom(1));
    assert.equal(await runImport([roms], io), 0);
    const before = statSync(romPath('TestGame-Nes', 'nes'));
    writeFileSync(join(roms, 'b.nes'), fakeNesRom(2)); // another good dump (other header)
    const again = captureIO(io.env, io.cwd);
    assert.equal(await runImport([roms], again), 0);
    assert.match(again.out(), /^Already imported TestGame-Nes \(roms\/a\.nes\)$/m);
    assert.match(again.out(), /^Imported 0 games, 1 already imported \(scanned 2 files, 0 unmatched\)$/m);
    const afterStat = statSync(romPath('TestGame-Nes', 'nes'));
    assert.equal(afterStat.ino, before.ino);
    assert.deepEqual(readFileSync(romPath('TestGame-Nes', 'nes')), Buffer.from(fakeNesRom(1)));
  });

  test('a good ROM is never overwritten by a bad one; a bad one is replaced by a good one', async () => {
    const { roms, io, romPath } = setup();
    const target = romPath('TestGame-Nes', 'nes');
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, fakeNesRom(1));
    const corrupt = fakeNesRom();
    corrupt[500] ^= 0xff;
    writeFileSync(join(roms, 'rom.nes'), corrupt);
    assert.equal(await runImport([roms], io), 0);
    assert.match(io.out(), /Imported 0 games \(scanned 1 file, 1 unmatched\)/);
    assert.deepEqual(readFileSync(target), Buffer.from(fakeNesRom(1)));

    writeFileSync(target, corrupt);
    writeFileSync(join(roms, 'good.nes'), fakeNesRom(4));
    const second = captureIO(io.env, io.cwd);
    assert.equal(await runImport([roms], second), 0);
    assert.match(second.out(), /Imported TestGame-Nes from roms\/good\.nes/);
    assert.deepEqual(readFileSync(target), Buffer.from(fakeNesRom(4)));
  });

  test('paths default to the working directory; --data-dir overrides RETRO_DATA_DIR', async () => {
    const { base, roms, io } = setup();
    writeFileSync(join(roms, 'a.sfc'), fakeSnesRom());
    const here = captureIO(io.env, roms);
    assert.equal(await runImport(['--data-dir', '../elsewhere'], here), 0);
    assert.match(here.out(), /^Imported AllTypes-Snes from a\.sfc$/m);
    assert.deepEqual(tree(join(base, 'elsewhere')), ['roms/AllTypes-Snes/rom.sfc']);
  });

  test('too large, damaged and missing inputs are reported; missing paths and write failures exit 1', async () => {
    const { roms, data, io } = setup();
    const fd = openSync(join(roms, 'huge.bin'), 'w');
    ftruncateSync(fd, MAX_ROM_BYTES + 1);
    closeSync(fd);
    writeFileSync(join(roms, 'broken.zip'), text('PK\u0003\u0004 not really a zip'));
    writeFileSync(join(roms, 'big-entry.zip'), zipSync({ 'huge.sfc': new Uint8Array(MAX_ROM_BYTES + 1) }));
    writeFileSync(join(roms, 'game.nes'), fakeNesRom());
    mkdirSync(join(data, 'roms'), { recursive: true });
    writeFileSync(join(data, 'roms', 'TestGame-Nes'), 'a file where the folder should be');

    const code = await runImport([roms, join(roms, 'absent')], io);
    assert.equal(code, 1);
    assert.match(io.err(), /no such file or directory: .*absent/);
    assert.match(io.err(), /could not import TestGame-Nes from roms\/game\.nes/);
    assert.match(io.err(), new RegExp(`skipped roms/huge\\.bin: ${MAX_ROM_BYTES + 1} bytes is larger`));
    assert.match(io.err(), /skipped roms\/broken\.zip: /);
    assert.match(io.err(), /skipped roms\/big-entry\.zip!\/huge\.sfc: /);
    assert.match(io.out(), /Imported 0 games \(scanned 1 file, 0 unmatched, 3 skipped, 1 failed\)/);
  });

  test('shows a progress bar on a terminal when there are many files', async () => {
    const { roms, io } = setup();
    for (let i = 0; i < 30; i++) writeFileSync(join(roms, `f${i}.bin`), text(`file ${i}`));
    const tty = captureIO(io.env, io.cwd, { tty: true });
    assert.equal(await runImport([roms], tty), 0);
    assert.match(tty.err(), /\r\[#+\] 100% 30\/30 files/);
    assert.ok(tty.err().endsWith('\r\x1b[K'), 'the bar is erased at the end');
    assert.equal(io.err(), '');
    const notTty = captureIO(io.env, io.cwd);
    await runImport([roms], notTty);
    assert.equal(notTty.err(), '');
    assert.equal(renderProgress(1234, 5000, 'files', 80), '[##########------------------------------]  24% 1,234/5,000 files');
    assert.ok(renderProgress(1234, 5000, 'files', 40).length <= 40, 'fits a narrow terminal');
  });

  test('usage errors exit 2', async () => {
    const { io } = setup();
    assert.equal(await runImport(['--nope'], io), 2);
    assert.match(io.err(), /Usage: retro import/);
  });
});

describe('zip reader', () => {
  test('reads stored and deflated entries and skips folders', () => {
    const bytes = fakeSnesRom();
    const zip = zipSync({ 'a/stored.sfc': [bytes, { level: 0 }], 'a/deflated.sfc': [bytes, { level: 9 }], 'empty/': {} });
    const source = bufferSource(zip);
    const entries = listZipEntries(source);
    assert.deepEqual(entries.map((e) => [e.name, e.method]).sort(), [['a/deflated.sfc', 8], ['a/stored.sfc', 0]]);
    for (const entry of entries) assert.deepEqual(readZipEntry(source, entry), bytes);
  });

  test('rejects what is not a zip', () => {
    assert.throws(() => listZipEntries(bufferSource(text('x'.repeat(100)))), /not a zip archive/);
    const zip = zipSync({ 'a.bin': fakeSnesRom() });
    assert.throws(() => listZipEntries(bufferSource(zip.subarray(0, zip.length - 30))), /zip/);
  });
});
