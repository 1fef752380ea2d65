// The play page in a real browser: Debian's chromium, headless, driven by playwright-core. These tests measure
// frame rates and hold keys for seconds of play, so scripts/run-tests.ts runs them in its serial pass.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { runCli } from '../lib/cli/dispatch.ts';
import { Movie } from '../lib/movie/movie.ts';
import { makeReplayEnv, replayMovie } from '../lib/movie/replay.ts';
import { startPlayServer, type PlayServer } from '../lib/play/server.ts';
import { readStateFile } from '../lib/state-file.ts';
import { launchBrowser, scratchTinyKart } from './play-browser.ts';

const scratch = scratchTinyKart();
const lookup = { integrationPaths: [scratch.integrations], dataDir: scratch.dataDir };
/** Generous: the machine may be shared; nothing here asserts on time. */
const WAIT = { timeout: 90_000 };
let browser: BrowserContext;

before(async () => {
  browser = await launchBrowser(mkdtempSync(join(scratch.root, 'profile-')));
});
after(async () => {
  await browser?.close();
});

interface PageStats {
  framesReceived: number;
  gaps: number;
  frame: number;
  connected: boolean;
  variables: Record<string, number>;
}

async function stats(page: Page): Promise<PageStats> {
  return page.evaluate(() => (window as unknown as { playStats: PageStats }).playStats);
}

/** Opens the page of `server` and waits for its first frames. */
async function openPage(server: PlayServer): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { playStats: PageStats }).playStats.framesReceived > 2, null, WAIT);
  assert.deepEqual(errors, [], 'the page runs without script errors');
  return page;
}

/** The value the page's variables table shows for `name`. */
async function shownVariable(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`#variables tr[data-variable="${name}"] td:last-child`).textContent());
}

/** Waits until the page's table shows `name` at least `value`. */
async function waitForVariable(page: Page, name: string, value: number): Promise<void> {
  await page.waitForFunction(
    ([n, v]) => Number(document.querySelector(`#variables tr[data-variable="${n}"] td:last-child`)?.textContent) >= Number(v),
    [name, value] as const,
    WAIT,
  );
}

test('holding the accelerator key on the page drives the kart through checkpoints', async () => {
  const server = await startPlayServer({ ...lookup, game: 'TinyKart-Nes', state: 'Track1' });
  try {
    const page = await openPage(server);
    assert.equal(await page.locator('#game').textContent(), 'TinyKart-Nes');
    assert.equal(await shownVariable(page, 'checkpoint'), 0);
    assert.equal(await shownVariable(page, 'progress'), 0);
    // A is on X by default (shown in the controls table).
    assert.equal(await page.locator('#bindings tr[data-button="A"] td:nth-child(2)').textContent(), 'X');
    await page.keyboard.down('KeyX');
    await page.waitForSelector('#bindings tr[data-button="A"].pressed', WAIT);
    await waitForVariable(page, 'checkpoint', 2);
    await page.keyboard.up('KeyX');
    assert.ok((await shownVariable(page, 'progress')) >= 2, 'progress counts the checkpoints');
    const shownReturn = Number(await page.locator('#return').textContent());
    assert.ok(Number.isFinite(shownReturn) && shownReturn !== 0, 'the episode return is shown');
  } finally {
    await server.close();
  }
});

test('a remapped key is saved in localStorage and drives the game after a reload', async () => {
  const server = await startPlayServer({ ...lookup, game: 'TinyKart-Nes', state: 'Track1' });
  try {
    let page = await openPage(server);
    await page.click('#bindings tr[data-button="A"] td:nth-child(2)');
    await page.keyboard.press('KeyJ');
    assert.equal(await page.locator('#bindings tr[data-button="A"] td:nth-child(2)').textContent(), 'J');
    await page.close();
    page = await openPage(server);
    assert.equal(await page.locator('#bindings tr[data-button="A"] td:nth-child(2)').textContent(), 'J', 'the binding survives a reload');
    await page.click('#reset');  // back to the start of the race
    await page.keyboard.down('KeyJ');
    await waitForVariable(page, 'checkpoint', 1);
    await page.keyboard.up('KeyJ');
    await page.click('#reset-bindings');
    assert.equal(await page.locator('#bindings tr[data-button="A"] td:nth-child(2)').textContent(), 'X');
  } finally {
    await server.close();
  }
});

