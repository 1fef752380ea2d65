// make(game, { core }) and Emulator({ core }): forcing a core by name or path, env.core saying which ran, built
// states keyed by the forced core, and a shipped state that does not load naming the core to install.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Emulator } from '../lib/emulator.ts';
import { make, type MakeOptions } from '../lib/env/retro-env.ts';
import { RetroError } from '../lib/errors.ts';
import { packageRoot } from '../lib/package-root.ts';
import { copyFixture, tempDir } from './fixtures/helpers.ts';
import { testRoms } from './helpers.ts';

const NESTOPIA = '/usr/lib/x86_64-linux-gnu/libretro/nestopia_libretro.so';
const BSNES = '/usr/lib/x86_64-linux-gnu/libretro/bsnes_mercury_performance_libretro.so';
const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
const tmp = tempDir('rgym-make-core-');
process.on('exit', () => tmp.cleanup());
// Only Debian's cores: no user-installed fceumm may change what these tests see.
process.env.XDG_DATA_HOME = join(tmp.dir, 'xdg');
process.env.XDG_CONFIG_HOME = join(tmp.dir, 'config');
delete process.env.RETRO_CORES_PATH;
delete process.env.RETRO_CORE_NES;

const opts = (extra: MakeOptions = {}): MakeOptions => ({ integrationPaths: [fixtures], dataDir: join(tmp.dir, 'data'), ...extra });

function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

function thrown(fn: () => unknown): RetroError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RetroError, String(e));
    return e;
  }
  assert.fail('expected a RetroError');
}

test('env.core names the core that ran: install name, library name and version, file', () => {
  const env = make('TestRom-Nes', opts());
  try {
    assert.deepEqual({ ...env.core, version: typeof env.core.version }, { name: 'nestopia', library: 'Nestopia', version: 'string', path: NESTOPIA });
    assert.match(env.core.version, /^\d+\.\d+/);
  } finally {
    env.close();
  }
});

test('{ core } takes a core name or a path, and beats RETRO_CORE_<SYSTEM>', () => {
  withEnv({ RETRO_CORE_NES: 'fceumm' }, () => {
    for (const core of ['nestopia', 'nestopia_libretro.so', NESTOPIA]) {
      const env = make('TestRom-Nes', opts({ core }));
      try {
        assert.equal(env.core.path, NESTOPIA, core);
        assert.equal(env.reset().info.x, 128);
      } finally {
        env.close();
      }
    }
    assert.throws(() => make('TestRom-Nes', opts()), { code: 'CORE_NOT_FOUND' }, 'without { core } the variable still applies');
  });
});

test('{ core } naming a core that is not installed says how to install it', () => {
  const error = thrown(() => make('TestRom-Nes', opts({ core: 'fceumm' })));
  assert.equal(error.code, 'CORE_NOT_FOUND');
  assert.match(error.message, /^core "fceumm" forces a core for nes, but fceumm_libretro\.so is in none of .*; install it with: npx retro cores install fceumm$/);
  assert.equal(error.details.field, 'core');
  assert.throws(() => new Emulator({ rom: testRoms.nes, core: 'nosuchcore' }), { code: 'CORE_NOT_FOUND' });
  for (const bad of ['', '  ', 7, null]) {
    assert.throws(() => make('TestRom-Nes', opts({ core: bad as string })), { code: 'INVALID_ARGUMENT', message: /core must be a core name or a core file's path/ }, String(bad));
  }
  assert.throws(() => new Emulator({ rom: testRoms.nes, core: 'snes9x' }), /npx retro cores install snes9x/);
});

test('a start state built with a forced core is built with it and keyed by it', () => {
  // A copy of Debian's bsnes under another name: the same emulation, but another core file to key states by.
  const copy = join(tmp.dir, 'cores', 'bsnescopy_libretro.so');
  mkdirSync(join(tmp.dir, 'cores'), { recursive: true });
  copyFileSync(BSNES, copy);
  const dataDir = join(tmp.dir, 'keyed');
  const builtStates = () => readdirSync(join(dataDir, 'states', 'TestRom-Snes')).filter((f) => f.startsWith('Start.')).sort();
  make('TestRom-Snes', opts({ dataDir })).close();
  const byDefault = builtStates();
  assert.equal(byDefault.length, 1);
  const env = make('TestRom-Snes', opts({ dataDir, core: copy }));
  try {
    assert.equal(env.core.path, copy);
    assert.equal(env.core.name, 'bsnescopy');
    assert.equal(env.reset().info.x, 128, 'the state built with the copy loads in it');
  } finally {
    env.close();
  }
  // Keyed by the core's file name: the copy's build is not the default core's (a build replaces older keys).
  const byCopy = builtStates();
  assert.equal(byCopy.length, 1);
  assert.notEqual(byCopy[0], byDefault[0]);
  make('TestRom-Snes', opts({ dataDir })).close();
  assert.deepEqual(builtStates(), byDefault, 'back to the default core: its own key again');
});

test("a shipped state that does not load names stable-retro's core: to install, or to choose", () => {
  const root = join(tmp.dir, 'shipped');
  const game = copyFixture('TestRom-Nes', root);
  writeFileSync(join(game, 'Start.state'), gzipSync(Buffer.alloc(100, 7)));
  const options = opts({ integrationPaths: [root], dataDir: join(tmp.dir, 'shipped-data') });
  const missing = thrown(() => make('TestRom-Nes', options));
  assert.equal(missing.code, 'STATE_INVALID');
  assert.match(missing.message, /Start\.state: .*; states of stable-retro integrations are made by fceumm, which is not installed \(nestopia ran\): install it with: npx retro cores install fceumm$/);

  // fceumm present (a stand-in file: it is never loaded) but another core forced.
  const folder = join(tmp.dir, 'fake-cores');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'fceumm_libretro.so'), 'not loaded');
  withEnv({ RETRO_CORES_PATH: folder, RETRO_CORE_NES: 'nestopia' }, () => {
    const unchosen = thrown(() => make('TestRom-Nes', options));
    assert.match(unchosen.message, /made by fceumm, installed at .*fake-cores\/fceumm_libretro\.so but not chosen \(nestopia ran\): pass make\(game, \{ core: 'fceumm' \}\) or set RETRO_CORE_NES=fceumm$/);
  });
});

test('a state built from a recipe gets no such hint: it was made by the core that runs', () => {
  const root = join(tmp.dir, 'recipe');
  copyFixture('TestRom-Nes', root);
  const dataDir = join(tmp.dir, 'recipe-data');
  make('TestRom-Nes', opts({ integrationPaths: [root], dataDir })).close();
  const folder = join(dataDir, 'states', 'TestRom-Nes');
  const built = readdirSync(folder).find((f) => f.startsWith('Start.'))!;
  writeFileSync(join(folder, built), gzipSync(Buffer.alloc(100, 7)));
  const error = thrown(() => make('TestRom-Nes', opts({ integrationPaths: [root], dataDir })));
  assert.equal(error.code, 'STATE_INVALID');
  assert.doesNotMatch(error.message, /stable-retro/);
});
