/**
 * Atomic writes into an integration folder: the bytes go to a temp file beside the target, then a rename puts
 * them in place, so a reader (or a crash) sees the old file or the new one, never half of one. Temp names carry
 * the PID, so one left by a killed process is swept by the next write into that folder.
 */

import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { IntegrationError } from '../errors.ts';
import { removeStaleTemps } from '../stale-temp.ts';

/** `.<file>.<pid>-<8 hex>.tmp`: hidden, and not `*.json` or `*.state`, so no loader mistakes one for a real file. */
const TEMP_NAME = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;
const swept = new Set<string>();

export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  const dir = dirname(resolve(path));
  if (!swept.has(dir)) {
    swept.add(dir);
    removeStaleTemps(dir, TEMP_NAME, 'file');
  }
  const temp = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, contents, { flag: 'wx' });
    renameSync(temp, path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(temp, { force: true });
    const reason = `cannot write: ${(cause as Error).message}`;
    throw new IntegrationError('FILE_UNREADABLE', `${path}: ${reason}`, { file: path, reason }, { cause });
  }
}

/** JSON as the integration files are written: two-space indent, trailing newline. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
