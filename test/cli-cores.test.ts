// retro cores install / list / remove against a local HTTP server shaped like the libretro buildbot, serving zips
// of Debian's cores (never the internet): installs land whole or not at all, and the installed core is the one used.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { zipSync } from 'fflate';
import { runCli } from '../lib/cli/dispatch.ts';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { findCore } from '../lib/core/find-core.ts';
import { installCore } from '../lib/core/install.ts';
import { userCoresDir, writableUserCoresDir } from '../lib/core/user-cores.ts';
import { Emulator } from '../lib/emulator.ts';
import { make } from '../lib/env/retro-env.ts';
import { recipeGame, recipeStatePath } from '../lib/env/boot-recipe.ts';
import { RetroError } from '../lib/errors.ts';
import { packageRoot } from '../lib/package-root.ts';
import { captureIO, tempDir } from './fixtures/helpers.ts';

const DEBIAN_CORES = '/usr/lib/x86_64-linux-gnu/libretro';
const nestopia = readFileSync(join(DEBIAN_CORES, 'nestopia_libretro.so'));
const tinyKartRom = join(packageRoot(), 'integrations', 'TinyKart-Nes', 'rom.nes');

const zipOf = (file: string, bytes: Uint8Array) => Buffer.from(zipSync({ [file]: bytes }, { level: 1 }));
const goodZip = zipOf('nestopia_libretro.so', nestopia);
const wrongArch = Uint8Array.from(nestopia);
new DataView(wrongArch.buffer).setUint16(18, 183, true); // e_machine: AArch64
const libz = readFileSync('/usr/lib/x86_64-linux-gnu/libz.so.1');
// Made once, up front: zipping in a request handler would block the event loop the client shares with the server.
const wrongArchZip = zipOf('nestopia_libretro.so', wrongArch);
const notLibretroZip = zipOf('nestopia_libretro.so', libz);
const wrongEntryZip = zipOf('other_libretro.so', nestopia);

/** Each route: what the server does for /<route>/<file>. */
const routes: Record<string, (res: import('node:http').ServerResponse, file: string) => void> = {
  ok: (res, file) => (file === 'nestopia_libretro.so.zip' ? send(res, goodZip) : notFound(res)),
  moved: (res, file) => {
    res.writeHead(302, { location: `/ok/${file}` });
    res.end();
  },
  truncated: (res) => send(res, goodZip.subarray(0, goodZip.length >> 1)),
  corrupt: (res) => send(res, Buffer.from(goodZip.map((b, i) => (i > 100 && i < goodZip.length - 200 ? b ^ 0x5a : b)))),
  'wrong-arch': (res) => send(res, wrongArchZip),
  'not-libretro': (res) => send(res, notLibretroZip),
  'wrong-entry': (res) => send(res, wrongEntryZip),
  dropped: (res) => {
    // Announces the whole zip, sends half, and drops the connection.
    res.writeHead(200, { 'content-length': goodZip.length, 'content-type': 'application/zip' });
    res.write(goodZip.subarray(0, goodZip.length >> 1), () => res.socket?.destroy());
  },
  stalled: (res) => {
    res.writeHead(200, { 'content-length': goodZip.length });
    res.write(goodZip.subarray(0, 1000));
  },
};

function send(res: import('node:http').ServerResponse, body: Uint8Array): void {
  res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/zip' });
  res.end(body);
}

