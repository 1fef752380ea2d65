import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { MovieError, RetroError } from '../lib/errors.ts';
import { columnsOf, platformOf, readablePlatforms, systemOfPlatform } from '../lib/movie/columns.ts';
import { formatFrame, formatInputLog, parseFrame, parseInputLog, type Layout } from '../lib/movie/input-log.ts';
import { encodeMovie, Movie, writeMovie } from '../lib/movie/movie.ts';
import { withTempDir } from './helpers.ts';

const SYSTEMS = ['nes', 'snes', 'gb', 'gba'] as const;

/** The bits of a system's buttons that have a column (the descriptor's null buttons have none). */
function namedBits(system: string): number {
  return columnsOf(system).reduce((mask, c) => mask | (1 << c.bit), 0);
}

function layoutOf(system: string, players: number): Layout {
  return Array.from({ length: players }, () => columnsOf(system));
}

/** A system, a player count its core has ports for, and frames of arbitrary masks for that many players. */
const movieArbitrary = fc.constantFrom(...SYSTEMS).chain((system) =>
  fc.integer({ min: 1, max: loadCoreDescriptor(system).ports ?? 2 }).chain((players) =>
    fc.record({
      system: fc.constant(system),
      players: fc.constant(players),
      frames: fc.array(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: players, maxLength: players }), { maxLength: 40 }),
    }),
  ),
);

