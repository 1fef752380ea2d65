import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { declaredNapiVersion, locateAddon, prebuiltAddonPath, shippedPrebuilds, type Platform } from '../lib/addon-location.ts';
import { CoreError } from '../lib/errors.ts';
import { packageRoot } from '../lib/package-root.ts';
import { tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());
const linuxGlibc: Platform = { os: 'linux', arch: 'x64', libc: 'glibc' };
const linuxMusl: Platform = { os: 'linux', arch: 'x64', libc: 'musl' };

/** A package folder holding empty files at `files`. */
function fakePackage(name: string, files: string[]): string {
  const root = join(tmp.dir, name);
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
  }
  return root;
}

describe('which addon file is loaded', () => {
  test('the prebuilt file for this platform, when there is no source build', () => {
    const root = fakePackage('prebuilt-only', ['prebuilds/linux-x64/libretro_gym.glibc.node']);
    assert.deepEqual(locateAddon(root, {}, linuxGlibc), { path: prebuiltAddonPath(root, linuxGlibc), kind: 'prebuilt' });
  });

  test('a source build wins over the prebuilt file; RETRO_ADDON_PATH over both', () => {
    const root = fakePackage('both', ['prebuilds/linux-x64/libretro_gym.glibc.node', 'build/Release/libretro_gym.node', 'asan.node']);
    assert.deepEqual(locateAddon(root, {}, linuxGlibc), { path: join(root, 'build/Release/libretro_gym.node'), kind: 'source build' });
    const override = join(root, 'asan.node');
    assert.deepEqual(locateAddon(root, { RETRO_ADDON_PATH: override }, linuxGlibc), { path: override, kind: 'RETRO_ADDON_PATH' });
  });

  test('no prebuilt file for this platform: the error names it, what ships, and npx retro build', () => {
    const root = fakePackage('other-platform', ['prebuilds/linux-x64/libretro_gym.glibc.node']);
    for (const platform of [linuxMusl, { os: 'linux', arch: 'arm64', libc: 'glibc' } as Platform, { os: 'darwin', arch: 'arm64' }]) {
      assert.throws(
        () => locateAddon(root, {}, platform),
        (e: unknown) => {
          assert.ok(e instanceof CoreError);
          assert.equal(e.code, 'CORE_LOAD_FAILED');
          assert.match(e.message, /ships a prebuilt one for linux-x64 \(glibc\) only, not for /);
          assert.match(e.message, /npx retro build/);
          assert.match(e.message, /npx retro doctor/);
          return true;
        },
      );
    }
  });

  test('a clone with nothing built points at npm run setup too; a missing RETRO_ADDON_PATH is named', () => {
    const root = fakePackage('clone', ['package.json']);
    assert.throws(() => locateAddon(root, {}, linuxGlibc), /has no prebuilt one.*npm run setup/);
    assert.throws(() => locateAddon(root, { RETRO_ADDON_PATH: '/nonexistent.node' }, linuxGlibc), /RETRO_ADDON_PATH names \/nonexistent\.node/);
  });

  test('shippedPrebuilds lists platform folders and C libraries', () => {
    const root = fakePackage('many', ['prebuilds/linux-x64/libretro_gym.glibc.node', 'prebuilds/linux-arm64/libretro_gym.musl.node', 'prebuilds/linux-x64/notes.txt']);
    assert.deepEqual(shippedPrebuilds(root), ['linux-arm64 (musl)', 'linux-x64 (glibc)']);
  });
});

test('the Node-API version is declared once: package.json, CMakeLists.txt and binding.gyp agree', () => {
  const root = packageRoot();
  const declared = declaredNapiVersion(root);
  assert.equal(declared, 8);
  assert.match(readFileSync(join(root, 'CMakeLists.txt'), 'utf8'), new RegExp(`NAPI_VERSION=${declared}\\b`));
  assert.match(readFileSync(join(root, 'binding.gyp'), 'utf8'), new RegExp(`NAPI_VERSION=${declared}\\b`));
});
