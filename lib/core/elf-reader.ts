/**
 * Reads what `retro cores install` must know of a downloaded shared library before it is put where cores are
 * loaded from: its class, byte order, machine and type, and the symbols its dynamic symbol table exports.
 *
 * The bytes come from the network, so every offset and count is checked against the buffer before it is used; any
 * malformed input ends in a `CORE_INVALID` CoreError, never a RangeError.
 */

import { CoreError } from '../errors.ts';

export interface ElfInfo {
  /** 32 or 64 (EI_CLASS). */
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_type: 3 (ET_DYN) for a shared library. */
  type: number;
  /** e_machine: 62 x86-64, 183 AArch64, 40 ARM, 3 i386, ... */
  machine: number;
  /** Names of the functions and objects the library defines and exports (global or weak, default visibility). */
  exports: Set<string>;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const SHT_DYNSYM = 11;
const SHN_UNDEF = 0;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const STV_DEFAULT = 0;
const STV_PROTECTED = 3;
/** More symbols than any core has (a big core exports a few thousand): bounds the work a hostile table can ask. */
const MAX_SYMBOLS = 1_000_000;
/** Longer symbol names (deep C++ templates) are skipped unread: libretro's are short. */
const MAX_NAME_BYTES = 4096;

/** A view on the buffer whose reads fail with the typed error instead of a RangeError. */
class Reader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    private readonly label: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(reason: string): never {
    throw new CoreError('CORE_INVALID', `${this.label}: ${reason}`, { file: this.label });
  }

  private check(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > this.bytes.length) this.fail(`${what} lies outside the file (truncated?)`);
  }

  u8(offset: number, what: string): number {
    this.check(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u16(offset: number, what: string): number {
    this.check(offset, 2, what);
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number, what: string): number {
    this.check(offset, 4, what);
    return this.view.getUint32(offset, this.littleEndian);
  }

  /** A 64-bit field as a number; values past 2^53 cannot be offsets into any file we read. */
  u64(offset: number, what: string): number {
    this.check(offset, 8, what);
    const value = this.view.getBigUint64(offset, this.littleEndian);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} is out of range`);
    return Number(value);
  }

  /** A machine word: 4 bytes in a 32-bit file, 8 in a 64-bit one. */
  word(bits: 32 | 64, offset: number, what: string): number {
    return bits === 64 ? this.u64(offset, what) : this.u32(offset, what);
  }

  /**
   * The NUL-terminated string at `offset` of the table [start, end), or undefined when longer than
   * {@link MAX_NAME_BYTES} (no libretro name is): the scan stays short however the table is laid out.
   */
  cString(start: number, end: number, offset: number): string | undefined {
    const from = start + offset;
    if (offset < 0 || from >= end) this.fail('a symbol name lies outside the string table');
    const windowEnd = Math.min(end, from + MAX_NAME_BYTES);
    const stop = this.bytes.subarray(from, windowEnd).indexOf(0);
    if (stop < 0 && windowEnd === end) this.fail('a symbol name runs past the string table');
    return stop < 0 ? undefined : latin1.decode(this.bytes.subarray(from, from + stop));
  }
}

const latin1 = new TextDecoder('latin1');

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

/** Field offsets of the ELF header and section headers, by class. */
const LAYOUT = {
  32: { shoff: 0x20, shentsize: 0x2e, shnum: 0x30, headerSize: 0x34, sh: { type: 4, offset: 16, size: 20, link: 24, entsize: 36, bytes: 40 }, sym: { bytes: 16, info: 12, other: 13, shndx: 14 } },
  64: { shoff: 0x28, shentsize: 0x3a, shnum: 0x3c, headerSize: 0x40, sh: { type: 4, offset: 24, size: 32, link: 40, entsize: 56, bytes: 64 }, sym: { bytes: 24, info: 4, other: 5, shndx: 6 } },
} as const;

/**
 * Parses an ELF file's header and dynamic symbol table.
 * @throws CoreError `CORE_INVALID` when the bytes are not a well-formed ELF file with a dynamic symbol table.
 */
export function readElf(bytes: Uint8Array, label = 'ELF file'): ElfInfo {
  const probe: Reader = new Reader(bytes, true, label);
  if (bytes.length < 16 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) probe.fail('not an ELF file (no \\x7fELF magic)');
  const elfClass = probe.u8(4, 'EI_CLASS');
  if (elfClass !== 1 && elfClass !== 2) probe.fail(`unknown ELF class ${elfClass}`);
  const data = probe.u8(5, 'EI_DATA');
  if (data !== 1 && data !== 2) probe.fail(`unknown ELF byte order ${data}`);
  const bits = elfClass === 2 ? 64 : 32;
  const layout = LAYOUT[bits];
  const r: Reader = new Reader(bytes, data === 1, label);
  if (bytes.length < layout.headerSize) r.fail('truncated ELF header');
  const type = r.u16(16, 'e_type');
  const machine = r.u16(18, 'e_machine');

  const shoff = r.word(bits, layout.shoff, 'e_shoff');
  const shentsize = r.u16(layout.shentsize, 'e_shentsize');
  const shnum = r.u16(layout.shnum, 'e_shnum');
  if (shoff === 0 || shnum === 0) r.fail('no section headers, so no dynamic symbol table to check');
  if (shentsize < layout.sh.bytes) r.fail(`section headers of ${shentsize} bytes, fewer than the ${layout.sh.bytes} of an ELF${bits} one`);
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    sections.push({
      type: r.u32(at + layout.sh.type, 'a section header'),
      offset: r.word(bits, at + layout.sh.offset, 'a section header'),
      size: r.word(bits, at + layout.sh.size, 'a section header'),
      link: r.u32(at + layout.sh.link, 'a section header'),
      entsize: r.word(bits, at + layout.sh.entsize, 'a section header'),
    });
  }
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  if (!dynsym) r.fail('no dynamic symbol table (.dynsym): not a shared library');
  const strtab = sections[dynsym.link];
  if (!strtab) r.fail('the dynamic symbol table names no string table');
  if (strtab.offset + strtab.size > bytes.length) r.fail('the dynamic string table lies outside the file (truncated?)');
  const entsize = dynsym.entsize || layout.sym.bytes;
  if (entsize < layout.sym.bytes) r.fail(`symbols of ${entsize} bytes, fewer than the ${layout.sym.bytes} of an ELF${bits} one`);
  const count = Math.floor(dynsym.size / entsize);
  if (count > MAX_SYMBOLS) r.fail(`${count} dynamic symbols, more than any library has`);
  if (dynsym.offset + count * entsize > bytes.length) r.fail('the dynamic symbol table lies outside the file (truncated?)');

  const exports = new Set<string>();
  const strEnd = strtab.offset + strtab.size;
  for (let i = 1; i < count; i++) {
    const at = dynsym.offset + i * entsize;
    const info = r.u8(at + layout.sym.info, 'a symbol');
    const visibility = r.u8(at + layout.sym.other, 'a symbol') & 3;
    const shndx = r.u16(at + layout.sym.shndx, 'a symbol');
    const binding = info >> 4;
    if (shndx === SHN_UNDEF || (binding !== STB_GLOBAL && binding !== STB_WEAK)) continue;
    if (visibility !== STV_DEFAULT && visibility !== STV_PROTECTED) continue;
    const name = r.cString(strtab.offset, strEnd, r.u32(at, 'a symbol name'));
    if (name !== undefined) exports.add(name);
  }
  return { bits, littleEndian: data === 1, type, machine, exports };
}
