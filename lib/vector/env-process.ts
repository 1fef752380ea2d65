/**
 * One child process of a ProcessBatch, seen from the parent: started with its two blocking pipes and a log file,
 * spoken to in whole messages, and watched for death. A child is dead as soon as its record pipe reaches end of
 * file (it held the only write end) or a write to it fails; how it ended is then read from /proc (child-exit.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openPipes, readFully, writeFully } from './blocking-pipe.ts';
import { describeExit, killHard, waitForExit, type ChildExit } from './child-exit.ts';
import { encodeJson, type ChildInit, type ChildReady } from './process-protocol.ts';

/** How a child died, for ENV_CRASHED. */
export interface Crash {
  envIds: number[];
  pid: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why the parent noticed, when it was not the child's own doing (e.g. "closed its pipe"). */
  reason?: string;
  /** The last lines the child wrote to stdout or stderr. */
  stderr: string;
}

/** How long a child whose pipe ended may take to finish dying before it is killed. */
const DEATH_GRACE_MS = 1_000;
/** SIGKILL takes effect at once, but not synchronously: how long to wait for it. */
const KILL_WAIT_MS = 200;
/** How much of the log's end is kept for ENV_CRASHED. */
const LOG_TAIL_BYTES = 4_096;
const LOG_TAIL_LINES = 20;

/** `node <child entry>`, through tsx's loader when running from the TypeScript sources, as the tests do. */
function childCommand(): string[] {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSources ? './process-batch-child.ts' : './process-batch-child.js', import.meta.url));
  if (!fromSources) return [entry];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, entry];
}

export class EnvProcess {
  readonly envIds: number[];
  readonly pid: number;
  private readonly child: ChildProcess;
  private readonly jobsFd: number;
  private readonly recordsFd: number;
  /** This child's folder: its log and its TMPDIR. */
  private readonly dir: string;
  private crash: Crash | undefined;
  private fdsOpen = true;

  /** Starts the child and sends it `init`; call {@link waitReady} next (after starting the others). */
  constructor(init: ChildInit, dir: string) {
    this.envIds = init.envIds;
    this.dir = dir;
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const [jobs, records] = openPipes([join(dir, 'jobs'), join(dir, 'records')]);
    const log = openSync(join(dir, 'log'), 'a');
    try {
      this.child = spawn(process.execPath, childCommand(), {
        stdio: ['ignore', log, log, jobs.read, records.write],
        env: { ...process.env, RGYM_CHILD_TMPDIR: join(dir, 'tmp'), RGYM_PARENT_PID: String(process.pid) },
      });
    } catch (e) {
      for (const fd of [jobs.read, jobs.write, records.read, records.write]) closeSync(fd);
      throw e;
    } finally {
      closeSync(log);
    }
    // The child holds the other ends now; ours must go, or its death would never show as end of file.
    closeSync(jobs.read);
    closeSync(records.write);
    this.jobsFd = jobs.write;
    this.recordsFd = records.read;
    // Exit events are never awaited (see child-exit.ts); an error event (spawn failed) shows as end of file too.
    this.child.on('error', () => {});
    this.child.unref();
    this.pid = this.child.pid ?? -1;
    this.write(encodeJson(init));
  }

  /**
   * Blocks until the child made its envs: what they look like, or the error that made them fail (the child then
   * exits, and counts as dead). Undefined if it died on the way ({@link dead} says how).
   */
  waitReady(): ChildReady | undefined {
    const prefix = new Uint8Array(4);
    if (!this.read(prefix)) return undefined;
    const body = new Uint8Array(new DataView(prefix.buffer).getUint32(0, true));
    if (!this.read(body)) return undefined;
    const ready = JSON.parse(Buffer.from(body).toString('utf8')) as ChildReady;
    if (!ready.ok) this.kill('could not make its envs');
    return ready;
  }

  get dead(): Crash | undefined {
    return this.crash;
  }

  /** Sends a whole message; a child found dead is only marked so (the pending receive reports it). */
  write(message: Uint8Array): void {
    if (this.crash) return;
    try {
      writeFully(this.jobsFd, [message]);
    } catch {
      this.markDead();
    }
  }

  /** Fills `target` from the record pipe; false once the child is dead (then {@link dead} says how). */
  read(target: Uint8Array): boolean {
    if (this.crash) return false;
    if (readFully(this.recordsFd, target) === target.length) return true;
    this.markDead();
    return false;
  }

  /** The crash, marking the child dead first if it is not yet (e.g. it broke the protocol). */
  crashed(reason?: string): Crash {
    if (!this.crash) this.markDead(reason);
    return this.crash!;
  }

  /** Records how the child ended, killing it if its pipe ended but it lives on (or it is being given up). */
  private markDead(reason?: string): void {
    this.closeFds();
    let exit: ChildExit | undefined = reason ? undefined : waitForExit(this.child, DEATH_GRACE_MS);
    if (exit === undefined) {
      killHard(this.child);
      exit = waitForExit(this.child, DEATH_GRACE_MS) ?? { exitCode: null, signal: null };
      reason ??= 'closed its pipe and was killed';
    }
    this.crash = { envIds: this.envIds, pid: this.pid, exitCode: exit.exitCode, signal: exit.signal, reason, stderr: this.logTail() };
    rmSync(join(this.dir, 'tmp'), { recursive: true, force: true });
  }

  /** The last lines of the child's log. */
  private logTail(): string {
    try {
      const log = readFileSync(join(this.dir, 'log'));
      const text = log.subarray(Math.max(0, log.length - LOG_TAIL_BYTES)).toString('utf8');
      return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
    } catch {
      return '';
    }
  }

  private closeFds(): void {
    if (!this.fdsOpen) return;
    this.fdsOpen = false;
    closeSync(this.jobsFd);
    closeSync(this.recordsFd);
  }

  /** Asks the child to exit (end of file on its jobs), without waiting. */
  requestExit(): void {
    this.closeFds();
  }

  /** Waits up to `ms` for the child to have exited; kills it after that (and waits for that). Never throws. */
  finish(ms: number): void {
    if (this.crash || waitForExit(this.child, ms) !== undefined) return;
    killHard(this.child);
    waitForExit(this.child, KILL_WAIT_MS);
  }

  /** Ends the child now, whatever it is doing, and counts it as dead for `reason` unless it was already. */
  kill(reason: string): void {
    this.closeFds();
    killHard(this.child);
    waitForExit(this.child, KILL_WAIT_MS);
    rmSync(join(this.dir, 'tmp'), { recursive: true, force: true });
    this.crash ??= { envIds: this.envIds, pid: this.pid, exitCode: null, signal: 'SIGKILL', reason, stderr: '' };
  }
}

/** "env 1 crashed: its process (pid 123) ended with signal SIGSEGV". */
export function describeCrash(crash: Crash): string {
  const ids = crash.envIds.length === 1 ? `env ${crash.envIds[0]}` : `envs ${crash.envIds.join(', ')}`;
  const how = crash.reason ? `${crash.reason} (${describeExit(crash)})` : `ended with ${describeExit(crash)}`;
  return `${ids} crashed: its process (pid ${crash.pid}) ${how}`;
}
