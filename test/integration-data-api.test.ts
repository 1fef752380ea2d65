import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { RetroError } from '../lib/errors.ts';
import {
  addIntegrationPath,
  getGamePath,
  getIntegration,
  getRomPath,
  listGames,
  listScenarios,
  listStates,
  locateGame,
} from '../lib/integration/data-api.ts';
import { dataDir, integrationSearchPaths, packageRoot, resetIntegrationPaths } from '../lib/integration/paths.ts';
import { closestNames, editDistance } from '../lib/integration/suggest.ts';
import { fakeNesRom, fakeSnesRom } from './fixtures/fake-roms.ts';
import { copyFixture, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());
afterEach(() => resetIntegrationPaths());

let counter = 0;
/** An integration root with both fixtures, an empty data dir and an environment that points nowhere else. */
function setup() {
  const base = join(tmp.dir, `case${counter++}`);
  const root = join(base, 'integrations');
  mkdirSync(root, { recursive: true });
  copyFixture('TestGame-Nes', root);
  copyFixture('AllTypes-Snes', root);
  const data = join(base, 'data');
  const env = { HOME: join(base, 'home'), RETRO_DATA_DIR: data };
  return { base, root, data, env, options: { integrationPaths: [root], env } };
}

function caught(fn: () => unknown): RetroError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RetroError, String(error));
    return error;
  }
  assert.fail('expected an error');
}

describe('paths', () => {
  test('package root is the repo root (found from the module, not the cwd)', () => {
    assert.equal(packageRoot(), resolve(import.meta.dirname, '..'));
  });

  test('data dir: option, then RETRO_DATA_DIR, then XDG_DATA_HOME, then ~/.local/share', () => {
    assert.equal(dataDir({ dataDir: '/opt/d', env: { RETRO_DATA_DIR: '/x' } }), '/opt/d');
    assert.equal(dataDir({ env: { RETRO_DATA_DIR: '/x', XDG_DATA_HOME: '/xdg' } }), '/x');
    assert.equal(dataDir({ env: { XDG_DATA_HOME: '/xdg', HOME: '/home/u' } }), '/xdg/libretro-gym');
    assert.equal(dataDir({ env: { HOME: '/home/u' } }), '/home/u/.local/share/libretro-gym');
  });

  test('search order: option, added paths, RETRO_INTEGRATION_PATHS, bundled', () => {
    addIntegrationPath('/added');
    const paths = integrationSearchPaths({ integrationPaths: ['/opt'], env: { RETRO_INTEGRATION_PATHS: '/env1::/env2:/opt' } });
    assert.deepEqual(paths, ['/opt', '/added', '/env1', '/env2', join(packageRoot(), 'integrations')]);
  });
});

describe('listing', () => {
  test('games need rom.sha and a known system; states hide _ names; scenarios exclude data/metadata', () => {
    const { root, options } = setup();
    mkdirSync(join(root, 'NoSha-Nes'));
    writeFileSync(join(root, 'NoSha-Nes', 'data.json'), '{"info": {}}');
    copyFixture('TestGame-Nes', root, 'Panzer-Saturn');
    writeFileSync(join(root, 'stray-Nes'), 'a file, not a folder');
    const games = listGames(options);
    assert.ok(games.includes('TestGame-Nes') && games.includes('AllTypes-Snes'));
    assert.ok(!games.includes('NoSha-Nes') && !games.includes('Panzer-Saturn') && !games.includes('stray-Nes'));
    assert.deepEqual(games, [...games].sort());
    assert.deepEqual(listStates('TestGame-Nes', options), ['Level1', 'Start'], 'state files and boot-recipe states');
    assert.deepEqual(listScenarios('TestGame-Nes', options), ['scenario', 'speedrun']);
    assert.deepEqual(listScenarios('AllTypes-Snes', options), ['scenario']);
  });

  test('games come from RETRO_INTEGRATION_PATHS; an earlier path hides a game of the same name', () => {
    const { base, root, env } = setup();
    const other = join(base, 'other');
    mkdirSync(other);
    const shadow = copyFixture('TestGame-Nes', other);
    rmSync(join(shadow, '_Debug.state'));
    writeFileSync(join(shadow, 'Extra.state'), 'x');
    const viaEnv = { env: { ...env, RETRO_INTEGRATION_PATHS: `${other}:${root}` } };
    assert.ok(listGames(viaEnv).includes('AllTypes-Snes'));
    assert.deepEqual(listStates('TestGame-Nes', viaEnv), ['Extra', 'Level1', 'Start']);
    assert.deepEqual(listStates('TestGame-Nes', { ...viaEnv, integrationPaths: [root] }), ['Level1', 'Start']);
    assert.equal(getGamePath('TestGame-Nes', viaEnv), shadow);
  });

  test('addIntegrationPath makes games visible to later calls', () => {
    const { root, env } = setup();
    assert.ok(!listGames({ env }).includes('AllTypes-Snes'));
    addIntegrationPath(root);
    assert.ok(listGames({ env }).includes('AllTypes-Snes'));
  });

  test('getIntegration loads and validates', () => {
    const { options } = setup();
    assert.equal(getIntegration('AllTypes-Snes', options).data.info.speed.type, '<i2');
  });
});

