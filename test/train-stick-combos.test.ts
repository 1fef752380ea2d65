// The trainer's Discrete combos on a pad with a stick (the N64): STICK_* tokens push player 1's first stick, and
// the env's Dict action comes out; without a stick they are refused, and a Dict space without combos says how.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { stickSpace } from '../lib/env/pad-action.ts';
import { ArgumentError } from '../lib/errors.ts';
import { Discrete, MultiBinary } from '../lib/spaces/index.ts';
import { actionHeadFor, comboCodec } from '../lib/train/action-head.ts';

const n64Buttons = loadCoreDescriptor('n64').buttons;

test('STICK_* tokens set the stick, with an optional amount; buttons stay buttons', () => {
  const codec = comboCodec(n64Buttons, 1, [['A'], ['A', 'STICK_LEFT:0.5'], ['STICK_RIGHT'], ['STICK_UP:0.25', 'STICK_RIGHT:.75'], []], 2);
  assert.deepEqual(codec.head, { kind: 'categorical', sizes: [5], logits: 5, dims: 1 });
  const action = (i: number) => codec.encode(Int32Array.of(i)) as { buttons: Uint8Array; stick: Float32Array };
  const pressed = (i: number) => [...action(i).buttons].flatMap((b, bit) => (b ? [n64Buttons[bit]] : []));
  assert.deepEqual(pressed(1), ['A']);
  assert.deepEqual([...action(0).stick], [0, 0]);
  assert.deepEqual([...action(1).stick], [-0.5, 0]);
  assert.deepEqual([...action(2).stick], [1, 0]);
  assert.deepEqual([...action(3).stick], [0.75, 0.25]);
  assert.deepEqual(pressed(4), []);
  assert.deepEqual(codec.names, ['A', 'A+STICK_LEFT:0.5', 'STICK_RIGHT', 'STICK_UP:0.25+STICK_RIGHT:.75', 'NOOP']);
});

test('every combo action is in the env\'s Dict space (property)', () => {
  const space = stickSpace(new MultiBinary(n64Buttons.length), 2);
  const token = fc.oneof(
    fc.constantFrom(...n64Buttons.filter((b): b is string => b !== null)),
    fc.tuple(fc.constantFrom('LEFT', 'RIGHT', 'UP', 'DOWN'), fc.integer({ min: 1, max: 100 })).map(([d, n]) => `STICK_${d}:${n / 100}`),
  );
  fc.assert(
    fc.property(fc.array(fc.array(token, { maxLength: 4 }), { minLength: 1, maxLength: 8 }), (combos) => {
      const codec = comboCodec(n64Buttons, 1, combos, 2);
      combos.forEach((_, i) => assert.ok(space.contains(codec.encode(Int32Array.of(i)) as never), JSON.stringify(combos[i])));
    }),
    { numRuns: 100 },
  );
});

test('stick tokens on a pad without a stick, bad amounts and a Dict space without combos are clear errors', () => {
  const nesButtons = loadCoreDescriptor('nes').buttons;
  assert.throws(() => comboCodec(nesButtons, 1, [['A', 'STICK_LEFT']]), (e) => e instanceof ArgumentError && /has no analog stick/.test(e.message));
  for (const bad of ['STICK_LEFT:0', 'STICK_LEFT:1.5']) {
    assert.throws(() => comboCodec(n64Buttons, 1, [[bad]], 2), (e) => e instanceof ArgumentError && /amount must be in \(0, 1\]/.test(e.message), bad);
  }
  assert.throws(() => comboCodec(n64Buttons, 1, [['STICK_SIDEWAYS']], 2), (e) => e instanceof ArgumentError && /no button 'STICK_SIDEWAYS'/.test(e.message));
  assert.throws(
    () => actionHeadFor(stickSpace(new Discrete(4) as never, 2)),
    (e) => e instanceof ArgumentError && /--combos A,A\+STICK_LEFT:0\.5/.test(e.message),
  );
});
