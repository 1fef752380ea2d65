/**
 * A new integration folder for a ROM no integration knows yet: `rom.sha` from the ROM's SHA-1 (hashed as
 * `retro import` hashes it), the system from its extension, and an empty data.json, scenario.json and
 * metadata.json that validate. The folder is built under a temp name, validated, then renamed into place whole.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { loadCoreDescriptor, systemForExtension } from '../core/descriptor.ts';
import { ArgumentError, RomError } from '../errors.ts';
import { inspectIntegration } from '../integration/integration.ts';
import { problemsError } from '../integration/problems.ts';
import { hashRomFile } from '../integration/rom-hash.ts';
import { importRoms } from '../integration/rom-import.ts';
import { systemOfGame } from '../integration/systems.ts';
import type { LookupOptions } from '../integration/paths.ts';
import { removeStaleTemps } from '../stale-temp.ts';
import { jsonText } from './atomic-file.ts';

export interface NewIntegrationOptions extends Pick<LookupOptions, 'dataDir' | 'env'> {
  /** Folder name `<Game>-<System>` (default: from the ROM's file name and system, e.g. `MyGame-Nes`). */
  name?: string;
  /** Folder to create it in (default: the current directory). */
  dir?: string;
  /** Copy the ROM into the data dir as `retro import` does, so `make(name)` finds it (default true). */
  importRom?: boolean;
}

export interface NewIntegration {
  name: string;
  /** Absolute path of the new folder. */
  dir: string;
  system: string;
  sha1: string;
  /** Where the ROM was imported to, when it was. */
  romPath?: string;
}

/** stable-retro's folder suffixes where they are not just the capitalised system id. */
const FOLDER_SUFFIX: Readonly<Record<string, string>> = { gb: 'GameBoy', gba: 'GbAdvance' };

/** `<Game>-<System>` from a ROM file name: words capitalised and joined, other characters dropped. */
export function defaultIntegrationName(romFile: string, system: string): string {
  const stem = basename(romFile, extname(romFile)).replace(/\(.*?\)|\[.*?\]/g, ' ');
  const game = stem.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Game';
  return `${game}-${FOLDER_SUFFIX[system] ?? system[0].toUpperCase() + system.slice(1)}`;
}

const TEMP_DIR = /^\.retro-new-(\d+)-[0-9a-f]{8}$/;

/**
 * Creates the folder.
 * @throws RomError `ROM_NOT_FOUND` / `ROM_INVALID` for a missing ROM or an extension no system has;
 *   ArgumentError `INVALID_ARGUMENT` for a bad name, a name of another system, or a folder that exists.
 */
export function createIntegration(rom: string, options: NewIntegrationOptions = {}): NewIntegration {
  const romPath = resolve(rom);
  if (!existsSync(romPath)) throw new RomError('ROM_NOT_FOUND', `cannot read ROM ${romPath}: no such file`, { file: romPath });
  const system = systemForExtension(extname(romPath));
  if (!system) throw new RomError('ROM_INVALID', `cannot tell the system of ${romPath} from its extension '${extname(romPath)}'`, { file: romPath });
  const name = options.name ?? defaultIntegrationName(romPath, system);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.]*-[A-Za-z0-9]+$/.test(name)) {
    throw new ArgumentError('INVALID_ARGUMENT', `'${name}' is not an integration name: <Game>-<System>, letters, digits, '_' and '.' (e.g. ${defaultIntegrationName(romPath, system)})`, { field: 'name' });
  }
  if (systemOfGame(name) !== system) {
    throw new ArgumentError('INVALID_ARGUMENT', `'${name}' names system '${systemOfGame(name)}', but ${basename(romPath)} is a ${system} ROM (e.g. ${defaultIntegrationName(romPath, system)})`, { field: 'name' });
  }
  const parent = resolve(options.dir ?? '.');
  const target = join(parent, name);
  if (existsSync(target)) throw new ArgumentError('INVALID_ARGUMENT', `${target} already exists`, { file: target });
  const sha1 = hashRomFile(romPath, loadCoreDescriptor(system).romHeader ?? 'none');

  mkdirSync(parent, { recursive: true });
  removeStaleTemps(parent, TEMP_DIR, 'directory');
  const temp = join(parent, `.retro-new-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const staged = join(temp, name);
    mkdirSync(staged, { recursive: true });
    writeFileSync(join(staged, 'rom.sha'), sha1 + '\n');
    writeFileSync(join(staged, 'data.json'), jsonText({ info: {} }));
    writeFileSync(join(staged, 'scenario.json'), jsonText({ reward: { variables: {} }, done: { variables: {} } }));
    writeFileSync(join(staged, 'metadata.json'), jsonText({}));
    const { problems } = inspectIntegration(staged);
    if (problems.length > 0) throw problemsError(problems);
    renameSync(staged, target);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  const created: NewIntegration = { name, dir: target, system, sha1 };
  if (options.importRom !== false) {
    const report = importRoms([romPath], { integrationPaths: [parent], dataDir: options.dataDir, env: options.env });
    const imported = report.games.find((g) => g.game === name);
    if (imported) created.romPath = imported.path;
  }
  return created;
}
