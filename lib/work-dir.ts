/**
 * Every emulator gets a private folder in the OS temp dir (the core's system and save dir, ROM copies for cores
 * that need a file). It is removed on close(); when the emulator is garbage-collected unclosed; at exit; and, should
 * the process die before any of those, by the next process that makes one: the folder is named after its PID.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleTemps } from './stale-temp.ts';

const PREFIX = 'libretro-gym-';
/** `libretro-gym-<pid>-XXXXXX`, as mkdtemp names them; older unnamed ones are left alone. */
const WORK_DIR_NAME = /^libretro-gym-(\d+)-[A-Za-z0-9]{6}$/;

const liveWorkDirs = new Set<string>();
const sweptTempDirs = new Set<string>();
let exitHookInstalled = false;

// Held value: the folder; unregister token: the object it was tied to.
const collected = new FinalizationRegistry<string>((dir) => removeWorkDir(dir));

/** Removes the work dirs of processes that are gone, once per temp dir (TMPDIR may change, in tests). */
function sweepStaleWorkDirs(root: string): void {
  if (sweptTempDirs.has(root)) return;
  sweptTempDirs.add(root);
  removeStaleTemps(root, WORK_DIR_NAME, 'directory');
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const dir of liveWorkDirs) removeWorkDir(dir);
  });
}

/** Makes a new work dir, named after this process. */
export function createWorkDir(): string {
  const root = tmpdir();
  sweepStaleWorkDirs(root);
  const dir = mkdtempSync(join(root, `${PREFIX}${process.pid}-`));
  liveWorkDirs.add(dir);
  installExitHook();
  return dir;
}

/** Removes the work dir once `owner` is garbage-collected, unless {@link releaseWorkDir} is called first. */
export function removeWorkDirWith(owner: object, dir: string): void {
  collected.register(owner, dir, owner);
}

/** Removes a work dir now (on close); `owner` is what it was tied to with {@link removeWorkDirWith}, if anything. */
export function releaseWorkDir(dir: string, owner?: object): void {
  if (owner) collected.unregister(owner);
  removeWorkDir(dir);
}

function removeWorkDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Still in use (Windows) or already gone: the exit hook or the next process's sweep gets it.
    return;
  }
  liveWorkDirs.delete(dir);
}
