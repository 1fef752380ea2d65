import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { StateError } from './errors.ts';

/**
 * `.state` files as stable-retro writes them: the gzip of the core's raw `retro_serialize` output. Reading also
 * accepts an uncompressed state, which some tools produce.
 */
/**
 * The largest state we read, compressed or not: well above any libretro core's (SNES ~320 KB, PlayStation ~4.5 MB,
 * Nintendo 64 ~16 MB), and far below what a gzip bomb inflates to (a 1 MB file to 1 GiB).
 */
export const MAX_STATE_BYTES = 64 * 1024 * 1024;

export function readStateFile(path: string): Buffer {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_STATE_BYTES) throw new StateError('STATE_INVALID', `state file ${path} has ${size} bytes, more than any core's state (cap ${MAX_STATE_BYTES})`, { file: path });
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof StateError) throw e;
    throw new StateError('STATE_NOT_FOUND', `cannot read state file ${path}: ${(e as Error).message}`, { file: path });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes, { maxOutputLength: MAX_STATE_BYTES });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new StateError('STATE_INVALID', `state file ${path} inflates to more than ${MAX_STATE_BYTES} bytes, more than any core's state`, { file: path });
      }
      throw new StateError('STATE_INVALID', `state file ${path} is not valid gzip: ${(e as Error).message}`, { file: path });
    }
  }
  return bytes;
}

/** Writes atomically (temp file + rename), so a crash never leaves half a state behind. */
export function writeStateFile(path: string, state: Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, gzipSync(state));
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new StateError('STATE_INVALID', `cannot write state file ${path}: ${(e as Error).message}`, { file: path });
  }
}
