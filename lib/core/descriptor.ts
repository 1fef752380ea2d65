import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { CoreError } from '../errors.ts';
import { packageRoot } from '../package-root.ts';
import type { MemoryRegionName } from '../native.ts';

export type RomHeaderKind = 'ines' | 'snes' | 'gb' | 'gba' | 'n64' | 'none';

/** One core of a descriptor's `cores` list. */
export interface CoreEntry {
  file: string;
  debianPackage?: string;
  /** Whether stable-retro runs the system with this core (its integrations' states load only in it). */
  stableRetro?: boolean;
  options?: Record<string, string>;
  stateSizeSlack?: number;
  /** Whether a closed emulator's loaded copy may serve the next emulator of this core (default true). */
  reusable?: boolean;
  /** Whether unknown states are tried in a forked child before the core loads them (default true). */
  stateTrial?: boolean;
  /** Name of the game database file the core reads from its system directory (see lib/core/external-database.ts). */
  externalDatabase?: string;
  /** Which core this is: a libretro core on the search path, or our N64 core around Debian's mupen64plus. */
  host?: CoreHost;
}

export type CoreHost = 'libretro' | 'mupen64plus';

/** A system's `cores/<system>.json`: see data/core-descriptor.schema.json for every field. */
export interface CoreDescriptor {
  system: string;
  name: string;
  cores: CoreEntry[];
  ext: string[];
  romHeader?: RomHeaderKind;
  rambase?: number;
  ports?: number;
  /** Analog sticks on each pad (0 unless the system's pad has them; the N64's has one). */
  sticks?: number;
  buttons: (string | null)[];
  /** A `.bk2` header's `Platform` for this system: the first is written, every one is read. */
  moviePlatforms?: string[];
  actions: string[][][];
  memory: { start: number; length: number; region: MemoryRegionName; offset?: number; wordBytes?: 1 | 2 | 4 | 8 }[];
  options?: Record<string, string>;
}

const cache = new Map<string, CoreDescriptor>();
let validate: ((doc: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

function validator() {
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'data', 'core-descriptor.schema.json'), 'utf8'));
    const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validate;
}

export function coresDir(): string {
  return join(packageRoot(), 'cores');
}

/** Every system with a descriptor in `cores/`. */
export function listSystems(): string[] {
  return readdirSync(coresDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Loads and validates `cores/<system>.json`. */
export function loadCoreDescriptor(system: string): CoreDescriptor {
  const key = system.toLowerCase();
  const hit = cache.get(key);
  if (hit) return hit;
  if (!listSystems().includes(key)) {
    throw new CoreError('CORE_DESCRIPTOR_INVALID', `unknown system "${system}": known systems are ${listSystems().join(', ')}`, { system });
  }
  const file = join(coresDir(), `${key}.json`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CoreError('CORE_DESCRIPTOR_INVALID', `${file}: ${(e as Error).message}`, { file });
  }
  const check = validator();
  if (!check(doc)) {
    const problems = (check.errors ?? []).map((err) => `${file}#${err.instancePath}: ${err.message}`);
    throw new CoreError('CORE_DESCRIPTOR_INVALID', problems.join('\n'), { file, field: check.errors?.[0]?.instancePath });
  }
  const descriptor = doc as CoreDescriptor;
  cache.set(key, descriptor);
  return descriptor;
}

/** The system whose descriptor lists this file extension (without dot), if any. */
export function systemForExtension(extension: string): string | undefined {
  const ext = extension.toLowerCase().replace(/^\./, '');
  return listSystems().find((s) => loadCoreDescriptor(s).ext.includes(ext));
}
