/**
 * What the integration builder writes into a folder: variables into data.json, reward and done rules into a
 * scenario, start states and their registration in metadata.json. Every write goes through {@link writeChecked}:
 * checked by `retro validate`'s own loader first, then atomic, and a write that would not validate changes nothing.
 */

import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { ArgumentError, IntegrationError } from '../errors.ts';
import { TRAIN_FILE } from '../integration/integration.ts';
import { readJsonFile } from '../integration/json-file.ts';
import { isSafeStateName, STATE_NAME_RULE } from '../integration/safe-names.ts';
import type { GameData, Metadata, Scenario, VariableSpec } from '../integration/types.ts';
import { jsonText } from './atomic-file.ts';
import { writeChecked } from './checked-write.ts';

const DATA_FILE = 'data.json';
const METADATA_FILE = 'metadata.json';

function readObject(dir: string, file: string, fallback?: Record<string, unknown>): Record<string, unknown> {
  const path = join(resolve(dir), file);
  let doc: unknown;
  try {
    doc = readJsonFile(path);
  } catch (error) {
    if (fallback && error instanceof IntegrationError && error.code === 'FILE_NOT_FOUND') return fallback;
    throw error;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new IntegrationError('SCHEMA_INVALID', `${path}: must be a JSON object; fix it by hand before the builder writes to it`, { file: path, field: '' });
  }
  return doc as Record<string, unknown>;
}

function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || name === '') throw new ArgumentError('INVALID_ARGUMENT', `a ${what} name is a non-empty string, got ${JSON.stringify(name)}`, { field: 'name' });
  return name;
}

/**
 * Adds (or replaces) variable `name` in data.json.
 * @returns the data.json now on disk.
 * @throws IntegrationError when the result would not validate (bad type, address outside the memory map, ...);
 *   data.json is then unchanged.
 */
export function addVariable(dir: string, name: string, variable: VariableSpec): GameData {
  checkName(name, 'variable');
  const data = readObject(dir, DATA_FILE);
  const info = data.info !== null && typeof data.info === 'object' && !Array.isArray(data.info) ? (data.info as Record<string, unknown>) : {};
  const entries = Object.entries(info).filter(([key]) => key !== name);
  entries.push([name, { ...variable }]);
  // Sorted by name, as our bundled data.json files are, so diffs stay small.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const next = { ...data, info: Object.fromEntries(entries) };
  writeChecked(dir, [[DATA_FILE, jsonText(next)]]);
  return next as GameData;
}

/**
 * Removes variable `name` from data.json.
 * @throws IntegrationError when a scenario or metadata check still uses it; data.json is then unchanged.
 */
export function removeVariable(dir: string, name: string): GameData {
  checkName(name, 'variable');
  const data = readObject(dir, DATA_FILE);
  const info = { ...((data.info ?? {}) as Record<string, unknown>) };
  if (!Object.hasOwn(info, name)) throw new ArgumentError('INVALID_ARGUMENT', `data.json has no variable '${name}'`, { file: join(resolve(dir), DATA_FILE), field: name });
  delete info[name];
  const next = { ...data, info };
  writeChecked(dir, [[DATA_FILE, jsonText(next)]]);
  return next as GameData;
}

/**
 * Writes a scenario file, `<name>.json` (default `scenario`, the one make() uses unless told otherwise).
 * @throws IntegrationError when it would not validate (an unknown op, a variable data.json lacks, ...).
 */
export function writeScenario(dir: string, scenario: Scenario, name = 'scenario'): void {
  checkName(name, 'scenario');
  const file = `${name}.json`;
  if (file === DATA_FILE || file === METADATA_FILE || file === TRAIN_FILE || !/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) {
    throw new ArgumentError('INVALID_ARGUMENT', `'${name}' cannot name a scenario: use letters, digits, '_', '-', '.', and not data, metadata or train`, { field: 'name' });
  }
  writeChecked(dir, [[file, jsonText(scenario)]]);
}

export interface SaveStartStateOptions {
  /** Make it metadata.json's `default_state` (default: only when there is none yet). */
  setDefault?: boolean;
}

/**
 * Saves `state` (an emulator's or env's `saveState()`) as `<name>.state`, gzipped as stable-retro writes them,
 * and registers it in metadata.json (`states.<name>`, and `default_state` when asked or unset).
 * @returns the metadata.json now on disk.
 * @throws ArgumentError for a name that is not a safe state name; IntegrationError when metadata.json would not
 *   validate. Neither file is then touched.
 */
export function saveStartState(dir: string, name: string, state: Uint8Array, options: SaveStartStateOptions = {}): Metadata {
  checkName(name, 'state');
  if (!isSafeStateName(name)) throw new ArgumentError('INVALID_ARGUMENT', `'${name}' cannot name a state: ${STATE_NAME_RULE}`, { field: 'name' });
  if (!(state instanceof Uint8Array) || state.length === 0) throw new ArgumentError('INVALID_ARGUMENT', 'a start state is a non-empty Uint8Array (from saveState())', { field: 'state' });
  const metadata = readObject(dir, METADATA_FILE, {});
  const states = { ...((metadata.states ?? {}) as Record<string, unknown>) };
  states[name] ??= {};
  const next: Record<string, unknown> = { ...metadata, states };
  if (options.setDefault || metadata.default_state === undefined) next.default_state = name;
  writeChecked(dir, [
    [`${name}.state`, gzipSync(state)],
    [METADATA_FILE, jsonText(next)],
  ]);
  return next as Metadata;
}
