/**
 * The JSON Schemas of the integration files (`data/<kind>.schema.json`), compiled once, and their findings turned
 * into {@link Problem}s that name the file and the JSON pointer of the offending value.
 */

import ajvModule, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { join } from 'node:path';
import { readJsonFile } from './json-file.ts';
import { staticDataDir } from './paths.ts';
import { pointerToken, problemsError, type Problem } from './problems.ts';
import { closestNames } from './suggest.ts';
import type { GameData, Metadata, Scenario } from './types.ts';

export type SchemaKind = 'data' | 'scenario' | 'metadata';

/** The document type a schema kind validates. */
export interface SchemaDocuments {
  data: GameData;
  scenario: Scenario;
  metadata: Metadata;
}

const Ajv2020 = ajvModule.default;
const validators = new Map<SchemaKind, ValidateFunction>();

/** Absolute path of a schema file. */
export function schemaFile(kind: SchemaKind): string {
  return join(staticDataDir(), `${kind}.schema.json`);
}

function validator(kind: SchemaKind): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    // verbose: errors carry their schema, which holds the friendlier `patternErrorMessage` editors also show.
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    ajv.addVocabulary(['patternErrorMessage']);
    validate = ajv.compile(readJsonFile(schemaFile(kind)) as object);
    validators.set(kind, validate);
  }
  return validate;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 40 ? text.slice(0, 37) + '...' : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function toProblem(error: ErrorObject, file: string): Problem | undefined {
  let pointer = error.instancePath;
  let message: string;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'propertyNames':
      return undefined; // the nested error on the name itself says more
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      pointer += '/' + pointerToken(name);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const close = closestNames(name, known.filter((k) => !k.startsWith('$')), 1);
      message = `unknown property '${name}'` + (close.length > 0 ? ` (did you mean '${close[0]}'?)` : '');
      break;
    }
    case 'required':
      message = `missing required property '${String(params.missingProperty)}'`;
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map(show).join(', ')} (got ${show(error.data)})`;
      break;
    case 'type':
      message = `must be ${String(params.type)} (got ${typeName(error.data)})`;
      break;
    case 'pattern': {
      const custom = (error.parentSchema as { patternErrorMessage?: string } | undefined)?.patternErrorMessage;
      message = `${show(error.data)} ${custom ?? error.message ?? 'does not match its pattern'}`;
      break;
    }
    default:
      message = error.message ?? `fails '${error.keyword}'`;
      if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(error.keyword)) {
        message += ` (got ${show(error.data)})`;
      }
  }
  if (error.propertyName !== undefined) {
    pointer += '/' + pointerToken(error.propertyName);
    message = `property name ${show(error.propertyName)}: ${message}`;
  }
  return { code: 'SCHEMA_INVALID', file, pointer, message };
}

/** Every schema problem of a document (empty when it is valid), sorted by pointer. */
export function checkSchema(kind: SchemaKind, doc: unknown, file: string): Problem[] {
  const validate = validator(kind);
  if (validate(doc)) return [];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error, file);
    if (!problem) continue;
    const key = problem.pointer + '\u0000' + problem.message;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

/**
 * Returns the document typed when it passes its schema.
 * @throws IntegrationError `SCHEMA_INVALID` listing every problem (`details.problems: {pointer, message}[]`).
 */
export function validateDocument<K extends SchemaKind>(kind: K, doc: unknown, file: string): SchemaDocuments[K] {
  const problems = checkSchema(kind, doc, file);
  if (problems.length > 0) throw problemsError(problems);
  return doc as SchemaDocuments[K];
}
