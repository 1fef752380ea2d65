import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make, type MakeOptions, type RetroEnv } from '../lib/env/retro-env.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { packageRoot } from '../lib/package-root.ts';
import { press, scriptedDriver } from '../examples/tinykart-driver.ts';

const root = packageRoot();
const dataDir = mkdtempSync(join(tmpdir(), 'rgym-tinykart-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const options = (extra: MakeOptions = {}): MakeOptions => ({ dataDir, useRestrictedActions: Actions.ALL, ...extra });
test('a scripted driver finishes 3 laps of track 1; lap, checkpoint, progress and finished behave as documented', () => {
  const env = make('TinyKart-Nes', options({ state: 'Track1', frameskip: 2 }));
  try {
    let { info } = env.reset();
    assert.equal(info.lap, 0);
    assert.equal(info.progress, 0);
    assert.equal(info.num_checkpoints, 16);
    let total = 0;
    let terminated = false;
    let steps = 0;
    const lapsSeen = [0];
    while (!terminated && steps < 2000) {
      const result = env.step(scriptedDriver(info, 0));
      const previous = info;
      info = result.info;
      total += result.reward;
      terminated = result.terminated;
      steps++;
      assert.ok(info.progress >= previous.progress, 'progress never decreases');
      assert.equal(info.progress, Math.min(48, info.lap * 16 + info.checkpoint), `progress = lap * 16 + checkpoint at step ${steps}`);
      if (info.lap !== lapsSeen[lapsSeen.length - 1]) lapsSeen.push(info.lap);
      assert.equal(info.backward, 0, 'the driver never goes the wrong way');
    }
    assert.ok(terminated, `finished within ${steps} steps`);
    assert.equal(info.finished, 1);
    assert.equal(info.lap, 3);
    assert.deepEqual(lapsSeen, [0, 1, 2, 3]);
    assert.ok(total > 48, `reward ${total}: 48 checkpoints and the finish bonus outweigh the penalties`);
  } finally {
    env.close();
  }
});

test('driving in reverse sets backward and earns negative reward; stopping on grass earns negative reward', () => {
  const env = make('TinyKart-Nes', options({ state: 'Track1', frameskip: 2 }));
  try {
    env.reset();
    let sawBackward = false;
    let reverseReward = 0;
    for (let i = 0; i < 200 && !sawBackward; i++) {
      const r = env.step(press('B'));
      reverseReward += r.reward;
      sawBackward = r.info.backward === 1;
    }
    assert.ok(sawBackward, 'backward set while reversing through checkpoints');
    assert.ok(reverseReward < 0, `reverse reward ${reverseReward}`);

    let { info } = env.reset();
    for (let i = 0; i < 200 && info.surface !== 1; i++) info = env.step(press('A', 'LEFT')).info;
    assert.equal(info.surface, 1, 'reached the grass');
    for (let i = 0; i < 30; i++) info = env.step(press()).info; // let the kart roll to a stop
    const parked = Array.from({ length: 10 }, () => env.step(press()));
    for (const r of parked) {
      assert.equal(r.info.surface, 1);
      assert.ok(r.reward < 0, `reward on grass ${r.reward}`);
    }
  } finally {
    env.close();
  }
});

test('hitting a wall counts a collision', () => {
  const env = make('TinyKart-Nes', options({ state: 'Track1', frameskip: 2 }));
  try {
    let { info } = env.reset();
    const before = info.collision;
    // Turn toward the infield and hold the throttle until something is hit.
    for (let i = 0; i < 400 && info.collision === before; i++) info = env.step(i < 12 ? press('A', 'LEFT') : press('A')).info;
    assert.equal(info.collision, before + 1);
  } finally {
    env.close();
  }
});

test('10,000 steps of random input never crash the game or push a variable out of its range', () => {
  const env = make('TinyKart-Nes', options({ state: 'Track3' }));
  try {
    env.actionSpace.seed(2026);
    env.reset();
    const ranges: Record<string, [number, number]> = {
      mode: [0, 4], track: [0, 2], lap: [0, 3], checkpoint: [0, 15], num_checkpoints: [16, 16], progress: [0, 48],
      heading: [0, 15], surface: [0, 2], speed: [-160, 512], backward: [0, 1], finished: [0, 1], x: [0, 255], y: [0, 239],
    };
    for (let i = 0; i < 10_000; i++) {
      const { info, terminated } = env.step(env.actionSpace.sample());
      for (const [name, [lo, hi]] of Object.entries(ranges)) {
        assert.ok(info[name] >= lo && info[name] <= hi, `${name} = ${info[name]} at step ${i}`);
      }
      if (terminated) env.reset();
    }
  } finally {
    env.close();
  }
});

test('the JSON, Lua and TypeScript scenarios give the same rewards and dones on the same inputs', () => {
  const envs: RetroEnv[] = ['scenario', 'scenario-lua', 'scenario-ts'].map((scenario) => make('TinyKart-Nes', options({ scenario, frameskip: 4 })));
  try {
    envs[0].actionSpace.seed(7);
    for (let episode = 0; episode < 2; episode++) {
      let infos = envs.map((e) => e.reset().info);
      for (let i = 0; i < 300; i++) {
        const action = i % 3 === 0 ? envs[0].actionSpace.sample() : scriptedDriver(infos[0], 0);
        const results = envs.map((e) => e.step(action));
        infos = results.map((r) => r.info);
        assert.equal(results[1].reward, results[0].reward, `Lua reward at step ${i}`);
        assert.equal(results[2].reward, results[0].reward, `TS reward at step ${i}`);
        assert.equal(results[1].terminated, results[0].terminated);
        assert.equal(results[2].terminated, results[0].terminated);
        if (results[0].terminated) break;
      }
    }
  } finally {
    for (const e of envs) e.close();
  }
});

test('the ROM rebuilds bit for bit from source', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'rgym-rom-')), 'tinykart.nes');
  execFileSync('bash', [join(root, 'homebrew', 'tinykart', 'build.sh'), '--out', out], { stdio: 'pipe' });
  const sha = (p: string) => createHash('sha1').update(readFileSync(p)).digest('hex');
  assert.equal(sha(out), sha(join(root, 'integrations', 'TinyKart-Nes', 'rom.nes')));
  rmSync(out, { force: true });
});
