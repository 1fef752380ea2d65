/**
 * `retro cores install` / `remove`: cores from the libretro buildbot's nightly builds (the source RetroArch's
 * online updater uses) into the user's cores folder. A core is only ever put in place whole and checked: the zip is
 * downloaded to a temp file, its one entry extracted and checked as an ELF core for this machine, written to a
 * second temp file, fsynced, and renamed over the final name. A failure at any step leaves the folder as it was.
 */

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError, RetroError } from '../errors.ts';
import { ArchiveError, fileSource, listZipEntries, readZipEntry } from '../integration/zip-reader.ts';
import { removeStaleTemps } from '../stale-temp.ts';
import { checkCoreFile } from './core-file-check.ts';
import { downloadToFile, MAX_DOWNLOAD_BYTES, type DownloadOptions } from './download.ts';
import { checkCoreName, coreFileName, writableUserCoresDir } from './user-cores.ts';

/** The buildbot folder of this platform's latest nightly cores, each `<name>_libretro.so.zip`. */
export const DEFAULT_CORES_URL = 'https://buildbot.libretro.com/nightly/linux/x86_64/latest';

/** Temp files of installs: `.<file>.<pid>-<8 hex>.tmp`; a later install removes those of dead processes. */
const INSTALL_TEMP_NAME = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;

export interface InstallOptions extends Pick<DownloadOptions, 'onProgress' | 'idleTimeoutMs'> {
  /** Base URL of the cores folder; default `RETRO_CORES_URL`, else {@link DEFAULT_CORES_URL}. */
  url?: string;
  /** Environment for `XDG_DATA_HOME` / `HOME` / `RETRO_CORES_URL`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface InstalledCore {
  name: string;
  path: string;
  url: string;
  bytes: number;
}

/** The base URL installs download from. */
export function coresBaseUrl(options: Pick<InstallOptions, 'url' | 'env'> = {}): string {
  return (options.url ?? (options.env ?? process.env).RETRO_CORES_URL ?? DEFAULT_CORES_URL).replace(/\/+$/, '');
}

function tempName(dir: string, file: string): string {
  return join(dir, `.${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** The user's cores folder, made if need be, with other processes' abandoned temp files swept. */
function prepareCoresDir(env: NodeJS.ProcessEnv): string {
  const dir = writableUserCoresDir(env);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new CoreError('DATA_DIR_INVALID', `cannot make the cores folder ${dir}: ${(error as Error).message}; set XDG_DATA_HOME to a folder of yours`, { file: dir }, { cause: error });
  }
  removeStaleTemps(dir, INSTALL_TEMP_NAME, 'file');
  return dir;
}

/** Writes `bytes` to a new file and flushes it to disk. */
function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entries (the rename) to disk; some filesystems refuse, which costs only durability. */
function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The core is installed either way.
  }
}

/** The core file out of a buildbot zip (one entry, `<name>_libretro.so`), checked as a core for this machine. */
function extractCore(zipPath: string, file: string, url: string): Uint8Array {
  const source = fileSource(zipPath);
  try {
    const labelled = { ...source, label: url }; // errors name the URL, not the temp file
    const entries = listZipEntries(labelled);
    const entry = entries.find((e) => e.name === file);
    if (!entry) {
      throw new ArchiveError('ARCHIVE_INVALID', url, `has no ${file} (it holds ${entries.map((e) => e.name).join(', ') || 'nothing'})`);
    }
    const bytes = readZipEntry(labelled, entry, MAX_DOWNLOAD_BYTES);
    checkCoreFile(bytes, `${url}!/${file}`);
    return bytes;
  } finally {
    source.close();
  }
}

/**
 * Downloads, checks and installs one core by name (`fceumm`).
 * @throws CoreError `CORE_DOWNLOAD_FAILED` (HTTP error, broken connection, truncated body), `CORE_INVALID` (not a
 *   core for this machine); ArchiveError `ARCHIVE_INVALID` (a damaged zip); ArgumentError for a bad name. Nothing is
 *   left in the cores folder on failure, and an installed core of that name stays as it was.
 */
export async function installCore(name: string, options: InstallOptions = {}): Promise<InstalledCore> {
  const env = options.env ?? process.env;
  checkCoreName(name, 'core name');
  const file = coreFileName(name);
  const url = `${coresBaseUrl(options)}/${file}.zip`;
  const dir = prepareCoresDir(env);
  const zipTemp = tempName(dir, `${file}.zip`);
  const coreTemp = tempName(dir, file);
  const path = join(dir, file);
  try {
    await downloadToFile(url, zipTemp, { onProgress: options.onProgress, idleTimeoutMs: options.idleTimeoutMs });
    const bytes = extractCore(zipTemp, file, url);
    writeDurably(coreTemp, bytes);
    renameSync(coreTemp, path);
    syncFolder(dir);
    return { name, path, url, bytes: bytes.length };
  } catch (error) {
    if (error instanceof RetroError) throw error;
    throw new CoreError('DATA_DIR_INVALID', `cannot install ${file} into ${dir}: ${(error as Error).message}`, { file: path }, { cause: error });
  } finally {
    rmSync(zipTemp, { force: true });
    rmSync(coreTemp, { force: true });
  }
}

/**
 * Removes a core `retro cores install` put in the user's cores folder; returns its path.
 * @throws CoreError `CORE_NOT_FOUND` when that folder has no such core (cores elsewhere are not ours to remove).
 */
export function removeCore(name: string, env: NodeJS.ProcessEnv = process.env): string {
  checkCoreName(name, 'core name');
  const dir = writableUserCoresDir(env);
  const path = join(dir, coreFileName(name));
  if (!existsSync(path)) {
    throw new CoreError('CORE_NOT_FOUND', `${name} is not installed in ${dir} (retro cores remove removes only the cores retro cores install put there)`, { file: path });
  }
  rmSync(path, { force: true });
  syncFolder(dir);
  return path;
}
