/**
 * A problem found in an integration file, located by file and JSON pointer, and how a list of them becomes one
 * thrown error. Loaders collect problems so `retro validate` can print them all; the library throws the first kind.
 */

import { IntegrationError, type RetroError, type RetroErrorCode, type RetroErrorDetails } from '../errors.ts';

export interface Problem {
  /** What kind of problem; also the code of the error thrown for it. */
  code: RetroErrorCode;
  /** File the problem is in (as given to the loader; absolute when the loader resolved it). */
  file: string;
  /** JSON pointer (RFC 6901) to the offending value; `''` for the whole file. */
  pointer: string;
  message: string;
  /** 1-based line and column, for problems located in the text rather than in the parsed document. */
  line?: number;
  column?: number;
}

/** Escapes one JSON pointer reference token. */
export function pointerToken(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a JSON pointer from keys. */
export function pointerOf(...keys: (string | number)[]): string {
  return keys.map((k) => '/' + pointerToken(k)).join('');
}

/**
 * `file#/json/pointer: message` (or `file:line:column: message` for text positions), forms editors and terminals
 * can jump to. `file` overrides how the file is shown (e.g. relative to the working directory).
 */
export function formatProblem(problem: Problem, file: string = problem.file): string {
  if (problem.line !== undefined) return `${file}:${problem.line}:${problem.column ?? 1}: ${problem.message}`;
  return problem.pointer === '' ? `${file}: ${problem.message}` : `${file}#${problem.pointer}: ${problem.message}`;
}

/** A problem describing a thrown `RetroError` (e.g. from reading a JSON file). */
export function problemFromError(error: RetroError, fallbackFile: string): Problem {
  const d = error.details;
  const problem: Problem = {
    code: error.code,
    file: typeof d.file === 'string' ? d.file : fallbackFile,
    pointer: typeof d.field === 'string' ? d.field : '',
    message: typeof d.reason === 'string' ? d.reason : error.message,
  };
  if (typeof d.line === 'number') {
    problem.line = d.line;
    if (typeof d.column === 'number') problem.column = d.column;
  }
  return problem;
}

const MAX_LISTED = 10;

/**
 * One error for a list of problems (all of the same file or check): its code is the first problem's, its message
 * lists up to ten of them, and `details.problems` holds them all.
 */
export function problemsError(problems: readonly Problem[]): IntegrationError {
  if (problems.length === 0) throw new TypeError('problemsError needs at least one problem');
  const first = problems[0];
  const lines = problems.slice(0, MAX_LISTED).map((p) => '  ' + formatProblem(p));
  if (problems.length > MAX_LISTED) lines.push(`  ... and ${problems.length - MAX_LISTED} more`);
  const summary = problems.length === 1 ? formatProblem(first) : `${problems.length} problems:\n${lines.join('\n')}`;
  const details: RetroErrorDetails = { file: first.file, field: first.pointer, problems: problems.map((p) => ({ ...p })) };
  if (first.line !== undefined) {
    details.line = first.line;
    details.column = first.column;
  }
  return new IntegrationError(first.code, summary, details);
}
