import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../lib/cli/dispatch.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { make, type MakeOptions } from '../lib/env/retro-env.ts';
import { ArgumentError } from '../lib/errors.ts';
import { SyncVectorEnv } from '../lib/vector/sync-vector-env.ts';
import { Movie, RecordMovie, makeReplayEnv, replayMovie } from '../lib/index.ts';
import { Rng } from '../lib/rng.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'rgym-movie-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const options = (extra: MakeOptions = {}): MakeOptions => ({ dataDir, state: 'Track1', ...extra });

interface Recorded {
  movie: string;
  /** System RAM after the reset, then after each step. */
  rams: Uint8Array[];
  infos: Record<string, number>[];
  rewards: number[];
}

/** Records one episode of `steps` seeded random actions (ended early if the game ends it). */
function recordEpisode(env: RecordMovie, steps: number, seed: number): Recorded {
  const ram = () => Uint8Array.from(env.unwrapped.emulator.memory.systemRam ?? []);
  const rng = Rng.fromSeed(seed);
  env.actionSpace.seed(seed);
  const { info } = env.reset({ seed });
  const recorded: Recorded = { movie: '', rams: [ram()], infos: [info], rewards: [] };
  let step = 0;
  while (step < steps) {
    // Held for a few steps, so the kart actually drives somewhere.
    const action = env.actionSpace.sample();
    const hold = 1 + rng.integer(8);
    for (let h = 0; h < hold && step < steps; h++, step++) {
      const result = env.step(action);
      recorded.rams.push(ram());
      recorded.infos.push(result.info);
      recorded.rewards.push(result.reward);
      if (result.terminated) step = steps;
    }
  }
  env.reset();  // ends the episode: its movie is written
  recorded.movie = env.lastMovie!;
  return recorded;
}

test('a recorded episode of random actions replays with the same RAM on every frame', () => {
  const dir = mkdtempSync(join(dataDir, 'movies-'));
  const env = new RecordMovie(make('TinyKart-Nes', options({ useRestrictedActions: Actions.ALL })), { dir });
  let recorded: Recorded;
  try {
    recorded = recordEpisode(env, 600, 7);
  } finally {
    env.close();
  }
  assert.deepEqual(readdirSync(dir).sort(), ['TinyKart-Nes-Track1-000000.bk2', 'TinyKart-Nes-Track1-000001.bk2'], 'the reset and close ended two episodes');
  assert.equal(recorded.movie, join(dir, 'TinyKart-Nes-Track1-000000.bk2'));

  const movie = Movie.open(recorded.movie);
  assert.equal(movie.game, 'TinyKart-Nes');
  assert.equal(movie.system, 'nes');
  assert.equal(movie.players, 1);
  assert.equal(movie.frameCount, recorded.rams.length, 'the reset frame, then one frame per step');
  assert.deepEqual(movie.masks(0), [0], 'the reset frame releases the buttons');
  assert.ok(new Set([...movie].map((m) => m[0])).size > 20, 'many different inputs were recorded');

  const replay = makeReplayEnv(movie, { dataDir });
  try {
    let frames = 0;
    for (const frame of replayMovie(movie, replay)) {
      assert.deepEqual(replay.emulator.memory.systemRam, recorded.rams[frame.frame], `RAM after frame ${frame.frame}`);
      if (frame.frame > 0) {
        assert.deepEqual(frame.info, recorded.infos[frame.frame], `info after frame ${frame.frame}`);
        assert.equal(frame.reward, recorded.rewards[frame.frame - 1], `reward of frame ${frame.frame}`);
      }
      frames++;
    }
    assert.equal(frames, recorded.rams.length);
    const last = recorded.infos[recorded.infos.length - 1];
    assert.ok(last.progress > 0 || last.x !== recorded.infos[0].x, 'the kart moved, so the comparison covers a changing game');
  } finally {
    replay.close();
  }
});

