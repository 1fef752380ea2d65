// A BatchEnv owns its envs: stepping, resetting or closing one directly raced with the native workers (closing
// one then stepping the batch crashed the process 5 times in 6). And a constructor that throws leaks nothing.
// Issue 11, items 2 and 12.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Actions } from '../lib/env/action-codec.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { FIXTURE_INTEGRATIONS } from './fixtures/helpers.ts';

// Emulators make their work folders in os.tmpdir(); a private one lets the test count them.
const privateTmp = mkdtempSync(join(tmpdir(), 'rgym-batch-hard-'));
const previousTmp = process.env.TMPDIR;
process.env.TMPDIR = privateTmp;
after(() => {
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  rmSync(privateTmp, { recursive: true, force: true });
});
const workDirs = () => readdirSync(privateTmp).filter((f) => f.startsWith('libretro-gym-')).length;
const options = { integrationPaths: [FIXTURE_INTEGRATIONS], dataDir: join(privateTmp, 'data'), frameskip: 2, useRestrictedActions: Actions.DISCRETE };
const owned = (e: Error & { code?: string }) => e.code === 'ENV_OWNED' && e.name === 'LifecycleError';

describe('BatchEnv owns its envs', () => {
  test('closing, stepping or resetting one of them is refused; the batch keeps working and closes them all', () => {
    const batch = new BatchEnv('TestRom-Nes', { ...options, numEnvs: 3 });
    try {
      batch.reset();
      assert.throws(() => batch.envs[1].close(), owned);
      assert.throws(() => batch.envs[1].step(0), owned);
      assert.throws(() => batch.envs[2].reset(), owned);
      assert.throws(() => batch.envs[0].loadState(batch.envs[0].saveState()), owned);
      for (let i = 0; i < 20; i++) batch.step([1, 2, 3]);
      assert.equal(batch.envs[1].closed, false);
      assert.equal(batch.envs[0].render().length, 3 * batch.envs[0].observationSpace.shape!.slice(0, 2).reduce((a, b) => a * b, 1));
    } finally {
      batch.close();
    }
    assert.ok(batch.envs.every((env) => env.closed));
  });

  test('a constructor that throws leaves no emulator behind (work folders counted)', () => {
    const before = workDirs();
    for (let i = 0; i < 3; i++) {
      assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, numEnvs: 2, preprocess: { width: 0 } }), /preprocess\.width must be an integer/);
      assert.throws(() => new BatchEnv('TestRom-Nes', { ...options, scenario: 'scenario-ts', numEnvs: 2, preprocess: { grayscale: true } }), /preprocess needs the native stepper/);
    }
    assert.equal(workDirs(), before);
  });
});
