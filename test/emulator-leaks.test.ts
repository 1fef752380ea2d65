import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator } from '../lib/emulator.ts';
import { corePoolStats, DEFAULT_CORE_POOL_SIZE, drainCorePool, setCorePoolSize } from '../lib/core/core-pool.ts';
import { testRoms } from './helpers.ts';

// Emulators make their work folders in os.tmpdir(); a private one keeps other processes' folders out of the count.
const privateTmp = mkdtempSync(join(tmpdir(), 'rgym-leaks-'));
process.env.TMPDIR = privateTmp;
process.on('exit', () => rmSync(privateTmp, { recursive: true, force: true }));

const openFds = () => readdirSync('/proc/self/fd').length;
const workDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('libretro-gym-')).length;
/** Core copies mapped into the process: each is a deleted `<work dir>/core.so`, mapped in several segments. */
const mappedCoreCopies = () => new Set(readFileSync('/proc/self/maps', 'utf8').split('\n').filter((l) => l.includes('/core.so')).map((l) => l.slice(l.indexOf('/')))).size;
const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

// Neither core leaks through us any more. Nestopia used to leak the stream of its built-in game database on every
// game load (~1 MiB); it now reads the same database from NstDatabase.xml in its system folder, which it frees.
// bsnes-mercury's static constructors allocate ~0.5 MiB per loaded copy that nothing frees; the core pool reuses
// copies instead of loading new ones. So the bound is what the allocator and the JS heap may float by, whatever the
// count; test/hardening-leaks.test.ts measures growth per cycle, and `npm run test:soak` runs thousands of cycles.
const RSS_SLACK_MIB = 48;

for (const [system, count] of [['nes', 200], ['snes', 60]] as const) {
  test(`opening and closing ${count} ${system} emulators leaks no file descriptors, temp files, core copies or memory`, () => {
    setCorePoolSize(DEFAULT_CORE_POOL_SIZE);
    const rom = readFileSync(testRoms[system]);
    const cycle = () => {
      const emu = new Emulator({ rom, system });
      emu.step(2);
      emu.saveState();
      emu.close();
    };
    for (let i = 0; i < 20; i++) cycle();
    (globalThis as { gc?: () => void }).gc?.();
    const fds = openFds();
    const rss = rssMiB();
    for (let i = 0; i < count; i++) cycle();
    (globalThis as { gc?: () => void }).gc?.();
    const growth = rssMiB() - rss;
    console.log(`${system}: ${count} open/close cycles, RSS ${rss.toFixed(0)} -> ${(rss + growth).toFixed(0)} MiB (${((growth * 1024) / count).toFixed(0)} KiB per emulator)`);
    assert.equal(openFds(), fds, 'file descriptors');
    assert.equal(workDirs(), 0, 'work folders left in the temp dir');
    assert.equal(mappedCoreCopies(), corePoolStats().idle, 'only the idle copies of the core pool stay mapped');
    assert.ok(corePoolStats().idle <= DEFAULT_CORE_POOL_SIZE);
    drainCorePool();
    assert.equal(mappedCoreCopies(), 0, 'core copies still mapped after draining the pool');
    assert.ok(growth < RSS_SLACK_MIB, `RSS grew ${growth.toFixed(0)} MiB over ${count} emulators`);
  });
}
