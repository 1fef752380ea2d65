import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import fc from 'fast-check';
import { WebSocketConnection } from '../lib/play/websocket.ts';

/** The server's side of a connection: what the client sends is pushed in, what the server writes is kept. */
class Wire extends Duplex {
  readonly written: Buffer[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.written.push(chunk);
    done();
  }
}

/** A client frame: masked, as RFC 6455 requires of clients. */
function clientFrame(opcode: number, fin: boolean, payload: Uint8Array, mask: Uint8Array): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.from([0, 0x80 | length]) : Buffer.from([0, 0x80 | 126, length >> 8, length & 255]);
  head[0] = (fin ? 0x80 : 0) | opcode;
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]));
  return Buffer.concat([head, Buffer.from(mask), body]);
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const messageArb = fc.record({
  text: fc.boolean(),
  bytes: fc.uint8Array({ maxLength: 400 }),
  pieces: fc.integer({ min: 1, max: 4 }),
  mask: fc.uint8Array({ minLength: 4, maxLength: 4 }),
});

test('messages, fragmented or not, come out whole however the bytes are chunked', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(messageArb, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }), async (messages, cuts) => {
      const wire = new Wire();
      const connection = new WebSocketConnection(wire);
      const received: { data: Buffer; isText: boolean }[] = [];
      connection.on('message', (data, isText) => received.push({ data, isText }));
      const frames: Buffer[] = [];
      for (const m of messages) {
        const size = Math.ceil(m.bytes.length / m.pieces) || 1;
        const parts = m.pieces === 1 || m.bytes.length === 0 ? [m.bytes] : Array.from({ length: Math.ceil(m.bytes.length / size) }, (_, i) => m.bytes.subarray(i * size, (i + 1) * size));
        parts.forEach((part, i) => frames.push(clientFrame(i === 0 ? (m.text ? 1 : 2) : 0, i === parts.length - 1, part, m.mask)));
        // A ping between messages gets its pong and does not disturb them.
        frames.push(clientFrame(0x9, true, Uint8Array.of(7), m.mask));
      }
      const all = Buffer.concat(frames);
      for (let at = 0, c = 0; at < all.length; c++) {
        const size = cuts[c % cuts.length];
        wire.push(all.subarray(at, at + size));
        at += size;
        await tick();
      }
      await tick();
      assert.deepEqual(received.map((r) => r.isText), messages.map((m) => m.text));
      assert.deepEqual(received.map((r) => [...r.data]), messages.map((m) => [...m.bytes]));
      assert.equal(Buffer.concat(wire.written).filter((b) => b === 0x8a).length >= messages.length, true, 'a pong per ping');
      assert.ok(connection.isOpen);
    }),
    { numRuns: 60 },
  );
});

test('an unmasked frame, an unknown opcode or an oversized message closes the connection', async () => {
  const cases: [string, Buffer][] = [
    ['unmasked', Buffer.from([0x81, 0x01, 0x41])],
    ['opcode 3', clientFrame(0x3, true, Uint8Array.of(1), Uint8Array.of(1, 2, 3, 4))],
    ['continuation first', clientFrame(0x0, true, Uint8Array.of(1), Uint8Array.of(1, 2, 3, 4))],
    ['64-bit length past the limit', Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0x10, 0, 0])],
    ['reserved bits', Buffer.from([0xc1, 0x81, 1, 2, 3, 4, 5])],
  ];
  for (const [name, bytes] of cases) {
    const wire = new Wire();
    const connection = new WebSocketConnection(wire);
    let closed = false;
    connection.on('close', () => (closed = true));
    wire.push(bytes);
    await tick();
    assert.ok(closed, name);
    assert.equal(connection.isOpen, false, name);
  }
});
