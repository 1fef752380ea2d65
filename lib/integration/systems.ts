/**
 * What integration loading needs to know about a system, read from its descriptor `cores/<system>.json`: file
 * extensions, ROM header rule and button names. Also maps a game folder name to its system.
 */

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../errors.ts';
import { readJsonFile } from './json-file.ts';
import { coresDir } from './paths.ts';

export interface SystemInfo {
  /** Descriptor name, e.g. `nes` (the file is `cores/<system>.json`). */
  system: string;
  /** ROM file extensions without dot; the first is the one `retro import` writes. */
  ext: string[];
  /** `ines`: hashes skip a leading 16-byte iNES header; anything else: the whole file is hashed. */
  romHeader: string;
  /** Button names in bit order (`null` for an unused bit). */
  buttons: (string | null)[];
  /** The descriptor file. */
  file: string;
}

/**
 * stable-retro's folder suffixes whose descriptor has a different name here, so its integration folders work
 * unchanged (`AddamsFamily-GameBoy` uses `cores/gb.json`).
 */
const SYSTEM_ALIASES: Readonly<Record<string, string>> = {
  gameboy: 'gb',
  gbcolor: 'gb',
  gbc: 'gb',
  gbadvance: 'gba',
};

/** The system part of a game name `<Game>-<System>` (after the last `-`, lowercased, aliases applied). */
export function systemOfGame(game: string): string | undefined {
  const dash = game.lastIndexOf('-');
  if (dash <= 0 || dash === game.length - 1) return undefined;
  const suffix = game.slice(dash + 1).toLowerCase();
  return SYSTEM_ALIASES[suffix] ?? suffix;
}

const cache = new Map<string, SystemInfo | null>();

/**
 * The descriptor of a system, or `undefined` when there is no `cores/<system>.json`.
 * @throws CoreError `CORE_DESCRIPTOR_INVALID` when the descriptor lacks the fields used here.
 */
export function loadSystem(system: string): SystemInfo | undefined {
  const cached = cache.get(system);
  if (cached !== undefined) return cached ?? undefined;
  if (!/^[a-z0-9_]+$/.test(system)) return undefined;
  const file = join(coresDir(), `${system}.json`);
  if (!existsSync(file)) {
    cache.set(system, null);
    return undefined;
  }
  const doc = readJsonFile(file) as Record<string, unknown>;
  const invalid = (field: string, why: string): CoreError =>
    new CoreError('CORE_DESCRIPTOR_INVALID', `${file}#/${field}: ${why}`, { file, field: `/${field}` });
  if (doc === null || typeof doc !== 'object') throw invalid('', 'must be an object');
  const { ext, buttons, romHeader } = doc;
  if (!Array.isArray(ext) || ext.length === 0 || !ext.every((e) => typeof e === 'string' && /^[A-Za-z0-9]+$/.test(e))) {
    throw invalid('ext', 'must be a non-empty list of file extensions without dots');
  }
  if (!Array.isArray(buttons) || !buttons.every((b) => b === null || typeof b === 'string')) {
    throw invalid('buttons', 'must be a list of button names (null for unused bits)');
  }
  if (romHeader !== undefined && typeof romHeader !== 'string') throw invalid('romHeader', 'must be a string');
  const info: SystemInfo = {
    system,
    ext: ext.map((e: string) => e.toLowerCase()),
    romHeader: romHeader ?? 'none',
    buttons: buttons as (string | null)[],
    file,
  };
  cache.set(system, info);
  return info;
}

/** Names of every system with a descriptor, sorted. */
export function knownSystems(): string[] {
  let files: string[];
  try {
    files = readdirSync(coresDir());
  } catch {
    return [];
  }
  return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}