function notFound(res: import('node:http').ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

let server: Server;
let base = '';
const tmp = tempDir('retro-cores-');
const dataHome = join(tmp.dir, 'xdg');
const coresDir = join(dataHome, 'libretro-gym', 'cores');
const env = (extra: Record<string, string> = {}) => ({ HOME: tmp.dir, XDG_DATA_HOME: dataHome, PATH: process.env.PATH, ...extra });
const io = (extra: Record<string, string> = {}, tty = false) => captureIO(env(extra), tmp.dir, { tty });

before(async () => {
  server = createServer((req, res) => {
    // One connection per request: a kept-alive socket the server times out as the client reuses it is ECONNRESET.
    res.setHeader('connection', 'close');
    const [, route, file] = (req.url ?? '').split('/');
    (routes[route] ?? notFound)(res, file ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
  tmp.cleanup();
});

/** The cores folder's entries: after a failed install, nothing new (no temp file, no half core). */
const coresDirEntries = () => (existsSync(coresDir) ? readdirSync(coresDir).sort() : []);

async function failedInstall(route: string, pattern: RegExp): Promise<void> {
  const before = coresDirEntries();
  const c = io();
  const code = await runCli(['cores', 'install', 'nestopia', '--url', `${base}/${route}`], c);
  assert.equal(code, 1, c.err());
  assert.match(c.err(), pattern);
  assert.deepEqual(coresDirEntries(), before, 'nothing half-installed, no temp file left');
}

describe('retro cores install: failures install nothing', () => {
  test('404: the core name is wrong', () => failedInstall('missing', /nestopia: download of .*\/missing\/nestopia_libretro\.so\.zip failed: HTTP 404 Not Found \(no such file: is the core name right\?\)/));
  test('a truncated download (complete by its Content-Length) is a damaged zip', () => failedInstall('truncated', /ARCHIVE|not a zip archive|central directory|damaged/));
  test('a corrupt zip', () => failedInstall('corrupt', /cannot inflate|damaged|inflates to/));
  test('a core for another architecture', () => failedInstall('wrong-arch', /nestopia_libretro\.so: built for AArch64 \(ELF64\), but this machine is x86-64/));
  test('a shared library that is not a libretro core', () => failedInstall('not-libretro', /exports no libretro functions: not a libretro core/));
  test('a zip without the core file', () => failedInstall('wrong-entry', /has no nestopia_libretro\.so \(it holds other_libretro\.so\)/));
  test('a connection dropped mid-body', () => failedInstall('dropped', /the connection broke after \d+ bytes/));
  test('a refused connection', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const c = io();
    assert.equal(await runCli(['cores', 'install', 'nestopia', '--url', `http://127.0.0.1:${port}`], c), 1);
    assert.match(c.err(), /download of http:\/\/127\.0\.0\.1:\d+\/nestopia_libretro\.so\.zip failed: fetch failed \(ECONNREFUSED\)/);
  });
  test('a server that stops sending times out', async () => {
    await assert.rejects(installCore('nestopia', { url: `${base}/stalled`, env: env(), idleTimeoutMs: 300 }), (e: unknown) => {
      assert.ok(e instanceof RetroError && e.code === 'CORE_DOWNLOAD_FAILED');
      assert.match(e.message, /the server sent nothing for 0\.3 s/);
      return true;
    });
    assert.deepEqual(coresDirEntries(), []);
  });
  test('a name that is not a core name is refused before any download', async () => {
    const c = io();
    assert.equal(await runCli(['cores', 'install', '../evil', '--url', `${base}/ok`], c), 1);
    assert.match(c.err(), /"\.\.\/evil" is not a core name/);
  });
  test('a cores folder inside node_modules is refused', () => {
    assert.throws(() => writableUserCoresDir({ XDG_DATA_HOME: '/x/node_modules/y' }), /inside node_modules/);
    assert.equal(userCoresDir({ HOME: '/home/u' }), '/home/u/.local/share/libretro-gym/cores');
  });
});

describe('retro cores install → list → use → remove', () => {
  test('install follows redirects, draws progress on a terminal, and puts the exact core in place', async () => {
    const c = io({}, true);
    const code = await runCli(['cores', 'install', 'nestopia', '--url', `${base}/moved`], c);
    assert.equal(code, 0, c.err());
    assert.match(c.out(), /^installed nestopia \(Nestopia 1\.52\.0\): .*xdg\/libretro-gym\/cores\/nestopia_libretro\.so \([\d,]+ bytes from http:\/\/127\.0\.0\.1:\d+\/moved\/nestopia_libretro\.so\.zip\)$/m);
    assert.match(c.err(), /\[#+-*\] +\d+% [\d,]+\/[\d,]+ KiB nestopia/);
    assert.deepEqual(coresDirEntries(), ['nestopia_libretro.so']);
    assert.ok(readFileSync(join(coresDir, 'nestopia_libretro.so')).equals(nestopia));
  });

  test('RETRO_CORES_URL names the mirror when --url is not given', async () => {
    const c = io({ RETRO_CORES_URL: `${base}/ok/` });
    assert.equal(await runCli(['cores', 'install', 'nestopia'], c), 0, c.err());
    assert.match(c.out(), /from http:\/\/127\.0\.0\.1:\d+\/ok\/nestopia_libretro\.so\.zip/);
  });

  test('a failed reinstall leaves the installed core as it was', async () => {
    await failedInstall('wrong-arch', /built for AArch64/);
    assert.ok(readFileSync(join(coresDir, 'nestopia_libretro.so')).equals(nestopia));
  });

  test('list shows the installed copy as the one that runs, with its name and version', async () => {
    const c = io();
    assert.equal(await runCli(['cores', 'list', '--json'], c), 0, c.err());
    const { systems } = JSON.parse(c.out()) as { systems: { system: string; candidates: { name: string; path?: string; selected: boolean; stableRetro: boolean; identity?: { libraryName: string } }[] }[] };
    const nes = systems.find((s) => s.system === 'nes')!;
    assert.deepEqual(nes.candidates.map((x) => x.name), ['fceumm', 'nestopia', 'mesen']);
    assert.deepEqual(nes.candidates.map((x) => x.stableRetro), [true, false, false]);
    const running = nes.candidates.find((x) => x.selected)!;
    assert.equal(running.name, 'nestopia');
    assert.equal(running.path, join(coresDir, 'nestopia_libretro.so'));
    assert.equal(running.identity?.libraryName, 'Nestopia');
    const table = io();
    await runCli(['cores', 'list'], table);
    assert.match(table.out(), /^ {2}\* nestopia +.*xdg\/libretro-gym\/cores\/nestopia_libretro\.so {2}\(Nestopia 1\.52\.0\)$/m);
    assert.match(table.out(), /^ {4}fceumm +stable-retro +not found \(npx retro cores install fceumm\)$/m);
  });

  test('an Emulator and make() of TinyKart run on the installed copy', () => {
    const saved = { XDG_DATA_HOME: process.env.XDG_DATA_HOME, RETRO_DATA_DIR: process.env.RETRO_DATA_DIR };
    process.env.XDG_DATA_HOME = dataHome;
    process.env.RETRO_DATA_DIR = join(tmp.dir, 'data');
    try {
      const emu = new Emulator({ rom: tinyKartRom });
      assert.equal(emu.corePath, join(coresDir, 'nestopia_libretro.so'));
      emu.close();
      const game = make('TinyKart-Nes');
      try {
        assert.equal(game.emulator.corePath, join(coresDir, 'nestopia_libretro.so'));
        game.reset();
        const { reward } = game.step(game.actionSpace.sample());
        assert.equal(typeof reward, 'number');
      } finally {
        game.close();
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test('remove deletes it; removing it again, or a core install did not put there, fails', async () => {
    const c = io();
    assert.equal(await runCli(['cores', 'remove', 'nestopia'], c), 0, c.err());
    assert.match(c.out(), /^removed nestopia: .*nestopia_libretro\.so$/m);
    assert.deepEqual(coresDirEntries(), []);
    const again = io();
    assert.equal(await runCli(['cores', 'remove', 'nestopia'], again), 1);
    assert.match(again.err(), /nestopia is not installed in .*xdg\/libretro-gym\/cores/);
    assert.ok(existsSync(join(DEBIAN_CORES, 'nestopia_libretro.so')), "Debian's copy is untouched");
  });

  test('usage errors', async () => {
    for (const args of [['cores'], ['cores', 'fetch'], ['cores', 'install'], ['cores', 'list', '--bench-seconds', 'x']]) {
      const c = io();
      assert.equal(await runCli(args, c), 2, args.join(' '));
      assert.match(c.err(), /Usage: retro cores/);
    }
    const help = io();
    assert.equal(await runCli(['cores', '--help'], help), 0);
    assert.match(help.out(), /RETRO_CORE_<SYSTEM>/);
  });
});

describe('RETRO_CORE_<SYSTEM> forces a core', () => {
  const nes = loadCoreDescriptor('nes');
  const forced = (value: string) => findCore(nes, { HOME: tmp.dir, XDG_DATA_HOME: dataHome, RETRO_CORE_NES: value });

  test('by name, file name or path', () => {
    assert.equal(forced('nestopia').path, join(DEBIAN_CORES, 'nestopia_libretro.so'));
    assert.equal(forced('nestopia_libretro.so').path, join(DEBIAN_CORES, 'nestopia_libretro.so'));
    const renamed = join(tmp.dir, 'other', 'custom_libretro.so');
    mkdirSync(join(tmp.dir, 'other'), { recursive: true });
    copyFileSync(join(DEBIAN_CORES, 'nestopia_libretro.so'), renamed);
    const found = forced(renamed);
    assert.equal(found.path, renamed);
    assert.equal(found.stateSizeSlack, 0, 'a core the descriptor does not list gets the defaults');
  });

  test('a core that is not there is CORE_NOT_FOUND saying how to install it', () => {
    assert.throws(() => forced('fceumm'), (e: unknown) => {
      assert.ok(e instanceof RetroError && e.code === 'CORE_NOT_FOUND');
      assert.match(e.message, /^RETRO_CORE_NES=fceumm forces a core for nes, but fceumm_libretro\.so is in none of .*; install it with: npx retro cores install fceumm \(or unset RETRO_CORE_NES\)$/);
      return true;
    });
    assert.throws(() => forced('/nowhere/x_libretro.so'), /\/nowhere\/x_libretro\.so does not exist/);
  });

  test('retro cores list marks the forced core and names the setting', async () => {
    const c = io({ RETRO_CORE_NES: join(tmp.dir, 'other', 'custom_libretro.so') });
    assert.equal(await runCli(['cores', 'list'], c), 0, c.err());
    assert.match(c.out(), /^nes  Nintendo Entertainment System  \[RETRO_CORE_NES=.*custom_libretro\.so\]$/m);
    assert.match(c.out(), /^ {2}\* custom +.*custom_libretro\.so {2}\(Nestopia 1\.52\.0\)$/m);
    const missing = io({ RETRO_CORE_NES: 'fceumm' });
    assert.equal(await runCli(['cores', 'list'], missing), 1);
    assert.match(missing.out(), /! RETRO_CORE_NES=fceumm forces a core/);
  });

  test("built start states are keyed by the core: another core's state is never reused", () => {
    const saved = { RETRO_CORE_NES: process.env.RETRO_CORE_NES, RETRO_DATA_DIR: process.env.RETRO_DATA_DIR };
    process.env.RETRO_DATA_DIR = join(tmp.dir, 'data');
    try {
      const game = recipeGame('TinyKart-Nes');
      process.env.RETRO_CORE_NES = 'nestopia';
      const byNestopia = recipeStatePath(game, 'Track1');
      process.env.RETRO_CORE_NES = join(tmp.dir, 'other', 'custom_libretro.so');
      const byOther = recipeStatePath(game, 'Track1');
      assert.notEqual(byNestopia, byOther);
      assert.match(byOther, /Track1\.[0-9a-f]{12}\.state$/);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
});

describe('retro cores list without the native addon', () => {
  test('lists where the cores are, without blaming them for the missing addon', () => {
    const main = join(packageRoot(), 'lib', 'cli', 'main.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', main, 'cores', 'list'], {
      env: { ...env(), RETRO_ADDON_PATH: join(tmp.dir, 'no-addon.node') },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^ {2}\* nestopia +\/usr\/lib\/x86_64-linux-gnu\/libretro\/nestopia_libretro\.so$/m);
    assert.doesNotMatch(run.stdout, /does not load/);
  });
});

describe('retro cores list --bench', () => {
  test('a speed line per found core on a ROM we ship; systems without one say so', async () => {
    const c = io();
    assert.equal(await runCli(['cores', 'list', '--bench', '--bench-seconds', '0.2'], c), 0, c.err());
    assert.match(c.out(), /^ {6}[\d,]+ frames\/CPU-s \([\d,]+ frames\/s wall\) on TinyKart-Nes$/m);
    assert.match(c.out(), /^ {2}bench: skipped, no gba ROM ships with the package$/m);
  });
});
