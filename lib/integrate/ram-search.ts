/**
 * RAM search as BizHawk's: snapshot the RAM, play a little, then keep only the addresses whose value compares as
 * asked (greater than before, equal to 3, ...) until few are left. Candidates are a typed array of offsets and the
 * previous values one copy of the RAM, so a 128 KiB SNES WRAM costs a few hundred KB and no object per address.
 */

import type { Emulator } from '../emulator.ts';
import { ArgumentError } from '../errors.ts';
import { checkSearchType, rangeOf, readerOf, widthOf, type SearchType, type ValueReader } from './search-types.ts';

/**
 * A live window on emulated memory: `bytes[i]` is the byte at bus address `baseAddress + i`, or, with `wordBytes`
 * > 1 (a core that keeps a big-endian machine's RAM as host-order words: Genesis, 32X), at `baseAddress + (i XOR
 * (wordBytes - 1))`.
 */
export interface RamView {
  bytes: Uint8Array;
  baseAddress: number;
  wordBytes?: number;
}

/** The comparisons a filter makes; the names are scenario.json's `op` names. */
export const SEARCH_COMPARISONS = ['equal', 'not-equal', 'greater-than', 'less-than', 'greater-or-equal', 'less-or-equal'] as const;
export type SearchComparison = (typeof SEARCH_COMPARISONS)[number];

/** Keep the candidates whose current value `op` `value` holds; without `value`, compared with the previous value. */
export interface SearchFilter {
  op: SearchComparison;
  value?: number;
}

/** One candidate address with its value now and at the last snapshot or filter. JSON-serialisable. */
export interface Candidate {
  address: number;
  value: number;
  previous: number;
}

export interface RamSearchStatus {
  type: SearchType;
  aligned: boolean;
  /** Bus address of the first byte searched, and how many bytes are. */
  baseAddress: number;
  size: number;
  count: number;
  canUndo: boolean;
}

export interface RamSearchOptions {
  /** Value type, as data.json writes it (default `|u1`). */
  type?: SearchType;
  /** Only addresses that are a multiple of the width (default false: every address). */
  aligned?: boolean;
  /** Filters that can be undone, oldest dropped first (default 16). */
  undoDepth?: number;
}

/**
 * The RAM of an emulator as a {@link RamView}: the memory block of `region` that the system's descriptor maps
 * (NES 0x0000-0x07FF; SNES WRAM at 0x7E0000, not its 8 KiB mirror at 0).
 * @throws ArgumentError `INVALID_ARGUMENT` when the core exposes no such memory.
 */
export function ramViewOf(emulator: Emulator, region: 'system_ram' | 'save_ram' = 'system_ram'): RamView {
  const memory = region === 'system_ram' ? emulator.memory.systemRam : emulator.memory.saveRam;
  const blocks = emulator.descriptor.memory.filter((b) => b.region === region);
  const block = blocks.reduce<(typeof blocks)[number] | undefined>((best, b) => (!best || b.length > best.length ? b : best), undefined);
  if (!memory || memory.length === 0 || !block) {
    throw new ArgumentError('INVALID_ARGUMENT', `the ${emulator.system} core exposes no ${region} to search`, { field: 'region' });
  }
  const offset = block.offset ?? 0;
  return { bytes: memory.subarray(offset, Math.min(memory.length, offset + block.length)), baseAddress: block.start, wordBytes: block.wordBytes ?? 1 };
}

type Test = (value: number, reference: number) => boolean;
const TESTS: Readonly<Record<SearchComparison, Test>> = {
  equal: (v, r) => v === r,
  'not-equal': (v, r) => v !== r,
  'greater-than': (v, r) => v > r,
  'less-than': (v, r) => v < r,
  'greater-or-equal': (v, r) => v >= r,
  'less-or-equal': (v, r) => v <= r,
};

interface UndoEntry {
  candidates: Uint32Array;
  previous: Uint8Array;
}

/**
 * A RAM search over a live view.
 *
 * ```ts
 * const search = new RamSearch(ramViewOf(env.emulator), { type: '|u1' });
 * // ... steer right for a while ...
 * search.filter({ op: 'greater-than' });      // values that grew since the snapshot
 * search.filter({ op: 'equal', value: 3 });    // values that are 3 now
 * search.page(0, 20);                          // [{ address, value, previous }, ...]
 * ```
 */
export class RamSearch {
  readonly ram: RamView;
  readonly type: SearchType;
  readonly aligned: boolean;
  readonly undoDepth: number;
  private readonly read: ValueReader;
  private candidates: Uint32Array;
  private previous: Uint8Array;
  private readonly undoStack: UndoEntry[] = [];

