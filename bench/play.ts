import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make } from '../lib/env/retro-env.ts';
import { FrameEncoder } from '../lib/play/frame-message.ts';
import { startPlayServer } from '../lib/play/server.ts';
import { CHROMIUM, launchBrowser } from '../test/play-browser.ts';
import { median, type BenchRow } from './report.ts';

interface PageStats {
  framesReceived: number;
  gaps: number;
  latencies: number[];
}

/**
 * `retro play` end to end: the frames per second the page receives of TinyKart at 1× with the server and headless
 * chromium on this machine, and the latency from the page sending a change of buttons to the first frame played
 * with them arriving. No rows without chromium.
 */
export async function benchPlayPage(seconds: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  if (!existsSync(CHROMIUM)) return rows;
  const profile = mkdtempSync(join(tmpdir(), 'rgym-bench-play-'));
  const server = await startPlayServer({ game: 'TinyKart-Nes', state: 'Track1' });
  const browser = await launchBrowser(profile);
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const read = (): Promise<PageStats & { now: number }> =>
      page.evaluate(() => ({ ...(window as unknown as { playStats: PageStats }).playStats, now: performance.now() }));
    await page.waitForFunction(() => (window as unknown as { playStats: PageStats }).playStats.framesReceived > 2);
    for (let i = 0; i < 20; i++) {
      await page.keyboard.down('KeyZ');
      await page.waitForTimeout(80);
      await page.keyboard.up('KeyZ');
      await page.waitForTimeout(80);
    }
    await page.keyboard.down('KeyX');
    const start = await read();
    await page.waitForTimeout(seconds * 1000);
    const end = await read();
    const latencies = [...end.latencies].sort((a, b) => a - b);
    rows.push({
      bench: 'play-page',
      game: 'TinyKart-Nes',
      core_fps: server.session.fps,
      page_fps: ((end.framesReceived - start.framesReceived) * 1000) / (end.now - start.now),
      frames_skipped: end.gaps,
      latency_median_ms: median(latencies),
      latency_p90_ms: latencies[Math.floor(latencies.length * 0.9)] ?? NaN,
    });
  } finally {
    await browser.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return rows;
}

/** Bytes and encoding time of a TinyKart frame as sent (palette-indexed) and as raw RGB, interleaved. */
export function benchPlayFrame(): BenchRow[] {
  return [frameRow()];
}

function frameRow(): BenchRow {
  const env = make('TinyKart-Nes', { state: 'Track1' });
  try {
    env.reset();
    const idle = new Uint8Array(env.buttons.length);
    for (let i = 0; i < 120; i++) env.step(idle);
    const { data, width, height } = env.emulator.getFrame();
    const frame = Uint8Array.from(data);
    const encoder = new FrameEncoder();
    const indexedMs: number[] = [];
    const rawMs: number[] = [];
    let bytes = 0;
    for (let chunk = 0; chunk < 10; chunk++) {
      let t = performance.now();
      for (let i = 0; i < 50; i++) bytes = encoder.encode(frame, width, height, { frame: i }).length;
      indexedMs.push((performance.now() - t) / 50);
      t = performance.now();
      for (let i = 0; i < 50; i++) Buffer.from(frame);
      rawMs.push((performance.now() - t) / 50);
    }
    return { bench: 'play-frame', game: 'TinyKart-Nes', width, height, indexed_bytes: bytes, raw_bytes: width * height * 3, indexed_encode_ms: median(indexedMs), raw_copy_ms: median(rawMs) };
  } finally {
    env.close();
  }
}
