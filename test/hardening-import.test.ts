// `retro import` and the files the library leaves on disk, against hostile input (issue 11, items 9, 11, 14 and
// part of 15): a data dir under /proc hung Node's recursive mkdir and one that is a file gave a plain Error; 300
// central-directory entries pointing at one 32 MiB stream made an import inflate and hash 9.4 GiB (80 s), and 7
// nested 500 MiB levels peaked at 3.6 GiB RSS; work dirs of unclosed emulators stayed until exit (forever after a
// crash), and killed imports and state writes left their temp files. The bombs here are small, with the real
// structure, and lowered limits where a test needs them.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { zipSync, type Zippable } from 'fflate';
import { runCli } from '../lib/cli/dispatch.ts';
import { RetroError } from '../lib/errors.ts';
import { dataDir } from '../lib/integration/paths.ts';
import { RomHasher } from '../lib/integration/rom-digest.ts';
import { hashRom, MAX_ROM_BYTES } from '../lib/integration/rom-hash.ts';
import { importRoms, type ImportOptions } from '../lib/integration/rom-import.ts';
import { scanFile } from '../lib/integration/rom-scan.ts';
import { bufferSource, listZipEntries, readZipEntry, streamZipEntry } from '../lib/integration/zip-reader.ts';
import { writeStateFile } from '../lib/state-file.ts';
import { fakeNesRom, fakeSnesRom } from './fixtures/fake-roms.ts';
import { captureIO, copyFixture, tempDir } from './fixtures/helpers.ts';
import { testRoms } from './helpers.ts';

// Emulators make their work dirs in os.tmpdir(); a private one lets the tests plant stale ones and count them.
const privateTmp = mkdtempSync(join(tmpdir(), 'rgym-import-'));
process.env.TMPDIR = privateTmp;
process.on('exit', () => rmSync(privateTmp, { recursive: true, force: true }));

const tmp = tempDir('rgym-hardening-import-');
after(() => tmp.cleanup());
const MiB = 1024 * 1024;

type Typed = Error & { code?: string; details?: Record<string, unknown> };
const isTyped = (code: string) => (e: Typed) => e instanceof RetroError && e.code === code;

/** The PID of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(child.pid > 0);
  return child.pid;
}

let counter = 0;
/** Fixture integrations, a data dir that does not exist yet and an empty ROM folder. */
function setup() {
  const base = join(tmp.dir, `case${counter++}`);
  const integrations = join(base, 'integrations');
  mkdirSync(integrations, { recursive: true });
  copyFixture('TestGame-Nes', integrations);
  copyFixture('AllTypes-Snes', integrations);
  const roms = join(base, 'roms');
  mkdirSync(roms);
  const data = join(base, 'data');
  const env = { HOME: join(base, 'home'), RETRO_DATA_DIR: data, RETRO_INTEGRATION_PATHS: integrations };
  const run = (options: ImportOptions = {}) => importRoms([roms], { env, ...options });
  return { base, roms, data, env, integrations, run };
}

// ---- zip surgery: fflate writes valid archives, these bend them -------------------------------------------------

const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
const setU16 = (bytes: Uint8Array, at: number, value: number) => new DataView(bytes.buffer, bytes.byteOffset).setUint16(at, value, true);
const setU32 = (bytes: Uint8Array, at: number, value: number) => new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, value, true);

/** A fflate zip of one entry, split into its local part, its central record and its end record (no comment). */
function oneEntryZip(name: string, data: Uint8Array, level: 0 | 9) {
  const zip = zipSync({ [name]: [data, { level }] });
  const eocd = zip.length - 22;
  const cdOffset = u32(zip, eocd + 16);
  return { zip, local: zip.slice(0, cdOffset), record: zip.slice(cdOffset, eocd), end: zip.slice(eocd) };
}

/** `count` central-directory entries, all pointing at the one local entry: the overlap bomb. */
function overlapBomb(count: number, streamBytes: number): Uint8Array {
  const name = 'r000.bin';
  const { local, record, end } = oneEntryZip(name, new Uint8Array(streamBytes), 9);
  const records = Array.from({ length: count }, (_, i) => {
    const copy = record.slice();
    copy.set(new TextEncoder().encode(`r${String(i).padStart(3, '0')}.bin`), 46);
    return copy;
  });
  const cdSize = record.length * count;
  setU16(end, 8, count);
  setU16(end, 10, count);
  setU32(end, 12, cdSize);
  const out = new Uint8Array(local.length + cdSize + end.length);
  out.set(local, 0);
  records.forEach((r, i) => out.set(r, local.length + i * record.length));
  out.set(end, local.length + cdSize);
  return out;
}