test('a movie recorded from the page replays to the same RAM, frame advance included', async () => {
  const movieDir = mkdtempSync(join(scratch.root, 'movies-'));
  const moviePath = join(movieDir, 'out.bk2');
  const server = await startPlayServer({ ...lookup, game: 'TinyKart-Nes', state: 'Track1', record: moviePath });
  let finalRam: Uint8Array;
  let frames: number;
  try {
    const page = await openPage(server);
    assert.equal(await page.locator('#recording').isVisible(), true);
    await page.keyboard.down('KeyX');
    await waitForVariable(page, 'checkpoint', 1);
    await page.keyboard.down('ArrowLeft');
    await page.waitForFunction((f) => (window as unknown as { playStats: PageStats }).playStats.frame >= f, (await stats(page)).frame + 30, WAIT);
    await page.keyboard.up('ArrowLeft');
    await page.click('#pause');
    await page.waitForSelector('#advance:not([disabled])', WAIT);
    const pausedAt = server.session.frame;
    await page.click('#advance');
    await page.click('#advance');
    await page.waitForFunction((f) => (window as unknown as { playStats: PageStats }).playStats.frame === f, pausedAt + 2, WAIT);
    assert.equal(server.session.frame, pausedAt + 2, 'two frames advanced, no more');
    finalRam = Uint8Array.from(server.session.env.emulator.memory.systemRam!);
    frames = server.session.frame;
  } finally {
    await server.close();
  }
  const movie = Movie.open(moviePath);
  assert.equal(movie.game, 'TinyKart-Nes');
  assert.equal(movie.frameCount, frames);
  const env = makeReplayEnv(movie, lookup);
  try {
    let replayed = 0;
    for (const _ of replayMovie(movie, env)) replayed++;
    assert.equal(replayed, frames);
    assert.deepEqual(Uint8Array.from(env.emulator.memory.systemRam!), finalRam);
  } finally {
    env.close();
  }
  const out: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, env: {}, cwd: movieDir };
  const code = await runCli(['playback', 'out.bk2', '--integration-path', scratch.integrations, '--data-dir', scratch.dataDir], io);
  assert.equal(code, 0, out.join(''));
  assert.match(out.join(''), new RegExp(`replayed ${frames.toLocaleString('en-US')} frames of TinyKart-Nes`));
});

test('states: a bad name is refused, a good one is saved into the integration and can be reset to', async () => {
  const server = await startPlayServer({ ...lookup, game: 'TinyKart-Nes', state: 'Track1' });
  try {
    const page = await openPage(server);
    await page.fill('#save-name', '../Escape');
    await page.click('#save-form button');
    await page.waitForSelector('#message.error', WAIT);
    assert.match((await page.locator('#message').textContent()) ?? '', /refused/);
    assert.equal(existsSync(join(scratch.integrations, 'Escape.state')), false);
    await page.keyboard.down('KeyX');
    await waitForVariable(page, 'checkpoint', 1);
    await page.keyboard.up('KeyX');
    await page.click('#pause');
    await page.waitForSelector('#advance:not([disabled])', WAIT);
    const checkpoint = server.session.env.emulator.memory.systemRam![0x303];
    await page.fill('#save-name', 'PastCheckpoint');
    await page.click('#save-form button');
    await page.waitForSelector('#state option[value="PastCheckpoint"]', { ...WAIT, state: 'attached' });
    const saved = join(scratch.integrationDir, 'PastCheckpoint.state');
    assert.ok(readStateFile(saved).length > 0);
    await page.selectOption('#state', 'Track2');
    await page.click('#reset');
    await page.waitForFunction(() => (window as unknown as { playStats: PageStats }).playStats.variables.track === 1, null, WAIT);
    await page.selectOption('#state', 'PastCheckpoint');
    await page.click('#reset');
    await page.waitForFunction((c) => (window as unknown as { playStats: PageStats }).playStats.variables.checkpoint === c, checkpoint, WAIT);
    assert.equal(await shownVariable(page, 'track'), 0);
  } finally {
    await server.close();
  }
});

