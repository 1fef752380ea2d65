// BatchEnv({ isolate: 'process' }) runs each env in a child process: the same results as the in-process engine, and
// a child that dies (SIGKILL, process.exit() in a script, a segfault in a core) fails the pending call with
// ENV_CRASHED naming its envs and how it ended, while the parent and the other envs go on; restart() brings the
// envs back and close() never hangs. Issue 11, "Must hold".
//
// A regression here would block a synchronous call for ever, which node:test's timeout cannot interrupt: each test
// runs under a watchdog thread that kills this process (and its children) instead.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Actions } from '../lib/env/action-codec.ts';
import { make } from '../lib/env/retro-env.ts';
import type { RetroError } from '../lib/errors.ts';
import { BatchEnv, type BatchEnvOptions } from '../lib/vector/batch-env.ts';
import { packageRoot } from '../lib/package-root.ts';
import { copyFixture, FIXTURE_INTEGRATIONS, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir('rgym-isolate-');
after(() => tmp.cleanup());
const dataDir = join(tmp.dir, 'data');
const options = { integrationPaths: [FIXTURE_INTEGRATIONS], dataDir, useRestrictedActions: Actions.DISCRETE, frameskip: 4 };
/** Starting a child (node, tsx, an emulator) takes a second or two on a busy machine; a hang takes for ever. */
const WATCHDOG_MS = 40_000;

/**
 * Runs `fn`; if it has not returned after `ms`, a watchdog thread kills this process's children and the process,
 * so the test fails instead of hanging.
 */
function guarded<T>(fn: () => T, ms = WATCHDOG_MS): T {
  const disarmed = new Int32Array(new SharedArrayBuffer(4));
  const watchdog = new Worker(
    `const { workerData: { disarmed, ms } } = require('node:worker_threads');
     const fs = require('node:fs');
     if (Atomics.wait(disarmed, 0, 0, ms) === 'timed-out') {
       fs.writeSync(2, 'hardening-isolate: a test hung for ' + ms + ' ms; killing it\\n');
       for (const tid of fs.readdirSync('/proc/self/task')) {
         for (const pid of fs.readFileSync('/proc/self/task/' + tid + '/children', 'utf8').split(' ').filter(Boolean)) {
           try { process.kill(Number(pid), 'SIGKILL'); } catch {}
         }
       }
       process.kill(process.pid, 'SIGKILL');
     }`,
    { eval: true, workerData: { disarmed, ms } },
  );
  watchdog.unref();
  try {
    return fn();
  } finally {
    Atomics.store(disarmed, 0, 1);
    Atomics.notify(disarmed, 0);
  }
}

function caught(fn: () => unknown): RetroError & { details: Record<string, any> } {
  try {
    fn();
  } catch (e) {
    return e as RetroError & { details: Record<string, any> };
  }
  assert.fail('expected a throw');
}

/** Env `id`'s observation in a batch buffer. */
function slot(batch: BatchEnv, id: number): Uint8Array {
  const bytes = batch.observations.length / batch.numEnvs;
  return batch.observations.subarray(id * bytes, (id + 1) * bytes);
}

/** Whether `pid` is gone or a zombie. */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Work folders of this process in the temp dir; a batch's holds its children's temp files too. */
function ourWorkDirs(): number {
  return readdirSync(tmpdir()).filter((f) => f.startsWith(`libretro-gym-${process.pid}-`)).length;
}

/** A copy of the TestRom-Nes fixture whose TS scenario script is `script`; returns make() options for it. */
function withScript(name: string, script: string): Partial<BatchEnvOptions> {
  const root = join(tmp.dir, name);
  mkdirSync(root);
  const folder = copyFixture('TestRom-Nes', root);
  writeFileSync(join(folder, 'script.ts'), script);
  return { integrationPaths: [root], scenario: 'scenario-ts' };
}

/** Set in the parent process that the orphan test starts (this file again): the integration folder to use. */
const ORPHAN_PARENT = 'RGYM_ISOLATE_ORPHAN_PARENT';
const STUCK_SCRIPT = (lock: string) => `let calls = 0;
export function reward(): number {
  if (++calls === 2 && claimLock()) for (;;);
  return 1;
}
function claimLock(): boolean {
  try {
    require('node:fs').mkdirSync(${JSON.stringify(lock)});
    return true;
  } catch {
    return false;
  }
}
export function done(): boolean {
  return false;
}`;

/**
 * The parent of the orphan test: one env whose second reward never returns. Before that it sends its child a
 * SIGINT (as Ctrl-C does to a whole process group) and checks the env still steps.
 */
function runOrphanParent(root: string): void {
  const batch = new BatchEnv('TestRom-Nes', { ...options, integrationPaths: [root], scenario: 'scenario-ts', frameskip: 1, numEnvs: 1, isolate: 'process' });
  process.stdout.write(`CHILD ${batch.pids[0]}\n`);
  batch.reset();
  process.kill(batch.pids[0], 'SIGINT');
  batch.step([0]);
  process.stdout.write('SURVIVED SIGINT\n');
  batch.step([0]);
}

if (process.env[ORPHAN_PARENT]) runOrphanParent(process.env[ORPHAN_PARENT]);
else describe('isolate: process', () => {
  for (const [autoreset, processes] of [
    ['next-step', 2],
    ['same-step', 1],
  ] as const) {
    test(`same observations, rewards, done and info as the in-process engine (${autoreset}, 2 envs in ${processes} process(es))`, { timeout: 60_000 }, () =>
      guarded(() => {
        const native = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, autoreset });
        const isolated = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, autoreset, isolate: 'process', processes });
        try {
          assert.equal(isolated.engine, 'process');
          assert.equal(isolated.envs.length, 0, 'no emulator in this process');
          assert.equal(new Set(isolated.pids).size, processes);
          assert.ok(!isolated.pids.includes(process.pid));
          assert.ok(isolated.singleActionSpace.equals(native.singleActionSpace));
          assert.ok(isolated.singleObservationSpace.equals(native.singleObservationSpace));
          assert.deepEqual(isolated.variableNames, native.variableNames);
          assert.deepEqual(isolated.reset().observations, native.reset().observations);
          let episodesEnded = 0;
          for (let t = 0; t < 40; t++) {
            // 2 = DOWN ends episodes (y > 200); 5 = RIGHT and 18 = A earn rewards.
            const actions = [2, t % 3 === 0 ? 5 : 18];
            const a = native.step(actions);
            const b = isolated.step(actions);
            assert.deepEqual(b.rewards, a.rewards, `rewards at ${t}`);
            assert.deepEqual(b.terminations, a.terminations, `terminated at ${t}`);
            assert.deepEqual(b.infos, a.infos, `infos at ${t}`);
            assert.deepEqual(b.observations, a.observations, `observations at ${t}`);
            if (autoreset === 'same-step') {
              assert.deepEqual(isolated.hasFinal, native.hasFinal, `hasFinal at ${t}`);
              for (let i = 0; i < 2; i++) {
                if (native.hasFinal![i] !== 1) continue;
                const bytes = native.finalObservations!.length / 2;
                const vars = native.variableNames.length;
                assert.deepEqual(isolated.finalObservations!.subarray(i * bytes, (i + 1) * bytes), native.finalObservations!.subarray(i * bytes, (i + 1) * bytes));
                assert.deepEqual(isolated.finalValues!.subarray(i * vars, (i + 1) * vars), native.finalValues!.subarray(i * vars, (i + 1) * vars));
              }
            }
            episodesEnded += a.terminations.reduce((n, d) => n + d, 0);
          }
          assert.ok(episodesEnded > 0, 'an episode ended and was reset along the way');
          assert.throws(() => isolated.send([0, 999]), { code: 'INVALID_ACTION' });
          assert.throws(() => native.restart(), { code: 'INVALID_ARGUMENT' });
        } finally {
          native.close();
          isolated.close();
        }
        assert.throws(() => isolated.step([0, 0]), { code: 'ENV_CLOSED' });
      }),
    );
  }

  test('a child killed with SIGKILL: ENV_CRASHED names its env, the others took their step, restart() brings it back', { timeout: 60_000 }, (t) =>
    guarded(() => {
      const workDirsBefore = ourWorkDirs();
      const native = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2 });
      const isolated = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, isolate: 'process' });
      const actions = (step: number) => [step % 2 ? 18 : 5, 9];
      const same = (what: string, ids = [0, 1]) => {
        for (const id of ids) assert.deepEqual(slot(isolated, id), slot(native, id), `${what}: env ${id}`);
        assert.deepEqual(isolated.values, native.values, what);
      };
      try {
        native.reset();
        isolated.reset();
        for (let step = 0; step < 5; step++) {
          native.step(actions(step));
          isolated.step(actions(step));
        }
        const victim = isolated.pids[1];
        process.kill(victim, 'SIGKILL');
        const start = performance.now();
        const error = caught(() => isolated.step(actions(5)));
        const detectMs = performance.now() - start;
        native.step(actions(5));
        t.diagnostic(`the step that met the killed child threw after ${detectMs.toFixed(1)} ms`);
        assert.equal(error.name, 'LifecycleError');
        assert.equal(error.code, 'ENV_CRASHED');
        assert.deepEqual(error.details.envs, [1]);
        assert.deepEqual(error.details.completed, [0]);
        assert.equal(error.details.crashes[0].signal, 'SIGKILL');
        assert.equal(error.details.crashes[0].pid, victim);
        assert.match(error.message, /env 1 crashed: its process \(pid \d+\) ended with signal SIGKILL/);
        assert.ok(detectMs < 2_000, `detected after ${detectMs} ms`);
        assert.deepEqual(slot(isolated, 0), slot(native, 0), 'env 0 took its step');

        // Until it is restarted the dead env refuses work, at once and without sending the others anything.
        assert.equal(caught(() => isolated.step(actions(6))).code, 'ENV_CRASHED');
        assert.equal(caught(() => isolated.reset({ envIds: [1] })).code, 'ENV_CRASHED');
        const restarted = isolated.restart();
        assert.deepEqual([...restarted.envIds], [1]);
        assert.notEqual(isolated.pids[1], victim);
        assert.ok(ended(victim));
        native.reset({ envIds: [1] });
        same('after restart', [1]);
        for (let step = 6; step < 16; step++) {
          native.step(actions(step));
          isolated.step(actions(step));
          same(`step ${step}`);
        }
        // A live env can be restarted too: its child is replaced.
        const before = isolated.pids[0];
        assert.deepEqual([...isolated.restart([0]).envIds], [0]);
        assert.notEqual(isolated.pids[0], before);
      } finally {
        native.close();
        isolated.close();
      }
      assert.equal(ourWorkDirs(), workDirsBefore, 'nothing left in the temp dir, not even by the killed child');
    }),
  );

  test('errors of the envs keep their class and code; process.exit(7) in a TS reward is ENV_CRASHED with exit code 7', { timeout: 60_000 }, () =>
    guarded(() => {
      const workDirsBefore = ourWorkDirs();
      assert.throws(() => new BatchEnv('NoSuchGame-Nes', { ...options, numEnvs: 1, isolate: 'process' }), { name: 'IntegrationError', code: 'GAME_NOT_FOUND' });
      assert.equal(ourWorkDirs(), workDirsBefore, 'a failed constructor leaves nothing behind');
      assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, processes: 1 }), { code: 'INVALID_ARGUMENT' });
      // Both envs share one process and its call count: the 3rd call throws, the 8th exits.
      const scenario = withScript(
        'exit',
        `let calls = 0;
        export function reward(): number {
          if (++calls === 3) throw new Error('a bad reward');
          if (calls === 8) {
            console.error('reward() is leaving with 7');
            process.exit(7);
          }
          return 1;
        }
        export function done(): boolean {
          return false;
        }`,
      );
      const batch = new BatchEnv('TestRom-Nes', { ...options, ...scenario, frameskip: 1, numEnvs: 2, processes: 1, isolate: 'process' });
      try {
        batch.reset();
        batch.step([0, 0]);
        const scriptError = caught(() => batch.step([0, 0]));
        assert.equal(scriptError.name, 'ScriptError');
        assert.equal(scriptError.code, 'SCRIPT_ERROR');
        assert.match(scriptError.message, /^env 0: .*a bad reward/);
        batch.step([0, 0]);
        const error = caught(() => batch.step([0, 0]));
        assert.equal(error.code, 'ENV_CRASHED');
        assert.deepEqual(error.details.envs, [0, 1]);
        assert.equal(error.details.crashes[0].exitCode, 7);
        assert.match(error.message, /envs 0, 1 crashed: its process \(pid \d+\) ended with exit code 7/);
        assert.match(error.message, /reward\(\) is leaving with 7/);
        assert.match(error.details.crashes[0].stderr, /reward\(\) is leaving with 7/);
        const restarted = batch.restart();
        assert.deepEqual([...restarted.envIds], [0, 1]);
        assert.deepEqual([...batch.step([0, 0]).rewards], [1, 1]);
      } finally {
        batch.close();
      }
    }),
  );

  test('a core that segfaults in retro_run: ENV_CRASHED with SIGSEGV, this process lives on', { timeout: 60_000 }, () =>
    guarded(() => {
      // The same C compiler that builds the addon (npm run setup installs it) builds the crashing core.
      assert.equal(spawnSync('cc', ['--version']).status, 0, 'cc is needed to build the crashing test core');
      const probe = make('TestRom-Nes', options);
      const realCore = probe.emulator.corePath;
      probe.close();
      // The crashing core stands in for the real one: same file name, found first through RETRO_CORES_PATH.
      const coreDir = join(tmp.dir, 'cores');
      mkdirSync(coreDir);
      const built = spawnSync('cc', ['-shared', '-fPIC', '-O1', '-o', join(coreDir, basename(realCore)), join(import.meta.dirname, 'fixtures', 'crashing-core.c'), '-ldl'], { encoding: 'utf8' });
      assert.equal(built.status, 0, built.stderr);
      const saved = { ...process.env };
      Object.assign(process.env, { RETRO_CORES_PATH: coreDir, RGYM_REAL_CORE: realCore, RGYM_CRASH_AFTER: '40' });
      let batch: BatchEnv;
      try {
        // The children inherit the environment when they start; restarted ones get the real core back.
        batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 1, isolate: 'process' });
      } finally {
        for (const key of ['RETRO_CORES_PATH', 'RGYM_REAL_CORE', 'RGYM_CRASH_AFTER']) {
          if (saved[key] === undefined) delete process.env[key];
          else process.env[key] = saved[key];
        }
      }
      try {
        batch.reset();
        let error: ReturnType<typeof caught> | undefined;
        let steps = 0;
        for (; steps < 30 && !error; steps++) {
          try {
            batch.step([5]);
          } catch (e) {
            error = e as ReturnType<typeof caught>;
          }
        }
        assert.ok(error, 'the core crashed within 30 steps');
        assert.ok(steps > 2, 'it ran a few steps first');
        assert.equal(error.code, 'ENV_CRASHED');
        assert.deepEqual(error.details.envs, [0]);
        assert.match(error.message, /env 0 crashed: its process \(pid \d+\) ended with signal SIGSEGV/);
        assert.equal(error.details.crashes[0].signal, 'SIGSEGV');
        batch.restart();
        for (let step = 0; step < 30; step++) batch.step([5]);
      } finally {
        batch.close();
      }
    }),
  );

  test('close() with a child stuck in an endless reward returns within a second or two and kills it', { timeout: 60_000 }, (t) =>
    guarded(() => {
      const lock = join(tmp.dir, 'stuck-lock');
      // The env that claims the lock folder first never returns from its second reward; the other runs on.
      const scenario = withScript('stuck', STUCK_SCRIPT(lock));
      const workDirsBefore = ourWorkDirs();
      const batch = new BatchEnv('TestRom-Nes', { ...options, ...scenario, frameskip: 1, numEnvs: 2, batchSize: 1, isolate: 'process' });
      const pids = [...batch.pids];
      batch.reset();
      batch.send([0, 0]);
      // Received oldest first: env 0, then 1, then whichever is not stuck, until only the stuck one is out.
      for (let received = 0; received < 2; received++) batch.send([0], batch.recv().envIds);
      const deadline = performance.now() + 10_000;
      while (!existsSync(lock) && performance.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      assert.ok(existsSync(lock), 'an env is stuck');
      const start = performance.now();
      batch.close();
      const closeMs = performance.now() - start;
      t.diagnostic(`close() took ${closeMs.toFixed(0)} ms`);
      assert.ok(closeMs < 2_000, `close() took ${closeMs} ms`);
      for (const pid of pids) assert.ok(ended(pid), `child ${pid} is gone`);
      assert.equal(ourWorkDirs(), workDirsBefore, 'the batch folder (children\'s temp files included) is gone');
    }),
  );

  test('stepTimeoutMs: a child stuck in a reward is killed and reported, and restart() goes on', { timeout: 60_000 }, (t) =>
    guarded(() => {
      const lock = join(tmp.dir, 'timeout-lock');
      const scenario = withScript('timeout', STUCK_SCRIPT(lock));
      const batch = new BatchEnv('TestRom-Nes', { ...options, ...scenario, frameskip: 1, numEnvs: 1, isolate: 'process', stepTimeoutMs: 500 });
      try {
        batch.reset();
        batch.step([0]);
        const start = performance.now();
        const error = caught(() => batch.step([0]));
        const ms = performance.now() - start;
        t.diagnostic(`the stuck step threw after ${ms.toFixed(0)} ms`);
        assert.equal(error.code, 'ENV_CRASHED');
        assert.match(error.message, /env 0 crashed: its process \(pid \d+\) did not answer within 500 ms \(stepTimeoutMs\) and was killed \(signal SIGKILL\)/);
        assert.ok(ms >= 450 && ms < 3_000, `threw after ${ms} ms`);
        // The fresh process finds the lock taken: its rewards return.
        batch.restart();
        for (let step = 0; step < 5; step++) assert.equal(batch.step([0]).rewards[0], 1);
      } finally {
        batch.close();
      }
      assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 1, stepTimeoutMs: 100 }), { code: 'INVALID_ARGUMENT' });
    }),
  );

  test('a child ignores Ctrl-C (its parent decides) and dies with its parent, even stuck in a reward', { timeout: 60_000 }, async () => {
    const root = join(tmp.dir, 'orphan');
    mkdirSync(root);
    writeFileSync(join(copyFixture('TestRom-Nes', root), 'script.ts'), STUCK_SCRIPT(join(root, 'lock')));
    const parent = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      cwd: packageRoot(),
      env: { ...process.env, [ORPHAN_PARENT]: root },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    parent.stdout.on('data', (chunk) => (output += chunk));
    const killTimer = setTimeout(() => parent.kill('SIGKILL'), 40_000);
    try {
      const deadline = Date.now() + 40_000;
      while (!(output.includes('SURVIVED SIGINT') && existsSync(join(root, 'lock'))) && Date.now() < deadline && parent.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(output, /SURVIVED SIGINT/, 'the env stepped on after its process got SIGINT');
      const child = Number(/CHILD (\d+)/.exec(output)![1]);
      assert.ok(!ended(child), 'the child is stuck in its reward');
      parent.kill('SIGKILL');
      const start = Date.now();
      while (!ended(child) && Date.now() - start < 5_000) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(ended(child), 'the stuck child died with its parent');
    } finally {
      clearTimeout(killTimer);
      parent.kill('SIGKILL');
    }
  });
});
