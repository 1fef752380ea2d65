import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { RetroError } from '../lib/errors.ts';
import { inspectIntegration, loadIntegration } from '../lib/integration/integration.ts';
import { MAX_JSON_DEPTH, parseJsonText, readJsonFile } from '../lib/integration/json-file.ts';
import { explainJsonError, positionOf } from '../lib/integration/json-syntax.ts';
import { copyFixture, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());

function jsonError(fn: () => unknown): RetroError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RetroError, `expected a RetroError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

describe('readJsonFile', () => {
  test('parses a file, ignoring a byte-order mark', () => {
    const file = join(tmp.dir, 'ok.json');
    writeFileSync(file, '\uFEFF{"a": [1, 2]}');
    assert.deepEqual(readJsonFile(file), { a: [1, 2] });
  });

  test('missing file: FILE_NOT_FOUND naming it', () => {
    const file = join(tmp.dir, 'nope.json');
    const error = jsonError(() => readJsonFile(file));
    assert.equal(error.code, 'FILE_NOT_FOUND');
    assert.equal(error.details.file, file);
    assert.match(error.message, /nope\.json/);
  });

  test('a folder: FILE_UNREADABLE', () => {
    const dir = join(tmp.dir, 'dir.json');
    mkdirSync(dir);
    assert.equal(jsonError(() => readJsonFile(dir)).code, 'FILE_UNREADABLE');
  });

  test('malformed JSON: JSON_INVALID with file, line and column', () => {
    const cases: [string, number, number, RegExp][] = [
      ['{\n  "a": 1,\n  "b": 2,\n}', 3, 9, /trailing comma/],
      ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected ',' or '\}'/],
      ['{"a": \'x\'}', 1, 7, /single quote/],
      ['[1, 2', 1, 6, /end of file \(array not closed\)/],
      ['{"a": "line\nbreak"}', 1, 7, /unterminated string/],
      ['{"a": 01}', 1, 7, /invalid number/],
      ['{"a": tru}', 1, 7, /expected a value/],
      ['{} {}', 1, 4, /after the end/],
      ['{a: 1}', 1, 2, /property name in double quotes/],
      ['', 1, 1, /end of file/],
      ['\r\n\r\n  ]', 3, 3, /expected a value/],
    ];
    for (const [text, line, column, message] of cases) {
      const error = jsonError(() => parseJsonText(text, 'x.json'));
      assert.equal(error.code, 'JSON_INVALID', text);
      assert.equal(error.details.file, 'x.json');
      assert.deepEqual([error.details.line, error.details.column], [line, column], JSON.stringify(text));
      assert.match(error.message, message, text);
      assert.ok(error.message.startsWith(`x.json:${line}:${column}: `), error.message);
    }
  });

  test(`documents nested deeper than ${MAX_JSON_DEPTH} levels are rejected, not a stack overflow`, () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const error = jsonError(() => parseJsonText(deep, 'deep.json'));
    assert.equal(error.code, 'JSON_INVALID');
    assert.match(error.message, /nested deeper/);
    assert.ok(Array.isArray(parseJsonText('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH), 'ok.json')));
  });
});

describe('JSON syntax locator', () => {
  test('property: every error JSON.parse gives is explained, at an offset inside the text', () => {
    const nearJson = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\n', 'x', '01', '\\', "'", '-', 'e', '\u0001'), fc.boolean())
      .map(([json, at, insert, remove]) => {
        const i = json.length === 0 ? 0 : at % json.length;
        return remove ? json.slice(0, i) + json.slice(i + 1) : json.slice(0, i) + insert + json.slice(i);
      });
    fc.assert(
      fc.property(fc.oneof(nearJson, fc.string(), fc.json()), (text) => {
        let error: Error;
        try {
          JSON.parse(text);
          return;
        } catch (e) {
          error = e as Error;
        }
        const found = explainJsonError(text, error);
        assert.ok(found.offset >= 0 && found.offset <= text.length, `${JSON.stringify(text)}: offset ${found.offset}`);
        // Every shape V8 gives is recognised, none passed through as it came.
        assert.doesNotMatch(found.message, /in JSON|JSON input|is not valid|^[A-Z]/, `${JSON.stringify(text)}: ${error.message} -> ${found.message}`);
      }),
      { numRuns: 3000 },
    );
  });

  test('explains the shapes of Node 22 too (" (line L column C)" after the position)', () => {
    const error = new SyntaxError("Expected ',' or '}' after property value in JSON at position 13 (line 3 column 3)");
    assert.deepEqual(explainJsonError('{\n  "a": 1\n  "b": 2\n}', error), { offset: 13, message: "unexpected '\"', expected ',' or '}'" });
  });

  test('positionOf counts \\n, \\r\\n and \\r line breaks', () => {
    assert.deepEqual(positionOf('ab\ncd\r\nef\rgh', 11), { line: 4, column: 2 });
    assert.deepEqual(positionOf('abc', 0), { line: 1, column: 1 });
  });
});

describe('fuzz: loaders only ever throw RetroErrors', () => {
  test('parseJsonText on random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.fullUnicodeString()), (text) => {
        try {
          parseJsonText(text, 'fuzz.json');
        } catch (error) {
          assert.ok(error instanceof RetroError, String(error));
          assert.equal(error.code, 'JSON_INVALID');
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('loadIntegration on random documents in every file', () => {
    const root = join(tmp.dir, 'fuzz');
    mkdirSync(root);
    const dir = copyFixture('TestGame-Nes', root);
    // Documents shaped like integration files, so the fuzz also reaches the cross checks.
    const name = fc.constantFrom('lives', 'score', 'xpos', 'nope', '__proto__', 'constructor', 'a/b', '');
    const variable = fc.record(
      { address: fc.oneof(fc.nat(), fc.integer(), fc.double()), type: fc.constantFrom('|u1', '<u2', '>d4', '|u2', 'x'), mask: fc.integer() },
      { requiredKeys: [] },
    );
    const condition = fc.record({ op: fc.constantFrom('zero', 'equal', 'bogus'), reference: fc.integer(), reward: fc.double() }, { requiredKeys: [] });
    const node: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.record(
        {
          variables: fc.dictionary(name, condition),
          nodes: fc.dictionary(name, tie('node'), { maxKeys: 2 }),
          condition: fc.constantFrom('any', 'all', 'most'),
          script: fc.constantFrom('lua:speed_reward', 'lua:missing', 'ts:x', 'bad name'),
        },
        { requiredKeys: [] },
      ),
    })).node;
    const data = fc.oneof(fc.record({ info: fc.dictionary(name, variable) }), fc.jsonValue());
    const scenario = fc.oneof(
      fc.record(
        {
          reward: node,
          done: node,
          actions: fc.array(fc.array(fc.array(fc.constantFrom('A', 'B', 'START', 'Z', '')))),
          scripts: fc.array(fc.constantFrom('script.lua', 'missing.lua', 'ts:script.lua', 'x.py', '../escape.lua')),
          crop: fc.array(fc.integer(), { maxLength: 5 }),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    const metadata = fc.oneof(
      fc.record(
        {
          default_state: fc.constantFrom('Level1', 'Start', 'Nope', '_Debug'),
          default_player_state: fc.array(fc.string()),
          states: fc.dictionary(name, fc.record({ recipe: fc.array(fc.record({ frames: fc.integer(), buttons: fc.array(fc.constantFrom('A', 'Q')) })), check: fc.dictionary(name, condition) }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    // Each file is either the fixture's own (valid) text, a random document, or random text.
    const text = (file: string, arb: fc.Arbitrary<unknown>) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(readFileSync(join(dir, file), 'utf8')) },
        { weight: 3, arbitrary: arb.map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 1, arbitrary: fc.string() },
      );
    let loaded = 0;
    let rejected = 0;
    fc.assert(
      fc.property(text('data.json', data), text('scenario.json', scenario), text('metadata.json', metadata), fc.oneof(fc.constant('0dede0d46ac46f46bbb46e4bb7957bfa81d287e1\n'), fc.string()), (d, s, m, sha) => {
        writeFileSync(join(dir, 'data.json'), d);
        writeFileSync(join(dir, 'scenario.json'), s);
        writeFileSync(join(dir, 'metadata.json'), m);
        writeFileSync(join(dir, 'rom.sha'), sha);
        try {
          const integration = loadIntegration(dir);
          assert.equal(integration.name, 'TestGame-Nes');
          loaded++;
        } catch (error) {
          rejected++;
          assert.ok(error instanceof RetroError, String((error as Error)?.stack ?? error));
          assert.ok(Array.isArray(error.details.problems) && error.details.problems.length > 0);
        }
        const { problems } = inspectIntegration(dir);
        for (const p of problems) assert.ok(p.pointer === '' || p.pointer.startsWith('/'), p.pointer);
      }),
      { numRuns: 400 },
    );
    // Both outcomes must occur, or the fuzz is not exercising the loader past its first check.
    assert.ok(loaded > 0 && rejected > 0, `loaded ${loaded}, rejected ${rejected}`);
  });
});
