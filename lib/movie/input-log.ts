/**
 * The `Input Log.txt` of a `.bk2`: `[Input]`, a log key naming each player's button columns, one line per frame,
 * `[/Input]`. A frame line is `|..|` (the Reset/Power commands, ignored on reading as stable-retro does) and then
 * one `|`-terminated field per player with one character per column: the button's mnemonic when pressed, `.` when
 * not.
 *
 * ```text
 * [Input]
 * P1 A|P1 Right|P1 Left|P1 Down|P1 Up|P1 Start|P1 Select|P1 B|
 * |..|........|
 * |..|A......B|
 * [/Input]
 * ```
 * stable-retro writes the log key without BizHawk's `LogKey:#Reset|Power|#` prefix; both forms are read. BizHawk
 * names its console's buttons in that first group and gives them the first field (no field when there are none);
 * those that are buttons of ours (the Atari 2600's Select and Reset) are read as player 1's.
 */

import { MovieError } from '../errors.ts';
import { columnNamed, consoleColumnNamed, skippedColumnNamed, type Column } from './columns.ts';

export const INPUT_LOG = 'Input Log.txt';

/** Each player's columns, in log order. */
export type Layout = readonly (readonly Column[])[];

/**
 * What the first field of a frame line holds: `ignored` for stable-retro's `..` (and keys naming no console
 * button of ours), `none` when a BizHawk log key has no console group (no such field), or one entry per console key:
 * the player-1 column it presses, or null for those that are not our buttons (Reset, Power).
 */
export type ConsoleField = 'ignored' | 'none' | readonly (Column | null)[];

/** A log key read: each player's columns and the console field. */
export interface LogKey {
  layout: Layout;
  console: ConsoleField;
}

/** The log and frames of one movie: frames[i][p] is player p's button mask on frame i. */
export interface InputLog {
  layout: Layout;
  frames: number[][];
}

/** A `MOVIE_INVALID` error naming the movie, the log entry and the 1-based line. */
export function logError(file: string, line: number, message: string): MovieError {
  return new MovieError('MOVIE_INVALID', `${file}!/${INPUT_LOG}:${line}: ${message}`, { file, entry: INPUT_LOG, line });
}

/** `P1 A|P1 Right|...|P2 A|...|`, as stable-retro writes the log key. */
export function formatLogKey(layout: Layout): string {
  return layout.map((columns, p) => columns.map((c) => `P${p + 1} ${c.name}|`).join('')).join('');
}

/** One frame's line (without the newline). Bits without a column (the descriptor's unnamed buttons) are dropped. */
export function formatFrame(masks: readonly number[], layout: Layout): string {
  let line = '|..|';
  layout.forEach((columns, p) => {
    const mask = masks[p] ?? 0;
    for (const c of columns) line += (mask >>> c.bit) & 1 ? c.mnemonic : '.';
    line += '|';
  });
  return line;
}

/** The whole `Input Log.txt`, byte for byte as stable-retro writes it (no newline after `[/Input]`). */
export function formatInputLog(layout: Layout, frames: readonly (readonly number[])[]): string {
  const lines = ['[Input]'];
  // stable-retro writes the log key with the first frame, so a movie without frames has none.
  if (frames.length > 0) lines.push(formatLogKey(layout), ...frames.map((masks) => formatFrame(masks, layout)));
  return lines.join('\n') + '\n[/Input]';
}

/**
 * Reads a log key, in stable-retro's form or BizHawk's (`LogKey:#Reset|Power|#P1 Up|...|`), into each player's
 * columns and the console field. Players must be numbered 1, 2, ... and every key must be a button of `system`.
 */
