/**
 * The local web server of `retro play`: the page and its WebSocket, on 127.0.0.1 only. Every request must carry
 * the run's random token (`?token=`), name this server in `Host` (so a DNS-rebound name cannot reach it) and, when
 * it has an `Origin` (the WebSocket always does), come from this server's own page. Anything else gets a 403.
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { packageRoot } from '../package-root.ts';
import { serveCommand, type PageExtension } from './page-extension.ts';
import { PlaySession, type PlaySessionOptions } from './play-session.ts';
import { isWebSocketRequest, WebSocketConnection } from './websocket.ts';

export interface PlayServerOptions extends PlaySessionOptions {
  /** Port to try first (default: any free one); when taken, another is picked. */
  port?: number;
  /** A panel added to the page (e.g. the integration builder), made once the game is loaded. */
  extension?: (session: PlaySession) => PageExtension;
}

export interface PlayServer {
  /** The page's address, token included. */
  url: string;
  port: number;
  session: PlaySession;
  /** Stops serving, writes the recording and closes the game. */
  close(): Promise<void>;
}

/** The page's files, by URL path: nothing else is served. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/play.js': { file: 'play.js', type: 'text/javascript; charset=utf-8' },
  '/play.css': { file: 'play.css', type: 'text/css; charset=utf-8' },
};

const HOST = '127.0.0.1';

/** The folder of the page's files (shipped in the package). */
export function pageDir(): string {
  return join(packageRoot(), 'web', 'play');
}

/** Loads the game and serves it; resolves once listening. */
export async function startPlayServer(options: PlayServerOptions): Promise<PlayServer> {
  const { port: wantedPort, extension: makeExtension, ...sessionOptions } = options;
  const session = new PlaySession(sessionOptions);
  const extension = makeExtension?.(session);
  const token = randomBytes(18).toString('base64url');
  let port = 0;
  const server = createServer((req, res) => {
    if (!allowed(req, port, token)) return refuse(res);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (extension && req.method === 'POST' && path.startsWith('/api/')) return serveCommand(extension, req, res, path.slice('/api/'.length));
    serveAsset(req, res, token, port, extension);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/ws' || !allowed(req, port, token) || req.headers.origin === undefined || !isWebSocketRequest(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    session.attach(WebSocketConnection.accept(req, socket, head));
  });
  try {
    port = await listen(server, wantedPort ?? 0);
  } catch (e) {
    session.close();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    session,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        session.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/** Listens on `port`, or on any free port when that one is taken. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      if (e.code === 'EADDRINUSE' && port !== 0) {
        port = 0;
        server.listen(0, HOST);
      } else reject(e);
    };
    server.on('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Token, Host and Origin checks shared by page requests and the WebSocket upgrade. */
function allowed(req: IncomingMessage, port: number, token: string): boolean {
  const ours = [`${HOST}:${port}`, `localhost:${port}`];
  if (!ours.includes(req.headers.host ?? '')) return false;
  const origin = req.headers.origin;
  if (origin !== undefined && !ours.some((h) => origin === `http://${h}`)) return false;
  const given = new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '';
  return given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

function refuse(res: ServerResponse): void {
  res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('403 Forbidden: open the address retro play printed (it carries this run\'s token)\n');
}

function serveAsset(req: IncomingMessage, res: ServerResponse, token: string, port: number, extension?: PageExtension): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const own = ASSETS[path];
  const added = Object.hasOwn(extension?.assets ?? {}, path) ? extension?.assets[path] : undefined;
  const asset = own ? { path: join(pageDir(), own.file), type: own.type } : added;
  if (req.method !== 'GET' || asset === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404 Not Found\n');
    return;
  }
  let body = readFileSync(asset.path, 'utf8');
  if (path === '/' && extension) body = body.replace('</head>', `${extension.head}\n</head>`);
  // The page asks for its script and style with the token; the token is base64url, safe in an attribute.
  if (path === '/') body = body.replaceAll('{{TOKEN}}', token);
  res.writeHead(200, {
    'Content-Type': asset.type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': `default-src 'self'; connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}; img-src 'self' data:; frame-ancestors 'none'`,
  });
  res.end(body);
}
