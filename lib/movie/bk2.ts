/**
 * The `.bk2` container: a zip of `Input Log.txt`, `Header.txt` (`Key value` lines) and, for a movie that starts
 * from a save state, `Core.bin` (the core's raw serialized state, not gzipped). Entries are written in
 * stable-retro's order with its header lines; other entries BizHawk writes (comments, subtitles, settings) are
 * ignored on reading.
 */

import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { strToU8, zipSync, type Zippable, type ZipOptions } from 'fflate';
import { MovieError } from '../errors.ts';
import { MAX_STATE_BYTES } from '../state-file.ts';
import { ArchiveError, fileSource, listZipEntries, readZipEntry, type ByteSource } from '../integration/zip-reader.ts';
import { INPUT_LOG } from './input-log.ts';

export const HEADER = 'Header.txt';
export const CORE_STATE = 'Core.bin';

/** Over a day of frames at 60 fps for four players: far more than any real log, far less than a zip bomb's. */
const MAX_LOG_BYTES = 256 * 1024 * 1024;
const MAX_HEADER_BYTES = 1024 * 1024;

/** The parts of a `.bk2`, undecoded. */
export interface Bk2Parts {
  /** Header fields in file order. */
  header: [string, string][];
  inputLog: string;
  /** `Core.bin`, absent for a movie that starts at power-on. */
  startState: Uint8Array | undefined;
}

/** `Header.txt` as stable-retro writes it: unknown fields are `?`, and one rerecord. */
export function stableRetroHeader(platform: string, game: string): [string, string][] {
  return [
    ['MovieVersion', 'Retro'],
    ['Author', '?'],
    ['emuVersion', '?'],
    ['Platform', platform],
    ['GameName', game],
    ['SHA1', '?'],
    ['Core', '?'],
    ['rerecordCount', '1'],
  ];
}

/** The zip's bytes. Entries are deflated at the highest level and carry Unix mode 0666, as stable-retro's zips do. */
export function encodeBk2(parts: Bk2Parts, mtime: Date = new Date()): Uint8Array {
  const options: ZipOptions = { level: 9, mtime, os: 3, attrs: 0o100666 << 16 };
  const header = parts.header.map(([key, value]) => `${key} ${value}\n`).join('');
  const files: Zippable = {
    [INPUT_LOG]: [strToU8(parts.inputLog), options],
    [HEADER]: [strToU8(header), options],
  };
  if (parts.startState && parts.startState.length > 0) files[CORE_STATE] = [parts.startState, options];
  return zipSync(files);
}

/** Writes a `.bk2` atomically (temp file, then rename), so a crash never leaves half a movie. */
export function writeBk2(path: string, parts: Bk2Parts): void {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, encodeBk2(parts));
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** Reads the parts of the `.bk2` at `path`; damaged zips and missing entries are `MOVIE_INVALID` errors. */
export function readBk2(path: string): Bk2Parts {
  let source: ByteSource;
  try {
    source = fileSource(path);
  } catch (e) {
    throw new MovieError('FILE_NOT_FOUND', `cannot read movie ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  try {
    return readParts(source, path);
  } catch (e) {
    if (e instanceof MovieError) throw e;
    // A damaged zip (ArchiveError) or an unreadable file: one error class for every broken movie.
    const reason = e instanceof ArchiveError ? e.reason : (e as Error).message;
    throw new MovieError('MOVIE_INVALID', `${path}: not a readable .bk2 movie: ${reason}`, { file: path }, { cause: e });
  } finally {
    source.close();
  }
}

function readParts(source: ByteSource, path: string): Bk2Parts {
  const entries = listZipEntries(source);
  const read = (name: string, maxBytes: number): Uint8Array | undefined => {
    const entry = entries.find((e) => e.name === name);
    return entry && readZipEntry(source, entry, maxBytes);
  };
  const missing = (name: string) => new MovieError('MOVIE_INVALID', `${path}: the movie has no ${name}`, { file: path, entry: name });
  const inputLog = read(INPUT_LOG, MAX_LOG_BYTES);
  if (!inputLog) throw missing(INPUT_LOG);
  const header = read(HEADER, MAX_HEADER_BYTES);
  if (!header) throw missing(HEADER);
  return { header: parseHeader(utf8(header, path, HEADER)), inputLog: utf8(inputLog, path, INPUT_LOG), startState: read(CORE_STATE, MAX_STATE_BYTES) };
}

/** `Key value` lines; a key without a value gets "". */
function parseHeader(text: string): [string, string][] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.indexOf(' ');
      return space < 0 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)];
    });
}

function utf8(bytes: Uint8Array, path: string, entry: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MovieError('MOVIE_INVALID', `${path}!/${entry}: not UTF-8 text`, { file: path, entry });
  }
}
