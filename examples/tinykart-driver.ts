import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.ts';

/** NES buttons in TinyKart's descriptor order (cores/nes.json). */
const BUTTONS = ['B', null, 'SELECT', 'START', 'UP', 'DOWN', 'LEFT', 'RIGHT', 'A'];

/** A MultiBinary action (Actions.ALL) pressing the named buttons. */
export function press(...names: string[]): Uint8Array {
  return Uint8Array.from(BUTTONS, (b) => (b !== null && names.includes(b) ? 1 : 0));
}

const trackInfo = JSON.parse(readFileSync(join(packageRoot(), 'homebrew', 'tinykart', 'gen', 'track_info.json'), 'utf8')) as {
  tracks: { name: string; sector_centres: [number, number][] }[];
};

/**
 * A scripted TinyKart driver: reads x, y, heading and checkpoint from `info` and steers, throttle open, toward the
 * centre of the next sector. Good enough to finish every track; a baseline an agent should beat.
 */
export function scriptedDriver(info: Record<string, number>, track = info.track ?? 0): Uint8Array {
  const centres = trackInfo.tracks[track].sector_centres;
  const [tx, ty] = centres[(info.checkpoint + 1) % centres.length];
  const wanted = Math.atan2(ty - info.y, tx - info.x);
  const facing = (info.heading * Math.PI) / 8; // 16 headings, 0 = east, clockwise (screen y grows downward)
  let diff = wanted - facing;
  while (diff > Math.PI) diff -= 2 * Math.PI;
  while (diff < -Math.PI) diff += 2 * Math.PI;
  if (diff > 0.2) return press('A', 'RIGHT');
  if (diff < -0.2) return press('A', 'LEFT');
  return press('A');
}
