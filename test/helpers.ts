import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.ts';

/** Our own test ROMs (homebrew/test), with the RAM layout their sources document. */
export const testRoms = {
  nes: join(packageRoot(), 'homebrew', 'test', 'nes-test.nes'),
  snes: join(packageRoot(), 'homebrew', 'test', 'snes-test.sfc'),
  pce: join(packageRoot(), 'homebrew', 'test', 'pce-test.pce'),
};

/** Bus addresses of the test ROMs' RAM contract. */
export const nesRam = { pad1: 0x10, pad2: 0x11, frame: 0x12, aFrames: 0x14, x: 0x15, y: 0x16, lfsr: 0x17, pad2Frames: 0x18 };
export const snesRam = {
  pad1: 0x7e0010,
  pad2: 0x7e0012,
  frame: 0x7e0014,
  aFrames: 0x7e0016,
  x: 0x7e0017,
  y: 0x7e0018,
  lfsr: 0x7e0019,
};
/** PC Engine: work RAM offsets from stable-retro's base 0xF80000. */
export const pceRam = {
  pad: 0xf80010,
  frame: 0xf80012,
  iFrames: 0xf80014,
  x: 0xf80015,
  y: 0xf80016,
  lfsr: 0xf80017,
  iiFrames: 0xf80018,
};

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'rgym-test-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** FNV-1a over bytes: a cheap fingerprint to compare frames. */
export function fingerprint(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}
