import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import fc from 'fast-check';
import { decodeFrameMessage, FrameEncoder, KIND_INDEXED, KIND_RGB } from '../lib/play/frame-message.ts';
import { startPlayServer, type PlayServer } from '../lib/play/server.ts';
import { acceptKey } from '../lib/play/websocket.ts';
import { scratchTinyKart } from './play-browser.ts';

const scratch = scratchTinyKart();
const serverOptions = { game: 'TinyKart-Nes', integrationPaths: [scratch.integrations], dataDir: scratch.dataDir };

interface Reply {
  status: number;
  body: string;
}

/** A GET to the server with exactly these headers (Host included). */
function get(server: PlayServer, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket opening handshake; the status it got (101 when accepted) and the first message's bytes. */
function upgrade(server: PlayServer, path: string, headers: Record<string, string>): Promise<{ status: number; first?: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path,
      headers: { Host: `127.0.0.1:${server.port}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), ...headers },
    });
    req.on('upgrade', (res, socket, head: Buffer) => {
      assert.equal(res.headers['sec-websocket-accept'], acceptKey(req.getHeader('Sec-WebSocket-Key') as string));
      let received = head;
      // Waits for the whole first frame (the server sends short and 16-bit lengths only for text).
      const take = (): void => {
        if (received.length < 4) return;
        const size = (received[1] & 0x7f) === 126 ? 4 + received.readUInt16BE(2) : 2 + (received[1] & 0x7f);
        if (received.length < size) return;
        socket.destroy();
        resolve({ status: 101, first: received });
      };
      socket.on('data', (data: Buffer) => {
        received = Buffer.concat([received, data]);
        take();
      });
      take();
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}

test('the page needs the token, our Host and our Origin', async () => {
  const server = await startPlayServer(serverOptions);
  try {
    const token = new URL(server.url).searchParams.get('token')!;
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const ok = await get(server, `/?token=${token}`);
    assert.equal(ok.status, 200);
    assert.ok(ok.body.includes(`play.js?token=${token}`), 'the page asks for its script with the token');
    assert.equal((await get(server, `/play.js?token=${token}`)).status, 200);
    assert.equal((await get(server, '/')).status, 403, 'no token');
    assert.equal((await get(server, '/play.js')).status, 403, 'no token on an asset');
    assert.equal((await get(server, `/?token=${token.slice(1)}`)).status, 403, 'a wrong token');
    assert.equal((await get(server, `/?token=${token}`, { Host: `evil.example:${server.port}` })).status, 403, 'a DNS-rebound Host');
    assert.equal((await get(server, `/?token=${token}`, { Origin: 'http://evil.example' })).status, 403, 'another origin');
    assert.equal((await get(server, `/../package.json?token=${token}`)).status, 404, 'nothing but the page is served');
  } finally {
    await server.close();
  }
});

test('the WebSocket needs the token and our Origin', async () => {
  const server = await startPlayServer(serverOptions);
  try {
    const token = new URL(server.url).searchParams.get('token')!;
    const origin = `http://127.0.0.1:${server.port}`;
    assert.equal((await upgrade(server, `/ws?token=${token}`, { Origin: 'http://evil.example' })).status, 403, 'another origin');
    assert.equal((await upgrade(server, `/ws?token=${token}`, { Origin: `http://127.0.0.1:${server.port + 1}` })).status, 403, 'another port');
    assert.equal((await upgrade(server, `/ws?token=${token}`, {})).status, 403, 'no Origin');
    assert.equal((await upgrade(server, '/ws?token=nope', { Origin: origin })).status, 403, 'a wrong token');
    assert.equal((await upgrade(server, `/ws?token=${token}`, { Origin: origin, Host: `evil.example:${server.port}` })).status, 403, 'a wrong Host');
    const accepted = await upgrade(server, `/ws?token=${token}`, { Origin: origin });
    assert.equal(accepted.status, 101);
    // The first message is the game's description, a text frame.
    assert.equal(accepted.first![0], 0x81);
    assert.ok(accepted.first!.includes(Buffer.from('"type":"hello"')));
  } finally {
    await server.close();
  }
});

test('a second server asked for a taken port picks another; tokens differ', async () => {
  const first = await startPlayServer(serverOptions);
  try {
    const second = await startPlayServer({ ...serverOptions, port: first.port });
    try {
      assert.notEqual(second.port, first.port);
      assert.notEqual(new URL(second.url).searchParams.get('token'), new URL(first.url).searchParams.get('token'));
      const token = new URL(first.url).searchParams.get('token')!;
      assert.equal((await get(second, `/?token=${token}`)).status, 403, "one run's token does not open another");
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
});

test('Sec-WebSocket-Accept is the one RFC 6455 gives for its sample key', () => {
  assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('frame messages decode to the frame and info encoded, indexed up to 256 colours and RGB past', () => {
  const encoder = new FrameEncoder();
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 400 }), fc.integer(), (width, height, colours, seed) => {
      const palette = Array.from({ length: colours }, (_, i) => [(i * 37 + seed) & 255, (i * 11) & 255, i >> 8]);
      let s = seed >>> 0;
      const rgb = new Uint8Array(width * height * 3);
      const used = new Set<number>();
      for (let p = 0; p < width * height; p++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        const c = palette[s % colours];
        used.add((c[0] << 16) | (c[1] << 8) | c[2]);
        rgb.set(c, p * 3);
      }
      const info = { frame: seed, variables: { lap: 1 } };
      const message = encoder.encode(rgb, width, height, info);
      assert.equal(message[0], used.size <= 256 ? KIND_INDEXED : KIND_RGB);
      const decoded = decodeFrameMessage(message);
      assert.deepEqual(decoded.info, info);
      assert.equal(decoded.width, width);
      assert.equal(decoded.height, height);
      assert.deepEqual(decoded.rgb, rgb);
    }),
  );
});
