/**
 * Bounds how long the main thread waits for one child process. The wait is a blocking read that nothing on the main
 * thread can interrupt, so a watchdog thread does it: it kills a child that has not answered in time, which ends the
 * read with end of file. Arming and disarming are plain stores to shared memory (no wake-up per step); the watchdog
 * looks at them at each deadline, so a child is killed between `timeoutMs` and about `timeoutMs` + 100 ms late.
 */
import { Worker } from 'node:worker_threads';

/** Int32 words of the shared state. */
const WORD = { generation: 0, pid: 1, stop: 2, killed: 3 } as const;
/** How long the watchdog sleeps when nothing is armed, at most. */
const IDLE_CHECK_MS = 100;

export class WaitWatchdog {
  private readonly words = new Int32Array(new SharedArrayBuffer(4 * 4));
  /** When the current wait began, in Date.now() milliseconds. */
  private readonly since = new Float64Array(new SharedArrayBuffer(8));
  private readonly thread: Worker;

  constructor(readonly timeoutMs: number) {
    this.thread = new Worker(watchdogSource(), { eval: true, workerData: { words: this.words, since: this.since, timeoutMs }, execArgv: [] });
    this.thread.unref();
  }

  /** The main thread is about to wait for `pid`. */
  arm(pid: number): void {
    this.since[0] = Date.now();
    Atomics.store(this.words, WORD.pid, pid);
    Atomics.add(this.words, WORD.generation, 1);
  }

  disarm(): void {
    Atomics.store(this.words, WORD.pid, 0);
    Atomics.add(this.words, WORD.generation, 1);
  }

  /** Whether the watchdog killed `pid` (it then did not answer in time). */
  killed(pid: number): boolean {
    return Atomics.load(this.words, WORD.killed) === pid;
  }

  close(): void {
    Atomics.store(this.words, WORD.stop, 1);
    Atomics.notify(this.words, WORD.generation);
    void this.thread.terminate();
  }
}

/** The watchdog thread, as eval'd CommonJS. */
function watchdogSource(): string {
  return `
    const { workerData: { words, since, timeoutMs } } = require('node:worker_threads');
    while (Atomics.load(words, ${WORD.stop}) === 0) {
      const generation = Atomics.load(words, ${WORD.generation});
      const pid = Atomics.load(words, ${WORD.pid});
      const left = pid === 0 ? ${IDLE_CHECK_MS} : since[0] + timeoutMs - Date.now();
      if (left > 0) {
        Atomics.wait(words, ${WORD.generation}, generation, Math.min(left, pid === 0 ? ${IDLE_CHECK_MS} : left));
        continue;
      }
      // Still the same wait, past its deadline.
      if (Atomics.load(words, ${WORD.generation}) !== generation) continue;
      Atomics.store(words, ${WORD.killed}, pid);
      try { process.kill(pid, 'SIGKILL'); } catch {}
      Atomics.wait(words, ${WORD.generation}, generation);
    }
  `;
}
