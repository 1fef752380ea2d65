// A TS-script batch worker that died after start-up (process.exit(), a throw from a timer, running out of memory)
// left the next step()/recv() waiting forever. Now the pending call fails with WORKER_DIED naming the lost envs and
// why, later calls fail the same way, and close() still works. Each case runs in a child process under a kill
// timer, so a regression fails the test instead of hanging the suite. Issue 11, item 7.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { Actions } from '../lib/env/action-codec.ts';
import { packageRoot } from '../lib/package-root.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { copyFixture, tempDir } from './fixtures/helpers.ts';

const CASE_VARIABLE = 'RGYM_WORKER_DEATH_CASE';
const DIR_VARIABLE = 'RGYM_WORKER_DEATH_DIR';
/** Start-up (tsx, three emulators) takes a few seconds on a busy machine; a hang takes forever. */
const KILL_AFTER_MS = 20_000;
/** How long the call that meets a dead worker may take. */
const DETECT_WITHIN_MS = 2_000;

/** What the child process reports back. */
interface Outcome {
  steps: number;
  error?: { name: string; code: string; message: string; envs: number[] };
  failMs?: number;
  /** Codes thrown by the calls made after the failure. */
  later: string[];
  sameErrorAgain: boolean;
  closeMs: number;
}

/** Reward scripts that break their worker on the 5th reward call of that worker. */
const SCRIPTS = {
  exit: `export function reward(): number {
    if (++calls === 5) process.exit(3);
    return 1;
  }`,
  timer: `export function reward(): number {
    if (++calls === 5) setTimeout(() => { throw new Error('boom from a timer'); });
    return 1;
  }`,
  // Run in a child whose heap is capped (V8's flag caps the workers' heaps too), so the worker runs out quickly.
  oom: `const hoard: number[][] = [];
  export function reward(): number {
    if (++calls === 5) for (;;) hoard.push(new Array(100_000).fill(1.5));
    return 1;
  }`,
  // One env's reward never returns (the first to claim the lock folder); the others run normally.
  stuck: `export function reward(): number {
    if (++calls === 2 && claimLock()) for (;;);
    return 1;
  }
  function claimLock(): boolean {
    try {
      require('node:fs').mkdirSync(process.env.${DIR_VARIABLE} + '/stuck-lock');
      return true;
    } catch {
      return false;
    }
  }`,
} as const;
type CaseName = keyof typeof SCRIPTS;

function writeIntegration(root: string, name: CaseName): void {
  const folder = copyFixture('TestRom-Nes', root);
  const script = `let calls = 0;\n${SCRIPTS[name]}\nexport function done(): boolean {\n  return false;\n}\n`;
  writeFileSync(join(folder, 'script.ts'), script);
}

function makeBatch(root: string, batchSize?: number): BatchEnv {
  return new BatchEnv('TestRom-Nes', {
    integrationPaths: [root],
    dataDir: join(root, 'data'),
    scenario: 'scenario-ts',
    useRestrictedActions: Actions.DISCRETE,
    numEnvs: 3,
    threads: 2,
    batchSize,
  });
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (e) {
    return String((e as { code?: unknown }).code);
  }
}

/** Child side of the death cases: steps until a call throws, then tries again and closes. */
function runDeathCase(root: string): Outcome {
  const batch = makeBatch(root);
  batch.reset();
  const outcome: Outcome = { steps: 0, later: [], sameErrorAgain: false, closeMs: 0 };
  let failure: unknown;
  for (; outcome.steps < 20 && failure === undefined; outcome.steps++) {
    const start = performance.now();
    try {
      batch.step([0, 0, 0]);
    } catch (e) {
      failure = e;
      outcome.failMs = performance.now() - start;
    }
  }
  if (failure !== undefined) {
    const e = failure as Error & { code: string; details: { envs: number[] } };
    outcome.error = { name: e.name, code: e.code, message: e.message, envs: e.details?.envs };
    outcome.later = [codeOf(() => batch.step([0, 0, 0])), codeOf(() => batch.recv()), codeOf(() => batch.reset())];
    try {
      batch.step([0, 0, 0]);
    } catch (again) {
      outcome.sameErrorAgain = again === failure;
    }
  }
  const start = performance.now();
  batch.close();
  outcome.closeMs = performance.now() - start;
  return outcome;
}

