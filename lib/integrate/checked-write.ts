/**
 * Writes to an integration folder that `retro validate` must still accept. The folder as it would be after the
 * write is checked first, by the very loader `retro validate` runs ({@link inspectIntegration}), on an overlay: a
 * temp folder of the same name holding links to the unchanged files and the new contents of the changed ones.
 * Only when the write adds no problem does anything touch the real folder, one atomic rename per file.
 */

import { existsSync, statSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ArgumentError, IntegrationError } from '../errors.ts';
import { inspectIntegration } from '../integration/integration.ts';
import { problemsError, type Problem } from '../integration/problems.ts';
import { writeFileAtomic } from './atomic-file.ts';

/** New contents by file name inside the folder, in the order they are written. */
export type FolderChanges = ReadonlyArray<readonly [name: string, contents: string | Uint8Array]>;

function problemKey(p: Problem, dir: string, root: string): string {
  const rebase = (text: string) => text.split(root).join(dir);
  return [p.code, rebase(p.file), p.pointer, p.line ?? '', p.column ?? '', rebase(p.message)].join('\u0000');
}

/**
 * The problems the changes would add to the folder (empty when they add none). Problems the folder has already
 * are not the write's fault, so they do not block it.
 */
export function problemsAdded(dir: string, changes: FolderChanges): Problem[] {
  const abs = resolve(dir);
  const before = new Set(inspectIntegration(abs).problems.map((p) => problemKey(p, abs, abs)));
  const parent = mkdtempSync(join(tmpdir(), 'retro-check-'));
  try {
    const overlay = join(parent, basename(abs));
    mkdirSync(overlay);
    const changed = new Set(changes.map(([name]) => name));
    for (const entry of readdirSync(abs)) if (!changed.has(entry)) symlinkSync(join(abs, entry), join(overlay, entry));
    for (const [name, contents] of changes) writeFileSync(join(overlay, name), contents);
    return inspectIntegration(overlay)
      .problems.filter((p) => !before.has(problemKey(p, abs, overlay)))
      .map((p) => ({ ...p, file: p.file.split(overlay).join(abs), message: p.message.split(overlay).join(abs) }));
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

/**
 * Applies the changes when they add no problem, each file atomically; when a later file cannot be written, the
 * earlier ones are put back as they were.
 * @throws IntegrationError with every added problem (`details.problems`); the folder is then left as it was.
 */
export function writeChecked(dir: string, changes: FolderChanges): void {
  if (!isDirectory(dir)) throw new IntegrationError('FILE_NOT_FOUND', `${resolve(dir)}: not an integration folder`, { file: resolve(dir) });
  for (const [name] of changes) {
    if (name !== basename(name) || name.startsWith('.') || name === '') {
      throw new ArgumentError('INVALID_ARGUMENT', `'${name}' is not a file name inside the integration folder`, { file: join(dir, name) });
    }
  }
  const added = problemsAdded(dir, changes);
  if (added.length > 0) throw problemsError(added);
  const written: { path: string; old: Buffer | undefined }[] = [];
  try {
    for (const [name, contents] of changes) {
      const path = join(resolve(dir), name);
      const old = existsSync(path) ? readFileSync(path) : undefined;
      writeFileAtomic(path, contents);
      written.push({ path, old });
    }
  } catch (error) {
    for (const { path, old } of written.reverse()) {
      if (old === undefined) rmSync(path, { force: true });
      else writeFileAtomic(path, old);
    }
    throw error;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
