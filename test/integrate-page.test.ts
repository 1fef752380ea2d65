// The integration builder of `retro integrate` in a real browser: Debian's chromium, headless, driven by
// playwright-core. A RAM search narrows to TinyKart's x while the kart drives, the address becomes a variable in a
// scratch copy of the integration, and draft reward rules are previewed live. These tests hold keys for seconds of
// play, so scripts/run-tests.ts runs them in its serial pass.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { runIntegrate } from '../lib/cli/integrate.ts';
import { integratePanel } from '../lib/play/integrate-api.ts';
import { startPlayServer, type PlayServer } from '../lib/play/server.ts';
import { readStateFile } from '../lib/state-file.ts';
import { launchBrowser, scratchTinyKart } from './play-browser.ts';

const scratch = scratchTinyKart();
const lookup = { integrationPaths: [scratch.integrations], dataDir: scratch.dataDir };
/** Generous: the machine may be shared; nothing here asserts on time. */
const WAIT = { timeout: 90_000 };
const X_ADDRESS = 779;
let browser: BrowserContext;

before(async () => {
  browser = await launchBrowser(mkdtempSync(join(scratch.root, 'profile-')));
});
after(async () => {
  await browser?.close();
});

type Variables = Record<string, number>;

/** Opens the builder page and waits for frames and the panel. */
async function openPage(server: PlayServer): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { playStats: { framesReceived: number } }).playStats.framesReceived > 2, null, WAIT);
  await page.waitForSelector('#search-type option[value="|u1"]', { ...WAIT, state: 'attached' });
  assert.deepEqual(errors, [], 'the page runs without script errors');
  return page;
}

async function variables(page: Page): Promise<Variables> {
  return page.evaluate(() => (window as unknown as { playStats: { variables: Variables } }).playStats.variables);
}

/** Waits until the game's variable `name` (as the play page last received it) compares to `value` as `op` says. */
async function waitUntil(page: Page, name: string, op: '>=' | '<=' | '===', value: number): Promise<void> {
  await page.waitForFunction(
    ([n, o, v]) => {
      const now = (window as unknown as { playStats: { variables: Variables } }).playStats.variables[n];
      return o === '>=' ? now >= v : o === '<=' ? now <= v : now === v;
    },
    [name, op, value] as const,
    WAIT,
  ).catch(async (e: Error) => {
    throw new Error(`${name} never got ${op} ${value}: the game's variables are ${JSON.stringify(await variables(page))}`, { cause: e });
  });
}

/** Waits for the game to run `frames` more frames (by its race clock). */
async function waitFrames(page: Page, frames: number): Promise<void> {
  await waitUntil(page, 'race_timer', '>=', (await variables(page)).race_timer + frames);
}

/** Clicks `selector` and waits until the builder has answered the command it sends. */
async function clickAndWait(page: Page, selector: string): Promise<void> {
  const answered = Number((await page.locator('#integrate').getAttribute('data-answers')) ?? 0);
  await page.click(selector);
  await page.waitForFunction((n) => Number(document.querySelector('#integrate')?.getAttribute('data-answers')) > n, answered, WAIT);
}

/** Applies a filter against the previous values from the page; returns the candidates left. */
async function filter(page: Page, op: string): Promise<number> {
  await page.selectOption('#search-op', op);
  await page.fill('#search-value', '');
  await clickAndWait(page, '#search-apply');
  return Number(await page.locator('#search-count').getAttribute('data-count'));
}

