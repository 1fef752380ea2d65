import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RetroError } from '../lib/errors.ts';
import { checkSchema, schemaFile, validateDocument, type SchemaKind } from '../lib/integration/schemas.ts';
import { FIXTURE_INTEGRATIONS } from './fixtures/helpers.ts';

const fixture = (game: string, file: string): unknown => JSON.parse(readFileSync(join(FIXTURE_INTEGRATIONS, game, file), 'utf8'));

/** The pointers of the problems a document has. */
function pointers(kind: SchemaKind, doc: unknown): string[] {
  return checkSchema(kind, doc, 'doc.json').map((p) => p.pointer);
}

describe('schemas accept stable-retro style integration files', () => {
  for (const game of ['TestGame-Nes', 'AllTypes-Snes']) {
    test(`${game}: data.json, scenarios and metadata.json`, () => {
      assert.deepEqual(checkSchema('data', fixture(game, 'data.json'), 'data.json'), []);
      assert.deepEqual(checkSchema('scenario', fixture(game, 'scenario.json'), 'scenario.json'), []);
      assert.deepEqual(checkSchema('metadata', fixture(game, 'metadata.json'), 'metadata.json'), []);
    });
  }

  test('the all-types fixture really covers every sigil, kind and op', () => {
    const data = fixture('AllTypes-Snes', 'data.json') as { info: Record<string, { type: string }> };
    const types = Object.values(data.info).map((v) => v.type);
    for (const sigil of ['|', '<', '>', '=', '><', '<>', '>=', '<=']) {
      assert.ok(types.some((t) => t.slice(0, -2) === sigil), `sigil ${sigil}`);
    }
    for (const kind of 'uidn') assert.ok(types.some((t) => t.at(-2) === kind), `kind ${kind}`);
    const scenarioText = readFileSync(join(FIXTURE_INTEGRATIONS, 'AllTypes-Snes', 'scenario.json'), 'utf8');
    const ops = ['equal', 'negative-equal', 'not-equal', 'less-than', 'greater-than', 'less-or-equal', 'greater-or-equal', 'nonzero', 'zero', 'positive', 'negative', 'sign'];
    for (const op of ops) assert.ok(scenarioText.includes(`"op": "${op}"`), `op ${op}`);
  });

  test('schema files declare draft 2020-12, an $id and descriptions', () => {
    for (const kind of ['data', 'scenario', 'metadata'] as const) {
      const schema = JSON.parse(readFileSync(schemaFile(kind), 'utf8'));
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.match(schema.$id, /libretro-gym/);
      assert.ok(schema.description.length > 20);
    }
  });

  test('lenient where stable-retro is: extra keys in variables and metadata, negative masks, whitelist true', () => {
    assert.deepEqual(pointers('data', { info: { a: { address: 0, type: '|u1', mask: -113, comment: 'x' } }, extra: 1 }), []);
    assert.deepEqual(pointers('metadata', { slots: 2, tags: ['x'], whitelist: { 'rom.md': true }, states: { S: { runs: [] } } }), []);
    assert.deepEqual(pointers('scenario', { reward: { script: 'bare_lua_name' }, crop: [0, 0, 256, 0] }), []);
    assert.deepEqual(pointers('scenario', {}), []);
  });
});

