// Bad input to the file and memory APIs. .state files are gzip from anywhere: a 1 MB file inflated to 1 GiB before being refused (peak RSS 4.1 GiB), and a
// failed write left its temp file behind. Issue 11, items 10 and (part of) 14 and 15.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MAX_STATE_BYTES, readStateFile, writeStateFile } from '../lib/state-file.ts';
import { tempDir } from './fixtures/helpers.ts';

const tmp = tempDir('rgym-statefile-');
after(() => tmp.cleanup());
const invalid = (e: Error & { code?: string; details?: { file?: string } }) => e.code === 'STATE_INVALID' && e.name === 'StateError';

test('a gzip bomb is refused at the cap, quickly and without inflating it all', () => {
  const bomb = join(tmp.dir, 'bomb.state');
  writeFileSync(bomb, gzipSync(Buffer.alloc(MAX_STATE_BYTES + 1024 * 1024)));
  const rss = process.memoryUsage().rss;
  const started = Date.now();
  assert.throws(() => readStateFile(bomb), (e: Error & { code?: string }) => invalid(e) && /inflates to more than/.test(e.message));
  assert.ok(Date.now() - started < 5000);
  assert.ok(process.memoryUsage().rss - rss < 3 * MAX_STATE_BYTES);
});

test('a state file larger than the cap is refused before it is read', () => {
  const big = join(tmp.dir, 'big.state');
  writeFileSync(big, Buffer.alloc(MAX_STATE_BYTES + 1));
  assert.throws(() => readStateFile(big), (e: Error & { code?: string }) => invalid(e) && /more than any core's state/.test(e.message));
});

test('writing into a missing folder or over a directory is a typed error and leaves no temp file', () => {
  const dir = join(tmp.dir, 'writes');
  mkdirSync(join(dir, 'a-directory.state'), { recursive: true });
  for (const path of [join(dir, 'missing', 'x.state'), join(dir, 'a-directory.state')]) {
    assert.throws(() => writeStateFile(path, Buffer.from('state')), (e: Error & { code?: string; details?: { file?: string } }) => invalid(e) && e.details?.file === path);
  }
  assert.deepEqual(readdirSync(dir), ['a-directory.state']);
  const ok = join(dir, 'ok.state');
  writeStateFile(ok, Buffer.from('state'));
  assert.equal(readStateFile(ok).toString(), 'state');
});

test('Emulator.write and buttonMask refuse values they used to coerce or crash on', async () => {
  const { Emulator } = await import('../lib/emulator.ts');
  const { testRoms } = await import('./helpers.ts');
  const emu = new Emulator({ rom: testRoms.nes });
  try {
    const typed = (code: string) => (e: Error & { code?: string }) => e.code === code;
    assert.throws(() => emu.write(0x15, 'abc' as unknown as number[]), typed('INVALID_ARGUMENT'));
    assert.throws(() => emu.write(0x15, [300]), typed('INVALID_ARGUMENT'));
    assert.throws(() => emu.write(0x15, [1.5]), typed('INVALID_ARGUMENT'));
    assert.throws(() => emu.buttonMask([1] as unknown as string[]), typed('INVALID_ACTION'));
    emu.write(0x15, [7]);
    assert.equal(emu.read(0x15)[0], 7);
  } finally {
    emu.close();
  }
});

test('a Game Boy ROM without a valid header is refused before the core sees it (cores/gb.json had romHeader "none")', async () => {
  const { Emulator } = await import('../lib/emulator.ts');
  const zeros = join(tmp.dir, 'zeros.gb');
  writeFileSync(zeros, Buffer.alloc(32 * 1024));
  assert.throws(() => new Emulator({ rom: zeros }), (e: Error & { code?: string }) => e.code === 'ROM_INVALID' && /not a Game Boy ROM/.test(e.message));
  const gba = join(tmp.dir, 'zeros.gba');
  writeFileSync(gba, Buffer.alloc(1024));
  assert.throws(() => new Emulator({ rom: gba }), (e: Error & { code?: string }) => e.code === 'ROM_INVALID' && /not a GBA ROM/.test(e.message));
});

test('Emulator refuses a ROM over the 32 MiB cap that import already applies, as a file or a buffer', async () => {
  const { Emulator } = await import('../lib/emulator.ts');
  const { MAX_ROM_BYTES } = await import('../lib/core/rom-check.ts');
  const tooBig = (e: Error & { code?: string }) => e.code === 'ROM_INVALID' && new RegExp(`larger than the ${MAX_ROM_BYTES}-byte ROM limit`).test(e.message);
  const big = join(tmp.dir, 'big.nes');
  writeFileSync(big, Buffer.alloc(MAX_ROM_BYTES + 1));
  assert.throws(() => new Emulator({ rom: big }), tooBig);
  assert.throws(() => new Emulator({ rom: new Uint8Array(MAX_ROM_BYTES + 1), system: 'nes' }), tooBig);
});
