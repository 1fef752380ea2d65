import { IntegrationError, RetroError } from '../errors.ts';
import { pointerOf } from '../integration/problems.ts';

/**
 * The native scenario engine refuses a variable whose bytes the core does not expose (ADDRESS_UNMAPPED, e.g. a
 * save_ram address in a game without battery RAM). That is a fault of data.json: say so, with the variable's
 * pointer. Anything else passes through unchanged.
 */
export function unmappedVariableError(e: unknown, dataFile: string): unknown {
  if (e instanceof RetroError || !(e instanceof Error) || (e as { code?: string }).code !== 'ADDRESS_UNMAPPED') return e;
  const name = /variable "([^"]*)"/.exec(e.message)?.[1];
  const field = name === undefined ? undefined : pointerOf('info', name, 'address');
  return new IntegrationError('SCHEMA_INVALID', `${dataFile}${field ? `#${field}` : ''}: ${e.message}`, { file: dataFile, field }, { cause: e });
}
