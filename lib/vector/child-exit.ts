/**
 * How a child process ended, learnt synchronously. Node reports a child's exit as an event, which never arrives while
 * the main thread is blocked in a synchronous call. But until that event's loop turn reaps it, a dead child stays a
 * zombie whose wait status Linux shows in /proc/<pid>/stat, so a blocked caller can read it there.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

export interface ChildExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** Field 52 of /proc/<pid>/stat (exit_code), counted from field 3 (state), the first after the command name. */
const EXIT_CODE_FIELD = 52 - 3;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps the calling thread (there is nothing else for it to do while waiting synchronously). */
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** How `child` ended, or undefined while it still runs. `{ null, null }` when it ended but the status is unknown. */
export function exitOf(child: ChildProcess): ChildExit | undefined {
  // Set when the event loop has reaped it already (between two of our calls).
  if (child.exitCode !== null || child.signalCode !== null) return { exitCode: child.exitCode, signal: child.signalCode };
  let stat: string;
  try {
    stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  } catch {
    return { exitCode: null, signal: null };
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] !== 'Z' && fields[0] !== 'X') return undefined;
  const status = Number(fields[EXIT_CODE_FIELD]);
  if (!Number.isInteger(status)) return { exitCode: null, signal: null };
  const signal = status & 0x7f;
  if (signal === 0) return { exitCode: (status >> 8) & 0xff, signal: null };
  const name = Object.entries(constants.signals).find(([, n]) => n === signal)?.[0] as NodeJS.Signals | undefined;
  return { exitCode: null, signal: name ?? null };
}

/** Waits up to `timeoutMs` for `child` to end; undefined if it still runs then. */
export function waitForExit(child: ChildProcess, timeoutMs: number): ChildExit | undefined {
  const deadline = performance.now() + timeoutMs;
  for (let pause = 0.05; ; pause = Math.min(pause * 2, 5)) {
    const exit = exitOf(child);
    if (exit !== undefined || performance.now() >= deadline) return exit;
    sleepMs(pause);
  }
}

/** Kills `child` with SIGKILL unless it has ended; never throws. */
export function killHard(child: ChildProcess): void {
  if (exitOf(child) !== undefined) return;
  try {
    process.kill(child.pid!, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** "exit code 7", "signal SIGSEGV", or that it is unknown. */
export function describeExit(exit: ChildExit): string {
  if (exit.signal !== null) return `signal ${exit.signal}`;
  if (exit.exitCode !== null) return `exit code ${exit.exitCode}`;
  return 'an unknown status';
}