async function candidates(page: Page): Promise<number[]> {
  return page.locator('#candidates tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.address)));
}

test('a RAM search in the page narrows to the kart\'s x; it becomes variable kart_x in data.json; its reward previews live', async () => {
  const server = await startPlayServer({ ...lookup, game: 'TinyKart-Nes', state: 'Track1', extension: integratePanel });
  try {
    const page = await openPage(server);
    // Keys go to the game only when the page, not a field of the builder, has the focus.
    const toGame = () => page.click('#screen');
    await page.selectOption('#search-type', '|u1');
    await page.click('#search-new');
    await page.waitForSelector('#search-count[data-count="2048"]', WAIT);

    // The first filter of each direction runs paused mid-drive, so that however long a click takes on a loaded
    // machine x has changed the way it compares, and will change further before it stops.
    const x = async () => (await variables(page)).x;
    const pause = async (paused: boolean) => {
      await page.keyboard.press('KeyP');
      await page.waitForSelector(paused ? '#advance:not([disabled])' : '#advance[disabled]', WAIT);
    };
    /**
     * Holds `key` until x has moved 4-5 px, filters paused mid-move, lets the kart roll to a stop, filters again
     * (x moved on since), then once more after 20 still frames (x stayed).
     */
    const drive = async (key: string, op: 'greater-than' | 'less-than'): Promise<number[]> => {
      await toGame();
      await page.keyboard.down(key);
      await waitUntil(page, 'x', op === 'greater-than' ? '>=' : '<=', (await x()) + (op === 'greater-than' ? 4 : -5));
      await pause(true);
      const counts = [await filter(page, op)];
      await page.keyboard.up(key);  // paused at speed: the kart rolls on once it runs again
      await toGame();
      await pause(false);
      await waitUntil(page, 'speed', '===', 0);
      counts.push(await filter(page, op));
      await waitFrames(page, 20);
      counts.push(await filter(page, 'equal'));
      return counts;
    };
    // East from the start line (A), backwards (B brakes, then reverses), east again.
    const counts = await drive('KeyX', 'greater-than');
    assert.ok(counts[2] < counts[0] && counts[0] < 2048, `each filter drops candidates: 2048 → ${counts.join(' → ')}`);
    counts.push(...(await drive('KeyZ', 'less-than')));
    counts.push(...(await drive('KeyX', 'greater-than')));
    const left = counts.at(-1)!;

    const found = await candidates(page);
    assert.ok(found.includes(X_ADDRESS), `x (${X_ADDRESS}) is still a candidate: ${found.join(', ')} (counts 2048 → ${counts.join(' → ')})`);
    assert.ok(left <= 10, `few candidates remain: ${found.join(', ')}`);
    // Its live value in the page is the game's x.
    const shown = Number(await page.locator(`#candidates tr[data-address="${X_ADDRESS}"] td.value`).textContent());
    assert.equal(shown, (await variables(page)).x);

    // Undo brings back the candidates from before the last filter.
    await clickAndWait(page, '#search-undo');
    assert.equal(Number(await page.locator('#search-count').getAttribute('data-count')), counts.at(-2));
    await filter(page, 'equal');

    // "variable…" fills the form from the candidate; a bad name is refused next to the field, data.json untouched.
    const dataPath = join(scratch.integrationDir, 'data.json');
    const dataBefore = readFileSync(dataPath, 'utf8');
    await page.click(`#candidates tr[data-address="${X_ADDRESS}"] button:has-text("variable")`);
    assert.equal(await page.inputValue('#variable-form [name="address"]'), String(X_ADDRESS));
    await page.fill('#variable-form [name="name"]', '9lives');
    await page.click('#variable-add');
    await page.waitForSelector('#variable-form [name="name"].invalid', WAIT);
    assert.match((await page.locator('.error[data-form="variable"]').textContent()) ?? '', /^name: .*cannot name a variable/);
    assert.equal(readFileSync(dataPath, 'utf8'), dataBefore, 'a refused variable changes nothing on disk');
    await page.fill('#variable-form [name="name"]', 'kart_x');
    await page.click('#variable-add');
    await page.waitForSelector('#variable-list li[data-variable="kart_x"]', { ...WAIT, state: 'attached' });
    const data = JSON.parse(readFileSync(dataPath, 'utf8')) as { info: Record<string, { address: number; type: string }> };
    assert.deepEqual(data.info.kart_x, { address: X_ADDRESS, type: '|u1' });
    assert.deepEqual(data.info.x, { address: X_ADDRESS, type: '|u1' }, 'the other variables stay');
    await page.waitForSelector('#watch tbody tr[data-address="779"]', WAIT);

    // A draft rule on the new variable: reward = change in kart_x (a fall counts through `penalty`), previewed
    // while reversing west, so it goes down (the straight is long enough that no barrier stops it).
    await page.fill('#rules', JSON.stringify({ reward: { variables: { kart_x: { reward: 1, penalty: 1 } } }, done: { variables: { kart_x: { op: 'less-than', reference: 20 } } } }));
    await page.click('#preview-start');
    await page.waitForFunction(() => document.querySelector('#preview-return')?.textContent === '0', null, WAIT).catch(async (e: Error) => {
      throw new Error(`preview ${await page.locator('#preview').innerText()}; ${await page.locator('.error[data-form="rules"]').innerText()}`, { cause: e });
    });
    await toGame();
    await page.keyboard.down('KeyZ');
    const stuck = async (e: Error) => {
      throw new Error(`preview ${await page.locator('#preview').innerText()}; ${await page.locator('.error[data-form="rules"]').innerText()}; game ${JSON.stringify(await variables(page))}`, { cause: e });
    };
    await page.waitForFunction(() => Number(document.querySelector('#preview-return')?.textContent) <= -3, null, WAIT).catch(stuck);
    const midway = Number(await page.locator('#preview-return').textContent());
    await page.waitForFunction((m) => Number(document.querySelector('#preview-return')?.textContent) < m, midway, WAIT).catch(stuck);
    await page.keyboard.up('KeyZ');
    assert.equal(await page.locator('#preview-done').textContent(), 'false');
    // A rule naming a variable data.json lacks is refused, and the preview in place keeps running.
    await page.fill('#rules', JSON.stringify({ reward: { variables: { no_such_variable: { reward: 1 } } } }));
    await page.click('#preview-start');
    await page.waitForSelector('#rules.invalid', WAIT);
    assert.match((await page.locator('.error[data-form="rules"]').textContent()) ?? '', /no_such_variable/);
  } finally {
    await server.close();
  }
});

test('retro integrate <unknown ROM>: a new folder, opened in the builder, takes a start state', async () => {
  const work = mkdtempSync(join(scratch.root, 'new-'));
  // TinyKart with one byte of padding changed: a ROM no integration knows.
  const rom = join(work, 'my kart.nes');
  copyFileSync(join(scratch.integrationDir, 'rom.nes'), rom);
  const bytes = readFileSync(rom);
  bytes[bytes.length - 16] ^= 0xff;
  writeFileSync(rom, bytes);
  const out: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, env: {}, cwd: work };
  const code = await runIntegrate([rom, '--dir', 'integrations', '--no-open', '--data-dir', scratch.dataDir], io, async (server) => {
    const page = await openPage(server);
    assert.match(await page.locator('#integrate-dir').textContent() ?? '', /MyKart-Nes$/);
    await page.fill('#state-form [name="name"]', 'Boot');
    await page.click('#state-save');
    await page.waitForSelector('.error.note[data-form="state"]', WAIT);
    await page.close();
  });
  assert.equal(code, 0, out.join(''));
  const dir = join(work, 'integrations', 'MyKart-Nes');
  assert.match(out.join(''), /created integrations\/MyKart-Nes \(nes, rom\.sha [0-9a-f]{40}\)/);
  assert.ok(existsSync(join(dir, 'rom.sha')));
  assert.ok(readStateFile(join(dir, 'Boot.state')).length > 0);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')), { states: { Boot: {} }, default_state: 'Boot' });
});
