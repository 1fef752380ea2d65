import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CORE_POOL_SIZE, drainCorePool, setCorePoolSize } from '../lib/core/core-pool.ts';
import { growthPerCycle, leakCases } from '../test/fixtures/leak-cycles.ts';
import type { BenchRow } from './report.ts';

/**
 * MiB of RSS and of C heap that 100 make/close cycles leave behind, and the time of a cycle, with the core pool on
 * and off (issue 11, item 13), for each kind of env. Growth is measured after gc, as in the leak tests; run the bench
 * with `node --expose-gc` (`npm run bench` does) or the numbers carry the collector's noise.
 */
export function benchLeaks(cycles: number): BenchRow[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-bench-leaks-'));
  const rows: BenchRow[] = [];
  try {
    for (const { name, cycle } of leakCases(dataDir)) {
      const n = name.startsWith('BatchEnv') ? Math.max(10, cycles >> 1) : cycles;
      const [off, on] = [0, DEFAULT_CORE_POOL_SIZE].map((pool) => measure(cycle, n, pool));
      rows.push({
        bench: 'leaks-per-100-cycles',
        case: name,
        cycles: n,
        rss_mib_pool: round(on.rss),
        rss_mib_no_pool: round(off.rss),
        c_heap_mib_pool: round(on.mallocInUse),
        c_heap_mib_no_pool: round(off.mallocInUse),
        ms_per_cycle_pool: round(on.ms, 1),
        ms_per_cycle_no_pool: round(off.ms, 1),
      });
    }
  } finally {
    setCorePoolSize(DEFAULT_CORE_POOL_SIZE);
    drainCorePool();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

function measure(cycle: () => void, cycles: number, pool: number): { rss: number; mallocInUse: number; ms: number } {
  setCorePoolSize(pool);
  drainCorePool();
  for (let i = 0; i < 10; i++) cycle();
  const start = process.hrtime.bigint();
  const growth = growthPerCycle(cycle, { warmup: 0, cycles, every: 5 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / cycles;
  return { rss: growth.rss * 100, mallocInUse: growth.mallocInUse * 100, ms };
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
