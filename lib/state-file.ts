import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { StateError } from './errors.ts';

/**
 * `.state` files as stable-retro writes them: the gzip of the core's raw `retro_serialize` output. Reading also
 * accepts an uncompressed state, which some tools produce.
 */
export function readStateFile(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new StateError('STATE_NOT_FOUND', `cannot read state file ${path}: ${(e as Error).message}`, { file: path });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (e) {
      throw new StateError('STATE_INVALID', `state file ${path} is not valid gzip: ${(e as Error).message}`, { file: path });
    }
  }
  return bytes;
}

/** Writes atomically (temp file + rename), so a crash never leaves half a state behind. */
export function writeStateFile(path: string, state: Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, gzipSync(state));
  renameSync(temp, path);
}
