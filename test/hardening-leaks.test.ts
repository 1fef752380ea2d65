// Issue 11, item 13: make/close cycles must not grow the process. Before, every cycle kept ~0.9 MiB (NES: Nestopia
// leaked the stream of its built-in game database on every game load) or ~0.45 MiB (SNES: bsnes-mercury's static
// constructors allocate per loaded copy and nothing frees it). The library now hands Nestopia its database as a file,
// which it frees, and reuses loaded core copies from a pool; valgrind finds nothing of ours. The slow variant with
// thousands of cycles is test/soak/leaks.soak.test.ts (`npm run test:soak`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator, type EmulatorOptions } from '../lib/emulator.ts';
import { builtInDatabase } from '../lib/core/external-database.ts';
import { findCore } from '../lib/core/find-core.ts';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { corePoolStats, DEFAULT_CORE_POOL_SIZE, drainCorePool, setCorePoolSize } from '../lib/core/core-pool.ts';
import { packageRoot } from '../lib/package-root.ts';
import { growthPerCycle, leakCases } from './fixtures/leak-cycles.ts';
import { tinyGbaRom, tinyGbRom } from './fixtures/tiny-roms.ts';
import { testRoms } from './helpers.ts';

// Work dirs go to os.tmpdir(); a private one keeps other processes' folders out of the counts.
const privateTmp = mkdtempSync(join(tmpdir(), 'rgym-hardening-leaks-'));
process.env.TMPDIR = privateTmp;
const dataDir = mkdtempSync(join(privateTmp, 'data-'));
process.on('exit', () => rmSync(privateTmp, { recursive: true, force: true }));

const workDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('libretro-gym-'));
const openFds = () => readdirSync('/proc/self/fd').length;
/** Core copies mapped into the process: each is a deleted `<work dir>/core.so`, mapped in several segments. */
const mappedCoreCopies = () => new Set(readFileSync('/proc/self/maps', 'utf8').split('\n').filter((l) => l.includes('/core.so')).map((l) => l.slice(l.indexOf('/')))).size;
const nesCore = () => findCore(loadCoreDescriptor('nes')).path;
const hash = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex').slice(0, 12);

// How many cycles each case runs, and the MiB per cycle it kept before (issue 11: "~0.9 MiB a cycle").
const cases: Record<string, { cycles: number; before: number }> = {
  'Emulator (NES)': { cycles: 40, before: 0.87 },
  'Emulator (SNES)': { cycles: 30, before: 0.45 },
  'make, JSON scenario': { cycles: 40, before: 0.87 },
  'make, Lua scenario': { cycles: 30, before: 0.96 },
  'make, TS scenario': { cycles: 30, before: 0.94 },
  'BatchEnv, numEnvs 2': { cycles: 20, before: 1.83 },
};
// The C heap must not grow by more than this a cycle: it grew 0.95 MiB (NES) and 0.53 MiB (SNES) before, exactly.
const MALLOC_BOUND_MIB = 0.05;
// RSS is noisier (page reuse, trimming) and sees the JS heap too: the bound is a quarter of the smallest leak before.
const RSS_BOUND_MIB = 0.11;

for (const { name, cycle } of leakCases(dataDir)) {
  const { cycles, before } = cases[name];
  test(`${name}: make/close cycles keep memory flat (was ${before} MiB a cycle)`, { skip: typeof globalThis.gc !== 'function' && 'needs --expose-gc' }, () => {
    setCorePoolSize(DEFAULT_CORE_POOL_SIZE);
    for (let i = 0; i < 6; i++) cycle(); // fills the pool; the first TS scenario also starts tsx's compiler
    const fds = openFds();
    let growth = growthPerCycle(cycle, { warmup: 0, cycles, every: 2 });
    // A leak grows the same way every time; a one-off burst (the allocator trimming late, a deferred free) does not:
    // over a bound once, a second measurement decides. (A CI run once saw the Lua case at 0.08 MiB a cycle; a rerun
    // and three local runs gave 0.001.)
    if (growth.mallocInUse >= MALLOC_BOUND_MIB || growth.rss >= RSS_BOUND_MIB) growth = growthPerCycle(cycle, { warmup: 0, cycles, every: 2 });
    console.log(`${name}: RSS ${(growth.rss * 100).toFixed(1)}, C heap ${(growth.mallocInUse * 100).toFixed(1)} MiB per 100 cycles`);
    assert.ok(growth.mallocInUse < MALLOC_BOUND_MIB, `the C heap grew ${growth.mallocInUse.toFixed(3)} MiB a cycle`);
    assert.ok(growth.rss < RSS_BOUND_MIB, `RSS grew ${growth.rss.toFixed(3)} MiB a cycle`);
    assert.ok(openFds() <= fds, 'file descriptors');
    assert.deepEqual(workDirs(), [], 'work folders left behind');
    assert.ok(mappedCoreCopies() <= 2 * DEFAULT_CORE_POOL_SIZE, `${mappedCoreCopies()} core copies mapped: only the pool's may stay`);
  });
}

