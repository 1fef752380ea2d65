/**
 * What a command talks to: output streams, environment and working directory. Commands take a `CliIO` so tests
 * run them in-process with captured output and their own environment.
 */

import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Env, LookupOptions } from '../integration/paths.ts';

export interface OutputStream {
  write(chunk: string): unknown;
  /** True for a terminal (progress bars are drawn only there). */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Env;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

/** Exit codes: success, problems found, usage error. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** The real process's streams, environment and working directory. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** A path as the user should see it: relative to the working directory when inside it. */
export function displayPath(path: string, io: CliIO): string {
  const rel = relative(io.cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel) ? path : rel;
}

/** Formats a count with thousands separators (1,234). */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string, many = word + 's'): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** One option of a command, declared once: parsed by `node:util` parseArgs and listed in the command's help. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's name in the help: `<dir>` in `--data-dir <dir>`. */
  value?: string;
  /** What it does, for the help; a '\n' starts a continuation line. */
  help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The help's lines for `options`: `  --data-dir <dir>          Data dir ...`, descriptions from column 28. */
export function optionsHelp(options: OptionSpecs): string {
  const lines = Object.entries(options).map(([name, o]) => {
    const label = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${label.padEnd(24)}  ${o.help.split('\n').join(`\n${' '.repeat(28)}`)}`;
  });
  return lines.join('\n');
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * Parses a command's arguments; on a usage error prints it with the usage line and returns `undefined` (the
 * caller exits with {@link EXIT_USAGE}).
 */
export function parseCommandArgs(command: string, args: string[], options: Options, usage: string, io: CliIO): ParsedArgs | undefined {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    io.stderr.write(`retro ${command}: ${(error as Error).message}\nUsage: ${usage}\nRun 'retro ${command} --help' for details.\n`);
    return undefined;
  }
}

/** Options every command that looks up games accepts. */
export const LOOKUP_OPTIONS: OptionSpecs = {
  'integration-path': {
    type: 'string',
    multiple: true,
    value: '<dir>',
    help: 'Also look for integrations in <dir> (repeatable; searched first,\nbefore RETRO_INTEGRATION_PATHS and the bundled integrations)',
  },
  'data-dir': {
    type: 'string',
    value: '<dir>',
    help: 'Data dir holding imported ROMs (default: RETRO_DATA_DIR, else\n$XDG_DATA_HOME/libretro-gym, else ~/.local/share/libretro-gym)',
  },
};

export const LOOKUP_HELP = optionsHelp(LOOKUP_OPTIONS);

/** Lookup options from parsed arguments, paths resolved against the command's working directory. */
export function lookupOptions(values: ParsedArgs['values'], io: CliIO): LookupOptions {
  const paths = (values['integration-path'] as string[] | undefined) ?? [];
  const dataDir = values['data-dir'] as string | undefined;
  // A relative RETRO_DATA_DIR is resolved here, but stays in env so errors can say which setting it came from.
  const env = io.env.RETRO_DATA_DIR ? { ...io.env, RETRO_DATA_DIR: resolve(io.cwd, io.env.RETRO_DATA_DIR) } : io.env;
  const options: LookupOptions = { env, integrationPaths: paths.map((p) => resolve(io.cwd, p)) };
  if (dataDir !== undefined) options.dataDir = resolve(io.cwd, dataDir);
  return options;
}
