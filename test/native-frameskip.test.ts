import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { make, type MakeOptions } from '../lib/env/retro-env.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { packageRoot } from '../lib/package-root.ts';
import { MaxAndSkip } from '../lib/wrappers/max-and-skip.ts';
import { AtariPreprocessing, makeAtari } from '../lib/wrappers/atari-preprocessing.ts';
import { GrayScale } from '../lib/wrappers/gray-scale.ts';
import { Resize } from '../lib/wrappers/resize.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rgym-skip-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const options = (extra: MakeOptions): MakeOptions => ({
  integrationPaths: [join(packageRoot(), 'test', 'fixtures', 'integrations')],
  dataDir,
  useRestrictedActions: Actions.DISCRETE,
  ...extra,
});

test('native frameskip with max-pool equals MaxAndSkip over single frames: observations, summed rewards, early stop (property)', () => {
  const native = make('TestRom-Nes', options({ frameskip: 4, maxPool: true }));
  const wrapped = new MaxAndSkip(make('TestRom-Nes', options({})), { skip: 4 });
  try {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 2, 2, 5, 18, 20), { minLength: 1, maxLength: 40 }), (actions) => {
        assert.deepEqual(native.reset().observation, wrapped.reset().observation);
        for (const [t, action] of actions.entries()) {
          const a = native.step(action);
          const b = wrapped.step(action);
          assert.equal(a.reward, b.reward, `reward at ${t}`);
          assert.equal(a.terminated, b.terminated, `terminated at ${t}`);
          assert.deepEqual(a.info, b.info, `info at ${t}`);
          assert.deepEqual(a.observation, b.observation, `observation at ${t}`);
          if (a.terminated) break;
        }
      }),
      { numRuns: 20 },
    );
  } finally {
    native.close();
    wrapped.close();
  }
});

test('AtariPreprocessing over a natively skipping env equals it over single frames, without no-ops', () => {
  const fast = new AtariPreprocessing(make('TestRom-Nes', options({ frameskip: 4, maxPool: true })), { noopMax: 0 });
  const slow = new AtariPreprocessing(make('TestRom-Nes', options({})), { noopMax: 0 });
  try {
    assert.deepEqual(fast.reset().observation, slow.reset().observation);
    for (let t = 0; t < 50; t++) {
      const action = [0, 5, 2, 18][t % 4];
      const a = fast.step(action);
      const b = slow.step(action);
      assert.deepEqual(a.observation, b.observation, `observation at ${t}`);
      assert.equal(a.reward, b.reward);
    }
  } finally {
    fast.close();
    slow.close();
  }
});

test('native preprocessing in RetroEnv (gray 84×84) equals the GrayScale + Resize wrappers, and AtariPreprocessing uses it', () => {
  const native = make('TestRom-Nes', options({ frameskip: 4, maxPool: true, preprocess: { grayscale: true, width: 84, height: 84 } }));
  const fast = new AtariPreprocessing(native, { noopMax: 0 });
  const slow = new AtariPreprocessing(make('TestRom-Nes', options({})), { noopMax: 0 });
  try {
    assert.deepEqual([...native.observationSpace.shape!], [84, 84]);
    assert.equal(native.render().length, 224 * 256 * 3, 'render() still shows the whole RGB frame');
    assert.deepEqual(fast.reset().observation, slow.reset().observation);
    for (let t = 0; t < 40; t++) {
      const action = [0, 5, 2, 18][t % 4];
      const a = fast.step(action);
      const b = slow.step(action);
      assert.deepEqual(a.observation, b.observation, `observation at ${t}`);
      assert.equal(a.reward, b.reward);
      if (a.terminated) break;
    }
    const rgbNative = make('TestRom-Nes', options({ frameskip: 4, maxPool: true, preprocess: { width: 84, height: 84 } }));
    assert.throws(() => new AtariPreprocessing(rgbNative, { noopMax: 0 }), { code: 'INVALID_ARGUMENT' });
    rgbNative.close();
    assert.throws(() => make('TestRom-Nes', options({ obsType: 'ram', preprocess: { grayscale: true } })), { code: 'INVALID_ARGUMENT' });
  } finally {
    fast.close();
    slow.close();
  }
});

