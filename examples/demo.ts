/**
 * `npm run demo`: a scripted driver races three laps of TinyKart (our own NES kart game) through the full stack
 * (core discovery, boot-recipe start state, RAM variables, native reward) and the race is saved as an animated GIF.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Actions, GifRecorder, make } from '../lib/index.ts';
import { packageRoot } from '../lib/package-root.ts';
import { scriptedDriver } from './tinykart-driver.ts';

const outDir = join(packageRoot(), 'out');
mkdirSync(outDir, { recursive: true });

const env = make('TinyKart-Nes', { state: 'Track1', useRestrictedActions: Actions.ALL, frameskip: 2 });
const gif = new GifRecorder({ fps: 30 });
const started = performance.now();
let { observation, info } = env.reset();
let total = 0;
let steps = 0;
let terminated = false;
const [height, width] = env.observationSpace.shape!;
gif.addFrame({ data: observation, width, height });
while (!terminated && steps < 3000) {
  const result = env.step(scriptedDriver(info, 0));
  ({ observation, info, terminated } = result);
  total += result.reward;
  steps++;
  if (steps % 2 === 0) gif.addFrame({ data: observation, width, height });
  if (result.info.lap !== undefined && steps % 100 === 0) console.log(`demo: step ${steps}, lap ${info.lap + 1}, checkpoint ${info.checkpoint}, reward so far ${total.toFixed(2)}`);
}
const seconds = (performance.now() - started) / 1000;
const path = join(outDir, 'demo.gif');
const bytes = gif.save(path);
console.log(`demo: ${info.finished ? 'finished' : 'did not finish'} 3 laps in ${info.race_timer} frames (${(info.race_timer / 60).toFixed(1)} s of game time), total reward ${total.toFixed(2)}`);
console.log(`demo: emulated ${steps * 2} frames in ${seconds.toFixed(2)} s; saved ${gif.frameCount} frames to ${path} (${(bytes / 1024).toFixed(0)} KiB)`);
env.close();
if (!info.finished) process.exitCode = 1;
