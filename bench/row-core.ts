/**
 * Which core gave each bench row: `core` ("nestopia 1.52.0"), set beside `system` on every row that has one, so a
 * published table says which core its numbers are (the default core of a system differs between machines).
 */
import { probeCore } from '../lib/core/core-info.ts';
import { loadCoreDescriptor } from '../lib/core/descriptor.ts';
import { findCore } from '../lib/core/find-core.ts';
import { coreNameOfFile } from '../lib/core/user-cores.ts';
import type { BenchRow } from './report.ts';

const labels = new Map<string, string>();

/** "name version" of the core the benches' emulators load for `system` (the same search as `new Emulator`). */
export function coreLabel(system: string): string {
  let label = labels.get(system);
  if (label === undefined) {
    const found = findCore(loadCoreDescriptor(system));
    const identity = probeCore(found.path);
    label = `${coreNameOfFile(found.file) ?? found.file} ${identity.libraryVersion}`.trim();
    labels.set(system, label);
  }
  return label;
}

/** The rows with `core` right after `system`; rows without a system, or with a core already, are kept as they are. */
export function withCore(rows: readonly BenchRow[]): BenchRow[] {
  return rows.map((row) => {
    if (typeof row.system !== 'string' || row.core !== undefined) return row;
    const out: BenchRow = { bench: row.bench };
    for (const [key, value] of Object.entries(row)) {
      out[key] = value;
      if (key === 'system') out.core = coreLabel(row.system);
    }
    return out;
  });
}
