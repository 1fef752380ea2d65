/**
 * The prebuilt addon (what `npm install` users get) must give the same results as a source build: the emulator and
 * env suites run again here, in a child process, on prebuilds/linux-x64/libretro_gym.glibc.node. The prebuild is
 * (re)made by scripts/prebuild.sh, which only relinks what changed (npm pack in consumer-install.test.ts makes it
 * too).
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import type { NativeBuildInfo } from '../lib/native.ts';
import { packageRoot } from '../lib/package-root.ts';

const root = packageRoot();
const prebuilt = join(root, 'prebuilds', 'linux-x64', 'libretro_gym.glibc.node');
const SUITES = ['emulator.test.ts', 'emulator-state.test.ts', 'emulator-multi.test.ts', 'emulator-errors.test.ts', 'env.test.ts'];

test('the emulator and env suites pass on the prebuilt addon', (t) => {
  const build = spawnSync('bash', [join(root, 'scripts', 'prebuild.sh')], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const info = (createRequire(import.meta.url)(prebuilt) as { buildInfo(): NativeBuildInfo }).buildInfo();
  assert.equal(info.prebuilt, true);
  assert.equal(info.luaLinkage, 'static');

  // NODE_TEST_CONTEXT would make the inner runner talk to this one instead of printing its report.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const suites = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--import', './test/setup.ts', '--test', '--test-concurrency=1', ...SUITES.map((s) => join('test', s))],
    { cwd: root, encoding: 'utf8', env: { ...env, RETRO_ADDON_PATH: prebuilt }, maxBuffer: 64 * 1024 * 1024 },
  );
  const report = suites.stdout + suites.stderr;
  const passed = Number(/^# pass (\d+)$/m.exec(report)?.[1] ?? 0);
  t.diagnostic(`${passed} tests passed on ${prebuilt}`);
  assert.equal(suites.status, 0, report.slice(-4000));
  assert.match(report, /^# fail 0$/m);
  assert.ok(passed > 0, 'no test ran');
});
