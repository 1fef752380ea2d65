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
 * stable-retro writes the log key without BizHawk's `LogKey:#Reset|Power|#` prefix; both forms are read.
 */

import { MovieError } from '../errors.ts';
import { columnNamed, type Column } from './columns.ts';

export const INPUT_LOG = 'Input Log.txt';

/** Each player's columns, in log order. */
export type Layout = readonly (readonly Column[])[];

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
 * columns. Players must be numbered 1, 2, ... and every key must be a button of `system`.
 */
export function parseLogKey(text: string, system: string, file: string, line: number): Layout {
  const keys = text.replace(/^LogKey:/, '').split(/[|#]/).filter((k) => k !== '');
  const byPlayer: Column[][] = [];
  for (const key of keys) {
    const match = /^P(\d+) (.+)$/.exec(key);
    if (!match) {
      if (byPlayer.length === 0) continue;  // BizHawk's console commands (Reset, Power) come before the players
      throw logError(file, line, `log key "${key}" is not "P<player> <button>"`);
    }
    const player = Number(match[1]);
    if (player < 1 || player > byPlayer.length + 1) throw logError(file, line, `log key "${key}": players must be numbered 1, 2, ... in order`);
    const column = columnNamed(system, match[2]);
    if (!column) throw logError(file, line, `unknown button "${match[2]}" in log key "${key}" for system ${system}`);
    const columns = (byPlayer[player - 1] ??= []);
    if (columns.some((c) => c.bit === column.bit)) throw logError(file, line, `log key "${key}" appears twice`);
    columns.push(column);
  }
  if (byPlayer.length === 0) throw logError(file, line, 'the log key names no buttons');
  return byPlayer;
}

/** One frame line into a mask per player; the line must have exactly one character per column. */
export function parseFrame(text: string, layout: Layout, file: string, line: number): number[] {
  if (!text.startsWith('|') || !text.endsWith('|') || text.length < 2) throw logError(file, line, `frame line "${clip(text)}" must start and end with "|"`);
  const [, ...fields] = text.slice(1, -1).split('|');  // the first field holds console commands
  if (fields.length !== layout.length) {
    throw logError(file, line, `frame line has ${fields.length} player field(s), the log key ${layout.length}`);
  }
  return fields.map((field, p) => {
    const columns = layout[p];
    if (field.length !== columns.length) {
      throw logError(file, line, `wrong line width: player ${p + 1}'s field "${clip(field)}" has ${field.length} characters, the log key ${columns.length} buttons`);
    }
    let mask = 0;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      if (field[i] === c.mnemonic) mask |= 1 << c.bit;
      else if (field[i] !== '.') throw logError(file, line, `unknown button "${field[i]}" in column ${i + 1} of player ${p + 1} (P${p + 1} ${c.name} is "${c.mnemonic}" or ".")`);
    }
    return mask;
  });
}

/** Reads a whole `Input Log.txt` of a movie of `system`. */
export function parseInputLog(text: string, system: string, file: string): InputLog {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[0] !== '[Input]') throw logError(file, 1, `expected "[Input]", found "${clip(lines[0])}"`);
  let layout: Layout | undefined;
  const frames: number[][] = [];
  let ended = false;
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i];
    const line = i + 1;
    if (text === '') continue;
    if (ended) throw logError(file, line, `"${clip(text)}" after "[/Input]"`);
    if (text === '[/Input]') ended = true;
    else if (text.startsWith('|')) {
      if (!layout) throw logError(file, line, 'a frame line before the log key');
      frames.push(parseFrame(text, layout, file, line));
    } else if (!layout) layout = parseLogKey(text, system, file, line);
    else throw logError(file, line, `unexpected line "${clip(text)}"`);
  }
  return { layout: layout ?? [], frames };
}

/** A line as quoted in an error: long ones cut. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
