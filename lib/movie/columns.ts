/**
 * The button columns of a `.bk2` input log and the `Platform` names of its header, per system, as stable-retro
 * writes them. Both come from our core descriptors (cores/<system>.json): a movie's button bits are the
 * descriptor's bits, which are stable-retro's button indices too (the descriptors list the same buttons in the same
 * order as stable-retro's cores/*.json), and its platforms are the descriptor's `moviePlatforms`.
 */

import { listSystems, loadCoreDescriptor } from '../core/descriptor.ts';
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

/** The header's `Platform` for a system: the first of its descriptor's `moviePlatforms`. */
export function platformOf(system: string): string {
  const platform = loadCoreDescriptor(system).moviePlatforms?.[0];
  if (platform === undefined) {
    const supported = listSystems().filter((s) => loadCoreDescriptor(s).moviePlatforms !== undefined);
    throw new ArgumentError('INVALID_ARGUMENT', `movies of system "${system}" are not supported (supported: ${supported.join(', ')})`);
  }
  return platform;
}

/** Our system for a header's `Platform` (any of a descriptor's `moviePlatforms`), or undefined for one we cannot replay. */
export function systemOfPlatform(platform: string): string | undefined {
  return listSystems().find((s) => loadCoreDescriptor(s).moviePlatforms?.includes(platform));
}

/** Platforms we can read, for error messages. */
export function readablePlatforms(): string[] {
  return listSystems().flatMap((s) => loadCoreDescriptor(s).moviePlatforms ?? []);
}

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
