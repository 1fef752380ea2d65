/**
 * One-way pipes with blocking ends, for a parent that waits synchronously on a child process. The pipes Node makes
 * for a child's stdio are socketpairs whose parent end libuv sets non-blocking (readSync throws EAGAIN), and Node
 * has no pipe(2). A FIFO has neither problem: each open(2) of it is its own file description with its own flags.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync, unlinkSync, writevSync } from 'node:fs';
import { RetroError } from '../errors.ts';

export interface PipeEnds {
  /** Blocking read end. */
  read: number;
  /** Blocking write end. */
  write: number;
}

/**
 * Makes a FIFO at each path (mkfifo(1)) and opens both ends of each, without ever blocking: a non-blocking reader
 * lets the writer open at once, and the writer lets the blocking reader open at once. The paths are removed again;
 * open ends keep working. Reading an end returns 0 (EOF) once every copy of the write end is closed, e.g. when the
 * child that held the only one dies: that is how a crash shows.
 */
export function openPipes(paths: readonly string[]): PipeEnds[] {
  const made = spawnSync('mkfifo', ['-m', '600', ...paths], { encoding: 'utf8' });
  if (made.status !== 0) {
    const missing = (made.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
    throw new RetroError(missing ? 'DEPENDENCY_MISSING' : 'INVALID_ARGUMENT', `isolate: 'process' needs mkfifo(1): ${made.error?.message ?? made.stderr.trim()}`);
  }
  const opened: number[] = [];
  try {
    return paths.map((path) => {
      const placeholder = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        const write = openSync(path, constants.O_WRONLY);
        opened.push(write);
        const read = openSync(path, constants.O_RDONLY);
        opened.push(read);
        return { read, write };
      } finally {
        closeSync(placeholder);
      }
    });
  } catch (e) {
    for (const fd of opened) closeSync(fd);
    throw e;
  } finally {
    for (const path of paths) unlinkSync(path);
  }
}

/** Fills `target` from `fd`; returns the bytes read, fewer than asked only at EOF. */
export function readFully(fd: number, target: Uint8Array): number {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, null);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Writes every chunk, in order, with as few system calls as the pipe allows. */
export function writeFully(fd: number, chunks: readonly Uint8Array[]): void {
  let pending = chunks.filter((c) => c.length > 0);
  while (pending.length > 0) {
    let written = writevSync(fd, pending);
    const rest: Uint8Array[] = [];
    for (const chunk of pending) {
      if (written >= chunk.length) written -= chunk.length;
      else {
        rest.push(chunk.subarray(written));
        written = 0;
      }
    }
    pending = rest;
  }
}