test('Nestopia finds its built-in game database as NstDatabase.xml in its system folder', () => {
  const database = builtInDatabase(nesCore());
  assert.ok(database && database.length > 100_000, 'the database is found in the core file');
  const text = database.toString('latin1');
  assert.match(text, /^<\?xml[^>]*\?>\s*<database/);
  assert.match(text, /<\/database>$/);
  const emulator = new Emulator({ rom: testRoms.nes });
  try {
    const [workDir] = workDirs();
    assert.deepEqual(readFileSync(join(tmpdir(), workDir, 'NstDatabase.xml')), database);
    assert.ok(!emulator.recentLog().some((line) => /database/i.test(line)), 'the core took the file without complaint');
  } finally {
    emulator.close();
  }
});

test('a closed emulator leaves its core copy to the next emulator of that core, never to two at once', () => {
  setCorePoolSize(DEFAULT_CORE_POOL_SIZE);
  drainCorePool();
  const first = new Emulator({ rom: testRoms.nes });
  first.close();
  assert.equal(corePoolStats().idle, 1);
  assert.equal(mappedCoreCopies(), 1, 'the pooled copy stays loaded');
  const a = new Emulator({ rom: testRoms.nes });
  const b = new Emulator({ rom: testRoms.nes });
  try {
    assert.equal(corePoolStats().idle, 0, 'the one idle copy went to one emulator');
    assert.equal(mappedCoreCopies(), 2);
    a.setButtons(0, a.buttonMask(['RIGHT']));
    a.step(30);
    b.step(30);
    assert.notDeepEqual(a.memory.systemRam, b.memory.systemRam, 'two machines, not one');
  } finally {
    a.close();
    b.close();
  }
  assert.equal(corePoolStats().idle, 2);
  drainCorePool();
  assert.equal(corePoolStats().idle, 0);
  assert.equal(mappedCoreCopies(), 0, 'drained copies are unloaded');
});

test('the pool keeps a bounded number of copies per core, and none when its size is 0', () => {
  try {
    setCorePoolSize(2);
    drainCorePool();
    const emulators = Array.from({ length: 4 }, () => new Emulator({ rom: testRoms.nes }));
    for (const e of emulators) e.close();
    assert.deepEqual(corePoolStats(), { copiesPerCore: 2, idle: 2 });
    assert.equal(mappedCoreCopies(), 2);
    setCorePoolSize(1);
    assert.equal(corePoolStats().idle, 1, 'shrinking unloads the surplus');
    setCorePoolSize(0);
    new Emulator({ rom: testRoms.nes }).close();
    assert.deepEqual(corePoolStats(), { copiesPerCore: 0, idle: 0 });
    assert.equal(mappedCoreCopies(), 0);
    assert.throws(() => setCorePoolSize(-1), { code: 'INVALID_ARGUMENT' });
  } finally {
    setCorePoolSize(DEFAULT_CORE_POOL_SIZE);
  }
});

test('a core whose descriptor says "reusable": false never enters the pool', () => {
  drainCorePool();
  const emulator = new Emulator({ rom: tinyGbRom(), system: 'gb' });
  emulator.step(5);
  emulator.close();
  assert.equal(corePoolStats().idle, 0);
  assert.equal(mappedCoreCopies(), 0);
});

test('a pooled copy is never handed out for a core file that changed on disk since', () => {
  drainCorePool();
  const coreDir = mkdtempSync(join(privateTmp, 'core-'));
  const core = join(coreDir, 'nestopia_libretro.so');
  copyFileSync(nesCore(), core);
  new Emulator({ rom: testRoms.nes, core }).close();
  assert.equal(corePoolStats().idle, 1);
  const { mtime } = statSync(core);
  utimesSync(core, mtime, new Date(mtime.getTime() + 5000)); // as a reinstall would
  const emulator = new Emulator({ rom: testRoms.nes, core });
  assert.equal(corePoolStats().idle, 1, 'the old copy was not taken');
  emulator.close();
  assert.equal(corePoolStats().idle, 2);
  drainCorePool();
});

