/**
 * The button columns of a `.bk2` input log and the `Platform` names of its header, per system, as stable-retro
 * writes them. Both come from our core descriptors (cores/<system>.json): a movie's button bits are the
 * descriptor's bits, which are stable-retro's button indices too (the descriptors list the same buttons in the same
 * order as stable-retro's cores/*.json), and its platforms are the descriptor's `moviePlatforms`. Buttons are
 * written as stable-retro spells them, or as BizHawk does where stable-retro has no name, and read in either
 * spelling, so BizHawk's movies of these systems are read too.
 */

import { listSystems, loadCoreDescriptor } from '../core/descriptor.ts';
import { ArgumentError } from '../errors.ts';

/** One button of one player in the input log. */
export interface Column {
  /** The descriptor's name of the button (`START`). */
  button: string;
  /** Its bit in a button mask; -1 for a key the reader skips (see {@link skippedColumnNamed}). */
  bit: number;
  /** Its name in the log key, without the player (`Start`). */
  name: string;
  /** The character a pressed button shows in a frame line (`S`); a released one shows `.`. */
  mnemonic: string;
}

/** How a log key names a button, and the character a pressed one shows in a frame line. */
interface Spelling {
  name: string;
  mnemonic: string;
}

const spelling = (name: string, mnemonic: string): Spelling => ({ name, mnemonic });

/** stable-retro's names and mnemonics of the descriptors' buttons (its movie-bk2.cpp), which BizHawk uses too. */
const BUTTON_NAMES: Readonly<Record<string, Spelling>> = {
  A: spelling('A', 'A'),
  B: spelling('B', 'B'),
  C: spelling('C', 'C'),
  X: spelling('X', 'X'),
  Y: spelling('Y', 'Y'),
  Z: spelling('Z', 'Z'),
  L: spelling('L', 'l'),
  R: spelling('R', 'r'),
  UP: spelling('Up', 'U'),
  DOWN: spelling('Down', 'D'),
  LEFT: spelling('Left', 'L'),
  RIGHT: spelling('Right', 'R'),
  START: spelling('Start', 'S'),
  SELECT: spelling('Select', 's'),
  MODE: spelling('Mode', 'M'),
  BUTTON: spelling('Button', 'B'),
};

/** BizHawk's Master System and Game Gear pads call B and A "B1" and "B2" (buttons 1 and 2). */
const SEGA_8_BIT: Readonly<Record<string, readonly Spelling[]>> = {
  B: [BUTTON_NAMES.B, spelling('B1', '1')],
  A: [BUTTON_NAMES.A, spelling('B2', '2')],
};

/**
 * Where a system's buttons are spelled otherwise, every spelling read is listed, the first being written. Names
 * and mnemonics are BizHawk's (its controller definitions and Bk2MnemonicLookup): the PC Engine's are TurboNyma's
 * (I to VI) and PCEHawk's (B1, B2), since stable-retro names none of them and writes only its pad's directions and
 * Select. Reset and Pause, which stable-retro leaves out, get BizHawk's names so our own movies keep them.
 */
const SYSTEM_NAMES: Readonly<Record<string, Readonly<Record<string, readonly Spelling[]>>>> = {
  sms: { ...SEGA_8_BIT, PAUSE: [spelling('Pause', 'p')] },
  gamegear: SEGA_8_BIT,
  atari2600: { RESET: [spelling('Reset', 'r')] },
  pce: {
    I: [spelling('I', '1'), spelling('B1', '1')],
    II: [spelling('II', '2'), spelling('B2', '2')],
    III: [spelling('III', '3')],
    IV: [spelling('IV', '4')],
    V: [spelling('V', '5')],
    VI: [spelling('VI', '6')],
    RUN: [spelling('Run', 'R')],
  },
};

/**
 * Buttons BizHawk puts among the console's (the log key's group without a player) rather than on a pad: the
 * Atari 2600's Select and Reset switches and the Master System's Pause button. The cores read them from player 1.
 */
const CONSOLE_BUTTONS: Readonly<Record<string, readonly string[]>> = {
  atari2600: ['SELECT', 'RESET'],
  sms: ['PAUSE'],
};

/** Keys of BizHawk's pads that are no button of ours, read and skipped: TurboNyma's 2/6-button mode switch. */
const SKIPPED_KEYS: Readonly<Record<string, readonly Spelling[]>> = {
  pce: [spelling('Mode: Set 2-button', 'm'), spelling('Mode: Set 6-button', 'M')],
};

function spellings(system: string, button: string): readonly Spelling[] {
  const own = SYSTEM_NAMES[system]?.[button];
  if (own) return own;
  return Object.hasOwn(BUTTON_NAMES, button) ? [BUTTON_NAMES[button]] : [];
}

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
 * order), buttons without a name (the descriptor's nulls) left out. Each is spelled as it is written.
 */
export function columnsOf(system: string): Column[] {
  const buttons = loadCoreDescriptor(system).buttons;
  const columns: Column[] = [];
  for (let bit = buttons.length - 1; bit >= 0; bit--) {
    const button = buttons[bit];
    const written = button === null ? undefined : spellings(system, button)[0];
    if (button !== null && written) columns.push({ button, bit, ...written });
  }
  return columns;
}

/** The column a log key's button name (`Start`, any case) stands for in a system, spelled as that name is. */
export function columnNamed(system: string, name: string): Column | undefined {
  const wanted = name.toLowerCase();
  for (const column of columnsOf(system)) {
    const match = spellings(system, column.button).find((s) => s.name.toLowerCase() === wanted);
    if (match) return { ...column, ...match };
  }
  return undefined;
}

/** The player-1 column a key of BizHawk's console group (`Select`, `Pause`) presses, if it is one of our buttons. */
export function consoleColumnNamed(system: string, name: string): Column | undefined {
  const column = columnNamed(system, name);
  return column && CONSOLE_BUTTONS[system]?.includes(column.button) ? column : undefined;
}

/** A pad key (`Mode: Set 2-button`) the reader skips in a system's movies: a column with bit -1. */
export function skippedColumnNamed(system: string, name: string): Column | undefined {
  const match = SKIPPED_KEYS[system]?.find((s) => s.name.toLowerCase() === name.toLowerCase());
  return match && { button: match.name, bit: -1, ...match };
}
