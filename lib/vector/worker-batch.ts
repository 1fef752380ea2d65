import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { MakeOptions } from '../env/retro-env.ts';
import { LifecycleError } from '../errors.ts';
import type { NativeBatchOutputs } from '../native.ts';
import type { Autoreset } from './autoreset.ts';

/** Shared result buffers of a batch: the same layout the native stepper writes. */
export type SharedOutputs = NativeBatchOutputs;

export interface WorkerBatchConfig {
  game: string;
  options: MakeOptions;
  numEnvs: number;
  threads: number;
  players: number;
  autoreset: Autoreset;
  outputs: SharedOutputs;
}

/** One env's job as a batch worker gets it: a reset, or a step with these masks (one per port) and stick axes. */
export interface BatchJobMessage {
  id: number;
  reset: boolean;
  masks: number[];
  /** x, y per player and stick, up positive; empty without sticks. */
  sticks: number[];
}

/** What one batch worker gets as workerData. */
export interface BatchWorkerData extends WorkerBatchConfig {
  envIds: number[];
  ring: Int32Array;
  errorText: Uint8Array;
  capacity: number;
  /** Where the main thread posts this worker's jobs. */
  jobs: MessagePort;
}

/**
 * Words of the shared ring. Slots hold id + 1 when an env finished, -(id + 1) when it failed, 0 when empty.
 * `signal` changes on every report and every worker death, so recv() waits on that one word for both.
 */
export const RING = { reserved: 0, signal: 1, deadWorkers: 2, slots: 3 } as const;

/** How a batch worker ended, as its supervisor saw it. */
interface WorkerDeath {
  worker: number;
  exitCode: number;
  error?: string;
}

const ERROR_BYTES = 4096;
/** recv() re-checks for dead workers at least this often, even if a wake-up were lost. */
const WAIT_SLICE_MS = 250;
/** How long recv() waits for the supervisor's account of a death it was told about. */
const DEATH_REPORT_WAIT_MS = 200;

/**
 * The BatchEnv engine for scenarios the native stepper cannot run (TypeScript scripts): envs live in
 * worker_threads, each worker owning a share of them. Results land in SharedArrayBuffers; finished env ids go
 * through a shared ring that recv() waits on with Atomics, so the API stays synchronous like the native one.
 *
 * The workers are children of a supervisor worker, not of the main thread: recv() blocks the main thread, so it
 * could never receive a worker's 'exit' event, but the supervisor's event loop is free to. When a worker ends for
 * any reason (process.exit(), an uncaught throw, running out of memory, terminate()), the supervisor posts why and
 * wakes recv(), which then fails with WORKER_DIED, as does every later call.
 */
export class WorkerBatch {
  private readonly supervisor: Worker;
  private readonly jobPorts: MessagePort[] = [];
  private readonly deathReports: MessagePort;
  private readonly owner: number[];
  private readonly ring: Int32Array;
  private readonly errorText: Uint8Array;
  private readonly capacity: number;
  private consumed = 0;
  private inFlight = new Set<number>();
  private readonly deaths: WorkerDeath[] = [];
  private died: LifecycleError | undefined;

  constructor(config: WorkerBatchConfig) {
    this.capacity = 2 * config.numEnvs;
    this.ring = new Int32Array(new SharedArrayBuffer(4 * (RING.slots + this.capacity)));
    this.errorText = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
    const count = Math.max(1, Math.min(config.threads, config.numEnvs));
    this.owner = Array.from({ length: config.numEnvs }, (_, id) => id % count);
    const workers: BatchWorkerData[] = [];
    for (let w = 0; w < count; w++) {
      const channel = new MessageChannel();
      this.jobPorts.push(channel.port1);
      const envIds = this.owner.flatMap((o, id) => (o === w ? [id] : []));
      workers.push({ ...config, envIds, ring: this.ring, errorText: this.errorText, capacity: this.capacity, jobs: channel.port2 });
    }
    const reports = new MessageChannel();
    this.deathReports = reports.port1;
    this.supervisor = new Worker(supervisorSource(), {
      eval: true,
      workerData: { workers, ring: this.ring, reports: reports.port2, workerSource: bootstrap() },
      transferList: [...workers.map((w) => w.jobs), reports.port2],
    });
    this.supervisor.unref();
  }

