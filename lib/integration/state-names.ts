import { join } from 'node:path';
import { readJsonFile } from './json-file.ts';

/**
 * The start states a game offers, sorted: its `*.state` files and the states metadata.json declares with a boot
 * recipe (built on first use). Hidden states (`_name`) are left out. A broken metadata.json adds none: listing
 * must not fail where `retro validate` is the place to report it.
 */
export function stateNames(dir: string, files: readonly string[]): string[] {
  const names = new Set(files.filter((f) => f.endsWith('.state')).map((f) => f.slice(0, -'.state'.length)));
  if (files.includes('metadata.json')) {
    try {
      const metadata = readJsonFile(join(dir, 'metadata.json')) as { states?: Record<string, { recipe?: unknown }> };
      for (const [name, info] of Object.entries(metadata?.states ?? {})) if (info && Array.isArray(info.recipe)) names.add(name);
    } catch {
      // reported by validate
    }
  }
  return [...names].filter((n) => !n.startsWith('_')).sort();
}