/** A valid zip whose entry's sizes (in both headers) are patched to `declared`. */
function lyingZip(name: string, data: Uint8Array, declared: number): Uint8Array {
  const { zip } = oneEntryZip(name, data, 9);
  const cdOffset = u32(zip, zip.length - 22 + 16);
  setU32(zip, 22, declared); // local header: uncompressed size
  setU32(zip, cdOffset + 24, declared); // central record: uncompressed size
  return zip;
}

/** Zips nested `levels` deep, each level a deflated zip holding the next plus `padBytes` stored: the memory bomb. */
function nestedZips(levels: number, padBytes: number, inner: Record<string, Uint8Array>): Uint8Array {
  let level = zipSync({ ...Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, [v, { level: 0 }]])), 'pad.bin': [new Uint8Array(padBytes), { level: 0 }] });
  for (let i = 1; i < levels; i++) {
    const entries: Parameters<typeof zipSync>[0] = { 'next.zip': [level, { level: 9 }] };
    if (i < levels - 1) entries['pad.bin'] = [new Uint8Array(padBytes), { level: 0 }];
    level = zipSync(entries);
  }
  return level;
}

// ---- item 9 and 15: the data dir ----------------------------------------------------------------------------------

describe('the data dir is checked before anything is made in it', () => {
  test('RETRO_DATA_DIR under /proc is refused at once instead of hanging in mkdir', { skip: process.platform !== 'linux' }, async () => {
    const { roms, env } = setup();
    writeFileSync(join(roms, 'game.nes'), fakeNesRom());
    const script = `
      const { importRoms } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', 'lib', 'integration', 'rom-import.ts')).href)});
      try {
        importRoms([${JSON.stringify(roms)}], { env: ${JSON.stringify({ ...env, RETRO_DATA_DIR: '/proc/self/libretro-gym' })} });
        console.log(JSON.stringify({ code: 'none' }));
      } catch (e) {
        console.log(JSON.stringify({ code: e.code, name: e.name, message: e.message }));
      }`;
    // A regression hangs in Node's recursive mkdir: the timeout kills the child and the test fails instead.
    const result = await new Promise<{ stdout: string; signal: string | null }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 15_000, killSignal: 'SIGKILL' }, (error, stdout) =>
        resolve({ stdout, signal: (error as { signal?: string } | null)?.signal ?? null }),
      );
    });
    assert.equal(result.signal, null, 'the import hung and was killed');
    const outcome = JSON.parse(result.stdout.trim().split('\n').pop()!);
    assert.equal(outcome.code, 'DATA_DIR_INVALID', result.stdout);
    assert.match(outcome.message, /RETRO_DATA_DIR/);
    assert.match(outcome.message, /proc/);
  });

  test('a file, /dev/null or /sys as the data dir is DATA_DIR_INVALID naming the setting, not a plain Error', () => {
    const { roms, env, base } = setup();
    writeFileSync(join(roms, 'game.nes'), fakeNesRom());
    const file = join(base, 'a-file');
    writeFileSync(file, 'not a folder');
    const cases: { env: Record<string, string>; setting: RegExp; problem: RegExp }[] = [
      { env: { RETRO_DATA_DIR: file }, setting: /RETRO_DATA_DIR/, problem: /is a file/ },
      { env: { RETRO_DATA_DIR: join(file, 'below') }, setting: /RETRO_DATA_DIR/, problem: /a-file, part of .*below, is a file/ },
      { env: { RETRO_DATA_DIR: '/dev/null' }, setting: /RETRO_DATA_DIR/, problem: /character device/ },
      { env: { RETRO_DATA_DIR: '', XDG_DATA_HOME: '/dev/null' }, setting: /XDG_DATA_HOME/, problem: /character device/ },
      { env: { RETRO_DATA_DIR: '', HOME: file }, setting: /HOME/, problem: /is a file/ },
    ];
    if (process.platform === 'linux' && existsSync('/sys/kernel')) {
      cases.push({ env: { RETRO_DATA_DIR: '/sys/kernel/libretro-gym' }, setting: /RETRO_DATA_DIR/, problem: /sysfs/ });
    }
    for (const c of cases) {
      const merged = { ...env, ...c.env };
      const check = (e: Typed) => isTyped('DATA_DIR_INVALID')(e) && c.setting.test(e.message) && c.problem.test(e.message);
      assert.throws(() => importRoms([roms], { env: merged }), check, JSON.stringify(c.env));
      assert.throws(() => dataDir({ env: merged }), check);
    }
    assert.throws(() => importRoms([roms], { env, dataDir: '/dev/null' }), (e: Typed) => isTyped('DATA_DIR_INVALID')(e) && /dataDir option/.test(e.message));
  });

  test('a data dir that does not exist yet is made; `retro import` reports a bad one in one line, exit 1', async () => {
    const { roms, env, data, base } = setup();
    writeFileSync(join(roms, 'game.nes'), fakeNesRom());
    const report = importRoms([roms], { env: { ...env, RETRO_DATA_DIR: join(data, 'deeper', 'still') } });
    assert.equal(report.games.length, 1);
    const io = captureIO({ ...env, RETRO_DATA_DIR: '/dev/null' }, base);
    assert.equal(await runCli(['import', roms], io), 1);
    assert.match(io.err(), /^retro import: The data dir from RETRO_DATA_DIR cannot hold ROMs: \/dev\/null is a character device/);
  });
});

