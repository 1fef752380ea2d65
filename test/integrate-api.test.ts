// The integration builder's commands over HTTP, without a browser: who may post them, and what bad input gets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { integratePanel } from '../lib/play/integrate-api.ts';
import { startPlayServer, type PlayServer } from '../lib/play/server.ts';
import { scratchTinyKart } from './play-browser.ts';

const scratch = scratchTinyKart();
let server: PlayServer;
let token: string;
let origin: string;

before(async () => {
  server = await startPlayServer({ game: 'TinyKart-Nes', state: 'Track1', integrationPaths: [scratch.integrations], dataDir: scratch.dataDir, extension: integratePanel });
  token = new URL(server.url).searchParams.get('token') ?? '';
  origin = `http://127.0.0.1:${server.port}`;
});
after(() => server.close());

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs `body` to `path` with these headers (Host is the server's). */
function post(path: string, body: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'POST', headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = () => ({ 'Content-Type': 'application/json', Origin: origin });
const command = (name: string, body: unknown) => post(`/api/${name}?token=${token}`, JSON.stringify(body), json());

test('commands need the token, the page\'s origin and a JSON body', async () => {
  assert.equal((await post('/api/live', '{}', json())).status, 403, 'no token');
  assert.equal((await post(`/api/live?token=${token}x`, '{}', json())).status, 403, 'a wrong token');
  assert.equal((await post(`/api/live?token=${token}`, '{}', { 'Content-Type': 'application/json', Origin: 'http://evil.example' })).status, 403, 'another origin');
  assert.equal((await post(`/api/live?token=${token}`, '{}', { 'Content-Type': 'application/json' })).status, 403, 'no origin');
  assert.equal((await post(`/api/live?token=${token}`, '{}', { 'Content-Type': 'text/plain', Origin: origin })).status, 403, 'a form post');
  const live = await command('live', {});
  assert.equal(live.status, 200);
  assert.deepEqual(live.body, { search: null, watch: [], preview: null });
});

test('bad input gets a 400 naming the field, and changes nothing on disk', async () => {
  const dataPath = join(scratch.integrationDir, 'data.json');
  const before = readFileSync(dataPath, 'utf8');
  // The field each refusal names (undefined: a data.json problem, named by the validator's own pointer).
  const cases: [string, unknown, string | undefined][] = [
    ['search-filter', { op: 'greater-than' }, 'search'],
    ['search-start', { type: '<u8' }, 'type'],
    ['add-variable', { name: 'kart x', address: 779, type: '|u1' }, 'name'],
    ['add-variable', { name: 'kart_x', address: 'abc', type: '|u1' }, 'address'],
    ['add-variable', { name: 'kart_x', address: 0x8000, type: '|u1' }, undefined],
    ['save-state', { name: '../escape' }, 'name'],
    ['preview', { scenario: [1] }, 'scenario'],
  ];
  for (const [name, body, field] of cases) {
    const reply = await command(name, body);
    assert.equal(reply.status, 400, `${name} ${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`);
    assert.equal(typeof reply.body.error, 'string');
    if (field !== undefined) assert.equal(reply.body.field, field, `${name} ${JSON.stringify(body)}: ${JSON.stringify(reply.body)}`);
  }
  assert.equal((await post(`/api/live?token=${token}`, '{not json', json())).status, 400);
  assert.equal((await command('no-such-command', {})).status, 400);
  assert.equal(readFileSync(dataPath, 'utf8'), before);
});

test('a search through the commands pages its candidates with live values', async () => {
  const started = await command('search-start', { type: '<u2', aligned: true, count: 5 });
  assert.equal(started.status, 200);
  const search = started.body.search as { count: number; candidates: { address: number; value: number }[]; canUndo: boolean };
  assert.equal(search.count, 1024);
  assert.deepEqual(search.candidates.map((c) => c.address), [0, 2, 4, 6, 8]);
  const filtered = await command('search-filter', { op: 'equal', value: '0', start: 0, count: 500 });
  const after = filtered.body.search as typeof search;
  assert.ok(after.count < 1024 && after.canUndo);
  // Values are read in the same turn as the filter, so every candidate shown is still 0.
  assert.ok(after.candidates.length > 0 && after.candidates.every((c) => c.value === 0));
  const undone = await command('search-undo', {});
  assert.equal((undone.body.search as typeof search).count, 1024);
});