export function parseLogKey(text: string, system: string, file: string, line: number): LogKey {
  const keys = text.replace(/^LogKey:/, '').split(/[|#]/).filter((k) => k !== '');
  const byPlayer: Column[][] = [];
  const consoleKeys: (Column | null)[] = [];
  for (const key of keys) {
    const match = /^P(\d+) (.+)$/.exec(key);
    if (!match) {
      if (byPlayer.length > 0) throw logError(file, line, `log key "${key}" is not "P<player> <button>"`);
      consoleKeys.push(consoleColumnNamed(system, key) ?? null);  // BizHawk's console buttons come before the players
      continue;
    }
    const player = Number(match[1]);
    if (player < 1 || player > byPlayer.length + 1) throw logError(file, line, `log key "${key}": players must be numbered 1, 2, ... in order`);
    const column = columnNamed(system, match[2]) ?? skippedColumnNamed(system, match[2]);
    if (!column) throw logError(file, line, `unknown button "${match[2]}" in log key "${key}" for system ${system}`);
    const columns = (byPlayer[player - 1] ??= []);
    const same = (c: Column) => (column.bit < 0 ? c.name === column.name : c.bit === column.bit);
    if (columns.some(same)) throw logError(file, line, `log key "${key}" appears twice`);
    columns.push(column);
  }
  if (byPlayer.length === 0) throw logError(file, line, 'the log key names no buttons');
  const bizhawk = text.startsWith('LogKey:');
  const console: ConsoleField = consoleKeys.some((c) => c !== null) ? consoleKeys : bizhawk && consoleKeys.length === 0 ? 'none' : 'ignored';
  return { layout: byPlayer, console };
}

/**
 * One frame line into a mask per player; the line must have exactly one character per column (and, where the
 * console field is read, per console key).
 */
export function parseFrame(text: string, layout: Layout, file: string, line: number, console: ConsoleField = 'ignored'): number[] {
  if (!text.startsWith('|') || !text.endsWith('|') || text.length < 2) throw logError(file, line, `frame line "${clip(text)}" must start and end with "|"`);
  const fields = text.slice(1, -1).split('|');
  const commands = console === 'none' ? undefined : fields.shift();
  if (fields.length !== layout.length) {
    throw logError(file, line, `frame line has ${fields.length} player field(s), the log key ${layout.length}`);
  }
  const masks = fields.map((field, p) => {
    const columns = layout[p];
    if (field.length !== columns.length) {
      throw logError(file, line, `wrong line width: player ${p + 1}'s field "${clip(field)}" has ${field.length} characters, the log key ${columns.length} buttons`);
    }
    let mask = 0;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      if (c.bit < 0) continue;  // a key we skip (a mode switch)
      if (field[i] === c.mnemonic) mask |= 1 << c.bit;
      else if (field[i] !== '.') throw logError(file, line, `unknown button "${field[i]}" in column ${i + 1} of player ${p + 1} (P${p + 1} ${c.name} is "${c.mnemonic}" or ".")`);
    }
    return mask;
  });
  if (typeof console !== 'string' && commands !== undefined) masks[0] |= consoleMask(commands, console, file, line);
  return masks;
}

/** Player 1's buttons pressed in a console field, read against the console keys. */
function consoleMask(field: string, keys: readonly (Column | null)[], file: string, line: number): number {
  if (field.length !== keys.length) {
    throw logError(file, line, `wrong line width: the console field "${clip(field)}" has ${field.length} characters, the log key ${keys.length} console buttons`);
  }
  let mask = 0;
  keys.forEach((c, i) => {
    if (c === null || field[i] === '.') return;
    if (field[i] !== c.mnemonic) throw logError(file, line, `unknown button "${field[i]}" in column ${i + 1} of the console field (${c.name} is "${c.mnemonic}" or ".")`);
    mask |= 1 << c.bit;
  });
  return mask;
}

/** Reads a whole `Input Log.txt` of a movie of `system`. */
export function parseInputLog(text: string, system: string, file: string): InputLog {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[0] !== '[Input]') throw logError(file, 1, `expected "[Input]", found "${clip(lines[0])}"`);
  let key: LogKey | undefined;
  const frames: number[][] = [];
  let ended = false;
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i];
    const line = i + 1;
    if (text === '') continue;
    if (ended) throw logError(file, line, `"${clip(text)}" after "[/Input]"`);
    if (text === '[/Input]') ended = true;
    else if (text.startsWith('|')) {
      if (!key) throw logError(file, line, 'a frame line before the log key');
      frames.push(parseFrame(text, key.layout, file, line, key.console));
    } else if (!key) key = parseLogKey(text, system, file, line);
    else throw logError(file, line, `unexpected line "${clip(text)}"`);
  }
  return { layout: key?.layout ?? [], frames };
}

/** A line as quoted in an error: long ones cut. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
