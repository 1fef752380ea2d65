import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { MakeOptions } from '../env/retro-env.ts';
import type { Autoreset } from './batch-env.ts';

/** Shared result buffers of a batch; the same layout the native stepper writes. */
export interface SharedOutputs {
  observations: Uint8Array;
  values: Float64Array;
  rewards: Float64Array;
  terminated: Uint8Array;
  finalObservations?: Uint8Array;
  finalValues?: Float64Array;
  hasFinal?: Uint8Array;
}

export interface WorkerBatchConfig {
  game: string;
  options: MakeOptions;
  numEnvs: number;
  threads: number;
  players: number;
  autoreset: Autoreset;
  outputs: SharedOutputs;
}

const ERROR_BYTES = 4096;

/**
 * The BatchEnv engine for scenarios the native stepper cannot run (TypeScript scripts): envs live in
 * worker_threads, each worker owning a share of them. Results land in SharedArrayBuffers; finished env ids go
 * through a shared ring that recv() waits on with Atomics, so the API stays synchronous like the native one.
 */
export class WorkerBatch {
  private readonly workers: Worker[] = [];
  private readonly owner: number[];
  /** [count, dead, slot0, slot1, ...]: slot = id + 1 when finished, -(id + 1) when it failed, 0 when empty; dead = a worker could not start. */
  private readonly ring: Int32Array;
  private readonly errorText: Uint8Array;
  private readonly capacity: number;
  private consumed = 0;
  private inFlight = new Set<number>();

  constructor(config: WorkerBatchConfig) {
    this.capacity = 2 * config.numEnvs;
    this.ring = new Int32Array(new SharedArrayBuffer(4 * (2 + this.capacity)));
    this.errorText = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
    const count = Math.max(1, Math.min(config.threads, config.numEnvs));
    this.owner = Array.from({ length: config.numEnvs }, (_, id) => id % count);
    for (let w = 0; w < count; w++) {
      const envIds = this.owner.flatMap((o, id) => (o === w ? [id] : []));
      const worker = new Worker(bootstrap(), {
        eval: true,
        workerData: { ...config, envIds, ring: this.ring, errorText: this.errorText, capacity: this.capacity },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  send(ids: Uint32Array, masks: Uint16Array, ports: number): void {
    this.dispatch(ids, (i) => ({ id: ids[i], reset: false, masks: Array.from(masks.subarray(i * ports, (i + 1) * ports)) }));
  }

  sendReset(ids: Uint32Array): void {
    this.dispatch(ids, (i) => ({ id: ids[i], reset: true, masks: [] }));
  }

  private dispatch(ids: Uint32Array, job: (i: number) => { id: number; reset: boolean; masks: number[] }): void {
    for (const id of ids) if (this.inFlight.has(id)) throw Object.assign(new Error(`env ${id} is still stepping: recv() it first`), { code: 'INVALID_ARGUMENT' });
    const perWorker = this.workers.map(() => [] as ReturnType<typeof job>[]);
    ids.forEach((id, i) => {
      this.inFlight.add(id);
      perWorker[this.owner[id]].push(job(i));
    });
    perWorker.forEach((jobs, w) => jobs.length > 0 && this.workers[w].postMessage(jobs));
  }

  /** Blocks until `batchSize` envs finished; returns their ids in completion order. */
  recv(batchSize: number): Uint32Array {
    if (batchSize < 1 || batchSize > this.inFlight.size) {
      throw Object.assign(new Error(`recv(${batchSize}) but only ${this.inFlight.size} envs were sent`), { code: 'INVALID_ARGUMENT' });
    }
    const ready = new Uint32Array(batchSize);
    let failed: number | undefined;
    for (let k = 0; k < batchSize; k++) {
      const slot = 2 + (this.consumed % this.capacity);
      // Timed waits, so a worker that died before it could report is noticed instead of waited for forever.
      while (Atomics.wait(this.ring, slot, 0, 200) === 'timed-out') {
        if (Atomics.load(this.ring, 1) !== 0) throw Object.assign(new Error(this.takeErrorText()), { code: 'SCRIPT_ERROR' });
      }
      const entry = Atomics.exchange(this.ring, slot, 0);
      this.consumed++;
      const id = Math.abs(entry) - 1;
      if (entry < 0 && failed === undefined) failed = id;
      ready[k] = id;
      this.inFlight.delete(id);
    }
    if (failed !== undefined) throw Object.assign(new Error(`env ${failed}: ${this.takeErrorText()}`), { code: 'SCRIPT_ERROR' });
    return ready;
  }

  private takeErrorText(): string {
    const end = this.errorText.indexOf(0);
    const text = Buffer.from(this.errorText.slice(0, end < 0 ? ERROR_BYTES : end)).toString('utf8');
    this.errorText.fill(0);
    return text;
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/**
 * The worker's entry, as eval'd CommonJS: loads batch-worker (through tsx when running from the TypeScript
 * sources) and, if that fails, says why through the shared error text and the ring's dead flag.
 */
function bootstrap(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? './batch-worker.ts' : './batch-worker.js', import.meta.url).href;
  const tsx = fromSources ? pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href : '';
  return `
    const { workerData } = require('node:worker_threads');
    (async () => {
      try {
        if (${JSON.stringify(tsx)}) (await import(${JSON.stringify(tsx)})).register();
        await import(${JSON.stringify(entry)});
      } catch (e) {
        workerData.errorText.set(new TextEncoder().encode('batch worker failed to start: ' + (e && e.message)).subarray(0, workerData.errorText.length - 1));
        Atomics.store(workerData.ring, 1, 1);
      }
    })();
  `;
}
