/**
 * A panel added to the play page (the integration builder is one): its own files, tags for the page's <head>,
 * and JSON commands posted to `/api/<command>`. The server applies its token, Host and Origin checks first.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { RetroError } from '../errors.ts';

export interface PageExtension {
  /** Extra files by URL path, e.g. `/integrate.js`: absolute file path and content type. */
  assets: Record<string, { path: string; type: string }>;
  /** Tags added at the end of the page's <head> (`{{TOKEN}}` is replaced by the run's token). */
  head: string;
  /** Runs a command; a RetroError becomes a 400 carrying its message and field. */
  handle(command: string, body: Record<string, unknown>): unknown;
}

/** Largest request body taken: commands are small JSON documents. */
const MAX_BODY_BYTES = 256 * 1024;

/** Answers `POST /api/<command>` with the extension's JSON result. */
export function serveCommand(extension: PageExtension, req: IncomingMessage, res: ServerResponse, command: string): void {
  // Cross-site forms cannot send JSON with this type, and our own page always does.
  if (!(req.headers['content-type'] ?? '').startsWith('application/json') || req.headers.origin === undefined) {
    return reply(res, 403, { error: 'commands are JSON posted by the page itself' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      reply(res, 413, { error: `a command is at most ${MAX_BODY_BYTES} bytes` });
      req.destroy();
    } else chunks.push(chunk);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    let body: unknown;
    try {
      body = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, 400, { error: 'the request body is not JSON' });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return reply(res, 400, { error: 'the request body must be a JSON object' });
    try {
      reply(res, 200, extension.handle(command, body as Record<string, unknown>) ?? {});
    } catch (e) {
      if (e instanceof RetroError) return reply(res, 400, { error: e.message, code: e.code, field: e.details.field ?? null });
      // A bug, not bad input: the page says so and the game goes on.
      reply(res, 500, { error: `internal error: ${e instanceof Error ? e.message : String(e)}` });
    }
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify(body));
}
