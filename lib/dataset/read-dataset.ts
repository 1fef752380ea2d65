/** Loads a demonstration data set written by `retro dataset` / `writeDataset` in one call, as typed arrays. */

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetError } from '../errors.ts';
import { ARRAY_NAMES, DATASET_FORMAT, DATASET_VERSION, DTYPE_BYTES, INDEX_FILE, type ArrayEntry, type DatasetIndex } from './dataset-index.ts';

export interface Dataset {
  index: DatasetIndex;
  steps: number;
  /** `index.arrays.observations.shape`: `[steps, ...one observation's shape]`. */
  observationShape: number[];
  /** Row-major `[steps, ...]`: observation t is `observations.subarray(t * size, (t + 1) * size)`. */
  observations: Uint8Array;
  /** `[steps, players]` button masks; bit i is `index.buttons[i]`. */
  actions: Uint16Array;
  /** `[steps, players]`. */
  rewards: Float64Array;
  /** `[steps]`, 1 where the episode ended. */
  terminated: Uint8Array;
  /** `[steps, index.variableNames.length]`. */
  variables: Float64Array;
}

const VIEWS = { uint8: Uint8Array, uint16: Uint16Array, float64: Float64Array } as const;

function invalid(file: string, reason: string): DatasetError {
  return new DatasetError('DATASET_INVALID', `${file}: ${reason}`, { file, reason });
}

function checkEntry(name: string, entry: ArrayEntry | undefined, steps: number, fileBytes: number, file: string): ArrayEntry {
  const ok =
    entry !== null &&
    typeof entry === 'object' &&
    Object.hasOwn(VIEWS, entry.dtype) &&
    Array.isArray(entry.shape) &&
    entry.shape.every((n) => Number.isSafeInteger(n) && n >= 0) &&
    entry.shape[0] === steps &&
    Number.isSafeInteger(entry.offset) &&
    entry.offset % 8 === 0 &&
    entry.bytes === entry.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[entry.dtype] &&
    entry.offset + entry.bytes <= fileBytes;
  if (!ok) throw invalid(file, `array '${name}' is missing, malformed or outside data.bin (${fileBytes} bytes)`);
  return entry;
}

/**
 * Reads `<dir>/index.json` and `<dir>/data.bin`. The arrays are views of one buffer holding the file (no copy per
 * array).
 * @throws DatasetError `DATASET_INVALID` naming the file for a missing, damaged or newer data set.
 */
export function readDataset(dir: string): Dataset {
  const indexFile = join(resolve(dir), INDEX_FILE);
  let index: DatasetIndex;
  try {
    index = JSON.parse(readFileSync(indexFile, 'utf8')) as DatasetIndex;
  } catch (cause) {
    throw new DatasetError('DATASET_INVALID', `${indexFile}: cannot read the data set index: ${(cause as Error).message}`, { file: indexFile }, { cause });
  }
  if (index?.format !== DATASET_FORMAT) throw invalid(indexFile, `not a libretro-gym data set (format ${JSON.stringify(index?.format)})`);
  if (index.version !== DATASET_VERSION) throw invalid(indexFile, `data set version ${index.version}; this library reads version ${DATASET_VERSION}`);
  if (!Number.isSafeInteger(index.steps) || index.steps < 0) throw invalid(indexFile, `steps must be a whole number, got ${index.steps}`);
  if (typeof index.file !== 'string' || index.file.includes('/') || index.file.includes('\\')) throw invalid(indexFile, `file must name a file beside the index`);
  const dataFile = join(resolve(dir), index.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(dataFile);
  } catch (cause) {
    throw new DatasetError('DATASET_INVALID', `${dataFile}: cannot read: ${(cause as Error).message}`, { file: dataFile }, { cause });
  }
  // Float64 views need 8-byte alignment; a fresh Buffer of this size has it, but copy when it does not.
  const buffer = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  const view = <N extends keyof typeof VIEWS>(name: (typeof ARRAY_NAMES)[number], dtype: N): InstanceType<(typeof VIEWS)[N]> => {
    const entry = checkEntry(name, index.arrays?.[name], index.steps, buffer.length, dataFile);
    if (entry.dtype !== dtype) throw invalid(indexFile, `array '${name}' has dtype ${entry.dtype}, expected ${dtype}`);
    const Type = VIEWS[dtype];
    return new Type(buffer.buffer as ArrayBuffer, buffer.byteOffset + entry.offset, entry.bytes / DTYPE_BYTES[dtype]) as InstanceType<(typeof VIEWS)[N]>;
  };
  return {
    index,
    steps: index.steps,
    observationShape: [...index.arrays.observations.shape],
    observations: view('observations', 'uint8'),
    actions: view('actions', 'uint16'),
    rewards: view('rewards', 'float64'),
    terminated: view('terminated', 'uint8'),
    variables: view('variables', 'float64'),
  };
}