function expectMovieError(fn: () => unknown, pattern: RegExp): MovieError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MovieError, `a MovieError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return e;
  }
  assert.fail(`expected a MovieError matching ${pattern}`);
}

test("our cores' buttons are stable-retro's, bit for bit", () => {
  // stable-retro's cores/{nes,snes,gb,gba}.json: a movie's bit i is the same button in both projects.
  const stableRetro: Record<string, (string | null)[]> = {
    nes: ['B', null, 'SELECT', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'],
    snes: ['B', 'Y', 'SELECT', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A', 'X', 'L', 'R'],
    gb: ['B', null, 'SELECT', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'],
    gba: ['B', null, 'SELECT', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A', null, 'L', 'R'],
  };
  for (const system of SYSTEMS) assert.deepEqual(loadCoreDescriptor(system).buttons, stableRetro[system], system);
});

test('columns run from the highest button bit down, as stable-retro writes them', () => {
  const names = (system: string) => columnsOf(system).map((c) => c.name + c.mnemonic);
  assert.deepEqual(names('nes'), ['AA', 'RightR', 'LeftL', 'DownD', 'UpU', 'StartS', 'Selects', 'BB']);
  assert.deepEqual(names('gb'), names('nes'));
  assert.deepEqual(names('snes'), ['Rr', 'Ll', 'XX', 'AA', 'RightR', 'LeftL', 'DownD', 'UpU', 'StartS', 'Selects', 'YY', 'BB']);
  assert.deepEqual(names('gba'), ['Rr', 'Ll', 'AA', 'RightR', 'LeftL', 'DownD', 'UpU', 'StartS', 'Selects', 'BB']);
});

test("each system's movie platforms come from its descriptor: the first is written, each reads back as that system", () => {
  const expectedWritten = { nes: 'NES', snes: 'SNES', gb: 'GameBoy', gba: 'GbAdvance' };
  for (const system of SYSTEMS) {
    assert.equal(platformOf(system), expectedWritten[system]);
    const platforms = loadCoreDescriptor(system).moviePlatforms ?? [];
    for (const platform of platforms) assert.equal(systemOfPlatform(platform), system, platform);
  }
  const readable = readablePlatforms();
  assert.equal(new Set(readable).size, readable.length, 'no platform names two systems');
  for (const alias of ['Nes', 'Snes', 'GbColor', 'GB', 'GBC', 'GBA']) assert.ok(readable.includes(alias), alias);
  assert.equal(systemOfPlatform('PSX'), undefined);
});

test("a movie's entries are byte for byte what stable-retro writes", () => {
  const start = new Uint8Array([1, 2, 3, 250]);
  // Frame 1 presses A and Start on player 1 and Left on player 2; bit 1 (no button on the NES) is dropped.
  const zip = unzipSync(encodeMovie({ game: 'TinyKart-Nes', system: 'nes', players: 2, startState: start, frames: [[0, 0], [0b1_0000_1010, 0b100_0000]] }));
  assert.deepEqual(Object.keys(zip), ['Input Log.txt', 'Header.txt', 'Core.bin'], "stable-retro's entry order");
  assert.equal(
    new TextDecoder().decode(zip['Input Log.txt']),
    '[Input]\n' +
      'P1 A|P1 Right|P1 Left|P1 Down|P1 Up|P1 Start|P1 Select|P1 B|P2 A|P2 Right|P2 Left|P2 Down|P2 Up|P2 Start|P2 Select|P2 B|\n' +
      '|..|........|........|\n' +
      '|..|A....S..|..L.....|\n' +
      '[/Input]',
  );
  assert.equal(new TextDecoder().decode(zip['Header.txt']), 'MovieVersion Retro\nAuthor ?\nemuVersion ?\nPlatform NES\nGameName TinyKart-Nes\nSHA1 ?\nCore ?\nrerecordCount 1\n');
  assert.deepEqual(zip['Core.bin'], start);
});

test('a power-on movie has no Core.bin, and a movie without frames no log key', () => {
  const zip = unzipSync(encodeMovie({ game: 'G-Snes', system: 'snes', frames: [] }));
  assert.deepEqual(Object.keys(zip), ['Input Log.txt', 'Header.txt']);
  assert.equal(new TextDecoder().decode(zip['Input Log.txt']), '[Input]\n[/Input]');
});

test('property: the input log codec round-trips every mask of named buttons', () => {
  fc.assert(
    fc.property(movieArbitrary, ({ system, players, frames }) => {
      const layout = layoutOf(system, players);
      const text = formatInputLog(layout, frames);
      const parsed = parseInputLog(text, system, 'p.bk2');
      const named = namedBits(system);
      assert.deepEqual(parsed.frames, frames.map((masks) => masks.map((m) => m & named)));
      assert.equal(parsed.layout.length, frames.length > 0 ? players : 0);
      for (const [i, masks] of frames.entries()) {
        const line = formatFrame(masks, layout);
        assert.equal(line.length, 4 + players * (columnsOf(system).length + 1), 'fixed width');
        assert.deepEqual(parseFrame(line, layout, 'p.bk2', i + 3), masks.map((m) => m & named));
      }
    }),
  );
});

test('property: any frame line decodes to masks or fails with a MovieError naming file and line', () => {
  const layout = layoutOf('snes', 2);
  const chars = fc.constantFrom('|', '.', 'A', 'B', 'r', 'x', 'S', ' ', ',');
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.array(chars, { maxLength: 40 }).map((c) => c.join(''))), fc.integer({ min: 1, max: 1e6 }), (line, lineNo) => {
      try {
        const masks = parseFrame(line, layout, 'fuzz.bk2', lineNo);
        assert.equal(masks.length, 2);
        assert.equal(formatFrame(masks, layout).slice(4), line.slice(line.indexOf('|', 1) + 1), 'a line that decodes is the encoding of its masks');
      } catch (e) {
        assert.ok(e instanceof MovieError, String(e));
        assert.equal(e.code, 'MOVIE_INVALID');
        assert.equal(e.details.line, lineNo);
        assert.ok(e.message.startsWith(`fuzz.bk2!/Input Log.txt:${lineNo}: `), e.message);
      }
    }),
  );
});

test("BizHawk's log key form (LogKey:#Reset|Power|#P1 Up|...) is read by name, in its own column order", () => {
  const text = '[Input]\r\nLogKey:#Reset|Power|#P1 Up|P1 Down|P1 Left|P1 Right|P1 Start|P1 Select|P1 B|P1 A|\r\n|..|U......A|\r\n|r.|...RS...|\r\n[/Input]\r\n';
  const { frames } = parseInputLog(text, 'nes', 'bizhawk.bk2');
  const bit = (name: string) => 1 << loadCoreDescriptor('nes').buttons.indexOf(name);
  assert.deepEqual(frames, [[bit('UP') | bit('A')], [bit('RIGHT') | bit('START')]]);
});

test('bad input logs fail with a MovieError naming the file and line', () => {
  const log = (...lines: string[]) => ['[Input]', 'P1 A|P1 Right|P1 Left|P1 Down|P1 Up|P1 Start|P1 Select|P1 B|', ...lines, '[/Input]'].join('\n');
  const parse = (text: string) => () => parseInputLog(text, 'nes', 'm.bk2');
  const width = expectMovieError(parse(log('|..|........|', '|..|.......|')), /^m\.bk2!\/Input Log\.txt:4: wrong line width: player 1's field "\.\.\.\.\.\.\." has 7 characters, the log key 8 buttons$/);
  assert.deepEqual(width.details, { file: 'm.bk2', entry: 'Input Log.txt', line: 4 });
  expectMovieError(parse(log('|..|..X.....|')), /:3: unknown button "X" in column 3 of player 1 \(P1 Left is "L" or "."\)/);
  expectMovieError(parse(log('|..|........|........|')), /:3: frame line has 2 player field\(s\), the log key 1/);
  expectMovieError(parse(log('|..|........')), /:3: frame line "\|\.\.\|\.\.\.\.\.\.\.\." must start and end with "\|"/);
  expectMovieError(parse(log('..|........|')), /:3: unexpected line "\.\.\|\.\.\.\.\.\.\.\.\|"/);
  expectMovieError(parse('[Input]\nP1 A|P1 Turbo|\n[/Input]'), /:2: unknown button "Turbo" in log key "P1 Turbo" for system nes/);
  expectMovieError(parse('[Input]\nP1 A|P1 A|\n'), /:2: log key "P1 A" appears twice/);
  expectMovieError(parse('[Input]\nP2 A|\n'), /:2: log key "P2 A": players must be numbered 1, 2, \.\.\. in order/);
  expectMovieError(parse('[Input]\n|..|........|\n'), /:2: a frame line before the log key/);
  expectMovieError(parse('Input\n'), /:1: expected "\[Input\]", found "Input"/);
  expectMovieError(parse(log() + '\n|..|........|'), /:4: "\|\.\.\|\.\.\.\.\.\.\.\.\|" after "\[\/Input\]"/);
});

test('write → read: a movie file gives back its game, system, players, start state, header and frames', () => {
  withTempDir((dir) => {
    const path = join(dir, 'round.bk2');
    const frames = [[0, 0], [0b1000_0001, 0xfff], [0x800, 0x1]];
    const startState = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    writeMovie(path, { game: 'MarioKart-Snes', system: 'snes', players: 2, startState, frames });
    const movie = Movie.open(path);
    assert.equal(movie.file, path);
    assert.equal(movie.game, 'MarioKart-Snes');
    assert.equal(movie.system, 'snes');
    assert.equal(movie.players, 2);
    assert.deepEqual(movie.startState, startState);
    assert.equal(movie.header.Platform, 'SNES');
    assert.equal(movie.header.MovieVersion, 'Retro');
    assert.equal(movie.frameCount, 3);
    assert.deepEqual([...movie], frames, 'SNES names all 12 bits');
    assert.deepEqual(movie.masks(1), frames[1]);
    assert.throws(() => movie.masks(3), (e: unknown) => e instanceof MovieError && /frame 3 is outside .* 3 frames/.test(e.message));
  });
});

test('broken .bk2 files fail with a MovieError naming the file: truncated, missing entries, unknown platform', () => {
  withTempDir((dir) => {
    const good = join(dir, 'good.bk2');
    writeMovie(good, { game: 'TinyKart-Nes', system: 'nes', startState: new Uint8Array(100), frames: [[0], [1]] });
    const bytes = readFileSync(good);
    const file = (name: string, data: Uint8Array) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    };
    const truncated = file('truncated.bk2', bytes.subarray(0, bytes.length - 30));
    const e = expectMovieError(() => Movie.open(truncated), /truncated\.bk2: not a readable \.bk2 movie: /);
    assert.equal(e.code, 'MOVIE_INVALID');
    assert.equal(e.details.file, truncated);

    const log = strToU8('[Input]\n[/Input]');
    const noHeader = file('no-header.bk2', zipSync({ 'Input Log.txt': log }));
    assert.equal(expectMovieError(() => Movie.open(noHeader), /no-header\.bk2: the movie has no Header\.txt$/).details.entry, 'Header.txt');
    expectMovieError(() => Movie.open(file('no-log.bk2', zipSync({ 'Header.txt': strToU8('Platform NES\n') }))), /no-log\.bk2: the movie has no Input Log\.txt$/);
    expectMovieError(() => Movie.open(file('no-platform.bk2', zipSync({ 'Input Log.txt': log, 'Header.txt': strToU8('GameName X\n') }))), /no-platform\.bk2!\/Header\.txt: no Platform line/);
    expectMovieError(() => Movie.open(file('psx.bk2', zipSync({ 'Input Log.txt': log, 'Header.txt': strToU8('Platform PSX\n') }))), /psx\.bk2!\/Header\.txt: platform "PSX" is not one we can replay/);
    expectMovieError(() => Movie.open(file('latin1.bk2', zipSync({ 'Input Log.txt': new Uint8Array([0xff, 0xfe]), 'Header.txt': strToU8('Platform NES\n') }))), /latin1\.bk2!\/Input Log\.txt: not UTF-8 text/);
    const missing = expectMovieError(() => Movie.open(join(dir, 'absent.bk2')), /cannot read movie .*absent\.bk2/);
    assert.equal(missing.code, 'FILE_NOT_FOUND');
  });
});

test('property: a damaged .bk2 (cut short or bytes changed) opens or fails with a MovieError, never a crash', () => {
  withTempDir((dir) => {
    const bytes = encodeMovie({ game: 'TinyKart-Nes', system: 'nes', startState: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff), frames: [[0], [0x1ff], [0x10]] });
    const path = join(dir, 'damaged.bk2');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length }), fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (keep, changes) => {
        const damaged = bytes.slice(0, keep);
        for (const [at, value] of changes) if (at < damaged.length) damaged[at] = value;
        writeFileSync(path, damaged);
        try {
          const movie = Movie.open(path);
          assert.equal(movie.system, 'nes');
        } catch (e) {
          assert.ok(e instanceof RetroError && e instanceof MovieError, String(e));
          assert.equal(e.details.file, path);
          assert.ok(e.message.includes(path), e.message);
        }
      }),
      { numRuns: 300 },
    );
  });
});
