/**
 * Temp files and folders carry the PID of the process that made them, so one that outlived its process (a crash, a
 * kill -9) can be told apart from one in use, and removed by a later process. Nothing is removed unless its owner
 * is known to be gone: a PID that cannot be checked counts as alive.
 */

import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this PID exists. Only "no such process" counts as dead (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true; // 0 and negatives name process groups: never ours to judge
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Whether a temp entry of the right kind belongs to this user (not a symlink someone planted). */
function isOurs(path: string, kind: 'file' | 'directory'): boolean {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return false;
  }
  const kindMatches = kind === 'directory' ? stat.isDirectory() : stat.isFile();
  const uid = process.getuid?.();
  return kindMatches && (uid === undefined || stat.uid === uid);
}

/**
 * Removes the entries of `dir` whose name matches `pattern` (the group that matched: the owning PID) when that
 * process is gone. Only entries of `kind` owned by this user; errors are ignored (a sweep is housekeeping, never a
 * failure). Returns the names removed.
 */
export function removeStaleTemps(dir: string, pattern: RegExp, kind: 'file' | 'directory'): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = pattern.exec(name)?.slice(1).find((group) => group !== undefined);
    if (owner === undefined || processAlive(Number(owner))) continue;
    const path = join(dir, name);
    if (!isOurs(path, kind)) continue;
    try {
      rmSync(path, { recursive: kind === 'directory', force: true });
      removed.push(name);
    } catch {
      // In use or not ours after all: leave it.
    }
  }
  return removed;
}
