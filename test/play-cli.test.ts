import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../lib/cli/dispatch.ts';
import { runPlay } from '../lib/cli/play.ts';
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
  const code = await runPlay(['TinyKart-Nes', '--record', 'cli.bk2', '--no-open', ...lookupArgs], io, async (server) => {
    status = (await fetch(server.url)).status;
    // Let the game run a few frames with nobody at the keys.
    while (server.session.frame < 5) await new Promise((r) => setTimeout(r, 20));
  });
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
