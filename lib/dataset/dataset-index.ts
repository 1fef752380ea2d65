/**
 * The JSON index of a demonstration data set (`index.json`) and its binary file (`data.bin`): arrays back to back,
 * each at an offset that is a multiple of 8 so every one is a zero-copy typed-array view of the file.
 */

export const DATASET_FORMAT = 'libretro-gym-dataset';
export const DATASET_VERSION = 1;
export const INDEX_FILE = 'index.json';
export const DATA_FILE = 'data.bin';

export type DatasetDtype = 'uint8' | 'uint16' | 'float64';

export const DTYPE_BYTES: Readonly<Record<DatasetDtype, number>> = { uint8: 1, uint16: 2, float64: 8 };

/** Where one array lives in `data.bin`. Little-endian, row-major, `shape[0]` = steps. */
export interface ArrayEntry {
  dtype: DatasetDtype;
  shape: number[];
  offset: number;
  bytes: number;
}

export interface DatasetIndex {
  format: typeof DATASET_FORMAT;
  version: number;
  /** The integration replayed, e.g. `TinyKart-Nes`. */
  game: string;
  system: string;
  /** The movie's path when written, and the SHA-1 of its bytes. */
  movie: string;
  movieSha1: string;
  /** The scenario the rewards and dones come from. */
  scenario: string;
  players: number;
  /** Button names by bit of an action mask (`null` for unused bits), as `cores/<system>.json` lists them. */
  buttons: (string | null)[];
  /** Transitions: the movie's frames minus the first (the frame a reset runs). */
  steps: number;
  /** The preprocessing applied to observations, in order (see `retro dataset --wrappers`). */
  wrappers: unknown[];
  /** The integration's variables, in the column order of `variables`. */
  variableNames: string[];
  /** Always `data.bin`, beside the index. */
  file: string;
  arrays: {
    /** `[steps, ...observation shape]`: what was on screen (preprocessed) before each action. */
    observations: ArrayEntry;
    /** `[steps, players]`: the button mask pressed after seeing each observation. */
    actions: ArrayEntry;
    /** `[steps, players]`: the reward that action earned. */
    rewards: ArrayEntry;
    /** `[steps]`: 1 when the scenario said the episode ended after that action. */
    terminated: ArrayEntry;
    /** `[steps, variableNames.length]`: the variables with each observation. */
    variables: ArrayEntry;
  };
}

export type ArrayName = keyof DatasetIndex['arrays'];
export const ARRAY_NAMES: readonly ArrayName[] = ['observations', 'actions', 'rewards', 'terminated', 'variables'];

/** Entries laid out back to back from offset 0, each starting at a multiple of 8. */
export function layOut(shapes: Record<ArrayName, { dtype: DatasetDtype; shape: number[] }>): { arrays: DatasetIndex['arrays']; total: number } {
  let offset = 0;
  const arrays = {} as DatasetIndex['arrays'];
  for (const name of ARRAY_NAMES) {
    const { dtype, shape } = shapes[name];
    const bytes = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
    arrays[name] = { dtype, shape, offset, bytes };
    offset += Math.ceil(bytes / 8) * 8;
  }
  return { arrays, total: offset };
}
