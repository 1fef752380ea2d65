/**
 * Takes docs/play/play-page.png: the `retro play` page on TinyKart a few seconds into a race, in headless chromium.
 * Run: node --import tsx scripts/play-screenshot.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.ts';
import { startPlayServer } from '../lib/play/server.ts';
import { launchBrowser } from '../test/play-browser.ts';

const profile = mkdtempSync(join(tmpdir(), 'rgym-shot-'));
const server = await startPlayServer({ game: 'TinyKart-Nes', state: 'Track1' });
const browser = await launchBrowser(profile);
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { playStats: { framesReceived: number } }).playStats.framesReceived > 2);
  await page.keyboard.down('KeyX');
  await page.waitForFunction(() => (window as unknown as { playStats: { variables: { checkpoint: number } } }).playStats.variables.checkpoint >= 2, null, { timeout: 60_000 });
  await page.waitForTimeout(1500);  // the fps counter has a whole second of frames
  await page.screenshot({ path: join(packageRoot(), 'docs', 'play', 'play-page.png') });
} finally {
  await browser.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
