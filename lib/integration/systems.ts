/**
 * What integration loading needs to know about a system, read from its descriptor `cores/<system>.json`: file
 * extensions, ROM header rule, button names and sticks. Also maps a game folder name to its system.
 */

import { join } from 'node:path';
import { coresDir, listSystems, loadCoreDescriptor } from '../core/descriptor.ts';

export interface SystemInfo {
  /** Descriptor name, e.g. `nes` (the file is `cores/<system>.json`). */
  system: string;
  /** ROM file extensions without dot; the first is the one `retro import` writes. */
  ext: string[];
  /** `ines`: hashes skip a leading 16-byte iNES header; anything else: the whole file is hashed. */
  romHeader: string;
  /** Button names in bit order (`null` for an unused bit). */
  buttons: (string | null)[];
  /** Analog sticks per pad (the descriptor's `sticks`, 0 without). */
  sticks: number;
  /** The address blocks RAM variables may live in (the descriptor's `memory`). */
  memory: { start: number; length: number; region: string }[];
  /** The descriptor file. */
  file: string;
}

/**
 * stable-retro's folder suffixes whose descriptor has a different name here, so its integration folders work
 * unchanged (`AddamsFamily-GameBoy` uses `cores/gb.json`, `*-PCEngine` `cores/pce.json`).
 */
const SYSTEM_ALIASES: Readonly<Record<string, string>> = {
  gameboy: 'gb',
  gbcolor: 'gb',
  gbc: 'gb',
  gbadvance: 'gba',
  pcengine: 'pce',
};

/** The system part of a game name `<Game>-<System>` (after the last `-`, lowercased, aliases applied). */
export function systemOfGame(game: string): string | undefined {
  const dash = game.lastIndexOf('-');
  if (dash <= 0 || dash === game.length - 1) return undefined;
  const suffix = game.slice(dash + 1).toLowerCase();
  return SYSTEM_ALIASES[suffix] ?? suffix;
}

/**
 * The descriptor of a system, or `undefined` when there is no `cores/<system>.json`.
 * @throws CoreError `CORE_DESCRIPTOR_INVALID` when the descriptor breaks its schema.
 */
export function loadSystem(system: string): SystemInfo | undefined {
  if (!knownSystems().includes(system)) return undefined;
  const descriptor = loadCoreDescriptor(system);
  return {
    system,
    ext: descriptor.ext,
    romHeader: descriptor.romHeader ?? 'none',
    buttons: descriptor.buttons,
    sticks: descriptor.sticks ?? 0,
    memory: descriptor.memory.map(({ start, length, region }) => ({ start, length, region })),
    file: join(coresDir(), `${system}.json`),
  };
}

/** Names of every system with a descriptor, sorted. */
export function knownSystems(): string[] {
  return listSystems();
}
