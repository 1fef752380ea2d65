/**
 * Says where a JSON text stops being valid JSON, and what is wrong there, from the SyntaxError `JSON.parse` threw.
 * V8 gives one of three shapes: "<problem> in JSON at position N" (Node 22 adds " (line L column C)"),
 * "Unexpected end of JSON input", or "Unexpected token 'x', "<text>" is not valid JSON" with no position.
 */

export interface JsonSyntaxError {
  /** Index in the text (UTF-16 code units) where the problem starts. */
  offset: number;
  message: string;
}

export interface TextPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, in characters. */
  column: number;
}

const AT_POSITION = /(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?$/;

function describe(ch: string): string {
  if (ch === '\n' || ch === '\r') return 'line break';
  if (ch === "'") return 'single quote (JSON strings use double quotes)';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${ch}'`;
}

/** Explains `error`, which `JSON.parse(text)` threw. */
export function explainJsonError(text: string, error: Error): JsonSyntaxError {
  const positioned = AT_POSITION.exec(error.message);
  const problem = positioned ? error.message.slice(0, positioned.index) : error.message;
  const offset = positioned ? Number(positioned[1]) : problem.startsWith('Unexpected token') ? firstBadOffset(text) : text.length;
  const literal = brokenLiteral(text, offset);
  if (literal !== undefined) return { offset: literal, message: `unexpected ${describe(text[literal])}, expected a value` };
  const numberStart = brokenNumber(text, offset, problem);
  if (numberStart !== undefined) return { offset: numberStart, message: 'invalid number' };
  if (offset >= text.length) return endOfText(text);
  const unexpected = `unexpected ${describe(text[offset])}`;
  const comma = trailingComma(text, offset);
  if (comma !== undefined) return { offset: comma, message: `trailing comma before '${text[offset]}'` };

  if (problem.startsWith('Bad control character')) {
    const opened = openAtEnd(text.slice(0, offset)).stringStart ?? offset;
    return text[offset] === '\n' || text[offset] === '\r'
      ? { offset: opened, message: 'unterminated string (line break inside a string)' }
      : { offset, message: `${describe(text[offset])} inside a string must be escaped` };
  }
  if (problem.startsWith('Bad escaped character')) return { offset: offset - 1, message: `invalid escape '\\${text[offset]}' in string` };
  if (problem.startsWith('Bad Unicode escape')) return { offset: text.lastIndexOf('\\u', offset), message: 'invalid \\u escape: expected four hex digits' };
  if (problem.startsWith('Unexpected non-whitespace character after JSON')) return { offset, message: `${unexpected} after the end of the JSON value` };
  if (problem.startsWith("Expected ':'")) return { offset, message: `${unexpected}, expected ':' after the property name` };
  if (problem.includes('property name')) return { offset, message: `${unexpected}, expected a property name in double quotes` };
  const close = /^Expected ',' or '(.)'/.exec(problem)?.[1];
  if (close) return { offset, message: `${unexpected}, expected ',' or '${close}'` };
  // "Unexpected token" / "Unexpected string" do not say what was expected: ask the parser what fits there.
  if (problem.startsWith('Unexpected ')) return { offset, message: `${unexpected}, expected ${expectedAt(text.slice(0, offset))}` };
  return { offset, message: problem.charAt(0).toLowerCase() + problem.slice(1) }; // a shape V8 may add later
}

/** Whether a text is valid JSON so far: it parses, or fails only where it is cut off. */
function validSoFar(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    const at = AT_POSITION.exec(message);
    return at ? Number(at[1]) >= text.length : message.startsWith('Unexpected end');
  }
}

/**
 * Where an "Unexpected token" is: the shortest prefix that is not valid so far ends with it. Cutting valid JSON
 * short only ever fails at the cut, so the search is a bisection.
 */
function firstBadOffset(text: string): number {
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (validSoFar(text.slice(0, mid))) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

function expectedAt(prefix: string): string {
  if (validSoFar(`${prefix}0`)) return 'a value';
  if (validSoFar(`${prefix}:`)) return "':' after the property name";
  if (validSoFar(`${prefix}"`)) return 'a property name in double quotes';
  return `',' or '${openAtEnd(prefix).bracket === '{' ? '}' : ']'}'`;
}

/** The start of a misspelt `true` / `false` / `null` (`tru}`, `nul`): the letters just before `offset`. */
function brokenLiteral(text: string, offset: number): number | undefined {
  let start = offset;
  while (start > 0 && /[A-Za-z]/.test(text[start - 1])) start--;
  if (start === offset || ['true', 'false', 'null'].includes(text.slice(start, offset))) return undefined;
  // Letters after a digit are an exponent, and letters in a string are text.
  if (/[0-9.]/.test(text[start - 1] ?? '') || openAtEnd(text.slice(0, start)).stringStart !== undefined) return undefined;
  return start;
}

/** The start of a number the problem at `offset` is in (`01`, `1.`, `-`, `1e`, `1.5.3`). */
function brokenNumber(text: string, offset: number, problem: string): number | undefined {
  if (problem.startsWith('Bad ')) return undefined; // in a string, where digits are text
  const numberProblem = /^(No number|Exponent part|Unterminated fractional)/.test(problem);
  const inNumber = numberProblem || (/[0-9.eE+-]/.test(text[offset] ?? '') && /[0-9.]/.test(text[offset - 1] ?? ''));
  if (!inNumber) return undefined;
  let start = offset;
  while (start > 0 && /[0-9.eE+-]/.test(text[start - 1])) start--;
  return start;
}

const CLOSERS: Readonly<Record<string, string>> = { '}': '{', ']': '[' };

/** The offset of a ',' just before the `}` or `]` at `offset`, if there is one. */
function trailingComma(text: string, offset: number): number | undefined {
  const opener = CLOSERS[text[offset]];
  let i = offset - 1;
  while (i >= 0 && ' \t\n\r'.includes(text[i])) i--;
  return opener && text[i] === ',' && openAtEnd(text.slice(0, i)).bracket === opener ? i : undefined;
}

function endOfText(text: string): JsonSyntaxError {
  const { stringStart, bracket } = openAtEnd(text);
  if (stringStart !== undefined) return { offset: stringStart, message: 'unterminated string' };
  const what = bracket === '{' ? ' (object not closed)' : bracket === '[' ? ' (array not closed)' : '';
  return { offset: text.length, message: `unexpected end of file${what}` };
}

/** What is still open at the end of a text that is valid JSON so far: a string, and the innermost bracket. */
function openAtEnd(text: string): { stringStart?: number; bracket?: string } {
  const brackets: string[] = [];
  let stringStart: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (stringStart !== undefined) {
      if (c === '\\') i++;
      else if (c === '"') stringStart = undefined;
    } else if (c === '"') stringStart = i;
    else if (c === '{' || c === '[') brackets.push(c);
    else if (c === '}' || c === ']') brackets.pop();
  }
  return { stringStart, bracket: brackets.at(-1) };
}

/** Line and column of an offset in a text (line breaks: `\n`, `\r\n`, `\r`). */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
