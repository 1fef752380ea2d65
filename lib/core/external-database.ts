/**
 * Nestopia reads its game database (header fixes by ROM hash) from `NstDatabase.xml` in its system directory when
 * the file is there, and otherwise parses the copy built into the core through a stream it never frees: about
 * 1 MiB leaked on every game load, which no core pool can win back. The built-in copy is a plain XML document inside
 * the core file, so the library extracts it once and writes it where the core looks: the core then reads the very
 * same database, the way that frees it. A descriptor asks for this with a core's `externalDatabase` field.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const XML_DECLARATION = Buffer.from('<?xml');
const ROOT_OPEN = Buffer.from('<database');
const ROOT_CLOSE = Buffer.from('</database>');
/** How far before `<database` its XML declaration may start. */
const DECLARATION_REACH = 256;

// The database of each core file, or null when the file holds none (then the core keeps its leak, nothing worse).
const extracted = new Map<string, Buffer | null>();

/** The XML document with root element `<database>` embedded in a core file, if there is one. */
export function builtInDatabase(corePath: string): Buffer | null {
  if (!extracted.has(corePath)) extracted.set(corePath, findDatabase(readCore(corePath)));
  return extracted.get(corePath) ?? null;
}

// An unreadable core is reported by the addon when it loads the core, with the library's error code.
function readCore(corePath: string): Buffer {
  try {
    return readFileSync(corePath);
  } catch {
    return Buffer.alloc(0);
  }
}

function findDatabase(core: Buffer): Buffer | null {
  const root = core.indexOf(ROOT_OPEN);
  if (root < 0) return null;
  const start = core.lastIndexOf(XML_DECLARATION, root);
  const close = core.indexOf(ROOT_CLOSE, root);
  if (start < 0 || root - start > DECLARATION_REACH || close < 0) return null;
  // A copy: a view would keep the whole core file in memory.
  return Buffer.from(core.subarray(start, close + ROOT_CLOSE.length));
}

/** Writes the core's built-in database into `systemDir` as `fileName`; a no-op for a core without one. */
export function provideExternalDatabase(corePath: string, fileName: string, systemDir: string): void {
  const database = builtInDatabase(corePath);
  if (database) writeFileSync(join(systemDir, fileName), database);
}