test('with frameskip and discrete actions each step records frameskip frames, and the replay matches at every step', () => {
  const dir = mkdtempSync(join(dataDir, 'movies-'));
  const env = new RecordMovie(make('TinyKart-Nes', options({ frameskip: 3, useRestrictedActions: Actions.DISCRETE })), { dir });
  let recorded: Recorded;
  try {
    recorded = recordEpisode(env, 120, 3);
  } finally {
    env.close();
  }
  const movie = Movie.open(recorded.movie);
  assert.equal(movie.frameCount, 1 + 3 * (recorded.rams.length - 1));
  const replay = makeReplayEnv(movie, { dataDir });
  try {
    for (const frame of replayMovie(movie, replay)) {
      if (frame.frame % 3 === 0) assert.deepEqual(replay.emulator.memory.systemRam, recorded.rams[frame.frame / 3], `RAM after step ${frame.frame / 3}`);
    }
  } finally {
    replay.close();
  }
});

test('RecordMovie numbers episodes, records only valid actions, and refuses a reset to another state', () => {
  const dir = mkdtempSync(join(dataDir, 'movies-'));
  const env = new RecordMovie(make('TinyKart-Nes', options({ useRestrictedActions: Actions.ALL })), { dir });
  try {
    env.reset();
    env.step(new Uint8Array(9));
    env.reset();
    assert.equal(env.lastMovie, join(dir, 'TinyKart-Nes-Track1-000000.bk2'));
    assert.equal(Movie.open(env.lastMovie).frameCount, 2);
    assert.throws(() => env.step(new Uint8Array(3)), { code: 'INVALID_ACTION' });
    env.step(new Uint8Array(9));
    assert.throws(() => env.reset({ options: { state: 'Track2' } }), (e: unknown) => e instanceof ArgumentError && /make the env with \{ state \}/.test(e.message));
    assert.equal(env.lastMovie, join(dir, 'TinyKart-Nes-Track1-000001.bk2'));
    assert.equal(Movie.open(env.lastMovie).frameCount, 2, 'the invalid action was not recorded');
  } finally {
    env.close();
  }
  assert.equal(readdirSync(dir).length, 2, 'close after a refused reset writes nothing more');
});

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {}, cwd },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

test('retro playback writes a GIF of the replay and --info prints every frame\'s reward and variables', async () => {
  const dir = mkdtempSync(join(dataDir, 'movies-'));
  const env = new RecordMovie(make('TinyKart-Nes', options({ useRestrictedActions: Actions.ALL })), { dir });
  let recorded: Recorded;
  try {
    recorded = recordEpisode(env, 90, 11);
  } finally {
    env.close();
  }
  const gif = capture(dir);
  assert.equal(await runCli(['playback', recorded.movie, '--gif', 'replay.gif', '--gif-every', '2', '--data-dir', dataDir], gif.io), 0, gif.err());
  const frames = recorded.rams.length;
  assert.match(gif.out(), new RegExp(`replayed ${frames} frames of TinyKart-Nes; total reward `));
  assert.match(gif.out(), new RegExp(`wrote replay\\.gif \\(${Math.ceil(frames / 2)} frames, [\\d,]+ bytes\\)`));
  assert.equal(readFileSync(join(dir, 'replay.gif')).subarray(0, 6).toString('latin1'), 'GIF89a');

  const info = capture(dir);
  assert.equal(await runCli(['playback', recorded.movie, '--info', '--data-dir', dataDir], info.io), 0, info.err());
  const [head, ...rows] = info.out().trimEnd().split('\n').map((line) => line.split('\t'));
  assert.deepEqual(head.slice(0, 2), ['frame', 'reward']);
  assert.deepEqual(head.slice(2), Object.keys(recorded.infos[0]), "the integration's variables");
  assert.equal(rows.length, frames);
  for (let i = 1; i < frames; i++) {
    assert.deepEqual(rows[i].map(Number), [i, recorded.rewards[i - 1], ...Object.values(recorded.infos[i])], `row of frame ${i}`);
  }
  assert.match(info.err(), /replayed \d+ frames/, 'the summary goes to stderr, stdout is the table');

  const bad = capture(dir);
  assert.equal(await runCli(['playback', join(dir, 'absent.bk2')], bad.io), 1);
  assert.match(bad.err(), /^retro playback: cannot read movie .*absent\.bk2/);
  const usage = capture(dir);
  assert.equal(await runCli(['playback'], usage.io), 2);
  assert.match(usage.err(), /Usage: retro playback <movie\.bk2>/);
  const help = capture(dir);
  assert.equal(await runCli(['playback', '--help'], help.io), 0);
  assert.match(help.out(), /--info/);
});

