import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { StateError } from './errors.ts';
import { removeStaleTemps } from './stale-temp.ts';

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

/**
 * Temp files of state writes: `<file>.<pid>-<8 hex>.tmp`, or `<file>.state.<pid>.tmp` as older versions named
 * them; `pid` is the writing process.
 */
const STATE_TEMP_NAME = /^.+\.(?:(\d+)-[0-9a-f]{8}|state\.(\d+))\.tmp$/;
const sweptStateDirs = new Set<string>();

/** Removes the temp files left by processes that died mid-write, once per folder and process. */
function sweepStaleStateTemps(dir: string): void {
  if (sweptStateDirs.has(dir)) return;
  sweptStateDirs.add(dir);
  removeStaleTemps(dir, STATE_TEMP_NAME, 'file');
}

/**
 * Writes atomically (temp file + rename), so a crash never leaves half a state behind. The temp file is named
 * after this process; one left by a process that died mid-write is removed by the next write into its folder.
 */
export function writeStateFile(path: string, state: Uint8Array): void {
  sweepStaleStateTemps(dirname(resolve(path)));
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    // 'wx': never write through a file or link already there.
    writeFileSync(temp, gzipSync(state), { flag: 'wx' });
    renameSync(temp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') removeQuietly(temp);
    throw new StateError('STATE_INVALID', `cannot write state file ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Not a file we could have made; the write's own error is the one to report.
  }
}
