/**
 * Checkpoint files: everything needed to resume a run or evaluate its policy, in one file written atomically
 * (temp file + rename, so Ctrl-C or a crash never leaves half a checkpoint).
 *
 * Layout: the 8 bytes `RGCKPT01`, a uint32 LE length, that many bytes of JSON (config, counters, normaliser
 * statistics, and for each array its name, shape and byte offset), then the float32 LE arrays back to back.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { RetroError } from '../errors.ts';
import type { NamedArray } from './policy.ts';
import type { RngState } from '../rng.ts';
import type { ActionHead } from './action-head.ts';
import type { TrainConfig } from './config.ts';
import type { PolicySpec } from './policy.ts';
import type { RunningMeanStdState } from './running-stats.ts';

const MAGIC = 'RGCKPT01';

export interface CheckpointData<Meta> {
  meta: Meta;
  arrays: NamedArray[];
}

interface Header<Meta> {
  meta: Meta;
  arrays: { name: string; shape: number[]; offset: number; length: number }[];
}

export function writeCheckpoint<Meta>(path: string, data: CheckpointData<Meta>): void {
  let offset = 0;
  const header: Header<Meta> = {
    meta: data.meta,
    arrays: data.arrays.map((a) => {
      const entry = { name: a.name, shape: a.shape, offset, length: a.data.length };
      offset += a.data.length * 4;
      return entry;
    }),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 8);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, prefix);
    writeSync(fd, json);
    for (const a of data.arrays) writeSync(fd, new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw error;
  }
}

export function readCheckpoint<Meta>(path: string): CheckpointData<Meta> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new RetroError('FILE_NOT_FOUND', `cannot read checkpoint ${path}: ${(error as Error).message}`, { file: path });
  }
  const bad = (why: string): never => {
    throw new RetroError('CHECKPOINT_INVALID', `${path} is not a libretro-gym checkpoint: ${why}`, { file: path });
  };
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) bad('wrong magic bytes');
  const jsonLength = bytes.readUInt32LE(8);
  if (12 + jsonLength > bytes.length) bad('truncated header');
  let header: Header<Meta>;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, 12 + jsonLength)) as Header<Meta>;
  } catch {
    return bad('unreadable header');
  }
  const base = 12 + jsonLength;
  const arrays = header.arrays.map((a) => {
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.length || base + a.offset + a.length * 4 > bytes.length) bad(`array ${a.name} is truncated`);
    const data = new Float32Array(a.length);
    new Uint8Array(data.buffer).set(bytes.subarray(base + a.offset, base + a.offset + a.length * 4));
    return { name: a.name, shape: a.shape, data };
  });
  return { meta: header.meta, arrays };
}

/** What a trainer checkpoint holds besides its arrays: the run's config, counters and the state to resume exactly. */
export interface CheckpointMeta {
  format: 1;
  config: TrainConfig;
  update: number;
  globalStep: number;
  episodes: number;
  elapsedSeconds: number;
  backend: string;
  policy: PolicySpec;
  actionHead: ActionHead;
  obsVariables?: string[];
  obsStats?: RunningMeanStdState;
  rewardStats?: RunningMeanStdState;
  optimizerStep: number;
  rng: { sampling: RngState; shuffling: RngState };
}
