/** Reads `rom.sha`: the SHA-1s (one per line, hex) of the ROM dumps an integration accepts. */

import { readFileSync } from 'node:fs';
import { IntegrationError } from '../errors.ts';
import type { Problem } from './problems.ts';

export interface RomShaList {
  /** Valid SHA-1s, lowercased, in file order, without duplicates. */
  shas: string[];
  /** Lines that are not SHA-1s, and an empty list. */
  problems: Problem[];
}

/** Parses the text of a rom.sha file. Blank lines and surrounding spaces are ignored, as stable-retro does. */
export function parseRomSha(text: string, file: string): RomShaList {
  const shas: string[] = [];
  const problems: Problem[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (!/^[0-9a-fA-F]{40}$/.test(line)) {
      problems.push({
        code: 'SCHEMA_INVALID',
        file,
        pointer: '',
        line: i + 1,
        column: raw.indexOf(line) + 1,
        message: `'${line.length > 50 ? line.slice(0, 47) + '...' : line}' is not a SHA-1 (40 hex digits)`,
      });
      return;
    }
    const sha = line.toLowerCase();
    if (!shas.includes(sha)) shas.push(sha);
  });
  if (shas.length === 0 && problems.length === 0) {
    problems.push({ code: 'SCHEMA_INVALID', file, pointer: '', message: 'lists no SHA-1: add the SHA-1 of each accepted ROM dump, one per line' });
  }
  return { shas, problems };
}

/**
 * Reads a rom.sha file.
 * @throws IntegrationError `FILE_NOT_FOUND` / `FILE_UNREADABLE`.
 */
export function readRomSha(file: string): RomShaList {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const errno = (cause as NodeJS.ErrnoException).code;
    const missing = errno === 'ENOENT' || errno === 'ENOTDIR';
    const reason = missing ? 'file not found' : `cannot read: ${(cause as Error).message}`;
    throw new IntegrationError(missing ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `${file}: ${reason}`, { file, reason }, { cause });
  }
  return parseRomSha(text, file);
}
