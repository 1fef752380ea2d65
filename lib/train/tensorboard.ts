import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, LifecycleError, RetroError } from '../errors.ts';
import { CorruptEventFile, eventRecord, parseEventFile, type TensorBoardEvent } from './event-file.ts';

export type { TensorBoardEvent } from './event-file.ts';

// TensorBoard event files: the writer a training run logs to, and a reader for tests and for looking at a run.
// The bytes are event-file.ts's.

/** The `file_version` TensorBoard expects in the first record of an event file. */
const FILE_VERSION = 'brain.Event:2';

/**
 * Appends scalar summaries to a TensorBoard event file, so `tensorboard --logdir <parent of dir>` plots them.
 * Each call is written to disk at once (one synchronous write), so a crashed run still shows everything it logged.
 *
 * ```ts
 * const tb = new TensorBoardWriter('runs/pong-ppo-1');
 * tb.scalars({ 'episode/return': 21, 'loss/policy': 0.03, 'episode/length': undefined }, 4096);
 * tb.close();
 * ```
 */
export class TensorBoardWriter {
  /** The event file, `<dir>/events.out.tfevents.<unix seconds>.<hostname>`. */
  readonly path: string;
  private readonly now: () => number;
  private fd: number | undefined;

  /**
   * Creates `dir` (and its parents) and a new event file in it. If a file of that name already exists (two writers
   * started in the same second), `.<pid>.<n>` is appended rather than overwrite it.
   *
   * @param options.now clock in milliseconds since the epoch (default `Date.now`); wall times and the file name use it.
   */
  constructor(dir: string, options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    const startMs = this.now();
    mkdirSync(dir, { recursive: true });
    const base = join(dir, `events.out.tfevents.${Math.floor(startMs / 1000)}.${hostname()}`);
    let path = base;
    for (let n = 1; ; n++) {
      try {
        this.fd = openSync(path, 'wx');
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw e;
        path = `${base}.${process.pid}.${n}`;
      }
    }
    this.path = path;
    this.append(eventRecord(startMs / 1000, 0, { fileVersion: FILE_VERSION }));
  }

  /**
   * Logs one scalar. `value` is stored as float32 (what TensorBoard's `simple_value` holds); NaN and ±Infinity are
   * written as they are.
   *
   * @param step a safe integer (negative steps are allowed by the format).
   */
  scalar(tag: string, value: number, step: number): void {
    this.write([[tag, value]], step);
  }

  /**
   * Logs several scalars under one step in a single event. Entries whose value is null, undefined, NaN or infinite
   * are skipped, so a metrics object can be passed as is when some of it is not known yet; nothing is written when
   * no entry is left.
   */
  scalars(values: Record<string, number | null | undefined>, step: number): void {
    const kept: [string, number][] = [];
    for (const [tag, value] of Object.entries(values)) {
      if (typeof value === 'number' && Number.isFinite(value)) kept.push([tag, value]);
    }
    if (kept.length > 0) this.write(kept, step);
  }

  /** Asks the OS to put what was written on disk; writes already reach the file (and TensorBoard) without it. */
  flush(): void {
    fsyncSync(this.openFd());
  }

  /** Closes the file. Closing twice is harmless; logging after close throws. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private write(values: [string, number][], step: number): void {
    if (!Number.isSafeInteger(step)) {
      throw new ArgumentError('INVALID_ARGUMENT', `TensorBoard step must be a safe integer, got ${step}`, { field: 'step' });
    }
    this.append(eventRecord(this.now() / 1000, step, { values }));
  }

  private append(record: Buffer): void {
    const fd = this.openFd();
    for (let done = 0; done < record.length; ) done += writeSync(fd, record, done, record.length - done);
  }

  private openFd(): number {
    if (this.fd === undefined) throw new LifecycleError('ENV_CLOSED', `the TensorBoard writer for ${this.path} is closed`, { file: this.path });
    return this.fd;
  }
}

/**
 * Reads every event of a TensorBoard event file, checking both CRCs of every record. Meant for tests and for
 * looking at a run without TensorBoard; it understands scalar summaries (`simple_value`) and skips other kinds.
 *
 * ```ts
 * for (const e of readEvents(tb.path)) console.log(e.step, e.values);
 * ```
 *
 * @throws RetroError `FILE_UNREADABLE` when the file is truncated or a CRC or protobuf field is wrong; the message
 *   and `details` name the file and the byte offset where the problem is.
 */
export function readEvents(path: string): TensorBoardEvent[] {
  const bytes = readFileSync(path);
  try {
    return parseEventFile(bytes);
  } catch (e) {
    if (!(e instanceof CorruptEventFile)) throw e;
    throw new RetroError('FILE_UNREADABLE', `${path}: corrupt TensorBoard event file at byte offset ${e.offset}: ${e.reason}`, {
      file: path,
      offset: e.offset,
      reason: e.reason,
    });
  }
}