// ---- item 11: zip bombs ----------------------------------------------------------------------------------------------

describe('zip bombs', () => {
  test('300 entries sharing one stream: refused as ARCHIVE_INVALID without inflating anything; the import goes on', () => {
    const { roms, run } = setup();
    const bomb = join(roms, 'overlap.zip');
    writeFileSync(bomb, overlapBomb(300, MiB));
    writeFileSync(join(roms, 'game.nes'), fakeNesRom());
    const started = Date.now();
    const report = run();
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal(report.scanned, 1, 'only the plain ROM was hashed');
    assert.deepEqual(report.games.map((g) => g.game), ['TestGame-Nes']);
    assert.equal(report.skipped.length, 1);
    assert.equal(report.skipped[0].source, bomb);
    assert.equal(report.skipped[0].code, 'ARCHIVE_INVALID');
    assert.match(report.skipped[0].reason, /"r000\.bin" and "r001\.bin" share bytes/);
    assert.throws(() => listZipEntries(bufferSource(overlapBomb(2, 1024), 'bomb.zip')), (e: Typed) => isTyped('ARCHIVE_INVALID')(e) && e.details?.file === 'bomb.zip' && /^bomb\.zip: /.test(e.message));
  });

  test('an archive of many small, well-separated bombs stops at its expansion budget with ARCHIVE_TOO_LARGE', () => {
    const { roms, run } = setup();
    const entries = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`z${i}.bin`, [new Uint8Array(MiB / 2), { level: 9 }] as const]));
    const bomb = join(roms, 'spread.zip');
    writeFileSync(bomb, zipSync({ 'game.nes': fakeNesRom(), ...entries }));
    const report = run({ maxArchiveExpansionBytes: 4 * MiB });
    assert.ok(report.scanned < 12, `scanned ${report.scanned} of 31 entries`);
    assert.deepEqual(report.games.map((g) => g.source), [`${bomb}!/game.nes`], 'what was scanned before the budget ran out is kept');
    assert.deepEqual(report.skipped.map((s) => [s.source, s.code]), [[bomb, 'ARCHIVE_TOO_LARGE']]);
    assert.match(report.skipped[0].reason, /beyond ordinary .* compression/);
    const plain = join(roms, 'plain.zip');
    rmSync(bomb);
    const stored: Zippable = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`s${i}.bin`, [new Uint8Array(MiB / 2), { level: 0 }]]));
    writeFileSync(plain, zipSync(stored));
    assert.deepEqual(run({ maxArchiveExpansionBytes: 4 * MiB }).skipped, [], 'stored or ordinarily compressed entries cost nothing');
  });

  test('nested zips: depth is bounded, and so are the bytes of nested archives held in memory', () => {
    const { roms, run } = setup();
    const game = { 'game.nes': fakeNesRom() };
    writeFileSync(join(roms, 'deep.zip'), nestedZips(7, 64 * 1024, game));
    let report = run();
    assert.equal(report.games.length, 0, 'a ROM 7 levels down is not reached');
    const deep = report.skipped.find((s) => s.source.endsWith('!/next.zip'));
    assert.equal(deep?.code, 'ARCHIVE_TOO_LARGE');
    assert.match(deep!.reason, /nested more than 4 deep/);
    assert.equal(deep!.source.split('!/').length, 5);

    rmSync(join(roms, 'deep.zip'));
    writeFileSync(join(roms, 'wide.zip'), nestedZips(5, 2 * MiB, game));
    report = run({ maxZipDepth: 10, maxNestedZipBytes: 5 * MiB });
    assert.equal(report.games.length, 0);
    const held = report.skipped.find((s) => /nested archives in memory/.test(s.reason));
    assert.equal(held?.code, 'ARCHIVE_TOO_LARGE', JSON.stringify(report.skipped));
    assert.equal(held!.source.split('!/').length, 4, 'the third level down would pass the 5 MiB held');
    assert.equal(run({ maxZipDepth: 10, maxNestedZipBytes: 16 * MiB }).games.length, 1, 'under the limits the ROM is found');
  });

  test('a zip stored inside a zip is read in place, holding nothing in memory', () => {
    const { roms, run } = setup();
    const inner = zipSync({ 'game.sfc': [fakeSnesRom(), { level: 9 }] });
    writeFileSync(join(roms, 'outer.zip'), zipSync({ 'inner.zip': [inner, { level: 0 }] }));
    const report = run({ maxNestedZipBytes: 0 });
    assert.deepEqual(report.games.map((g) => g.source), [join(roms, 'outer.zip!/inner.zip!/game.sfc')]);
  });

  test('a header declaring more than the ROM cap is skipped unread; one declaring less cannot make it inflate more', () => {
    const { roms, run } = setup();
    const big = join(roms, 'big.zip');
    writeFileSync(big, lyingZip('huge.sfc', fakeSnesRom(), MAX_ROM_BYTES + 1));
    const report = run();
    assert.deepEqual(report.skipped.map((s) => [s.source, s.code]), [[`${big}!/huge.sfc`, 'ARCHIVE_TOO_LARGE']]);
    assert.match(report.skipped[0].reason, new RegExp(`larger than the ${MAX_ROM_BYTES}-byte limit`));

    const liar = bufferSource(lyingZip('small.bin', new Uint8Array(MiB), 1000), 'liar.zip');
    const [entry] = listZipEntries(liar);
    const invalid = (e: Typed) => isTyped('ARCHIVE_INVALID')(e) && e.details?.entry === 'small.bin' && /^liar\.zip!\/small\.bin: inflates to more than the 1000 bytes/.test(e.message);
    assert.throws(() => readZipEntry(liar, entry), invalid);
    let seen = 0;
    assert.throws(() => streamZipEntry(liar, entry, (chunk) => (seen += chunk.length)), invalid);
    assert.ok(seen <= 1000, `handed out ${seen} bytes`);
    assert.throws(() => readZipEntry(liar, { ...entry, size: 2 * MiB }, MiB), isTyped('ARCHIVE_TOO_LARGE'));
  });

  test('property: the hash streamed chunk by chunk is the hash of the whole ROM, with and without an iNES header', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(40), { maxLength: 12 }), (ines, body, cuts) => {
        const bytes = ines ? new Uint8Array([0x4e, 0x45, 0x53, 0x1a, ...body]) : body;
        const hasher = new RomHasher();
        let at = 0;
        for (const cut of cuts) {
          hasher.update(bytes.subarray(at, at + cut));
          at = Math.min(bytes.length, at + cut);
        }
        hasher.update(bytes.subarray(at));
        const digest = hasher.digest();
        assert.equal(digest.sha1, hashRom(bytes));
        assert.equal(digest.sha1WithoutInesHeader ?? digest.sha1, hashRom(bytes, 'ines'));
      }),
    );
  });
});

