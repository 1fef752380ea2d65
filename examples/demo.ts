/**
 * `npm run demo`: drives a bundled homebrew game for a few seconds with a scripted input pattern and saves the run
 * as an animated GIF, so a fresh checkout shows the whole stack working: core discovery, ROM loading, input, video.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Emulator } from '../lib/emulator.ts';
import { GifRecorder } from '../lib/media/gif.ts';
import { packageRoot } from '../lib/package-root.ts';

const outDir = join(packageRoot(), 'out');
mkdirSync(outDir, { recursive: true });
const rom = join(packageRoot(), 'homebrew', 'test', 'nes-test.nes');

const emu = new Emulator({ rom });
const gif = new GifRecorder({ fps: 30 });
// A square path: right, down, left, up, 40 frames each, recorded at every second frame.
const legs = ['RIGHT', 'DOWN', 'LEFT', 'UP'];
const started = performance.now();
for (let frame = 0; frame < 320; frame += 2) {
  emu.setButtons(0, emu.buttonMask([legs[Math.floor(frame / 40) % 4]]));
  emu.step(2);
  gif.addFrame(emu.getFrame());
}
const seconds = (performance.now() - started) / 1000;
const path = join(outDir, 'demo.gif');
const bytes = gif.save(path);
console.log(`demo: ${emu.systemInfo.libraryName} ran 320 frames of ${rom} in ${seconds.toFixed(2)} s`);
console.log(`demo: saved ${gif.frameCount} frames to ${path} (${(bytes / 1024).toFixed(0)} KiB)`);
emu.close();
