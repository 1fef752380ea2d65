// Stick actions without an N64: the Dict(buttons, stick) space's check and its flat form for the process pipe
// (lib/env/pad-action.ts), and that a system without sticks ignores `analog` and refuses stick combos and recipe
// sticks (our NES test ROM, fast to boot).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Actions } from '../lib/env/action-codec.ts';
import { buildStates } from '../lib/env/boot-recipe.ts';
import { actionFromNumbers, actionToNumbers, checkAction, isStickSpace, stickSpace, type ButtonSpace } from '../lib/env/pad-action.ts';
import { make, type RetroEnv } from '../lib/env/retro-env.ts';
import { RetroError } from '../lib/errors.ts';
import { inspectIntegration } from '../lib/integration/integration.ts';
import { packageRoot } from '../lib/package-root.ts';
import { Discrete } from '../lib/spaces/discrete.ts';
import { MultiBinary } from '../lib/spaces/multi-binary.ts';
import { MultiDiscrete } from '../lib/spaces/multi-discrete.ts';
import { Discretizer } from '../lib/wrappers/discretizer.ts';

const scratch = mkdtempSync(join(tmpdir(), 'rgym-pad-action-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RetroError, `a typed error, got ${String(e)}`);
    return e.code;
  }
  assert.fail('no error');
}

/** A stick space over each kind of button space, with 1 to 4 stick axes pairs. */
const spaces = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 1, max: 40 }).map((n): ButtonSpace => new Discrete(n)),
      fc.integer({ min: 1, max: 24 }).map((n): ButtonSpace => new MultiBinary(n)),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }).map((nvec): ButtonSpace => new MultiDiscrete(nvec)),
    ),
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 0, max: 2 ** 31 }),
  )
  .map(([buttons, pairs, seed]) => {
    const space = stickSpace(buttons, 2 * pairs);
    space.seed(seed);
    return space;
  });

describe('stick actions', () => {
  test('samples are valid actions, and survive the flat form a process pipe carries', () => {
    fc.assert(
      fc.property(spaces, (space) => {
        assert.ok(isStickSpace(space));
        const action = space.sample();
        checkAction(space, action);
        const back = actionFromNumbers(space, actionToNumbers(action));
        checkAction(space, back);
        assert.deepEqual(actionToNumbers(back), actionToNumbers(action));
        // Plain arrays are accepted as sticks too.
        checkAction(space, { buttons: action.buttons, stick: Array.from(action.stick) });
      }),
    );
  });

  test('anything off the space is INVALID_ACTION: a bad axis, a wrong length, bad buttons, missing keys', () => {
    fc.assert(
      fc.property(
        spaces,
        fc.oneof(fc.constant(Number.NaN), fc.double({ min: 1.000001, max: 1e9 }), fc.double({ min: -1e9, max: -1.000001 }), fc.constant(Infinity)),
        fc.nat(),
        (space, bad, where) => {
          const good = space.sample();
          const stick = Array.from(good.stick);
          stick[where % stick.length] = bad;
          const broken: unknown[] = [
            { buttons: good.buttons, stick },
            { buttons: good.buttons, stick: stick.slice(1) },
            { buttons: good.buttons, stick: [...good.stick, 0] },
            { buttons: good.buttons },
            { stick: good.stick },
            { buttons: good.buttons, stick: good.stick, more: 0 },
            good.buttons,
            undefined,
          ];
          for (const action of broken) assert.equal(codeOf(() => checkAction(space, action)), 'INVALID_ACTION');
        },
      ),
    );
    const space = stickSpace(new MultiBinary(3), 2);
    assert.equal(codeOf(() => checkAction(space, { buttons: [0, 2, 0], stick: [0, 0] })), 'INVALID_ACTION');
    assert.equal(codeOf(() => checkAction(space, { buttons: [0, 1, 0], stick: ['0', 0] })), 'INVALID_ACTION');
  });

  test('a buttons-only space checks as before', () => {
    const space = new MultiBinary(4);
    checkAction(space, [0, 1, 1, 0]);
    assert.equal(codeOf(() => checkAction(space, { buttons: [0, 1, 1, 0], stick: [0, 0] })), 'INVALID_ACTION');
    assert.deepEqual(actionFromNumbers(new Discrete(5), actionToNumbers(3)), 3);
  });
});

describe('a system without sticks', () => {
  const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
  const options = { integrationPaths: [fixtures], dataDir: join(scratch, 'data'), useRestrictedActions: Actions.ALL };
  let env: RetroEnv;
  before(() => {
    env = make('TestRom-Nes', { ...options, analog: true });
  });
  after(() => env.close());

  test('ignores analog: its actions stay buttons only', () => {
    assert.equal(env.analog, false);
    assert.ok(env.actionSpace instanceof MultiBinary);
    assert.equal(codeOf(() => make('TestRom-Nes', { ...options, analog: 'yes' as unknown as boolean })), 'INVALID_ARGUMENT');
  });

  test('Discretizer takes { buttons } combos but refuses a stick', () => {
    const discrete = new Discretizer(env, { right: { buttons: ['RIGHT'] }, jump: ['A'] });
    assert.deepEqual(Array.from(discrete.action(0) as Uint8Array), env.buttons.map((name) => (name === 'RIGHT' ? 1 : 0)));
    assert.equal(codeOf(() => new Discretizer(env, { left: { buttons: ['LEFT'], stick: [-1, 0] } })), 'INVALID_ARGUMENT');
    assert.equal(codeOf(() => new Discretizer(env, { left: { buttons: ['LEFT'], turbo: true } as never })), 'INVALID_ARGUMENT');
  });

  test('a boot recipe step with a stick is METADATA_INVALID', () => {
    const integrations = join(scratch, 'integrations');
    cpSync(join(fixtures, 'TestRom-Nes'), join(integrations, 'TestRom-Nes'), { recursive: true });
    const file = join(integrations, 'TestRom-Nes', 'metadata.json');
    const metadata = JSON.parse(readFileSync(file, 'utf8'));
    metadata.states = { ...metadata.states, Leaning: { recipe: [{ frames: 2, stick: [0.5, 0] }] } };
    writeFileSync(file, JSON.stringify(metadata));
    assert.equal(codeOf(() => buildStates('TestRom-Nes', ['Leaning'], { integrationPaths: [integrations], dataDir: join(scratch, 'recipe-data') })), 'METADATA_INVALID');
    // `retro validate`'s loader says so up front, pointing at the step.
    const problems = inspectIntegration(join(integrations, 'TestRom-Nes')).problems;
    assert.deepEqual(problems.map((p) => [p.code, p.pointer]), [['METADATA_INVALID', '/states/Leaning/recipe/0/stick']]);
  });
});