describe('schemas reject bad fields at the right JSON pointer', () => {
  test('data.json', () => {
    assert.deepEqual(pointers('data', {}), ['']);
    assert.deepEqual(pointers('data', { info: { lives: { address: -1, type: '|u1' } } }), ['/info/lives/address']);
    assert.deepEqual(pointers('data', { info: { lives: { address: 1.5, type: '|u1' } } }), ['/info/lives/address']);
    assert.deepEqual(pointers('data', { info: { lives: { address: 1, type: '|u2' } } }), ['/info/lives/type']);
    assert.deepEqual(pointers('data', { info: { lives: { address: 1 } } }), ['/info/lives']);
    assert.deepEqual(pointers('data', { info: { 'a/b~c': { address: 1, type: '<s2' } } }), ['/info/a~1b~0c/type']);
    assert.deepEqual(pointers('data', { info: { '': { address: 1, type: '|u1' } } }), ['/info/']);
  });

  test('messages say what is wrong and what was found', () => {
    const [typeProblem] = checkSchema('data', { info: { speed: { address: 1, type: '<s2' } } }, 'data.json');
    assert.equal(typeProblem.code, 'SCHEMA_INVALID');
    assert.equal(typeProblem.file, 'data.json');
    assert.match(typeProblem.message, /"<s2"/);
    assert.match(typeProblem.message, /i signed/);
    const [missing] = checkSchema('data', { info: { x: { type: '|u1' } } }, 'data.json');
    assert.match(missing.message, /missing required property 'address'/);
    const [op] = checkSchema('scenario', { done: { variables: { lives: { op: 'equals' } } } }, 's.json');
    assert.equal(op.pointer, '/done/variables/lives/op');
    assert.match(op.message, /"equal"/);
    assert.match(op.message, /got "equals"/);
  });

  test('scenario.json', () => {
    const [typo] = checkSchema('scenario', { rewad: {} }, 'scenario.json');
    assert.equal(typo.pointer, '/rewad');
    assert.match(typo.message, /unknown property 'rewad' \(did you mean 'reward'\?\)/);
    assert.deepEqual(pointers('scenario', { reward: { variables: { score: { reward: 'ten' } } } }), ['/reward/variables/score/reward']);
    assert.deepEqual(pointers('scenario', { reward: { variables: { score: { measurement: 'relative' } } } }), ['/reward/variables/score/measurement']);
    assert.deepEqual(pointers('scenario', { rewards: [{}, { script: 'python:f' }] }), ['/rewards/1/script']);
    assert.deepEqual(pointers('scenario', { done: { nodes: { a: { nodes: { b: { condition: 'most' } } } } } }), ['/done/nodes/a/nodes/b/condition']);
    assert.deepEqual(pointers('scenario', { done: { variables: { x: { reward: 1 } } } }), ['/done/variables/x/reward']);
    assert.deepEqual(pointers('scenario', { crop: [0, 0, 256] }), ['/crop']);
    assert.deepEqual(pointers('scenario', { crop: [0, -1, 256, 224] }), ['/crop/1']);
    assert.deepEqual(pointers('scenario', { actions: [[[], ['A', 3]]] }), ['/actions/0/1/1']);
    assert.deepEqual(pointers('scenario', { actions: [[]] }), ['/actions/0']);
    assert.deepEqual(pointers('scenario', { scripts: 'script.lua' }), ['/scripts']);
  });

  test('metadata.json', () => {
    assert.deepEqual(pointers('metadata', { default_state: 3 }), ['/default_state']);
    assert.deepEqual(pointers('metadata', { default_player_state: 'Start' }), ['/default_player_state']);
    assert.deepEqual(pointers('metadata', { states: { S: { recipe: [{ frames: 0 }] } } }), ['/states/S/recipe/0/frames']);
    assert.deepEqual(pointers('metadata', { states: { S: { recipe: [{ frames: 1, buttons: 'A' }] } } }), ['/states/S/recipe/0/buttons']);
    assert.deepEqual(pointers('metadata', { states: { S: { recipe: [{ frame: 1 }] } } }).sort(), ['/states/S/recipe/0', '/states/S/recipe/0/frame']);
    assert.deepEqual(pointers('metadata', { states: { S: { recipe: [] } } }), ['/states/S/recipe']);
    assert.deepEqual(pointers('metadata', { states: { S: { check: { lives: { reference: 1 } } } } }), ['/states/S/check/lives']);
    assert.deepEqual(pointers('metadata', { whitelist: { 'data.json': 'x' } }), ['/whitelist/data.json']);
  });

  test('validateDocument throws SCHEMA_INVALID listing every problem', () => {
    const doc = { info: { a: { address: -1, type: 'u1' }, b: { type: '|u1' } } };
    assert.throws(
      () => validateDocument('data', doc, '/x/data.json'),
      (error: unknown) => {
        assert.ok(error instanceof RetroError);
        assert.equal(error.code, 'SCHEMA_INVALID');
        assert.equal(error.details.file, '/x/data.json');
        const problems = error.details.problems as { pointer: string; message: string }[];
        assert.deepEqual(problems.map((p) => p.pointer), ['/info/a/address', '/info/a/type', '/info/b']);
        assert.match(error.message, /\/x\/data\.json#\/info\/a\/address/);
        return true;
      },
    );
    assert.equal(validateDocument('data', { info: {} }, 'd.json').info !== undefined, true);
  });
});

describe('type string grammar', () => {
  const SIGILS = ['|', '<', '>', '=', '><', '<>', '>=', '<='];

  test('every sigil x kind x width the grammar allows is accepted, and only those', () => {
    const sigils = [...SIGILS, '', '!', '<<', '|<', '>>'];
    const kinds = ['u', 'i', 'd', 'n', 's', 'f', 'U', ''];
    const widths = ['0', '1', '2', '5', '8', '9', '10', ''];
    for (const sigil of sigils) {
      for (const kind of kinds) {
        for (const width of widths) {
          const type = sigil + kind + width;
          const valid =
            SIGILS.includes(sigil) && 'uidn'.includes(kind) && kind !== '' && /^[1-8]$/.test(width) && (sigil !== '|' || width === '1');
          const problems = pointers('data', { info: { v: { address: 0, type } } });
          assert.deepEqual(problems, valid ? [] : ['/info/v/type'], `type ${JSON.stringify(type)}`);
        }
      }
    }
  });

  test('property: random strings are accepted exactly when they parse as sigil+kind+width', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 6 }),
          fc
            .tuple(fc.constantFrom(...SIGILS, '', '<<', '=<'), fc.constantFrom(...'uidnsxU'), fc.integer({ min: 0, max: 12 }))
            .map(([sigil, kind, width]) => `${sigil}${kind}${width}`),
        ),
        (type) => {
        const m = /^(\||<|>|=|><|<>|>=|<=)([uidn])([1-8])$/.exec(type);
        const valid = m !== null && (m[1] !== '|' || m[3] === '1');
        return pointers('data', { info: { v: { address: 0, type } } }).length === (valid ? 0 : 1);
        },
      ),
      { numRuns: 500 },
    );
  });
});