  /** `masks`: one per env and port; `sticks`: the same number of stick axes per env (none without sticks). */
  send(ids: Uint32Array, masks: Uint16Array, sticks: Float64Array, ports: number): void {
    const axes = sticks.length / ids.length;
    this.dispatch(ids, (i) => ({
      id: ids[i],
      reset: false,
      masks: Array.from(masks.subarray(i * ports, (i + 1) * ports)),
      sticks: Array.from(sticks.subarray(i * axes, (i + 1) * axes)),
    }));
  }

  sendReset(ids: Uint32Array): void {
    this.dispatch(ids, (i) => ({ id: ids[i], reset: true, masks: [], sticks: [] }));
  }

  private dispatch(ids: Uint32Array, job: (i: number) => BatchJobMessage): void {
    this.throwIfAWorkerDied();
    for (const id of ids) if (this.inFlight.has(id)) throw Object.assign(new Error(`env ${id} is still stepping: recv() it first`), { code: 'INVALID_ARGUMENT' });
    const perWorker = this.jobPorts.map(() => [] as ReturnType<typeof job>[]);
    ids.forEach((id, i) => {
      this.inFlight.add(id);
      perWorker[this.owner[id]].push(job(i));
    });
    perWorker.forEach((jobs, w) => jobs.length > 0 && this.jobPorts[w].postMessage(jobs));
  }

  /** Blocks until `batchSize` envs finished; returns their ids in completion order. */
  recv(batchSize: number): Uint32Array {
    this.throwIfAWorkerDied();
    if (batchSize < 1 || batchSize > this.inFlight.size) {
      throw Object.assign(new Error(`recv(${batchSize}) but only ${this.inFlight.size} envs were sent`), { code: 'INVALID_ARGUMENT' });
    }
    const ready = new Uint32Array(batchSize);
    let failed: number | undefined;
    for (let k = 0; k < batchSize; k++) {
      const slot = RING.slots + (this.consumed % this.capacity);
      const entry = this.waitForSlot(slot);
      Atomics.store(this.ring, slot, 0);
      this.consumed++;
      const id = Math.abs(entry) - 1;
      if (entry < 0 && failed === undefined) failed = id;
      ready[k] = id;
      this.inFlight.delete(id);
    }
    if (failed !== undefined) {
      const { code, message } = this.takeError();
      throw Object.assign(new Error(`env ${failed}: ${message}`), { code });
    }
    return ready;
  }

  /** The slot's entry once a worker filled it; throws WORKER_DIED as soon as a worker is gone instead. */
  private waitForSlot(slot: number): number {
    for (;;) {
      // The signal is read before the slot: a report or death after this read changes it, so the wait below
      // returns at once instead of missing the wake-up.
      const signal = Atomics.load(this.ring, RING.signal);
      const entry = Atomics.load(this.ring, slot);
      if (entry !== 0) return entry;
      this.throwIfAWorkerDied();
      Atomics.wait(this.ring, RING.signal, signal, WAIT_SLICE_MS);
    }
  }

  private throwIfAWorkerDied(): void {
    if (this.died === undefined && Atomics.load(this.ring, RING.deadWorkers) > 0) this.died = this.workerDiedError();
    if (this.died !== undefined) throw this.died;
  }

