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
import { AtariPreprocessing } from '../lib/wrappers/atari-preprocessing.ts';

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

test('native preprocessing in RetroEnv (grey 84×84) equals the GrayScale + Resize wrappers, and AtariPreprocessing uses it', () => {
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
