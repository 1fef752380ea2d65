/** `retro cores list --bench`: how fast a core runs a ROM we ship, as frames per CPU-second. */

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Emulator } from '../emulator.ts';
import { packageRoot } from '../package-root.ts';
import type { CoreDescriptor } from './descriptor.ts';

export interface BenchRom {
  /** The game's folder name, or the test ROM's file name. */
  label: string;
  path: string;
}

export interface BenchResult {
  rom: string;
  frames: number;
  /** Frames per second of this process's CPU time: steadier than wall time on a busy machine. */
  fpsPerCpuSecond: number;
  /** Frames per second of wall time. */
  fps: number;
}

/**
 * A ROM of this system that ships with the package: a bundled integration's (a real game) first, else one of the
 * homebrew test ROMs; undefined when there is none.
 */
export function shippedRom(descriptor: CoreDescriptor): BenchRom | undefined {
  const root = packageRoot();
  const integrations = join(root, 'integrations');
  for (const game of existsSync(integrations) ? readdirSync(integrations).sort() : []) {
    for (const ext of descriptor.ext) {
      const path = join(integrations, game, `rom.${ext}`);
      if (existsSync(path)) return { label: game, path };
    }
  }
  const testRoms = join(root, 'homebrew', 'test');
  const file = (existsSync(testRoms) ? readdirSync(testRoms).sort() : []).find((f) => descriptor.ext.some((ext) => f.endsWith(`.${ext}`)));
  return file ? { label: basename(file), path: join(testRoms, file) } : undefined;
}

const WARMUP_FRAMES = 60;
const FRAMES_PER_CALL = 60;

/** Runs the ROM on the core at `corePath` (no input, video on) for about `seconds` of CPU time. */
export function benchCore(descriptor: CoreDescriptor, corePath: string, rom: BenchRom, seconds = 2): BenchResult {
  const emu = new Emulator({ rom: rom.path, system: descriptor.system, core: corePath });
  try {
    emu.step(WARMUP_FRAMES);
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    let frames = 0;
    let cpuSeconds = 0;
    while (cpuSeconds < seconds) {
      emu.step(FRAMES_PER_CALL);
      frames += FRAMES_PER_CALL;
      const used = process.cpuUsage(cpuStart);
      cpuSeconds = (used.user + used.system) / 1e6;
    }
    const wallSeconds = (performance.now() - wallStart) / 1000;
    return { rom: rom.label, frames, fpsPerCpuSecond: frames / cpuSeconds, fps: frames / wallSeconds };
  } finally {
    emu.close();
  }
}
