// .bk2 movies of the Sega, Atari and NEC systems: platforms and button columns from the descriptors, our own movies
// read back, and input logs as BizHawk writes them (its controller names and mnemonics) read by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { writeFileSync } from 'node:fs';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { MovieError } from '../lib/errors.ts';
import { columnsOf, platformOf, readablePlatforms, systemOfPlatform } from '../lib/movie/columns.ts';
import { parseInputLog } from '../lib/movie/input-log.ts';
import { Movie, writeMovie } from '../lib/movie/movie.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { make } from '../lib/env/retro-env.ts';
import { makeReplayEnv, replayMovie } from '../lib/movie/replay.ts';
import { RecordMovie } from '../lib/movie/record-movie.ts';
import { packageRoot } from '../lib/package-root.ts';
import { Rng } from '../lib/rng.ts';
import { withTempDir } from './helpers.ts';

const SYSTEMS = ['genesis', 'sms', 'gamegear', 'atari2600', '32x', 'pce'] as const;

/** Bit of a descriptor button in a system's masks. */
function bit(system: string, button: string): number {
  const index = loadCoreDescriptor(system).buttons.indexOf(button);
  assert.ok(index >= 0, `${system} has ${button}`);
  return 1 << index;
}

function press(system: string, ...buttons: string[]): number {
  return buttons.reduce((mask, b) => mask | bit(system, b), 0);
}

/** A .bk2 as BizHawk would save it: its header lines, the input log, no Core.bin (power-on). */
function bizhawkMovie(dir: string, platform: string, log: string): string {
  const path = join(dir, `${platform}.bk2`);
  const header = `MovieVersion BizHawk v2.0 Tasproj v1.0\nAuthor tester\nemuVersion Version 2.9.1\nPlatform ${platform}\nGameName Some Game\nSHA1 0000\nCore Core\nrerecordCount 7\n`;
  writeFileSync(path, zipSync({ 'Header.txt': strToU8(header), 'Input Log.txt': strToU8(log.replaceAll('\n', '\r\n')) }));
  return path;
}

function expectMovieError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof MovieError && e.code === 'MOVIE_INVALID' && pattern.test(e.message));
}