describe('fuzz: the zip reader and the import scan', () => {
  /** Lists and reads every entry; anything but success or a RetroError fails the property. */
  function readEverything(bytes: Uint8Array): void {
    const source = bufferSource(bytes, 'fuzz.zip');
    let entries;
    try {
      entries = listZipEntries(source);
    } catch (error) {
      if (error instanceof RetroError) return;
      throw error;
    }
    for (const entry of entries) {
      try {
        readZipEntry(source, entry, 4 * MiB);
      } catch (error) {
        if (!(error instanceof RetroError)) throw error;
      }
    }
  }

  const valid = zipSync({
    'a.nes': [fakeNesRom(), { level: 9 }],
    'b/stored.bin': [new TextEncoder().encode('stored bytes'), { level: 0 }],
    'b/': {},
    'inner.zip': [zipSync({ 'c.sfc': [fakeSnesRom(), { level: 6 }] }), { level: 0 }],
  });
  /** Byte edits, biased to the headers at both ends where sizes and offsets live. */
  const edits = fc.array(
    fc.record({ at: fc.oneof(fc.nat(valid.length - 1), fc.integer({ min: valid.length - 300, max: valid.length - 1 }), fc.nat(64)), value: fc.integer({ min: 0, max: 255 }) }),
    { minLength: 1, maxLength: 8 },
  );
  const mutate = (changes: { at: number; value: number }[], cut: number) => {
    const bytes = valid.slice(0, valid.length - (cut % 40));
    for (const { at, value } of changes) if (at < bytes.length) bytes[at] = value;
    return bytes;
  };

  test('random bytes give a typed error or entries, never a crash, a hang or a plain Error', { timeout: 60_000 }, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => readEverything(bytes)), { numRuns: 500 });
    // Random bytes rarely look like a zip: also end them with a record that points into them.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1024 }), fc.nat(0xffff), fc.nat(2048), fc.nat(2048), (bytes, count, cdSize, cdOffset) => {
        const end = new Uint8Array(22);
        setU32(end, 0, 0x06054b50);
        setU16(end, 8, count);
        setU16(end, 10, count);
        setU32(end, 12, cdSize);
        setU32(end, 16, cdOffset);
        readEverything(new Uint8Array([...bytes, ...end]));
      }),
      { numRuns: 500 },
    );
  });

  test('mutations of a valid zip give a typed error or entries, never a crash, a hang or a plain Error', { timeout: 60_000 }, () => {
    fc.assert(fc.property(edits, fc.nat(), (changes, cut) => readEverything(mutate(changes, cut))), { numRuns: 1000 });
  });

  test('the import scan reports mutated archives as skipped and never throws', { timeout: 60_000 }, () => {
    const dir = join(tmp.dir, 'fuzz-scan');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'mutated.zip');
    fc.assert(
      fc.property(edits, fc.nat(), (changes, cut) => {
        const bytes = mutate(changes, cut);
        writeFileSync(path, bytes);
        const skips: (string | undefined)[] = [];
        scanFile({ path, size: bytes.length }, { onFile: (candidate) => candidate.digest.sha1, onSkip: (_source, _reason, code) => skips.push(code) });
        for (const code of skips) assert.ok(code === undefined || /^(ARCHIVE_|ROM_)/.test(code), code);
      }),
      { numRuns: 200 },
    );
  });
});