describe('a located game', () => {
  test('every accessor takes the location and answers as for the name, without searching again', () => {
    const { base, root, data, env, options } = setup();
    mkdirSync(join(data, 'roms', 'TestGame-Nes'), { recursive: true });
    writeFileSync(join(data, 'roms', 'TestGame-Nes', 'rom.nes'), fakeNesRom());
    const location = locateGame('TestGame-Nes', options);
    assert.equal(location.dir, join(root, 'TestGame-Nes'));
    // Search paths that would find nothing: a location is not looked up again, only the data dir still counts.
    const elsewhere = { integrationPaths: [join(base, 'nowhere')], env };
    assert.equal(getGamePath(location, elsewhere), getGamePath('TestGame-Nes', options));
    assert.deepEqual(listStates(location, elsewhere), listStates('TestGame-Nes', options));
    assert.deepEqual(listScenarios(location, elsewhere), listScenarios('TestGame-Nes', options));
    assert.equal(getRomPath(location, elsewhere), getRomPath('TestGame-Nes', options));
    assert.deepEqual(getIntegration(location).data, getIntegration('TestGame-Nes', options).data);
    assert.equal(caught(() => getRomPath(location, { env: { ...env, RETRO_DATA_DIR: join(base, 'empty') } })).code, 'ROM_NOT_IMPORTED');
  });
});

describe('GAME_NOT_FOUND', () => {
  test('names the game, suggests close names and lists the folders searched', () => {
    const { root, options } = setup();
    const error = caught(() => getRomPath('TestGame-Ness', options));
    assert.equal(error.code, 'GAME_NOT_FOUND');
    assert.match(error.message, /Game 'TestGame-Ness' not found/);
    assert.match(error.message, /Did you mean 'TestGame-Nes'\?/);
    assert.ok(error.message.includes(root));
    assert.deepEqual(error.details.suggestions, ['TestGame-Nes']);
    assert.deepEqual(caught(() => listStates('testgame-nes', options)).details.suggestions, ['TestGame-Nes']);
    assert.deepEqual(caught(() => listStates('AllTypes', options)).details.suggestions, ['AllTypes-Snes']);
    assert.deepEqual(caught(() => listStates('Zelda-Nes', options)).details.suggestions, []);
    assert.doesNotMatch(caught(() => listStates('Zelda-Nes', options)).message, /Did you mean/);
  });

  test('path-like names are not looked up outside the search paths', () => {
    const { options } = setup();
    for (const name of ['../integrations/TestGame-Nes', '..', '', 'a/b']) {
      assert.equal(caught(() => getGamePath(name, options)).code, 'GAME_NOT_FOUND', name);
    }
  });

  test('says why a folder that exists is not a game', () => {
    const { root, options } = setup();
    copyFixture('TestGame-Nes', root, 'Panzer-Saturn');
    assert.match(caught(() => getGamePath('Panzer-Saturn', options)).message, /system 'saturn' has no descriptor/);
    mkdirSync(join(root, 'Bare-Nes'));
    assert.match(caught(() => getGamePath('Bare-Nes', options)).message, /has no rom\.sha/);
  });

  test('suggestions: edit distance and prefix', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.deepEqual(closestNames('SuperMarioBros-Nse', ['SuperMarioBros-Nes', 'SuperMarioBros3-Nes', 'Tetris-GameBoy']), [
      'SuperMarioBros-Nes',
      'SuperMarioBros3-Nes',
    ]);
    assert.deepEqual(closestNames('Tetris', ['Tetris-GameBoy', 'Tetris-Nes', 'Zelda-Nes']), ['Tetris-GameBoy', 'Tetris-Nes']);
  });
});

