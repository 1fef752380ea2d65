// Which way AtariPreprocessing makes its observations is decided in one place, chooseAtariRoute: each route on a
// real env, with the reason it gives, and the base envs it refuses.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make, Observations, type MakeOptions, type RetroEnv } from '../lib/env/retro-env.ts';
import { packageRoot } from '../lib/package-root.ts';
import { AtariPreprocessing, makeAtari } from '../lib/wrappers/atari-preprocessing.ts';
import { chooseAtariRoute, type AtariSettings } from '../lib/wrappers/atari-route.ts';
import { Wrapper } from '../lib/wrappers/wrapper.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rgym-route-'));
const integrationPaths = [join(packageRoot(), 'test', 'fixtures', 'integrations')];
const opened: RetroEnv[] = [];
after(() => {
  for (const env of opened) env.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function makeEnv(extra: MakeOptions = {}): RetroEnv {
  const env = make('TestRom-Nes', { integrationPaths, dataDir, ...extra });
  opened.push(env);
  return env;
}

const settings = (extra: Partial<AtariSettings> = {}): AtariSettings => ({
  frameSkip: 4,
  width: 84,
  height: 84,
  grayscale: true,
  grayscaleNewaxis: false,
  interpolation: 'area',
  ...extra,
});

test('a bare RetroEnv takes the native route, skipping itself when made with { frameskip, maxPool }', () => {
  const bare = chooseAtariRoute(makeEnv(), settings());
  assert.equal(bare.kind, 'native');
  assert.equal(bare.envSkips, false);
  assert.ok(bare.fastPath, 'the native route carries the fast path');
  assert.match(bare.reason, /grays, pools and resizes natively/);
  const skipping = chooseAtariRoute(makeEnv({ frameskip: 4, maxPool: true }), settings());
  assert.equal(skipping.kind, 'native');
  assert.equal(skipping.envSkips, true);
  assert.match(skipping.reason, /skips and pools frames itself/);
});

test('what keeps the native route out is the reason of the ts-wrappers route', () => {
  const cases: [string, () => ReturnType<typeof chooseAtariRoute>, RegExp][] = [
    ['a wrapper', () => chooseAtariRoute(new Wrapper(makeEnv()), settings()), /not a bare RetroEnv/],
    ['bilinear', () => chooseAtariRoute(makeEnv(), settings({ interpolation: 'bilinear' })), /bilinear resizing/],
    ['newaxis', () => chooseAtariRoute(makeEnv(), settings({ grayscaleNewaxis: true })), /grayscaleNewaxis/],
    ['a huge screen', () => chooseAtariRoute(makeEnv(), settings({ width: 5000 })), /over 4096/],
    ['RAM', () => chooseAtariRoute(makeEnv({ obsType: Observations.RAM }), settings()), /observes RAM/],
    ['an env skipping otherwise', () => chooseAtariRoute(makeEnv({ frameskip: 4 }), settings({ frameSkip: 1 })), /skips 4 frames per step itself/],
  ];
  for (const [name, route, reason] of cases) {
    const chosen = route();
    assert.equal(chosen.kind, 'ts-wrappers', name);
    assert.equal(chosen.fastPath, undefined, name);
    assert.match(chosen.reason, reason, name);
  }
});

test('an env preprocessing alike takes the env-preprocessed route; its fast path serves one wrapper only', () => {
  const preprocessed = chooseAtariRoute(makeEnv({ preprocess: { grayscale: true, width: 84, height: 84 } }), settings());
  assert.equal(preprocessed.kind, 'env-preprocessed');
  assert.match(preprocessed.reason, /its own preprocess/);
  const env = makeEnv();
  const first = new AtariPreprocessing(env, { noopMax: 0 });
  assert.equal(first.route.kind, 'native');
  assert.equal(first.native, true);
  const second = chooseAtariRoute(env, settings());
  assert.equal(second.kind, 'ts-wrappers');
  assert.match(second.reason, /already preprocesses for another wrapper/);
});

test('a base env that skips or preprocesses differently is refused with the field to change', () => {
  assert.throws(() => chooseAtariRoute(makeEnv({ frameskip: 4 }), settings()), { code: 'INVALID_ARGUMENT', details: { field: 'frameSkip' } });
  assert.throws(() => chooseAtariRoute(makeEnv({ frameskip: 2, maxPool: true }), settings()), { code: 'INVALID_ARGUMENT', details: { field: 'frameSkip' } });
  const gray64 = makeEnv({ preprocess: { grayscale: true, width: 64, height: 64 } });
  assert.throws(() => chooseAtariRoute(gray64, settings()), { code: 'INVALID_ARGUMENT', details: { field: 'preprocess' } });
});

test('makeAtari refuses a route other than native, saying why', () => {
  assert.throws(() => makeAtari('TestRom-Nes', { integrationPaths, dataDir, atari: { grayscaleNewaxis: true } }), {
    code: 'INVALID_ARGUMENT',
    message: /need the TS wrappers \(grayscaleNewaxis\)/,
  });
});