  constructor(ram: RamView, options: RamSearchOptions = {}) {
    if (!ram || !(ram.bytes instanceof Uint8Array) || !Number.isSafeInteger(ram.baseAddress) || ram.baseAddress < 0) {
      throw new ArgumentError('INVALID_ARGUMENT', 'RamSearch needs a RamView { bytes: Uint8Array, baseAddress: integer >= 0 }');
    }
    this.ram = ram;
    this.type = checkSearchType(options.type ?? '|u1');
    this.aligned = options.aligned ?? false;
    const depth = options.undoDepth ?? 16;
    if (!Number.isInteger(depth) || depth < 0) throw new ArgumentError('INVALID_ARGUMENT', `undoDepth must be an integer >= 0, got ${depth}`, { field: 'undoDepth' });
    this.undoDepth = depth;
    const wordBytes = ram.wordBytes ?? 1;
    if (![1, 2, 4, 8].includes(wordBytes) || ram.bytes.length % wordBytes !== 0) {
      throw new ArgumentError('INVALID_ARGUMENT', `RamView wordBytes must be 1, 2, 4 or 8 and divide its ${ram.bytes.length} bytes, got ${wordBytes}`, { field: 'wordBytes' });
    }
    this.read = readerOf(this.type, wordBytes);
    this.candidates = this.allOffsets();
    this.previous = ram.bytes.slice();
  }

  /** Starts over: every address is a candidate again and the current values become the previous ones. */
  snapshot(): void {
    this.candidates = this.allOffsets();
    this.previous = this.ram.bytes.slice();
    this.undoStack.length = 0;
  }

  /** The current values become the previous ones, keeping the candidates (BizHawk's "set previous"). */
  updatePrevious(): void {
    this.previous = this.ram.bytes.slice();
  }

  get count(): number {
    return this.candidates.length;
  }

  /** Where the search stands, for a UI to show. JSON-serialisable. */
  status(): RamSearchStatus {
    return { type: this.type, aligned: this.aligned, baseAddress: this.ram.baseAddress, size: this.ram.bytes.length, count: this.count, canUndo: this.canUndo };
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  /**
   * Keeps the candidates whose value passes `filter`, then makes the current values the previous ones.
   * @returns the number of candidates left.
   * @throws ArgumentError `INVALID_ARGUMENT` for an unknown op or a number outside the type's range.
   */
  filter(filter: SearchFilter): number {
    const test = TESTS[filter?.op as SearchComparison];
    if (!Object.hasOwn(TESTS, filter?.op ?? '')) {
      throw new ArgumentError('INVALID_ARGUMENT', `filter op must be one of ${Object.keys(TESTS).join(', ')}, got ${JSON.stringify(filter?.op)}`, { field: 'op' });
    }
    const fixed = filter.value;
    if (fixed !== undefined) {
      const { min, max } = rangeOf(this.type);
      if (!Number.isInteger(fixed) || fixed < min || fixed > max) {
        throw new ArgumentError('INVALID_ARGUMENT', `a ${this.type} value is an integer in [${min}, ${max}], got ${fixed}`, { field: 'value' });
      }
    }
    const { candidates, previous, read } = this;
    const bytes = this.ram.bytes;
    const kept = new Uint32Array(candidates.length);
    let n = 0;
    for (let i = 0; i < candidates.length; i++) {
      const offset = candidates[i];
      if (test(read(bytes, offset), fixed ?? read(previous, offset))) kept[n++] = offset;
    }
    this.undoStack.push({ candidates, previous });
    if (this.undoStack.length > this.undoDepth) this.undoStack.shift();
    this.candidates = kept.slice(0, n);
    this.previous = bytes.slice();
    return n;
  }

  /** Restores the candidates and previous values from before the last filter; false when there is none. */
  undo(): boolean {
    const entry = this.undoStack.pop();
    if (!entry) return false;
    this.candidates = entry.candidates;
    this.previous = entry.previous;
    return true;
  }

  /** Candidates `start` to `start + count - 1` in address order, with their current and previous values. */
  page(start = 0, count = 50): Candidate[] {
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(count) || count < 0) {
      throw new ArgumentError('INVALID_ARGUMENT', `page(start, count) takes integers >= 0, got (${start}, ${count})`);
    }
    const out: Candidate[] = [];
    const end = Math.min(this.candidates.length, start + count);
    for (let i = start; i < end; i++) out.push(this.candidate(this.candidates[i]));
    return out;
  }

  /** Bus addresses of every candidate, ascending. */
  addresses(): number[] {
    return Array.from(this.candidates, (offset) => this.ram.baseAddress + offset);
  }

  /** Whether a bus address is still a candidate. */
  has(address: number): boolean {
    const offset = address - this.ram.baseAddress;
    // Candidates stay sorted, so a binary search finds one.
    let lo = 0;
    let hi = this.candidates.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.candidates[mid];
      if (at === offset) return true;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  private candidate(offset: number): Candidate {
    return { address: this.ram.baseAddress + offset, value: this.read(this.ram.bytes, offset), previous: this.read(this.previous, offset) };
  }

  private allOffsets(): Uint32Array {
    const width = widthOf(this.type);
    const step = this.aligned ? width : 1;
    const last = this.ram.bytes.length - width;
    const out = new Uint32Array(last < 0 ? 0 : Math.floor(last / step) + 1);
    for (let i = 0; i < out.length; i++) out[i] = i * step;
    return out;
  }
}
