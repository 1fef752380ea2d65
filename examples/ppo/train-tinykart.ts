/**
 * The PPO trainer from code (what `npm run train` does through the CLI): train an MLP policy on TinyKart's RAM
 * variables, then play the result deterministically into a GIF.
 *
 *   node --import tsx examples/ppo/train-tinykart.ts [total-timesteps]
 *
 * In a project that depends on libretro-gym, import from 'libretro-gym/train' instead of the relative path.
 */
import { join } from 'node:path';
import { evaluate, readGameTrainDefaults, resolveConfig, train } from '../../lib/train/index.ts';

const game = 'TinyKart-Nes';
const totalTimesteps = Number(process.argv[2] ?? 100_000);
// Defaults, then the game's train.json (its racing reward, three throttle-open actions), then ours.
const config = resolveConfig(game, { totalTimesteps, seed: 7 }, readGameTrainDefaults(game));
const runDir = join('runs', `example-${Date.now()}`);

const result = await train(config, {
  runDir,
  events: {
    log: (line) => console.log(line),
    progress: (s) => console.log(`${s.globalStep} steps, ${Math.round(s.sps)} steps/s, return ${s.recentReturn?.toFixed(1) ?? '–'}, lap ${s.recentInfo.lap?.toFixed(2) ?? '–'}`),
  },
});
const gif = join(runDir, 'eval.gif');
const { episodes } = await evaluate(result.checkpoint, { episodes: 1, gif });
console.log(`trained ${result.globalStep} steps; a deterministic race: ${episodes[0].info.lap} laps in ${episodes[0].length} steps -> ${gif}`);
