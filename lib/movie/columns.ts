/**
 * The button columns of a `.bk2` input log and the `Platform` names of its header, per system, as stable-retro
 * writes them. A movie's button bits are our cores' descriptor bits (cores/<system>.json), which are stable-retro's
 * button indices too: the descriptors list the same buttons in the same order as stable-retro's cores/*.json.
 */

import { loadCoreDescriptor } from '../core/descriptor.ts';
import { ArgumentError } from '../errors.ts';

/** One button of one player in the input log. */
export interface Column {
  /** The descriptor's name of the button (`START`). */
  button: string;
  /** Its bit in a button mask. */
  bit: number;
  /** Its name in the log key, without the player (`Start`). */
  name: string;
  /** The character a pressed button shows in a frame line (`S`); a released one shows `.`. */
  mnemonic: string;
}

/** BizHawk's names and mnemonics of the buttons our systems have. */
const BUTTON_NAMES: Readonly<Record<string, { name: string; mnemonic: string }>> = {
  A: { name: 'A', mnemonic: 'A' },
  B: { name: 'B', mnemonic: 'B' },
  X: { name: 'X', mnemonic: 'X' },
  Y: { name: 'Y', mnemonic: 'Y' },
  L: { name: 'L', mnemonic: 'l' },
  R: { name: 'R', mnemonic: 'r' },
  UP: { name: 'Up', mnemonic: 'U' },
  DOWN: { name: 'Down', mnemonic: 'D' },
  LEFT: { name: 'Left', mnemonic: 'L' },
  RIGHT: { name: 'Right', mnemonic: 'R' },
  START: { name: 'Start', mnemonic: 'S' },
  SELECT: { name: 'Select', mnemonic: 's' },
};

/** The `Platform` stable-retro writes for each of our systems (its core name, shortened for NES and SNES). */
const PLATFORM_WRITTEN: Readonly<Record<string, string>> = { nes: 'NES', snes: 'SNES', gb: 'GameBoy', gba: 'GbAdvance' };

/** Every `Platform` we read: stable-retro's, its core names, and BizHawk's system ids. */
const PLATFORM_READ: Readonly<Record<string, string>> = {
  NES: 'nes',
  Nes: 'nes',
  SNES: 'snes',
  Snes: 'snes',
  GameBoy: 'gb',
  GbColor: 'gb',
  GB: 'gb',
  GBC: 'gb',
  GbAdvance: 'gba',
  GBA: 'gba',
};

/** The header's `Platform` for a system. */
export function platformOf(system: string): string {
  const platform = PLATFORM_WRITTEN[system];
  if (platform === undefined) throw new ArgumentError('INVALID_ARGUMENT', `movies of system "${system}" are not supported (supported: ${Object.keys(PLATFORM_WRITTEN).join(', ')})`);
  return platform;
}

/** Our system for a header's `Platform`, or undefined for one we cannot replay. */
export function systemOfPlatform(platform: string): string | undefined {
  return Object.hasOwn(PLATFORM_READ, platform) ? PLATFORM_READ[platform] : undefined;
}

/** Platforms we can read, for error messages. */
export const READABLE_PLATFORMS = Object.keys(PLATFORM_READ);

/**
 * One player's columns in the order stable-retro writes them: highest button bit first (its keymap's iteration
 * order), buttons without a name (the descriptor's nulls) left out.
 */
export function columnsOf(system: string): Column[] {
  const buttons = loadCoreDescriptor(system).buttons;
  const columns: Column[] = [];
  for (let bit = buttons.length - 1; bit >= 0; bit--) {
    const button = buttons[bit];
    if (button === null || !Object.hasOwn(BUTTON_NAMES, button)) continue;
    columns.push({ button, bit, ...BUTTON_NAMES[button] });
  }
  return columns;
}

/** The column a log key's button name (`Start`, any case) stands for in a system, if it has that button. */
export function columnNamed(system: string, name: string): Column | undefined {
  return columnsOf(system).find((c) => c.name.toLowerCase() === name.toLowerCase());
}