test("the descriptors' buttons are stable-retro's, bit for bit", () => {
  // stable-retro's cores/{genesis,32x,pce,atari2600}.json (Genesis, Sms and GameGear share genesis.json).
  const genesisPad = ['B', 'A', 'MODE', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'C', 'Y', 'X', 'Z'];
  const stableRetro: Record<string, (string | null)[]> = {
    genesis: genesisPad,
    '32x': genesisPad,
    sms: ['B', null, null, 'PAUSE', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'],
    gamegear: ['B', null, null, 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'],
    atari2600: ['BUTTON', null, 'SELECT', 'RESET', 'UP', 'DOWN', 'LEFT', 'RIGHT'],
    pce: ['II', 'III', 'SELECT', 'RUN', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'I', 'IV', 'V', 'VI'],
  };
  for (const system of SYSTEMS) assert.deepEqual(loadCoreDescriptor(system).buttons, stableRetro[system], system);
});

test('platforms: the first is written, stable-retro\'s and BizHawk\'s names all read back as the system', () => {
  const platforms: Record<string, [string, string]> = {
    genesis: ['GEN', 'Genesis'],
    sms: ['Sms', 'SMS'],
    gamegear: ['GameGear', 'GG'],
    atari2600: ['A26', 'Atari2600'],
    '32x': ['32x', '32X'],
    pce: ['PCE', 'PCEngine'],
  };
  for (const system of SYSTEMS) {
    assert.equal(platformOf(system), platforms[system][0], system);
    for (const platform of platforms[system]) assert.equal(systemOfPlatform(platform), system, platform);
  }
  const readable = readablePlatforms();
  assert.equal(new Set(readable).size, readable.length, 'no platform names two systems');
});

test('every named button has a column, highest bit first, spelled as stable-retro (or, where it has none, BizHawk) writes it', () => {
  const names = (system: string) => columnsOf(system).map((c) => c.name + ':' + c.mnemonic);
  const genesis = ['Z:Z', 'X:X', 'Y:Y', 'C:C', 'Right:R', 'Left:L', 'Down:D', 'Up:U', 'Start:S', 'Mode:M', 'A:A', 'B:B'];
  assert.deepEqual(names('genesis'), genesis);
  assert.deepEqual(names('32x'), genesis);
  assert.deepEqual(names('sms'), ['A:A', 'Right:R', 'Left:L', 'Down:D', 'Up:U', 'Pause:p', 'B:B']);
  assert.deepEqual(names('gamegear'), ['A:A', 'Right:R', 'Left:L', 'Down:D', 'Up:U', 'Start:S', 'B:B']);
  assert.deepEqual(names('atari2600'), ['Right:R', 'Left:L', 'Down:D', 'Up:U', 'Reset:r', 'Select:s', 'Button:B']);
  assert.deepEqual(names('pce'), ['VI:6', 'V:5', 'IV:4', 'I:1', 'Right:R', 'Left:L', 'Down:D', 'Up:U', 'Run:R', 'Select:s', 'III:3', 'II:2']);
  for (const system of SYSTEMS) {
    const named = loadCoreDescriptor(system).buttons.filter((b) => b !== null).length;
    assert.equal(columnsOf(system).length, named, `${system}: a column for every button`);
  }
});

test('property: a movie of each new system, written by writeMovie, reads back with its platform, players and every frame', () => {
  const arbitrary = fc.constantFrom(...SYSTEMS).chain((system) =>
    fc.integer({ min: 1, max: loadCoreDescriptor(system).ports ?? 2 }).chain((players) =>
      fc.record({
        system: fc.constant(system),
        players: fc.constant(players),
        frames: fc.array(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: players, maxLength: players }), { minLength: 1, maxLength: 30 }),
      }),
    ),
  );
  withTempDir((dir) => {
    fc.assert(
      fc.property(arbitrary, ({ system, players, frames }) => {
        const path = join(dir, `${system}.bk2`);
        const startState = Uint8Array.from({ length: 64 }, (_, i) => i * 3);
        writeMovie(path, { game: `Game-${system}`, system, players, startState, frames });
        const movie = Movie.open(path);
        const named = columnsOf(system).reduce((mask, c) => mask | (1 << c.bit), 0);
        assert.equal(movie.system, system);
        assert.equal(movie.header.Platform, platformOf(system));
        assert.equal(movie.game, `Game-${system}`);
        assert.equal(movie.players, players);
        assert.deepEqual(movie.startState, startState);
        assert.deepEqual([...movie], frames.map((masks) => masks.map((m) => m & named)));
      }),
      { numRuns: 60 },
    );
  });
});

