/**
 * Loads one integration folder: data.json, every scenario, metadata.json, rom.sha and the list of states, each
 * checked against its schema, then the checks that span files. {@link inspectIntegration} collects every problem
 * (for `retro validate`); {@link loadIntegration} throws them.
 */

import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { RetroError } from '../errors.ts';
import { checkMetadataReferences, checkScenarioReferences, checkVariableAddresses, type CrossCheckContext } from './cross-checks.ts';
import { readJsonFile } from './json-file.ts';
import { problemFromError, problemsError, type Problem } from './problems.ts';
import { readRomSha } from './rom-sha.ts';
import { checkSchema, type SchemaDocuments, type SchemaKind } from './schemas.ts';
import { knownSystems, loadSystem, systemOfGame, type SystemInfo } from './systems.ts';
import type { GameData, Integration, Metadata, Scenario } from './types.ts';

export type { Integration } from './types.ts';

export interface IntegrationInspection {
  /** The loaded integration, when there were no problems. */
  integration: Integration | undefined;
  /** Every problem found, in file order: folder, rom.sha, data.json, metadata.json, scenarios, cross checks. */
  problems: Problem[];
}

const DATA_FILE = 'data.json';
const METADATA_FILE = 'metadata.json';

/** Whether a file name in an integration folder is a scenario. */
export function isScenarioFile(name: string): boolean {
  return name.endsWith('.json') && name !== DATA_FILE && name !== METADATA_FILE && name !== TRAIN_FILE;
}

/** `retro train`'s defaults for the game (lib/train/config.ts reads it): not a scenario, although it is JSON. */
export const TRAIN_FILE = 'train.json';

/** Reads a JSON file and checks it against its schema; problems go to `problems`. */
function loadDocument<K extends SchemaKind>(kind: K, file: string, problems: Problem[]): SchemaDocuments[K] | undefined {
  let doc: unknown;
  try {
    doc = readJsonFile(file);
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    problems.push(problemFromError(error, file));
    return undefined;
  }
  const found = checkSchema(kind, doc, file);
  problems.push(...found);
  return found.length === 0 ? (doc as SchemaDocuments[K]) : undefined;
}

function folderSystem(dir: string, problems: Problem[]): SystemInfo | undefined {
  const name = basename(dir);
  const system = systemOfGame(name);
  let info: SystemInfo | undefined;
  try {
    info = system === undefined ? undefined : loadSystem(system);
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    problems.push(problemFromError(error, dir));
    return undefined;
  }
  if (!info) {
    const why = system === undefined ? 'has no -<System> suffix' : `names system '${system}', which has no descriptor cores/${system}.json`;
    problems.push({
      code: 'SYSTEM_UNKNOWN',
      file: dir,
      pointer: '',
      message: `folder name '${name}' ${why}; integration folders are named <Game>-<System> with a system of: ${knownSystems().join(', ')}`,
    });
  }
  return info;
}

/** Loads an integration folder and collects every problem instead of stopping at the first. */
export function inspectIntegration(dir: string): IntegrationInspection {
  const abs = resolve(dir);
  const problems: Problem[] = [];
  let entries: string[];
  try {
    if (!statSync(abs).isDirectory()) throw new Error('not a directory');
    entries = readdirSync(abs).sort();
  } catch (cause) {
    problems.push({ code: 'FILE_NOT_FOUND', file: abs, pointer: '', message: `not an integration folder: ${(cause as Error).message}` });
    return { integration: undefined, problems };
  }

  const system = folderSystem(abs, problems);

  let romShas: string[] = [];
  if (entries.includes('rom.sha')) {
    try {
      const list = readRomSha(join(abs, 'rom.sha'));
      romShas = list.shas;
      problems.push(...list.problems);
    } catch (error) {
      if (!(error instanceof RetroError)) throw error;
      problems.push(problemFromError(error, join(abs, 'rom.sha')));
    }
  } else {
    problems.push({
      code: 'FILE_NOT_FOUND',
      file: join(abs, 'rom.sha'),
      pointer: '',
      message: 'missing: without rom.sha (the SHA-1 of each accepted ROM, one per line) the game is not listed',
    });
  }

  const data: GameData | undefined = loadDocument('data', join(abs, DATA_FILE), problems);
  const metadata: Metadata | undefined = entries.includes(METADATA_FILE)
    ? loadDocument('metadata', join(abs, METADATA_FILE), problems)
    : {};
  const scenarios: Record<string, Scenario> = {};
  let scenariosOk = true;
  for (const name of entries.filter(isScenarioFile)) {
    const scenario = loadDocument('scenario', join(abs, name), problems);
    if (scenario) scenarios[name.slice(0, -'.json'.length)] = scenario;
    else scenariosOk = false;
  }
  const states = entries.filter((e) => e.endsWith('.state')).map((e) => e.slice(0, -'.state'.length));

  const ctx: CrossCheckContext = { dir: abs, data, system, stateFiles: new Set(states) };
  if (data && system) problems.push(...checkVariableAddresses(join(abs, DATA_FILE), data, system));
  for (const [name, scenario] of Object.entries(scenarios)) {
    problems.push(...checkScenarioReferences(join(abs, `${name}.json`), scenario, ctx));
  }
  if (metadata && entries.includes(METADATA_FILE)) {
    problems.push(...checkMetadataReferences(join(abs, METADATA_FILE), metadata, ctx));
  }

  if (problems.length > 0 || !data || !metadata || !system || !scenariosOk) return { integration: undefined, problems };
  return {
    integration: { name: basename(abs), system: system.system, dir: abs, data, scenarios, metadata, romShas, states },
    problems,
  };
}

/**
 * Loads and validates an integration folder.
 * @throws IntegrationError with the code of the first problem (`FILE_NOT_FOUND`, `JSON_INVALID`, `SCHEMA_INVALID`,
 *   `SCENARIO_INVALID`, `METADATA_INVALID`, `STATE_NOT_FOUND`, `SYSTEM_UNKNOWN`) and every problem in
 *   `details.problems`.
 */
export function loadIntegration(dir: string): Integration {
  const { integration, problems } = inspectIntegration(dir);
  if (!integration) throw problemsError(problems);
  return integration;
}
