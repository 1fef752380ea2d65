/** Shared by the test/play-*.test.ts files: Debian's chromium driven by playwright-core, and a scratch TinyKart. */

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { packageRoot } from '../lib/package-root.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless chromium with a fresh profile in `profileDir`. The flags keep it off the network (it would otherwise
 * wait on Google lookups in a sandbox without one).
 */
export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A temp folder with a copy of TinyKart's integration (saving states writes into it) and a data dir. */
export function scratchTinyKart(): { root: string; integrations: string; dataDir: string; integrationDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'rgym-play-'));
  const integrations = join(root, 'integrations');
  const integrationDir = join(integrations, 'TinyKart-Nes');
  cpSync(join(packageRoot(), 'integrations', 'TinyKart-Nes'), integrationDir, { recursive: true });
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  return { root, integrations, dataDir: join(root, 'data'), integrationDir };
}