describe('getRomPath', () => {
  test('ROM_NOT_IMPORTED names the game, the expected SHA-1s and the import command', () => {
    const { data, options } = setup();
    const error = caught(() => getRomPath('TestGame-Nes', options));
    assert.equal(error.code, 'ROM_NOT_IMPORTED');
    assert.match(error.message, /TestGame-Nes/);
    assert.match(error.message, /0dede0d46ac46f46bbb46e4bb7957bfa81d287e1/);
    assert.match(error.message, /npx retro import <dir>/);
    assert.deepEqual(error.details.expected, ['0dede0d46ac46f46bbb46e4bb7957bfa81d287e1']);
    assert.equal(error.details.file, join(data, 'roms', 'TestGame-Nes', 'rom.nes'));
  });

  test('finds an imported ROM whose SHA-1 (iNES rule) matches, with any header', () => {
    const { data, options } = setup();
    const rom = join(data, 'roms', 'TestGame-Nes', 'rom.nes');
    mkdirSync(join(data, 'roms', 'TestGame-Nes'), { recursive: true });
    writeFileSync(rom, fakeNesRom(7));
    assert.equal(getRomPath('TestGame-Nes', options), rom);
    const snes = join(data, 'roms', 'AllTypes-Snes', 'rom.smc');
    mkdirSync(join(data, 'roms', 'AllTypes-Snes'));
    writeFileSync(snes, fakeSnesRom());
    assert.equal(getRomPath('AllTypes-Snes', options), snes, 'any extension of the system is found');
  });

  test('a ROM shipped in the integration folder is used first', () => {
    const { root, data, options } = setup();
    writeFileSync(join(root, 'TestGame-Nes', 'rom.nes'), fakeNesRom());
    mkdirSync(join(data, 'roms', 'TestGame-Nes'), { recursive: true });
    writeFileSync(join(data, 'roms', 'TestGame-Nes', 'rom.nes'), fakeNesRom(1));
    assert.equal(getRomPath('TestGame-Nes', options), join(root, 'TestGame-Nes', 'rom.nes'));
  });

  test('ROM_SHA_MISMATCH when the ROM is another dump; a stale hash is not cached', () => {
    const { data, options } = setup();
    const rom = join(data, 'roms', 'TestGame-Nes', 'rom.nes');
    mkdirSync(join(data, 'roms', 'TestGame-Nes'), { recursive: true });
    const bad = fakeNesRom();
    bad[100] ^= 0xff;
    writeFileSync(rom, bad);
    const error = caught(() => getRomPath('TestGame-Nes', options));
    assert.equal(error.code, 'ROM_SHA_MISMATCH');
    assert.match(error.message, /rom\.nes \(SHA-1 [0-9a-f]{40}\)/);
    assert.match(error.message, /npx retro import <dir>/);
    writeFileSync(rom, fakeNesRom(3));
    utimesSync(rom, new Date(2001, 1, 1), new Date(2001, 1, 1)); // file times are coarse: make the rewrite visible
    assert.equal(getRomPath('TestGame-Nes', options), rom);
    rmSync(rom);
    assert.equal(existsSync(rom), false);
    assert.equal(caught(() => getRomPath('TestGame-Nes', options)).code, 'ROM_NOT_IMPORTED');
  });
});
