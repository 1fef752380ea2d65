// One env process of a ProcessBatch (BatchEnv with isolate: 'process'): makes its envs, then runs the jobs the
// parent writes to fd 3 and writes one record per job to fd 4, until fd 3 ends. Whatever a core or script does
// here (crash, exit, hang) can only take this process down; the parent sees the pipe end and reports it.
import { closeSync, fstatSync, ftruncateSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { actionFromNumbers } from '../env/pad-action.ts';
import { make, type RetroEnv } from '../env/retro-env.ts';
import { Autoresetter } from './autoreset.ts';
import { readFully, writeFully } from './blocking-pipe.ts';
import {
  decodeJobs,
  encodeJson,
  RECORD_FAILED,
  RECORD_HEADER_BYTES,
  RECORD_OK,
  serializeError,
  type ChildInit,
  type ChildReady,
  type Job,
} from './process-protocol.ts';

const JOBS_FD = 3;
const RECORDS_FD = 4;
/** The log (this process's stdout and stderr, a file) is cut when it grows past this, checked every few jobs. */
const LOG_LIMIT_BYTES = 1 << 20;
const LOG_CHECK_EVERY = 256;
/** How often the watchdog checks that the parent is alive. */
const PARENT_CHECK_MS = 1_000;

/** The next message body from the parent, or undefined at end of file (the parent closed the batch or died). */
function readMessage(): Uint8Array | undefined {
  const prefix = new Uint8Array(4);
  if (readFully(JOBS_FD, prefix) < 4) return undefined;
  const body = new Uint8Array(new DataView(prefix.buffer).getUint32(0, true));
  return readFully(JOBS_FD, body) < body.length ? undefined : body;
}

/** The envs of this process, stepped with the same autoreset rules as the other BatchEnv engines. */
class EnvRunner {
  private readonly autoresetter: Autoresetter;
  private readonly header = new Uint8Array(RECORD_HEADER_BYTES);

  constructor(
    private readonly envs: Map<number, RetroEnv>,
    autoreset: ChildInit['autoreset'],
  ) {
    this.autoresetter = new Autoresetter(autoreset);
  }

  /** Runs one job and writes its record. */
  run(job: Job): void {
    const env = this.envs.get(job.envId);
    try {
      if (!env) throw new Error(`env ${job.envId} does not live in this process`);
      this.writeRecord(job.envId, this.outcome(env, job));
    } catch (e) {
      this.writeFailure(job.envId, e);
    }
  }

  private outcome(env: RetroEnv, job: Job): Outcome {
    if (job.reset) this.autoresetter.forget(job.envId);
    let final: Outcome['final'];
    const { step, reset } = job.reset
      ? { step: undefined, reset: env.reset() }
      : this.autoresetter.run(job.envId, {
          step: () => env.step(actionFromNumbers(env.actionSpace, job.action)),
          // The episode's last observation is copied out before reset() rewrites the env's buffer.
          keepFinal: (last) => (final = { info: last.info, observation: last.observation.slice() }),
          reset: () => env.reset(),
        });
    const shown = reset ?? step!;
    const rewards = step ? step.rewards : new Array<number>(env.players).fill(0);
    return { rewards, terminated: step?.terminated ?? false, info: shown.info, observation: shown.observation, final };
  }

  private writeRecord(envId: number, o: Outcome): void {
    this.header.set([RECORD_OK, o.terminated ? 1 : 0, o.final ? 1 : 0, 0]);
    new DataView(this.header.buffer).setUint32(4, envId, true);
    const numbers = [...o.rewards, ...Object.values(o.info), ...(o.final ? Object.values(o.final.info) : [])];
    const doubles = new Uint8Array(Float64Array.from(numbers).buffer);
    const vars = Object.keys(o.info).length;
    // rewards, values, observation[, final values, final observation]
    const split = 8 * (o.rewards.length + vars);
    writeFully(RECORDS_FD, [this.header, doubles.subarray(0, split), o.observation, ...(o.final ? [doubles.subarray(split), o.final.observation] : [])]);
  }

  private writeFailure(envId: number, e: unknown): void {
    this.header.set([RECORD_FAILED, 0, 0, 0]);
    new DataView(this.header.buffer).setUint32(4, envId, true);
    writeFully(RECORDS_FD, [this.header, encodeJson(serializeError(e))]);
  }

  close(): void {
    for (const env of this.envs.values()) env.close();
  }
}

interface Outcome {
  rewards: number[];
  terminated: boolean;
  info: Record<string, number>;
  observation: Uint8Array;
  final?: { info: Record<string, number>; observation: Uint8Array };
}

/** Keeps the log file (fd 1 and 2) from growing without bound when a core prints every frame. */
function trimLog(): void {
  try {
    if (fstatSync(2).size > LOG_LIMIT_BYTES) ftruncateSync(2, 0);
  } catch {
    // Not a file (run by hand): nothing to trim.
  }
}

/** Makes the envs and tells the parent what they look like, or why they could not be made. */
function start(init: ChildInit): EnvRunner | undefined {
  const envs = new Map<number, RetroEnv>();
  try {
    for (const id of init.envIds) envs.set(id, make(init.game, init.options));
    const first = envs.values().next().value!;
    const ready: ChildReady = {
      ok: true,
      description: {
        actionSpace: first.actionSpace.toJSON(),
        observationShape: [...first.observationSpace.shape!],
        players: first.players,
        variableNames: Object.keys(first.reset().info),
      },
    };
    writeFully(RECORDS_FD, [encodeJson(ready)]);
    return new EnvRunner(envs, init.autoreset);
  } catch (e) {
    for (const env of envs.values()) env.close();
    writeFully(RECORDS_FD, [encodeJson({ ok: false, error: serializeError(e) } satisfies ChildReady)]);
    return undefined;
  }
}

/**
 * Makes sure this process never outlives its parent. A parent that dies closes the pipes, which ends this process at
 * its next read, but not if it is stuck in a core or a script; a watchdog thread kills it then.
 */
function followParent(): void {
  const parent = Number(process.env.RGYM_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const watchdog = new Worker(
    `const { workerData: parent } = require('node:worker_threads');
     setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, ${PARENT_CHECK_MS});`,
    { eval: true, workerData: parent, execArgv: [] },
  );
  watchdog.unref();
  // Ctrl-C in a terminal reaches the whole process group: the parent decides (it may handle it and close the batch).
  process.on('SIGINT', () => {});
}

function main(): void {
  // Temp files of this process's emulators go to its own folder, which the parent removes whatever happens here.
  if (process.env.RGYM_CHILD_TMPDIR) process.env.TMPDIR = process.env.RGYM_CHILD_TMPDIR;
  followParent();
  const init = readMessage();
  if (!init) return;
  const runner = start(JSON.parse(Buffer.from(init).toString('utf8')) as ChildInit);
  if (!runner) return;
  try {
    for (let jobs = 0, body = readMessage(); body; body = readMessage()) {
      for (const job of decodeJobs(body)) runner.run(job);
      if ((jobs += 1) % LOG_CHECK_EVERY === 0) trimLog();
    }
  } finally {
    runner.close();
    closeSync(RECORDS_FD);
  }
}

main();
// Whatever a script left scheduled (timers, sockets) must not keep this process alive once the parent is done.
process.exit(0);
