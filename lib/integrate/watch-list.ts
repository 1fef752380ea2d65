/**
 * A watch list: addresses someone is keeping an eye on while playing, read live through the emulator's bus (so a
 * SNES mirror address reads the same byte as its WRAM address, as data.json variables do).
 */

import { ArgumentError } from '../errors.ts';
import { checkSearchType, readerOf, widthOf, type SearchType } from './search-types.ts';

/** Whatever reads bytes at bus addresses: an `Emulator` does. */
export interface AddressReader {
  read(address: number, length: number): Uint8Array;
}

export interface WatchEntry {
  address: number;
  type: SearchType;
  /** A label, e.g. the variable name it will become. */
  name?: string;
}

export interface WatchValue extends WatchEntry {
  value: number;
}

export class WatchList {
  private readonly list: WatchEntry[] = [];

  constructor(private readonly reader: AddressReader) {}

  /**
   * Adds an address (or renames it, when the same address and type are already watched).
   * @throws ArgumentError `INVALID_ARGUMENT` for a bad address or type.
   */
  add(entry: WatchEntry): void {
    if (!Number.isSafeInteger(entry?.address) || entry.address < 0) {
      throw new ArgumentError('INVALID_ARGUMENT', `a watch address is an integer >= 0, got ${String(entry?.address)}`, { field: 'address' });
    }
    const type = checkSearchType(entry.type);
    const clean: WatchEntry = entry.name === undefined ? { address: entry.address, type } : { address: entry.address, type, name: String(entry.name) };
    const at = this.list.findIndex((e) => e.address === entry.address && e.type === type);
    if (at >= 0) this.list[at] = clean;
    else this.list.push(clean);
  }

  /** Removes the entry; false when it was not watched. */
  remove(address: number, type: SearchType): boolean {
    const at = this.list.findIndex((e) => e.address === address && e.type === type);
    if (at < 0) return false;
    this.list.splice(at, 1);
    return true;
  }

  entries(): WatchEntry[] {
    return this.list.map((e) => ({ ...e }));
  }

  /** Every entry with its value now. */
  values(): WatchValue[] {
    return this.list.map((e) => ({ ...e, value: readerOf(e.type)(this.reader.read(e.address, widthOf(e.type)), 0) }));
  }
}