/** Frames, RAM (or state) and audio of 120 frames with changing input: what "runs the same" means here. */
function trace(options: EmulatorOptions): string[] {
  const emulator = new Emulator({ ...options, audio: true });
  try {
    const trace: string[] = [];
    for (let i = 0; i < 120; i++) {
      emulator.setButtons(0, (i * 37) % 256);
      emulator.step(1);
      if (i % 20 === 19) {
        const memory = emulator.memory.systemRam ?? emulator.saveState();
        trace.push(`${hash(emulator.getFrame().data)} ${hash(memory)} ${hash(new Uint8Array(emulator.takeAudio().buffer))}`);
      }
    }
    return trace;
  } finally {
    emulator.close();
  }
}

/** Leaves a well-used copy in the pool: another game, other core options, states loaded, a reset. */
function dirtyCopy(options: EmulatorOptions): void {
  const emulator = new Emulator(options);
  for (let i = 0; i < 200; i++) {
    emulator.setButtons(0, (i * 11) % 256);
    emulator.step(1);
  }
  const state = emulator.saveState();
  emulator.step(20);
  emulator.loadState(state);
  emulator.reset();
  emulator.step(5);
  emulator.close();
}

const tinyKart = join(packageRoot(), 'integrations', 'TinyKart-Nes', 'rom.nes');
const reuseCases: { name: string; game: EmulatorOptions; before: EmulatorOptions }[] = [
  {
    name: 'Nestopia, after another game with other options',
    game: { rom: testRoms.nes },
    before: { rom: tinyKart, coreOptions: { nestopia_palette: 'raw', nestopia_nospritelimit: 'enabled', nestopia_ram_power_state: '0xFF', nestopia_overclock: '2x' } },
  },
  { name: 'Nestopia, TinyKart after the test ROM', game: { rom: tinyKart }, before: { rom: testRoms.nes } },
  // bsnes-mercury keeps the last game's WRAM across retro_deinit/retro_init: the power-on state puts it right.
  { name: 'bsnes-mercury, the same game again', game: { rom: testRoms.snes }, before: { rom: testRoms.snes } },
  { name: 'mGBA', game: { rom: tinyGbaRom(), system: 'gba' }, before: { rom: tinyGbaRom(), system: 'gba' } },
];

for (const { name, game, before } of reuseCases) {
  test(`a reused core copy runs a game exactly like a new copy (${name})`, () => {
    try {
      setCorePoolSize(0);
      const fresh = trace(game);
      setCorePoolSize(1);
      dirtyCopy(before);
      assert.equal(corePoolStats().idle, 1);
      // A copy reused for a game the pool has no power-on state of yet is traded for a new copy (first reuse, except
      // when `before` is the same game); later reuses load the power-on state the new copy left. Both must match.
      assert.deepEqual(trace(game), fresh, 'first reuse');
      dirtyCopy(before);
      assert.deepEqual(trace(game), fresh, 'second reuse');
      assert.equal(corePoolStats().idle, 1);
    } finally {
      setCorePoolSize(DEFAULT_CORE_POOL_SIZE);
      drainCorePool();
    }
  });
}

test('pooled copies are unloaded at exit, by a normal end or process.exit(), without a crash', () => {
  const script = (end: string) => `
    import { Emulator } from './lib/emulator.ts';
    import { corePoolStats } from './lib/core/core-pool.ts';
    new Emulator({ rom: 'homebrew/test/nes-test.nes' }).close();
    new Emulator({ rom: 'homebrew/test/snes-test.sfc' }).close();
    const open = new Emulator({ rom: 'homebrew/test/nes-test.nes' });  // left open: the exit must cope
    open.step(1);
    if (corePoolStats().idle !== 1) throw new Error('expected one idle copy, got ' + corePoolStats().idle);
    ${end}`;
  for (const end of ['', 'process.exit(0);']) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(end)], {
      cwd: packageRoot(),
      env: { ...process.env, TMPDIR: privateTmp },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.status, 0, `exit ${child.status} ${child.signal ?? ''}\n${child.stderr}`);
  }
  assert.deepEqual(workDirs(), [], 'the children removed their work folders');
});
