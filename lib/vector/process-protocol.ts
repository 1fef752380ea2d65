/**
 * What a ProcessBatch and its env processes say to each other over their two pipes (fd 3: parent → child, fd 4:
 * child → parent). Binary and length-known, so the parent reads each observation straight into its slot of the
 * batch buffer: the only copies are the kernel's, into and out of the pipe.
 *
 * Parent → child, each message `u32 length` + body:
 * - first, the init message: JSON {@link ChildInit};
 * - then job lists: `u32 count`, then per job `u32 envId, u32 flags, u32 n, f64 × n` (the action's numbers).
 * End of file on fd 3 tells the child to close its envs and exit.
 *
 * Child → parent:
 * - once, the answer to init: `u32 length` + JSON {@link ChildReady};
 * - then one record per job, in the order of the jobs: a {@link RECORD_HEADER_BYTES}-byte header
 *   `u8 status, u8 terminated, u8 hasFinal, u8 0, u32 envId`; if ok: rewards (f64 × players), values (f64 × V),
 *   the observation, and when hasFinal the final values and final observation; if failed: `u32 length` + JSON
 *   {@link SerializedError}.
 */
import type { MakeOptions } from '../env/retro-env.ts';
import { RetroError } from '../errors.ts';
import type { SpaceJSON } from '../spaces/space.ts';
import type { Autoreset } from './autoreset.ts';

export interface ChildInit {
  game: string;
  options: MakeOptions;
  envIds: number[];
  autoreset: Autoreset;
}

/** What the envs of a child look like; the parent sizes its buffers and checks actions with it. */
export interface EnvDescription {
  actionSpace: SpaceJSON;
  observationShape: number[];
  players: number;
  variableNames: string[];
}

export type ChildReady = { ok: true; description: EnvDescription } | { ok: false; error: SerializedError };

/** An error as it crosses the pipe: enough to throw the same typed error in the parent. */
export interface SerializedError {
  /** Whether it was a RetroError (then `name` is its class). */
  typed: boolean;
  name: string;
  message: string;
  code?: string;
  details?: Record<string, unknown>;
}

export const JOB_RESET = 1;
export const RECORD_OK = 0;
export const RECORD_FAILED = 1;
export const RECORD_HEADER_BYTES = 8;

export interface Job {
  envId: number;
  reset: boolean;
  /**
   * The action as numbers (`actionToNumbers`): one for a Discrete space, one per entry otherwise; a stick pad's
   * `{ buttons, stick }` as its buttons' numbers followed by the stick axes.
   */
  action: readonly number[];
}

/** A job list as one message (length prefix included). */
export function encodeJobs(jobs: readonly Job[]): Uint8Array {
  const bytes = 4 + 4 + jobs.reduce((sum, job) => sum + 12 + 8 * job.action.length, 0);
  const view = new DataView(new ArrayBuffer(bytes));
  view.setUint32(0, bytes - 4, true);
  view.setUint32(4, jobs.length, true);
  let at = 8;
  for (const job of jobs) {
    view.setUint32(at, job.envId, true);
    view.setUint32(at + 4, job.reset ? JOB_RESET : 0, true);
    view.setUint32(at + 8, job.action.length, true);
    at += 12;
    for (const value of job.action) {
      view.setFloat64(at, value, true);
      at += 8;
    }
  }
  return new Uint8Array(view.buffer);
}

/** The jobs of a message body (without its length prefix). */
export function decodeJobs(body: Uint8Array): Job[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const jobs: Job[] = [];
  let at = 4;
  for (let i = view.getUint32(0, true); i > 0; i--) {
    const envId = view.getUint32(at, true);
    const reset = (view.getUint32(at + 4, true) & JOB_RESET) !== 0;
    const n = view.getUint32(at + 8, true);
    at += 12;
    const action: number[] = [];
    for (let k = 0; k < n; k++, at += 8) action.push(view.getFloat64(at, true));
    jobs.push({ envId, reset, action });
  }
  return jobs;
}

/** A JSON value as one message (length prefix included). */
export function encodeJson(value: unknown): Uint8Array {
  const text = Buffer.from(JSON.stringify(value), 'utf8');
  const message = Buffer.alloc(4 + text.length);
  message.writeUInt32LE(text.length, 0);
  text.copy(message, 4);
  return message;
}

/** An error, typed or not, as it crosses the pipe. */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { typed: false, name: 'Error', message: String(e) };
  const { code, details } = e as { code?: unknown; details?: unknown };
  return {
    typed: e instanceof RetroError,
    name: e.name,
    message: e.message,
    code: typeof code === 'string' ? code : undefined,
    details: details !== null && typeof details === 'object' ? JSON.parse(JSON.stringify(details)) : undefined,
  };
}
