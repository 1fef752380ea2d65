/**
 * A run's folder: `config.json` (every setting), `metrics.jsonl` (one object per update), a TensorBoard event
 * file, `returns.png`, `checkpoints/update-NNNNNN.ckpt` (the newest few) and `eval.gif`.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { RetroError } from '../errors.ts';

export function defaultRunDir(cwd: string, game: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return resolve(cwd, 'runs', `${game}-${stamp}`);
}

export class RunDir {
  readonly checkpoints: string;
  readonly metricsPath: string;

  constructor(readonly path: string) {
    this.checkpoints = join(path, 'checkpoints');
    this.metricsPath = join(path, 'metrics.jsonl');
    mkdirSync(this.checkpoints, { recursive: true });
  }

  file(name: string): string {
    return join(this.path, name);
  }

  writeJson(name: string, value: unknown): void {
    writeFileSync(this.file(name), JSON.stringify(value, null, 2) + '\n');
  }

  appendMetrics(record: Record<string, unknown>): void {
    appendFileSync(this.metricsPath, JSON.stringify(record) + '\n');
  }

  readMetrics(): Record<string, unknown>[] {
    if (!existsSync(this.metricsPath)) return [];
    return readFileSync(this.metricsPath, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return []; // a line cut short by a crash
        }
      });
  }

  checkpointPath(update: number): string {
    return join(this.checkpoints, `update-${String(update).padStart(6, '0')}.ckpt`);
  }

  /** Deletes all but the newest `keep` checkpoints. */
  prune(keep: number): void {
    const files = listCheckpoints(this.checkpoints);
    for (const old of files.slice(0, Math.max(0, files.length - keep))) rmSync(old, { force: true });
  }
}

function listCheckpoints(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^update-\d+\.ckpt$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * The checkpoint a path names: a `.ckpt` file itself, or the newest one of a run dir (or of its `checkpoints/`).
 */
export function resolveCheckpoint(path: string): { checkpoint: string; runDir: string } {
  const full = resolve(path);
  if (!existsSync(full)) throw new RetroError('FILE_NOT_FOUND', `no run dir or checkpoint at ${path}`, { file: full });
  if (statSync(full).isFile()) {
    const parent = resolve(full, '..');
    return { checkpoint: full, runDir: basename(parent) === 'checkpoints' ? resolve(parent, '..') : parent };
  }
  const inside = basename(full) === 'checkpoints' ? full : join(full, 'checkpoints');
  const files = listCheckpoints(inside);
  if (files.length === 0) throw new RetroError('FILE_NOT_FOUND', `${path} holds no checkpoint (looked in ${inside})`, { file: inside });
  return { checkpoint: files[files.length - 1], runDir: basename(full) === 'checkpoints' ? resolve(full, '..') : full };
}
