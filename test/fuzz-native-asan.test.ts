// Damaged states, random memory addresses and random writes, fed to the native addon built with AddressSanitizer
// (and UBSan): every input must give a typed error or work, and ASan must find no memory error in our code. The
// sanitized addon is built (incrementally) into build-asan/ and runs in a child process with libasan preloaded.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { packageRoot } from '../lib/package-root.ts';

const root = packageRoot();
const asanAddon = join(root, 'build-asan', 'Release', 'libretro_gym.node');

before(() => {
  execFileSync(process.execPath, [join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js'), 'compile', '--out', 'build-asan', '--CDRGYM_SANITIZE=ON'], {
    cwd: root,
    stdio: 'ignore',
    // Like scripts/setup.sh: the Node headers the machine ships, not a download.
    env: existsSync('/usr/include/node/node_api.h') ? { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' } : process.env,
  });
});

test('damaged states and random addresses under AddressSanitizer: typed errors, no memory errors', () => {
  assert.ok(existsSync(asanAddon), `the sanitized addon was not built at ${asanAddon}`);
  const libasan = execFileSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'fixtures', 'fuzz-native.ts'), '60', String(seed)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 10 * 60_000,
    env: { ...process.env, LD_PRELOAD: libasan, ASAN_OPTIONS: 'detect_leaks=0', UBSAN_OPTIONS: 'print_stacktrace=1', RETRO_ADDON_PATH: asanAddon },
  });
  const report = `seed ${seed}, exit ${child.status} ${child.signal ?? ''}\n${child.stderr.slice(-6000)}`;
  assert.doesNotMatch(child.stderr, /ERROR: AddressSanitizer|runtime error:/, report);
  assert.equal(child.status, 0, report);
  assert.match(child.stdout, /fuzz ok/);
});