test('speed: the page offers 0.25x to unthrottled and the server follows', async () => {
  const server = await startPlayServer({ ...lookup, game: 'TinyKart-Nes', state: 'Track1' });
  try {
    const page = await openPage(server);
    const offered = await page.locator('#speed option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(offered, ['0.25', '0.5', '1', '2', '4', '0']);
    for (const speed of ['0.25', '4', '0']) {
      await page.selectOption('#speed', speed);
      await page.waitForFunction((s) => (document.querySelector('#speed') as HTMLSelectElement).value === s, speed, WAIT);
      const from = server.session.frame;
      await page.waitForFunction((f) => (window as unknown as { playStats: PageStats }).playStats.frame > f + 10, from, WAIT);
      assert.equal(server.session.speed, Number(speed));
    }
  } finally {
    await server.close();
  }
});

test('the page receives every frame at 1x; frames per second and key-to-frame latency measured', async (t) => {
  const server = await startPlayServer({ ...lookup, game: 'TinyKart-Nes', state: 'Track1' });
  try {
    const page = await openPage(server);
    // Latency: from sending a key's buttons to the first frame played with them arriving.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.down('KeyZ');
      await page.waitForTimeout(100);
      await page.keyboard.up('KeyZ');
      await page.waitForTimeout(100);
    }
    await page.keyboard.down('KeyX');
    await page.waitForTimeout(1000);  // warm-up, not a bound
    const start = await page.evaluate(() => [(window as unknown as { playStats: PageStats }).playStats.framesReceived, performance.now()]);
    await page.waitForTimeout(4000);
    const end = await page.evaluate(() => [(window as unknown as { playStats: PageStats }).playStats.framesReceived, performance.now()]);
    const fps = ((end[0] - start[0]) * 1000) / (end[1] - start[1]);
    t.diagnostic(`page received ${fps.toFixed(1)} frames per second (core: ${server.session.fps} fps)`);
    const { gaps, latencies } = await page.evaluate(() => (window as unknown as { playStats: PageStats & { latencies: number[] } }).playStats);
    const sorted = [...latencies].sort((a, b) => a - b);
    t.diagnostic(`key to frame latency: median ${sorted[sorted.length >> 1]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms over ${sorted.length} changes`);
    assert.ok(latencies.length >= 20, 'every press and release came back in a frame');
    assert.equal(gaps, 0, 'no frame was skipped on the way to the page');
    assert.ok(end[0] > start[0]);
  } finally {
    await server.close();
  }
});

test('on a pad with a stick (N64), the I/J/K/L keys hold it at full deflection and the bindings list it', async () => {
  const fixtures = join(import.meta.dirname, 'fixtures', 'integrations');
  const server = await startPlayServer({ integrationPaths: [fixtures], dataDir: scratch.dataDir, game: 'TestRom-N64' });
  try {
    const page = await openPage(server);
    const rows = await page.locator('#bindings tr[data-button]').evaluateAll((r) => r.map((row) => (row as HTMLElement).dataset.button));
    assert.ok(['STICK_UP', 'STICK_DOWN', 'STICK_LEFT', 'STICK_RIGHT', 'Z', 'C_UP'].every((name) => rows.includes(name)), rows.join(' '));
    await page.keyboard.down('KeyL');
    await page.keyboard.down('KeyI');
    await page.waitForFunction(() => (window as unknown as { playStats: PageStats }).playStats.variables.stick_x === 80, null, WAIT);
    await page.waitForFunction(() => (window as unknown as { playStats: PageStats }).playStats.variables.stick_y === 80, null, WAIT);
    await page.keyboard.up('KeyL');
    await page.keyboard.up('KeyI');
    await page.keyboard.down('KeyJ');
    await page.waitForFunction(() => (window as unknown as { playStats: PageStats }).playStats.variables.stick_x === -80, null, WAIT);
    assert.equal(server.session.variables.stick_y, 0, 'released keys centre the stick');
  } finally {
    await server.close();
  }
});
