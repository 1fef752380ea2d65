/**
 * Finds where a JSON text stops being valid JSON, with a message a person can act on. `JSON.parse` does not say
 * where the problem is in every Node version, so this scanner runs after it fails. It is iterative, so deeply
 * nested input cannot exhaust the stack.
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

type Expect = 'value' | 'firstValueOrEnd' | 'key' | 'firstKeyOrEnd' | 'colon' | 'commaOrEnd' | 'end';

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;

function describe(ch: string): string {
  if (ch === '\n' || ch === '\r') return 'line break';
  if (ch === "'") return "single quote (JSON strings use double quotes)";
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${ch}'`;
}

/** Returns the first syntax error in `text`, or `undefined` when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const n = text.length;
  const stack: ('{' | '[')[] = [];
  let expect: Expect = 'value';
  let i = 0;
  let lastComma = -1;

  const afterValue = (): Expect => (stack.length > 0 ? 'commaOrEnd' : 'end');

  const scanString = (): JsonSyntaxError | undefined => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) return { offset: start, message: 'unterminated string' };
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        const esc = text[i + 1];
        if (esc === undefined) return { offset: start, message: 'unterminated string' };
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            return { offset: i, message: 'invalid \\u escape: expected four hex digits' };
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(esc)) return { offset: i, message: `invalid escape '\\${esc}' in string` };
        i += 2;
        continue;
      }
      if (c < 0x20) {
        return c === 0x0a || c === 0x0d
          ? { offset: start, message: 'unterminated string (line break inside a string)' }
          : { offset: i, message: `${describe(text[i])} inside a string must be escaped` };
      }
      i++;
    }
  };

  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) {
      if (expect === 'end') return undefined;
      const open = stack.at(-1);
      const what = open === '{' ? ' (object not closed)' : open === '[' ? ' (array not closed)' : '';
      return { offset: n, message: `unexpected end of file${what}` };
    }
    const ch = text[i];
    switch (expect) {
      case 'value':
      case 'firstValueOrEnd': {
        if (ch === ']' && expect === 'firstValueOrEnd') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (ch === '{') {
          stack.push('{');
          i++;
          expect = 'firstKeyOrEnd';
        } else if (ch === '[') {
          stack.push('[');
          i++;
          expect = 'firstValueOrEnd';
        } else if (ch === '"') {
          const err = scanString();
          if (err) return err;
          expect = afterValue();
        } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m) return { offset: i, message: 'invalid number' };
          const next = text[i + m[0].length];
          if (next !== undefined && /[0-9.eE+\-]/.test(next)) return { offset: i, message: 'invalid number' };
          i += m[0].length;
          expect = afterValue();
        } else {
          const literal = LITERALS.find((l) => text.startsWith(l, i));
          if (literal) {
            i += literal.length;
            expect = afterValue();
          } else if (ch === ']' && lastComma >= 0) {
            return { offset: lastComma, message: "trailing comma before ']'" };
          } else {
            return { offset: i, message: `unexpected ${describe(ch)}, expected a value` };
          }
        }
        break;
      }
      case 'key':
      case 'firstKeyOrEnd': {
        if (ch === '}' && expect === 'firstKeyOrEnd') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (ch === '"') {
          const err = scanString();
          if (err) return err;
          expect = 'colon';
        } else if (ch === '}' && lastComma >= 0) {
          return { offset: lastComma, message: "trailing comma before '}'" };
        } else {
          return { offset: i, message: `unexpected ${describe(ch)}, expected a property name in double quotes` };
        }
        break;
      }
      case 'colon': {
        if (ch !== ':') return { offset: i, message: `unexpected ${describe(ch)}, expected ':' after the property name` };
        i++;
        expect = 'value';
        break;
      }
      case 'commaOrEnd': {
        const open = stack.at(-1);
        const close = open === '{' ? '}' : ']';
        if (ch === ',') {
          lastComma = i;
          i++;
          expect = open === '{' ? 'key' : 'value';
          continue;
        }
        if (ch === close) {
          stack.pop();
          i++;
          expect = afterValue();
        } else {
          return { offset: i, message: `unexpected ${describe(ch)}, expected ',' or '${close}'` };
        }
        break;
      }
      case 'end':
        return { offset: i, message: `unexpected ${describe(ch)} after the end of the JSON value` };
    }
    lastComma = -1;
  }
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
