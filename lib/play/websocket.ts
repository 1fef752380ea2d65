/**
 * The server side of RFC 6455 WebSockets, the small part `retro play` needs: the opening handshake, text and
 * binary messages (fragmented or not), ping/pong and close. Written here rather than taken from the `ws` package
 * because this subset is short and fully specified, and the package then needs no runtime dependency for a page
 * that one local browser tab talks to.
 */

import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** The page sends small JSON commands; anything bigger is not ours. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** The `Sec-WebSocket-Accept` value for a client's key (RFC 6455 section 4.2.2). */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

/** True when `req` asks for a WebSocket of version 13 with a well-formed key. */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  const key = req.headers['sec-websocket-key'];
  return (
    req.method === 'GET' &&
    (req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    req.headers['sec-websocket-version'] === '13' &&
    typeof key === 'string' &&
    Buffer.from(key, 'base64').length === 16
  );
}

export interface WebSocketEvents {
  message: [data: Buffer, isText: boolean];
  close: [];
}

/**
 * One accepted connection. Emits `message` for each whole message and `close` once. `send()` drops nothing; callers
 * that stream check {@link bufferedBytes} and skip what a slow client cannot take.
 */
export class WebSocketConnection extends EventEmitter<WebSocketEvents> {
  private pending: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private closed = false;

  constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  /** Completes the handshake for `req` (checked with {@link isWebSocketRequest}) on its upgraded socket. */
  static accept(req: IncomingMessage, socket: Duplex, head: Buffer): WebSocketConnection {
    const key = req.headers['sec-websocket-key'] as string;
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
    );
    const connection = new WebSocketConnection(socket);
    if (head.length > 0) connection.receive(head);
    return connection;
  }

  /** Bytes written to the socket that the client has not taken yet. */
  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  sendText(text: string): void {
    this.sendFrame(OP_TEXT, Buffer.from(text, 'utf8'));
  }

  sendBinary(data: Uint8Array): void {
    this.sendFrame(OP_BINARY, data);
  }

  /** Sends a close frame with `code` and ends the connection. */
  close(code = 1000): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.sendFrame(OP_CLOSE, payload);
    this.socket.end();
    this.finish();
  }

  private sendFrame(opcode: number, payload: Uint8Array): void {
    if (this.closed) return;
    const length = payload.length;
    let header: Buffer;
    if (length < 126) {
      header = Buffer.from([0x80 | opcode, length]);
    } else if (length < 0x10000) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
    this.socket.write(header);
    this.socket.write(payload);
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (!this.closed) {
      const frame = parseFrame(this.pending);
      if (frame === undefined) return;
      if (frame === 'invalid') return this.close(1002);
      if (frame === 'too-big') return this.close(1009);
      this.pending = this.pending.subarray(frame.size);
      this.handle(frame.fin, frame.opcode, frame.payload);
    }
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OP_PING:
        return this.sendFrame(OP_PONG, payload);
      case OP_PONG:
        return;
      case OP_CLOSE:
        return this.close(1000);
      case OP_TEXT:
      case OP_BINARY:
        if (this.fragments.length > 0) return this.close(1002);  // a new message inside a fragmented one
        this.fragmentOpcode = opcode;
        break;
      case OP_CONTINUATION:
        if (this.fragments.length === 0) return this.close(1002);
        break;
      default:
        return this.close(1002);
    }
    this.fragments.push(payload);
    if (this.fragments.reduce((n, f) => n + f.length, 0) > MAX_MESSAGE_BYTES) return this.close(1009);
    if (!fin) return;
    const message = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
    this.fragments = [];
    this.emit('message', message, this.fragmentOpcode === OP_TEXT);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.socket.destroyed) this.socket.destroy();
    this.emit('close');
  }
}

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** Bytes the frame took in the input. */
  size: number;
}

/** The first frame in `data`, `undefined` when it is not all there yet. Client frames must be masked. */
function parseFrame(data: Buffer): Frame | 'invalid' | 'too-big' | undefined {
  if (data.length < 2) return undefined;
  const fin = (data[0] & 0x80) !== 0;
  if ((data[0] & 0x70) !== 0) return 'invalid';  // no extensions were negotiated
  const opcode = data[0] & 0x0f;
  if ((data[1] & 0x80) === 0) return 'invalid';
  let length = data[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    const long = data.readBigUInt64BE(2);
    if (long > BigInt(MAX_MESSAGE_BYTES)) return 'too-big';
    length = Number(long);
    offset = 10;
  }
  if (length > MAX_MESSAGE_BYTES) return 'too-big';
  if (opcode >= 0x8 && (!fin || length > 125)) return 'invalid';  // control frames are short and whole
  if (data.length < offset + 4 + length) return undefined;
  const mask = data.subarray(offset, offset + 4);
  const payload = Buffer.from(data.subarray(offset + 4, offset + 4 + length));
  for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
  return { fin, opcode, payload, size: offset + 4 + length };
}
