/** A one-line progress bar redrawn in place on a terminal stream, at most every `intervalMs`. */

import { count, type OutputStream } from './io.ts';

export interface ProgressBar {
  update(done: number, total: number): void;
  /** Erases the bar so the next output starts on a clean line. */
  finish(): void;
}

export interface ProgressOptions {
  /** What is counted, e.g. `files`. */
  unit: string;
  /** Minimum time between redraws. Default 100 ms. */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** The text of the bar for a given progress, fitted to `columns`. */
export function renderProgress(done: number, total: number, unit: string, columns = 80): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const tail = ` ${percent} ${count(done)}/${count(total)} ${unit}`;
  const width = Math.max(10, Math.min(40, columns - tail.length - 3));
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`;
}

export function progressBar(stream: OutputStream, options: ProgressOptions): ProgressBar {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (t - last < interval && done < total) return;
      last = t;
      drawn = true;
      stream.write(`\r${renderProgress(done, total, options.unit, stream.columns ?? 80)}\x1b[K`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
