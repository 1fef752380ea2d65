// The slow side of test/hardening-leaks.test.ts (`npm run test:soak`): hundreds of make/close cycles per case, so a
// leak of a few KiB a cycle shows, with the core pool on and, for the cores that need no pool, off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corePoolStats, DEFAULT_CORE_POOL_SIZE, drainCorePool, setCorePoolSize } from '../../lib/core/core-pool.ts';
import { growthPerCycle, leakCases } from '../fixtures/leak-cycles.ts';

const privateTmp = mkdtempSync(join(tmpdir(), 'rgym-soak-leaks-'));
process.env.TMPDIR = privateTmp;
const dataDir = mkdtempSync(join(privateTmp, 'data-'));
process.on('exit', () => rmSync(privateTmp, { recursive: true, force: true }));

const openFds = () => readdirSync('/proc/self/fd').length;
const workDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('libretro-gym-'));

// MiB a cycle: 10 KiB of C heap, 30 KiB of RSS (the JS heap and the allocator float by a few MiB in all).
const MALLOC_BOUND_MIB = 0.01;
const RSS_BOUND_MIB = 0.03;

const runs = [
  ...leakCases(dataDir).map((c) => ({ ...c, pool: DEFAULT_CORE_POOL_SIZE, cycles: c.name.startsWith('BatchEnv') ? 200 : 400 })),
  // Nestopia leaks nothing per copy: without the pool it must stay flat too.
  ...leakCases(dataDir)
    .filter((c) => c.name === 'Emulator (NES)' || c.name === 'make, Lua scenario')
    .map((c) => ({ ...c, pool: 0, cycles: 300 })),
];

for (const { name, cycle, pool, cycles } of runs) {
  test(`${name}, core pool ${pool}: ${cycles} make/close cycles keep memory flat`, { skip: typeof globalThis.gc !== 'function' && 'needs --expose-gc' }, () => {
    setCorePoolSize(pool);
    try {
      for (let i = 0; i < 10; i++) cycle();
      const fds = openFds();
      const growth = growthPerCycle(cycle, { warmup: 0, cycles, every: 5 });
      console.log(`${name}, pool ${pool}: RSS ${(growth.rss * 100).toFixed(2)}, C heap ${(growth.mallocInUse * 100).toFixed(2)} MiB per 100 cycles`);
      assert.ok(growth.mallocInUse < MALLOC_BOUND_MIB, `the C heap grew ${(growth.mallocInUse * 1024).toFixed(1)} KiB a cycle`);
      assert.ok(growth.rss < RSS_BOUND_MIB, `RSS grew ${(growth.rss * 1024).toFixed(1)} KiB a cycle`);
      assert.ok(openFds() <= fds, 'file descriptors');
      assert.deepEqual(workDirs(), [], 'work folders left behind');
      assert.ok(corePoolStats().idle <= 2 * pool, 'idle copies beyond the pool size');
    } finally {
      setCorePoolSize(DEFAULT_CORE_POOL_SIZE);
      drainCorePool();
    }
  });
}