test("make(game, { record }) records every episode, which replays with the same RAM", () => {
  const dir = mkdtempSync(join(dataDir, 'make-record-'));
  const env = make('TinyKart-Nes', options({ record: dir, frameskip: 3 }));
  const ram = () => Uint8Array.from(env.emulator.memory.systemRam ?? []);
  const rams: Uint8Array[] = [];
  try {
    env.actionSpace.seed(3);
    for (let episode = 0; episode < 2; episode++) {
      env.reset();
      if (episode === 0) rams.push(ram());
      for (let step = 0; step < 40; step++) {
        env.step(env.actionSpace.sample());
        if (episode === 0) rams.push(ram());
      }
    }
  } finally {
    env.close();
  }
  assert.deepEqual(readdirSync(dir).sort(), ['TinyKart-Nes-Track1-000000.bk2', 'TinyKart-Nes-Track1-000001.bk2']);
  const movie = Movie.open(join(dir, 'TinyKart-Nes-Track1-000000.bk2'));
  assert.equal(movie.frameCount, 1 + 40 * 3, 'the reset frame, then frameskip frames per step');
  const replay = makeReplayEnv(movie, { dataDir });
  try {
    for (const frame of replayMovie(movie, replay)) {
      // The env observed RAM every third frame: compare there.
      if (frame.frame % 3 === 0) assert.deepEqual(replay.emulator.memory.systemRam, rams[frame.frame / 3], `RAM after frame ${frame.frame}`);
    }
  } finally {
    replay.close();
  }
});

test('a SyncVectorEnv of recording envs sharing a folder writes every episode to its own movie, each replaying to its env\'s RAM', () => {
  const dir = mkdtempSync(join(dataDir, 'vector-record-'));
  const envs = new SyncVectorEnv(Array.from({ length: 3 }, () => () => make('TinyKart-Nes', options({ record: dir, frameskip: 2 }))));
  // System RAM of each env at the end of each of its episodes.
  const finals: Uint8Array[] = [];
  const rams = () => envs.envs.map((env) => Uint8Array.from(env.emulator.memory.systemRam ?? []));
  try {
    envs.actionSpace.seed(5);
    for (let round = 0; round < 3; round++) {
      envs.reset();
      for (let step = 0; step < 20 + 10 * round; step++) envs.step(envs.actionSpace.sample());
      finals.push(...rams());
    }
  } finally {
    envs.close();
  }
  assert.deepEqual(readdirSync(dir).sort(), Array.from({ length: 9 }, (_, k) => `TinyKart-Nes-Track1-${String(k).padStart(6, '0')}.bk2`), 'nine episodes, nine movies');
  assert.equal(new Set(finals.map((r) => Buffer.from(r).toString('hex'))).size, finals.length, 'every episode ended in its own RAM');
  const unmatched = finals.map((r) => Buffer.from(r).toString('hex'));
  for (const file of readdirSync(dir)) {
    const movie = Movie.open(join(dir, file));
    const replay = makeReplayEnv(movie, { dataDir });
    try {
      for (const _ of replayMovie(movie, replay));
      const k = unmatched.indexOf(Buffer.from(replay.emulator.memory.systemRam ?? []).toString('hex'));
      assert.notEqual(k, -1, `${file} replays to the RAM one env had at the end of one episode`);
      unmatched.splice(k, 1);
    } finally {
      replay.close();
    }
  }
  assert.equal(unmatched.length, 0);
});

test('a recorder never overwrites a movie already in its folder', () => {
  const dir = mkdtempSync(join(dataDir, 'taken-'));
  writeFileSync(join(dir, 'TinyKart-Nes-Track1-000000.bk2'), 'not ours');
  const env = make('TinyKart-Nes', options({ record: dir }));
  try {
    env.reset();
    env.step(env.actionSpace.sample());
  } finally {
    env.close();
  }
  assert.equal(readFileSync(join(dir, 'TinyKart-Nes-Track1-000000.bk2'), 'utf8'), 'not ours');
  assert.equal(Movie.open(join(dir, 'TinyKart-Nes-Track1-000001.bk2')).frameCount, 2);
});
