/**
 * Reads and parses a JSON file, turning every failure into an `IntegrationError` that names the file (and for
 * malformed JSON the line and column).
 */

import { readFileSync } from 'node:fs';
import { IntegrationError } from '../errors.ts';
import { explainJsonError, positionOf } from './json-syntax.ts';
import { pointerOf } from './problems.ts';

/** Deeper documents are rejected: no integration file needs them, and validators recurse. */
export const MAX_JSON_DEPTH = 200;

/**
 * Parses JSON text that came from `file` (used in messages only). A leading byte-order mark is ignored.
 * @throws IntegrationError `JSON_INVALID` with `details.line` / `details.column` (1-based).
 */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    const found = explainJsonError(body, cause as Error);
    const { line, column } = positionOf(body, found.offset);
    throw new IntegrationError('JSON_INVALID', `${file}:${line}:${column}: invalid JSON: ${found.message}`, {
      file,
      line,
      column,
      reason: `invalid JSON: ${found.message}`,
    }, { cause });
  }
  const tooDeep = value !== null && typeof value === 'object' ? findTooDeep(value) : undefined;
  if (tooDeep !== undefined) {
    throw new IntegrationError('JSON_INVALID', `${file}: invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels`, {
      file,
      field: tooDeep,
      reason: `invalid JSON: nested deeper than ${MAX_JSON_DEPTH} levels`,
    });
  }
  return value;
}

/**
 * Reads and parses a JSON file.
 * @throws IntegrationError `FILE_NOT_FOUND`, `FILE_UNREADABLE` or `JSON_INVALID`, each with `details.file`.
 */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new IntegrationError('FILE_NOT_FOUND', `${file}: file not found`, { file, reason: 'file not found' }, { cause });
    }
    const reason = `cannot read: ${(cause as Error).message}`;
    throw new IntegrationError('FILE_UNREADABLE', `${file}: ${reason}`, { file, reason }, { cause });
  }
  return parseJsonText(text, file);
}

/** JSON pointer of the first value nested deeper than the limit, or undefined. */
function findTooDeep(root: unknown): string | undefined {
  interface Frame { value: unknown; depth: number; key: string; parent: Frame | undefined }
  const stack: Frame[] = [{ value: root, depth: 0, key: '', parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth >= MAX_JSON_DEPTH) {
      const keys: string[] = [];
      for (let f: Frame | undefined = frame; f?.parent; f = f.parent) keys.unshift(f.key);
      return pointerOf(...keys);
    }
    for (const [key, child] of Object.entries(frame.value as object)) {
      if (child !== null && typeof child === 'object') {
        stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
      }
    }
  }
  return undefined;
}