  /** WORKER_DIED naming each dead worker's envs and how it ended; the batch is unusable from then on. */
  private workerDiedError(): LifecycleError {
    const expected = Atomics.load(this.ring, RING.deadWorkers);
    const deadline = performance.now() + DEATH_REPORT_WAIT_MS;
    // The supervisor posts its report before it counts the death, so the report is normally there already.
    while (this.deaths.length < expected && performance.now() < deadline) {
      const message = receiveMessageOnPort(this.deathReports);
      if (message) this.deaths.push(message.message as WorkerDeath);
      else Atomics.wait(this.ring, RING.signal, Atomics.load(this.ring, RING.signal), 5);
    }
    const deaths = this.deaths.length > 0 ? this.deaths : [{ worker: -1, exitCode: -1, error: 'a batch worker stopped' }];
    const envsOf = (death: WorkerDeath) => this.owner.flatMap((o, id) => (death.worker < 0 || o === death.worker ? [id] : []));
    const envs = [...new Set(deaths.flatMap(envsOf))].sort((a, b) => a - b);
    const what = deaths.map((d) => `${d.worker < 0 ? 'a batch worker' : `batch worker ${d.worker}`} (envs ${envsOf(d).join(', ')}) died: ${describeDeath(d)}`);
    return new LifecycleError('WORKER_DIED', `${what.join('; ')}. Those envs are lost: close() the batch and make a new one`, {
      envs,
      workers: deaths.map((d) => ({ worker: d.worker, exitCode: d.exitCode, error: d.error })),
    });
  }

  /** The first failure a worker wrote since the last call: its code (ENV_CRASHED when it had none) and message. */
  private takeError(): { code: string; message: string } {
    const end = this.errorText.indexOf(0);
    const text = Buffer.from(this.errorText.slice(0, end < 0 ? ERROR_BYTES : end)).toString('utf8');
    this.errorText.fill(0);
    const tab = text.indexOf('\t');
    return { code: text.slice(0, tab), message: text.slice(tab + 1) };
  }

  /**
   * Terminates the supervisor, which takes its workers down with it. Never waits: a worker stuck in a script
   * is interrupted off the main thread.
   */
  close(): void {
    void this.supervisor.terminate();
    for (const port of [...this.jobPorts, this.deathReports]) port.close();
  }
}

function describeDeath(death: WorkerDeath): string {
  if (death.error !== undefined) return `${death.error} (exit code ${death.exitCode})`;
  return `it exited with exit code ${death.exitCode}`;
}

/**
 * The supervisor, as eval'd CommonJS: starts the batch workers and, when one ends, posts why and counts the death
 * in the ring, which wakes a waiting recv(). If it cannot start them all, it reports that as a death of them all.
 */
function supervisorSource(): string {
  return `
    const { Worker, workerData } = require('node:worker_threads');
    const { workers, ring, reports, workerSource } = workerData;
    function reportDeath(worker, exitCode, error) {
      reports.postMessage({ worker, exitCode, error });
      Atomics.add(ring, ${RING.deadWorkers}, 1);
      Atomics.add(ring, ${RING.signal}, 1);
      Atomics.notify(ring, ${RING.signal});
    }
    try {
      workers.forEach((data, index) => {
        let error;
        const worker = new Worker(workerSource, { eval: true, workerData: data, transferList: [data.jobs] });
        worker.on('error', (e) => { if (error === undefined) error = String((e && e.message) || e); });
        worker.on('exit', (exitCode) => reportDeath(index, exitCode, error));
      });
    } catch (e) {
      reportDeath(-1, -1, 'the batch workers could not be started: ' + String((e && e.message) || e));
    }
  `;
}

/**
 * A batch worker's entry, as eval'd CommonJS: loads batch-worker (through tsx when running from the TypeScript
 * sources). If that fails the worker dies with the reason, which its supervisor reports.
 */
function bootstrap(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? './batch-worker.ts' : './batch-worker.js', import.meta.url).href;
  const tsx = fromSources ? pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href : '';
  return `
    (async () => {
      try {
        if (${JSON.stringify(tsx)}) (await import(${JSON.stringify(tsx)})).register();
        await import(${JSON.stringify(entry)});
      } catch (e) {
        throw new Error('batch worker failed to start: ' + String((e && e.message) || e));
      }
    })();
  `;
}