// ---- item 14: temp files -------------------------------------------------------------------------------------------

describe('temp files do not outlive their process', () => {
  const workDirs = () => readdirSync(privateTmp).filter((name) => name.startsWith('libretro-gym-'));

  // Runs first in this file: the sweep happens once per process, at its first emulator.
  test('the first emulator removes the work dirs of dead processes, and nothing else', async () => {
    const { Emulator } = await import('../lib/emulator.ts');
    const dead = deadPid();
    const outside = join(tmp.dir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'keep.txt'), 'keep');
    const planted = {
      stale: `libretro-gym-${dead}-abc123`,
      alive: `libretro-gym-${process.ppid}-abc123`,
      file: `libretro-gym-${dead}-file01`,
      link: `libretro-gym-${dead}-link01`,
      unnamed: 'libretro-gym-xyz789',
      other: `something-${dead}-abc123`,
    };
    mkdirSync(join(privateTmp, planted.stale, 'nested'), { recursive: true });
    writeFileSync(join(privateTmp, planted.stale, 'nested', 'rom.nes'), 'left by a crash');
    for (const dir of [planted.alive, planted.unnamed, planted.other]) mkdirSync(join(privateTmp, dir));
    writeFileSync(join(privateTmp, planted.file), 'a file, not a work dir');
    symlinkSync(outside, join(privateTmp, planted.link));

    const emu = new Emulator({ rom: testRoms.nes });
    const mine = workDirs().filter((name) => name.startsWith(`libretro-gym-${process.pid}-`));
    assert.equal(mine.length, 1, 'work dirs are named after their process');
    assert.match(mine[0], /^libretro-gym-\d+-[A-Za-z0-9]{6}$/);
    emu.close();

    const left = new Set(readdirSync(privateTmp));
    assert.equal(left.has(planted.stale), false, 'the dead process\'s work dir is removed');
    for (const name of [planted.alive, planted.file, planted.link, planted.unnamed, planted.other]) assert.ok(left.has(name), `${name} is kept`);
    assert.ok(lstatSync(join(privateTmp, planted.link)).isSymbolicLink());
    assert.ok(existsSync(join(outside, 'keep.txt')), 'nothing is removed through a link');
    for (const name of [planted.alive, planted.file, planted.link, planted.unnamed, planted.other]) rmSync(join(privateTmp, name), { recursive: true });
  });

  test('an emulator collected without close() removes its work dir then, not at exit', async () => {
    const { Emulator } = await import('../lib/emulator.ts');
    const gc = (globalThis as { gc?: () => void }).gc;
    assert.ok(gc, 'run with --expose-gc');
    const before = workDirs().length;
    (() => {
      const emu = new Emulator({ rom: testRoms.nes });
      emu.step(1);
    })();
    assert.equal(workDirs().length, before + 1);
    for (let i = 0; i < 50 && workDirs().length > before; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(workDirs().length, before, 'the work dir of a collected emulator is gone');
  });

  test('an import removes the rom.*.tmp files killed imports left, and leaves none of its own on errors', () => {
    const { roms, data, run } = setup();
    const dead = deadPid();
    const nesDir = join(data, 'roms', 'TestGame-Nes');
    const snesDir = join(data, 'roms', 'AllTypes-Snes');
    mkdirSync(nesDir, { recursive: true });
    mkdirSync(snesDir, { recursive: true });
    const stale = [join(nesDir, `rom.nes.${dead}-deadbeef.tmp`), join(snesDir, `rom.sfc.${dead}-01234567.tmp`)];
    const kept = [join(nesDir, `rom.nes.${process.ppid}-cafebabe.tmp`), join(nesDir, `notes.${dead}-01234567.tmp`)];
    for (const path of [...stale, ...kept]) writeFileSync(path, 'partial copy');
    run();
    for (const path of stale) assert.equal(existsSync(path), false, `${path} is removed`);
    for (const path of kept) assert.ok(existsSync(path), `${path} is kept`);

    // A directory where the ROM goes: the copy is written, the rename fails, the temp file goes.
    mkdirSync(join(snesDir, 'rom.sfc', 'in-the-way'), { recursive: true });
    writeFileSync(join(roms, 'game.sfc'), fakeSnesRom());
    const report = run();
    assert.equal(report.failed.length, 1);
    assert.deepEqual(readdirSync(snesDir), ['rom.sfc']);
  });

  test('a state write removes the temp files of writes that died, and leaves none of its own on errors', () => {
    const dir = join(tmp.dir, 'states');
    mkdirSync(dir, { recursive: true });
    const dead = deadPid();
    const stale = [`x.state.${dead}.tmp`, `y.state.${dead}-0123abcd.tmp`];
    const kept = [`z.state.${process.ppid}-0123abcd.tmp`, `w.txt.${dead}.tmp`];
    for (const name of [...stale, ...kept]) writeFileSync(join(dir, name), 'partial');
    writeStateFile(join(dir, 'x.state'), Buffer.from('state'));
    assert.deepEqual(readdirSync(dir).sort(), ['w.txt.' + dead + '.tmp', 'x.state', kept[0]].sort());

    mkdirSync(join(dir, 'a-directory.state'));
    assert.throws(() => writeStateFile(join(dir, 'a-directory.state'), Buffer.from('state')), isTyped('STATE_INVALID'));
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp') && !kept.includes(name)), []);
  });
});