test("BizHawk's movies of each system are read by its controller names, console buttons included", () => {
  withTempDir((dir) => {
    const read = (platform: string, log: string) => {
      const movie = Movie.open(bizhawkMovie(dir, platform, log));
      return { system: movie.system, players: movie.players, frames: [...movie] };
    };
    // Genesis Plus GX (GEN) and PicoDrive (32X): console Power and Reset, then each pad's 12 buttons.
    const genesisKey = 'LogKey:#Power|Reset|#P1 Up|P1 Down|P1 Left|P1 Right|P1 A|P1 B|P1 C|P1 Start|P1 X|P1 Y|P1 Z|P1 Mode|#P2 Up|P2 Down|P2 Left|P2 Right|P2 A|P2 B|P2 C|P2 Start|P2 X|P2 Y|P2 Z|P2 Mode|';
    const genesisLog = `[Input]\n${genesisKey}\n|..|U...A.......|...R..C.....|\n|.r|.......S.YZM|............|\n[/Input]\n`;
    for (const [platform, system] of [['GEN', 'genesis'], ['32X', '32x']]) {
      assert.deepEqual(read(platform, genesisLog), {
        system,
        players: 2,
        frames: [
          [press(system, 'UP', 'A'), press(system, 'RIGHT', 'C')],
          [press(system, 'START', 'Y', 'Z', 'MODE'), 0],
        ],
      });
    }
    // SMS: console Reset and Pause (the core reads Pause from pad 1); B1 and B2 are B and A.
    const sms = '[Input]\nLogKey:#Reset|Pause|#P1 Up|P1 Down|P1 Left|P1 Right|P1 B1|P1 B2|#P2 Up|P2 Down|P2 Left|P2 Right|P2 B1|P2 B2|\n|..|U...1.|.....2|\n|.p|......|..L...|\n|r.|...R12|......|\n[/Input]\n';
    assert.deepEqual(read('SMS', sms), {
      system: 'sms',
      players: 2,
      frames: [
        [press('sms', 'UP', 'B'), press('sms', 'A')],
        [press('sms', 'PAUSE'), press('sms', 'LEFT')],
        [press('sms', 'RIGHT', 'B', 'A'), 0],
      ],
    });
    const gg = '[Input]\nLogKey:#Reset|#P1 Up|P1 Down|P1 Left|P1 Right|P1 B1|P1 B2|P1 Start|\n|.|.D..1.S|\n|r|..L..2.|\n[/Input]\n';
    assert.deepEqual(read('GG', gg), { system: 'gamegear', players: 1, frames: [[press('gamegear', 'DOWN', 'B', 'START')], [press('gamegear', 'LEFT', 'A')]] });
    // Atari 2600: the Select and Reset switches are console buttons in BizHawk, player 1's SELECT and RESET here.
    const a26 = '[Input]\nLogKey:#Reset|Select|Power|Toggle Left Difficulty|Toggle Right Difficulty|#P1 Up|P1 Down|P1 Left|P1 Right|P1 Button|#P2 Up|P2 Down|P2 Left|P2 Right|P2 Button|\n|r....|.....|.....|\n|.s..r|U...B|...R.|\n|..P..|.....|....B|\n[/Input]\n';
    assert.deepEqual(read('A26', a26), {
      system: 'atari2600',
      players: 2,
      frames: [
        [press('atari2600', 'RESET'), 0],
        [press('atari2600', 'SELECT', 'UP', 'BUTTON'), press('atari2600', 'RIGHT')],
        [0, press('atari2600', 'BUTTON')],
      ],
    });
    // PC Engine, TurboNyma: buttons I to VI, and the 2/6-button mode switch, which is read and skipped.
    const turboNyma = '[Input]\nLogKey:#Power|Reset|#P1 Up|P1 Down|P1 Left|P1 Right|P1 Select|P1 Run|P1 Mode: Set 2-button|P1 Mode: Set 6-button|P1 IV|P1 V|P1 VI|P1 I|P1 II|P1 III|\n|..|U....R.M...1..|\n|P.|...R........2.|\n|..|s.....m.456..3|\n[/Input]\n';
    expectMovieError(() => read('PCE', turboNyma), /:5: unknown button "s" in column 1 of player 1 \(P1 Up is "U" or "\."\)/);
    const turboNymaFixed = turboNyma.replace('|..|s.....m.456..3|', '|..|....s.m.456..3|');
    assert.deepEqual(read('PCE', turboNymaFixed), {
      system: 'pce',
      players: 1,
      frames: [[press('pce', 'UP', 'RUN', 'I')], [press('pce', 'RIGHT', 'II')], [press('pce', 'SELECT', 'IV', 'V', 'VI', 'III')]],
    });
    // PCEHawk: B1 and B2, and a log key without a console group, so its lines have no console field.
    const pceHawk = '[Input]\nLogKey:#P1 Up|P1 Down|P1 Left|P1 Right|P1 Select|P1 Run|P1 B2|P1 B1|\n|U.....2.|\n|...RsR.1|\n[/Input]\n';
    assert.deepEqual(read('PCE', pceHawk), { system: 'pce', players: 1, frames: [[press('pce', 'UP', 'II')], [press('pce', 'RIGHT', 'SELECT', 'RUN', 'I')]] });
  });
});