/** Child side of the stuck case: one env never finishes; the others are received, then close() must not hang. */
function runStuckCase(root: string): Outcome {
  const batch = makeBatch(root, 1);
  batch.reset();
  const outcome: Outcome = { steps: 0, later: [], sameErrorAgain: false, closeMs: 0 };
  batch.send([0, 0, 0]);
  // Keep every healthy env going; the stuck one stays out.
  for (; outcome.steps < 6; outcome.steps++) batch.send([0], batch.recv().envIds);
  const start = performance.now();
  batch.close();
  outcome.closeMs = performance.now() - start;
  return outcome;
}

const childCase = process.env[CASE_VARIABLE] as CaseName | undefined;
if (childCase !== undefined) {
  const root = process.env[DIR_VARIABLE]!;
  const outcome = childCase === 'stuck' ? runStuckCase(root) : runDeathCase(root);
  process.stdout.write(`OUTCOME ${JSON.stringify(outcome)}\n`);
} else {
  describe('a TS-script batch worker that dies fails the pending call instead of hanging', () => {
    test('process.exit(3) in a reward script: WORKER_DIED with the exit code, then close()', () => {
      const outcome = runInChild('exit');
      assertWorkerDied(outcome, /exit code 3/);
    });

    test('a throw from a setTimeout in a reward script: WORKER_DIED with the error message, then close()', () => {
      const outcome = runInChild('timer');
      assertWorkerDied(outcome, /boom from a timer/);
    });

    test('a worker out of memory: WORKER_DIED with the reason, then close()', () => {
      const outcome = runInChild('oom', ['--max-old-space-size=96']);
      assertWorkerDied(outcome, /memory limit/);
    });

    test('a worker stuck in an endless reward: close() returns at once and the process exits', () => {
      const outcome = runInChild('stuck');
      assert.equal(outcome.steps, 6, 'the healthy envs kept stepping');
      assert.ok(outcome.closeMs < 1_000, `close() took ${outcome.closeMs} ms`);
    });
  });
}

/** Runs one case in a child process that is killed if it does not finish in time; returns its outcome. */
function runInChild(name: CaseName, nodeFlags: string[] = []): Outcome {
  const { dir, cleanup } = tempDir('rgym-worker-death-');
  try {
    mkdirSync(join(dir, 'data'));
    writeIntegration(dir, name);
    const child = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', fileURLToPath(import.meta.url)], {
      cwd: packageRoot(),
      env: { ...process.env, [CASE_VARIABLE]: name, [DIR_VARIABLE]: dir, TMPDIR: dir },
      encoding: 'utf8',
      timeout: KILL_AFTER_MS,
      killSignal: 'SIGKILL',
    });
    const report = /^OUTCOME (.*)$/m.exec(child.stdout ?? '');
    assert.equal(child.signal, null, `the child hung and was killed after ${KILL_AFTER_MS} ms\n${child.stderr}`);
    assert.equal(child.status, 0, `the child failed:\n${child.stderr}`);
    assert.ok(report, `no outcome in the child's output:\n${child.stdout}\n${child.stderr}`);
    return JSON.parse(report[1]) as Outcome;
  } finally {
    cleanup();
  }
}

function assertWorkerDied(outcome: Outcome, reason: RegExp): void {
  const error = outcome.error;
  assert.ok(error, `no step failed in ${outcome.steps} steps`);
  assert.equal(error.code, 'WORKER_DIED');
  assert.equal(error.name, 'LifecycleError');
  assert.match(error.message, reason);
  assert.ok(Array.isArray(error.envs) && error.envs.length > 0, 'the lost envs are listed');
  for (const id of error.envs) assert.match(error.message, new RegExp(`\\b${id}\\b`));
  assert.ok(outcome.failMs! < DETECT_WITHIN_MS, `the failing call took ${outcome.failMs} ms`);
  assert.deepEqual(outcome.later, ['WORKER_DIED', 'WORKER_DIED', 'WORKER_DIED'], 'later calls keep failing the same way');
  assert.ok(outcome.sameErrorAgain, 'later calls throw the same error');
  assert.ok(outcome.closeMs < 1_000, `close() took ${outcome.closeMs} ms`);
}