for (const game of ['TestRom-Nes', 'TestRom-Snes']) {
  test(`${game}: with native preprocessing, render() still shows the RGB frame an env without it shows, step after step`, () => {
    // The RGB frame is converted only when asked for, from the core's last picture: this checks that picture is
    // still the right one after steps, early stops at an episode's end, and resets.
    const preprocessed = make(game, options({ frameskip: 3, maxPool: true, preprocess: { grayscale: true, width: 84, height: 84 } }));
    const plain = make(game, options({ frameskip: 3 }));
    try {
      preprocessed.reset();
      plain.reset();
      assert.deepEqual(preprocessed.render(), plain.render());
      let ended = 0;
      for (let t = 0; t < 60; t++) {
        const action = [2, 2, 5, 18, 2, 0][t % 6];
        const a = preprocessed.step(action);
        const b = plain.step(action);
        assert.equal(a.terminated, b.terminated);
        if (t % 3 === 0 || a.terminated) assert.deepEqual(preprocessed.render(), plain.render(), `frame at step ${t}`);
        if (a.terminated) {
          ended++;
          preprocessed.reset();
          plain.reset();
          assert.deepEqual(preprocessed.render(), plain.render(), `frame after reset at step ${t}`);
        }
      }
      assert.ok(ended > 0, 'an episode ended along the way');
    } finally {
      preprocessed.close();
      plain.close();
    }
  });
}

test('native preprocessing of any size, gray or RGB, equals the GrayScale and Resize wrappers (property)', () => {
  // Sizes from 4× upscales to 64× downscales, so the native resizer's tap tables take every shape.
  const spec = fc.record({
    grayscale: fc.boolean(),
    width: fc.integer({ min: 4, max: 1024 }),
    height: fc.integer({ min: 4, max: 900 }),
    game: fc.constantFrom('TestRom-Nes', 'TestRom-Snes'),
  });
  fc.assert(
    fc.property(spec, ({ grayscale, width, height, game }) => {
      const native = make(game, options({ frameskip: 2, preprocess: { grayscale, width, height } }));
      let plain: GrayScale<ReturnType<typeof make>> | ReturnType<typeof make> = make(game, options({ frameskip: 2 }));
      if (grayscale) plain = new GrayScale(plain);
      const wrapped = new Resize(plain, { width, height, interpolation: 'area' });
      try {
        assert.deepEqual(native.reset().observation, wrapped.reset().observation);
        for (const action of [5, 18, 2]) assert.deepEqual(native.step(action).observation, wrapped.step(action).observation);
      } finally {
        native.close();
        wrapped.close();
      }
    }),
    { numRuns: 12 },
  );
});

test('a TS scenario steps its frames from JS as the native loop does: same pooled pictures, rewards and early stop (property)', () => {
  const native = make('TestRom-Nes', options({ frameskip: 4, maxPool: true }));
  const fromJs = make('TestRom-Nes', options({ frameskip: 4, maxPool: true, scenario: 'scenario-ts' }));
  try {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 2, 5, 18, 20), { minLength: 1, maxLength: 30 }), (actions) => {
        assert.deepEqual(native.reset().observation, fromJs.reset().observation);
        for (const [t, action] of actions.entries()) {
          const a = native.step(action);
          const b = fromJs.step(action);
          assert.equal(a.reward, b.reward, `reward at ${t}`);
          assert.equal(a.terminated, b.terminated, `terminated at ${t}`);
          assert.deepEqual(a.observation, b.observation, `observation at ${t}`);
          if (a.terminated) break;
        }
      }),
      { numRuns: 10 },
    );
  } finally {
    native.close();
    fromJs.close();
  }
});

test('makeAtari chooses the native path when the env is made and equals AtariPreprocessing over make()', () => {
  const made = makeAtari('TestRom-Nes', { ...options({}), atari: { noopMax: 0 } });
  const wrapped = new AtariPreprocessing(make('TestRom-Nes', options({})), { noopMax: 0 });
  try {
    assert.equal(made.native, true);
    assert.deepEqual(made.observationSpace.shape, [84, 84]);
    assert.deepEqual(made.reset().observation, wrapped.reset().observation);
    for (let t = 0; t < 30; t++) {
      const a = made.step([0, 5, 2, 18][t % 4]);
      const b = wrapped.step([0, 5, 2, 18][t % 4]);
      assert.deepEqual(a.observation, b.observation, `observation at ${t}`);
      assert.equal(a.reward, b.reward);
    }
  } finally {
    made.close();
    wrapped.close();
  }
  assert.equal(new AtariPreprocessing(make('TestRom-Nes', options({})), { interpolation: 'bilinear' }).native, false);
  assert.throws(() => makeAtari('TestRom-Nes', { ...options({}), frameskip: 4 }), { code: 'INVALID_ARGUMENT', message: /sets frameskip itself/ });
  assert.throws(() => makeAtari('TestRom-Nes', { ...options({}), atari: { interpolation: 'bilinear' } }), { code: 'INVALID_ARGUMENT', message: /need the TS wrappers/ });
});