test('a console field that does not fit its log key is a MovieError naming the line', () => {
  const key = 'LogKey:#Reset|Select|Power|Toggle Left Difficulty|Toggle Right Difficulty|#P1 Up|P1 Down|P1 Left|P1 Right|P1 Button|';
  const parse = (line: string) => () => parseInputLog(`[Input]\n${key}\n${line}\n[/Input]`, 'atari2600', 'a26.bk2');
  expectMovieError(parse('|.s.|.....|'), /^a26\.bk2!\/Input Log\.txt:3: wrong line width: the console field "\.s\." has 3 characters, the log key 5 console buttons$/);
  expectMovieError(parse('|.x...|.....|'), /:3: unknown button "x" in column 2 of the console field \(Select is "s" or "\."\)/);
  // Console keys that are none of our buttons are not read, whatever they hold.
  assert.deepEqual(parseInputLog(`[Input]\n${key}\n|r.Plr|....B|\n[/Input]`, 'atari2600', 'a26.bk2').frames, [[press('atari2600', 'RESET', 'BUTTON')]]);
  // Without a console group a line is players' fields only: one field too many is an error.
  expectMovieError(() => parseInputLog('[Input]\nLogKey:#P1 Up|P1 Down|P1 Left|P1 Right|P1 Button|\n|..|....B|\n[/Input]', 'atari2600', 'a26.bk2'), /:3: frame line has 2 player field\(s\), the log key 1/);
  expectMovieError(() => parseInputLog('[Input]\nLogKey:#P1 Up|P1 I|P1 B1|\n[/Input]', 'pce', 'p.bk2'), /:2: log key "P1 B1" appears twice/);
});

test('a PC Engine episode recorded with RecordMovie replays on the real core with the same RAM on every frame', () => {
  withTempDir((dir) => {
    const lookup = { integrationPaths: [join(packageRoot(), 'test', 'fixtures', 'integrations')], dataDir: join(dir, 'data') };
    const env = new RecordMovie(make('TestRom-Pce', { ...lookup, useRestrictedActions: Actions.ALL }), { dir: join(dir, 'movies') });
    const rams: Uint8Array[] = [];
    const pads = new Set<number>();
    let path: string | undefined;
    try {
      const ram = () => Uint8Array.from(env.unwrapped.emulator.memory.systemRam ?? []);
      env.actionSpace.seed(3);
      env.reset({ seed: 3 });
      rams.push(ram());
      const rng = Rng.fromSeed(3);
      let action = env.actionSpace.sample() as Uint8Array;
      for (let i = 0; i < 120; i++) {
        if (rng.integer(4) === 0) action = env.actionSpace.sample() as Uint8Array;
        pads.add(env.step(action).info.pad);
        rams.push(ram());
      }
      env.reset();  // ends the episode: its movie is written
      path = env.lastMovie;
    } finally {
      env.close();
    }
    assert.ok(pads.size > 10, `the ROM saw many pad bytes (${pads.size}), so I, II, Run and Select were recorded`);
    const movie = Movie.open(path!);
    assert.equal(movie.system, 'pce');
    assert.equal(movie.header.Platform, 'PCE');
    const replay = makeReplayEnv(movie, lookup);
    try {
      let frames = 0;
      for (const frame of replayMovie(movie, replay)) {
        assert.deepEqual(replay.emulator.memory.systemRam, rams[frame.frame], `RAM after frame ${frame.frame}`);
        frames++;
      }
      assert.equal(frames, rams.length);
    } finally {
      replay.close();
    }
  });
});
