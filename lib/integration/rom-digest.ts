/**
 * SHA-1 of a ROM computed chunk by chunk, so `retro import` can recognise a file or archive entry without holding
 * it: the plain hash, for bytes that start with an iNES header also the hash without it, and for an N64 ROM in the
 * .v64 or .n64 byte order the hash of its big-endian (.z64) image (what {@link hashRom} gives under each header rule).
 */

import { createHash, type Hash } from 'node:crypto';
import { hasInesHeader } from './rom-hash.ts';
import { N64_SWAP_GROUP, n64ByteOrderOf } from '../n64/rom-format.ts';

const INES_HEADER_BYTES = 16;

export interface RomDigest {
  /** SHA-1 of all the bytes. */
  sha1: string;
  /** SHA-1 past the 16-byte iNES header, when the bytes start with one. */
  sha1WithoutInesHeader?: string;
  /** SHA-1 of the big-endian (.z64) image, when the bytes are an N64 ROM in another byte order. */
  sha1AsZ64?: string;
}

export class RomHasher {
  private readonly whole = createHash('sha1');
  private readonly head = new Uint8Array(INES_HEADER_BYTES);
  private headLength = 0;
  private pastHeader: Hash | undefined;
  private asZ64: { hash: Hash; group: number; carry: Uint8Array } | undefined;
  private start: Uint8Array | undefined = new Uint8Array(0);  // the first bytes, until there are 4 to tell the order

  update(chunk: Uint8Array): void {
    this.whole.update(chunk);
    this.updateAsZ64(chunk);
    if (this.headLength === INES_HEADER_BYTES) {
      this.pastHeader?.update(chunk);
      return;
    }
    const taken = Math.min(INES_HEADER_BYTES - this.headLength, chunk.length);
    this.head.set(chunk.subarray(0, taken), this.headLength);
    this.headLength += taken;
    if (this.headLength === INES_HEADER_BYTES && hasInesHeader(this.head)) {
      this.pastHeader = createHash('sha1').update(chunk.subarray(taken));
    }
  }

  digest(): RomDigest {
    const digest: RomDigest = { sha1: this.whole.digest('hex') };
    if (this.pastHeader) digest.sha1WithoutInesHeader = this.pastHeader.digest('hex');
    // A byte-swapped image that does not end on a whole group is no N64 ROM: no big-endian hash.
    if (this.asZ64 && this.asZ64.carry.length === 0) digest.sha1AsZ64 = this.asZ64.hash.digest('hex');
    return digest;
  }

  /** Hashes the chunk byte-swapped into big-endian order, once the first 4 bytes showed a .v64 or .n64 mark. */
  private updateAsZ64(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.start !== undefined) {
      this.start = concat(this.start, chunk);
      if (this.start.length < 4) return;
      const order = n64ByteOrderOf(this.start);
      if (order !== undefined && order !== 'z64') this.asZ64 = { hash: createHash('sha1'), group: N64_SWAP_GROUP[order], carry: new Uint8Array(0) };
      bytes = this.start;
      this.start = undefined;
    }
    if (!this.asZ64) return;
    const { group } = this.asZ64;
    if (this.asZ64.carry.length > 0) bytes = concat(this.asZ64.carry, bytes);
    const whole = bytes.length - (bytes.length % group);
    const swapped = new Uint8Array(whole);
    for (let base = 0; base < whole; base += group) {
      for (let i = 0; i < group; i++) swapped[base + i] = bytes[base + group - 1 - i]!;
    }
    this.asZ64.hash.update(swapped);
    this.asZ64.carry = bytes.slice(whole);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The hash a ROM has under a system's header rule (as {@link hashRom} would compute it). */
export function digestUnderRule(digest: RomDigest, romHeader: string): string {
  if (romHeader === 'ines' && digest.sha1WithoutInesHeader !== undefined) return digest.sha1WithoutInesHeader;
  if (romHeader === 'n64' && digest.sha1AsZ64 !== undefined) return digest.sha1AsZ64;
  return digest.sha1;
}
