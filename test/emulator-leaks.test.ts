import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator } from '../lib/emulator.ts';
import { testRoms } from './helpers.ts';

// Emulators make their work folders in os.tmpdir(); a private one keeps other processes' folders out of the count.
const privateTmp = mkdtempSync(join(tmpdir(), 'rgym-leaks-'));
process.env.TMPDIR = privateTmp;
process.on('exit', () => rmSync(privateTmp, { recursive: true, force: true }));

const openFds = () => readdirSync('/proc/self/fd').length;
const workDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('libretro-gym-')).length;
const mappedCoreCopies = () => readFileSync('/proc/self/maps', 'utf8').split('\n').filter((l) => l.includes('/core.so')).length;
const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

// Both Debian cores leak on their own, and valgrind puts every "definitely lost" block inside them: Nestopia's
// retro_load_game never frees its game database stream (about 1.05 MiB a load here), and bsnes-mercury's static
// constructors allocate buffers no destructor frees (about 0.55 MiB per loaded copy). The bounds below leave room
// for that and little else, so a leak of ours of even a few hundred KiB per emulator fails the test.
const CORE_LEAK_MIB_PER_LOAD = { nes: 1.2, snes: 0.7 };

for (const [system, count] of [['nes', 1000], ['snes', 150]] as const) {
  test(`opening and closing ${count} ${system} emulators leaks no file descriptors, temp files, core copies or memory of ours`, () => {
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
    assert.equal(mappedCoreCopies(), 0, 'core copies still mapped');
    assert.ok(growth < count * CORE_LEAK_MIB_PER_LOAD[system] + 64, `RSS grew ${growth.toFixed(0)} MiB over ${count} emulators`);
  });
}
