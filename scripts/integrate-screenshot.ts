/**
 * Takes docs/play/integrate-page.png: `retro integrate` on TinyKart, a RAM search under way, x watched and a draft
 * reward rule previewed, in headless chromium. Writes only into a temp copy of the integration.
 * Run: node --import tsx scripts/integrate-screenshot.ts
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.ts';
import { integratePanel } from '../lib/play/integrate-api.ts';
import { startPlayServer } from '../lib/play/server.ts';
import { launchBrowser, scratchTinyKart } from '../test/play-browser.ts';

const scratch = scratchTinyKart();
const server = await startPlayServer({ game: 'TinyKart-Nes', state: 'Track1', integrationPaths: [scratch.integrations], dataDir: scratch.dataDir, extension: integratePanel });
const browser = await launchBrowser(join(scratch.root, 'profile'));
type Stats = { playStats: { variables: Record<string, number> } };
try {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(server.url);
  await page.waitForSelector('#search-type option[value="|u1"]', { state: 'attached' });
  await page.click('#search-new');
  await page.click('#screen');
  await page.keyboard.down('KeyX');
  await page.waitForFunction(() => (window as unknown as Stats).playStats.variables.x >= 150);
  await page.click('#search-apply');
  await page.keyboard.up('KeyX');
  await page.waitForFunction(() => (window as unknown as Stats).playStats.variables.speed === 0);
  await page.click('#search-apply');
  await page.fill('#rules', JSON.stringify({ reward: { variables: { x: { reward: 1 }, collision: { reward: -0.5 } } }, done: { variables: { lap: { op: 'equal', reference: 3 } } } }, null, 2));
  await page.click('#preview-start');
  await page.click('#candidates tr[data-address="779"] button:has-text("watch")');
  await page.fill('#variable-form [name="name"]', 'kart_x');
  await page.fill('#variable-form [name="address"]', '779');
  await page.click('#screen');
  await page.keyboard.down('KeyX');
  await page.keyboard.down('ArrowLeft');
  await page.waitForTimeout(400);
  await page.keyboard.up('ArrowLeft');
  await page.waitForTimeout(500);
  await page.locator('#integrate').evaluate((panel) => panel.scrollTo(0, 0));
  await page.screenshot({ path: join(packageRoot(), 'docs', 'play', 'integrate-page.png') });
} finally {
  await browser.close();
  await server.close();
  rmSync(scratch.root, { recursive: true, force: true });
}
