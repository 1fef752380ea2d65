/**
 * SHA-1 of a ROM computed chunk by chunk, so `retro import` can recognise a file or archive entry without holding
 * it: the plain hash, and for bytes that start with an iNES header also the hash without it (the two
 * {@link hashRom} gives under the header rules).
 */

import { createHash, type Hash } from 'node:crypto';
import { hasInesHeader } from './rom-hash.ts';

const INES_HEADER_BYTES = 16;

export interface RomDigest {
  /** SHA-1 of all the bytes. */
  sha1: string;
  /** SHA-1 past the 16-byte iNES header, when the bytes start with one. */
  sha1WithoutInesHeader?: string;
}

export class RomHasher {
  private readonly whole = createHash('sha1');
  private readonly head = new Uint8Array(INES_HEADER_BYTES);
  private headLength = 0;
  private pastHeader: Hash | undefined;

  update(chunk: Uint8Array): void {
    this.whole.update(chunk);
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
    const sha1 = this.whole.digest('hex');
    return this.pastHeader ? { sha1, sha1WithoutInesHeader: this.pastHeader.digest('hex') } : { sha1 };
  }
}

/** The hash a ROM has under a system's header rule (as {@link hashRom} would compute it). */
export function digestUnderRule(digest: RomDigest, romHeader: string): string {
  return romHeader === 'ines' && digest.sha1WithoutInesHeader !== undefined ? digest.sha1WithoutInesHeader : digest.sha1;
}
