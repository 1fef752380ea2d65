/**
 * Downloads one URL to a file with Node's fetch: redirects followed, a time limit on the response and on every
 * pause in the body, a size cap, progress reports, and a check that the body was as long as announced. A failed
 * download leaves no file behind.
 */

import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { CoreError } from '../errors.ts';

export interface DownloadOptions {
  /** Called as bytes arrive; `total` is undefined when the server does not say. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Longest wait for the response headers, or between two pieces of the body. Default 30 s. */
  idleTimeoutMs?: number;
  /** Largest body accepted. Default 256 MiB (the largest cores are ~100 MiB zipped). */
  maxBytes?: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;

function downloadError(url: string, reason: string, details: Record<string, unknown> = {}, cause?: unknown): CoreError {
  return new CoreError('CORE_DOWNLOAD_FAILED', `download of ${url} failed: ${reason}`, { url, ...details }, { cause });
}

/** The message of a fetch failure, with the underlying cause (ECONNREFUSED, "other side closed") when there is one. */
function describeFailure(error: unknown): string {
  const e = error as Error & { cause?: { message?: string; code?: string; hostname?: string } };
  if (e.cause?.code === 'ENOTFOUND' || e.cause?.code === 'EAI_AGAIN') {
    return `cannot resolve ${e.cause.hostname ?? 'the host'} (${e.cause.code}): offline? A mirror can be named with --url or RETRO_CORES_URL`;
  }
  const cause = e.cause?.code ?? e.cause?.message;
  return cause && !e.message.includes(cause) ? `${e.message} (${cause})` : e.message;
}

/**
 * Downloads `url` into the new file `path` and fsyncs it.
 * @throws CoreError `CORE_DOWNLOAD_FAILED` for an HTTP error status, a refused or dropped connection, a timeout, a
 *   body shorter than its Content-Length or longer than `maxBytes`; the file is removed first.
 */
export async function downloadToFile(url: string, path: string, options: DownloadOptions = {}): Promise<number> {
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, idleMs);
  };
  const fd = openSync(path, 'wx', 0o644); // 'wx': never write through a file or link already there
  let ok = false;
  try {
    arm();
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'follow', signal: controller.signal });
    } catch (error) {
      throw downloadError(url, timedOut ? `no response in ${idleMs / 1000} s` : describeFailure(error), {}, error);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const hint = response.status === 404 ? ' (no such file: is the core name right?)' : '';
      throw downloadError(url, `HTTP ${response.status} ${response.statusText}${hint}`, { status: response.status });
    }
    const length = response.headers.get('content-length');
    const total = length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
    if (total !== undefined && total > maxBytes) throw downloadError(url, `${total} bytes is more than the ${maxBytes}-byte limit`);
    let received = 0;
    options.onProgress?.(0, total);
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        arm();
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          const reason = timedOut ? `the server sent nothing for ${idleMs / 1000} s` : `the connection broke after ${received} bytes: ${describeFailure(error)}`;
          throw downloadError(url, reason, { received }, error);
        }
        if (chunk.done) break;
        received += chunk.value.length;
        if (received > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw downloadError(url, `more than the ${maxBytes}-byte limit`);
        }
        for (let written = 0; written < chunk.value.length; ) written += writeSync(fd, chunk.value, written);
        options.onProgress?.(received, total);
      }
    }
    if (total !== undefined && received !== total) throw downloadError(url, `got ${received} of the ${total} bytes announced: truncated`, { received });
    fsyncSync(fd);
    ok = true;
    return received;
  } finally {
    clearTimeout(timer);
    closeSync(fd);
    if (!ok) rmSync(path, { force: true });
  }
}
