import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { runCli } from '../lib/cli/dispatch.ts';
import { runPlay } from '../lib/cli/play.ts';
import type { PlayServer } from '../lib/play/server.ts';
import type { CliIO } from '../lib/cli/io.ts';
import { Movie } from '../lib/movie/movie.ts';
import { scratchTinyKart } from './play-browser.ts';

const scratch = scratchTinyKart();
const lookupArgs = ['--integration-path', scratch.integrations, '--data-dir', scratch.dataDir];

function captureIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {}, cwd: scratch.root };
}

/** Opens the page's WebSocket (the handshake a browser makes) and returns its socket. */
function connectPage(server: PlayServer): Promise<Duplex> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      path: `/ws${url.search}`,
      headers: { Origin: url.origin, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
    });
    req.on('upgrade', (_res, socket) => resolve(socket));
    req.on('response', (res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

test('retro play --help, and usage errors exit 2', async () => {
  const help = captureIO();
  assert.equal(await runCli(['play', '--help'], help), 0);
  assert.match(help.out.join(''), /Usage: retro play <game>/);
  for (const args of [[], ['TinyKart-Nes', 'extra'], ['TinyKart-Nes', '--port', 'http'], ['TinyKart-Nes', '--port', '70000'], ['TinyKart-Nes', '--bogus']]) {
    const io = captureIO();
    assert.equal(await runCli(['play', ...args], io), 2, args.join(' '));
    assert.match(io.err.join(''), /retro play/);
  }
});

test('an unknown game or a state name that leaves the folder is a one-line error', async () => {
  const unknown = captureIO();
  assert.equal(await runCli(['play', 'NoSuchGame-Nes', ...lookupArgs, '--no-open'], unknown), 1);
  assert.match(unknown.err.join(''), /^retro play: .*NoSuchGame-Nes/);
  const escape = captureIO();
  assert.equal(await runCli(['play', 'TinyKart-Nes', '--state', '../../etc/passwd', ...lookupArgs, '--no-open'], escape), 1);
  assert.match(escape.err.join(''), /refused/);
});

test('retro play prints a working address, and --record writes the movie when it stops', async () => {
  const io = captureIO();
  let status = 0;
  let framesBeforeAPage = -1;
  const code = await runPlay(['TinyKart-Nes', '--record', 'cli.bk2', '--no-open', ...lookupArgs], io, async (server) => {
    status = (await fetch(server.url)).status;
    await new Promise((r) => setTimeout(r, 200));
    framesBeforeAPage = server.session.frame;
    // The game runs while a page is connected: a few frames with nobody at the keys.
    const socket = await connectPage(server);
    while (server.session.frame < 5) await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
  });
  assert.equal(framesBeforeAPage, 0, 'the game waits for a page');
  assert.equal(code, 0, io.err.join(''));
  assert.equal(status, 200);
  const printed = io.out.join('');
  assert.match(printed, /Playing TinyKart-Nes at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  assert.match(printed, /wrote cli\.bk2/);
  const path = join(scratch.root, 'cli.bk2');
  assert.ok(existsSync(path));
  const movie = Movie.open(path);
  assert.equal(movie.game, 'TinyKart-Nes');
  assert.ok(movie.frameCount >= 5);
  assert.ok([...movie].every((masks) => masks[0] === 0), 'nobody pressed anything');
});

test('a --record path that cannot be written fails at the start, naming it', async () => {
  const io = captureIO();
  const code = await runPlay(['TinyKart-Nes', '--record', 'no/such/dir/out.bk2', '--no-open', ...lookupArgs], io, async () => {
    assert.fail('the server must not start');
  });
  assert.equal(code, 1);
  assert.match(io.err.join(''), /^retro play: .*no\/such\/dir\/out\.bk2/);
});
