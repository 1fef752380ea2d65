/**
 * The scaffolding every `retro <command>` shares: a command declares its usage, what it does and its options once,
 * and gets its `--help` text, argument parsing and usage errors from that.
 *
 * ```ts
 * const HELLO = defineCommand({
 *   name: 'hello',
 *   usage: 'retro hello [--loud] [options]',
 *   about: 'Says hello.',
 *   options: { ...LOOKUP_OPTIONS, loud: { type: 'boolean', help: 'Shout it' } },
 *   positionals: 'none',
 * });
 * export async function runHello(args: string[], io: CliIO = processIO()): Promise<number> {
 *   const parsed = HELLO.parse(args, io);
 *   if ('exit' in parsed) return parsed.exit;   // --help printed, or a usage error
 *   io.stdout.write(parsed.values.loud ? 'HELLO\n' : 'hello\n');
 *   return EXIT_OK;
 * }
 * ```
 */

import { EXIT_OK, EXIT_USAGE, optionsHelp, parseCommandArgs, type CliIO, type OptionSpecs, type ParsedArgs } from './io.ts';

export interface CommandSpec {
  /** `doctor` in `retro doctor`. */
  name: string;
  /** The one-line usage that usage errors print. */
  usage: string;
  /** The help's usage lines, where they differ from `usage` (one per subcommand, say). */
  synopsis?: readonly string[];
  /** What the command does: the help's text between the usage and the options. */
  about: string;
  /** Its options in help order, under `Options:`; `-h, --help` is added last. */
  options: OptionSpecs;
  /** More options after those, each group under its own heading (`Page options`); `-h, --help` ends the last. */
  optionGroups?: readonly OptionGroup[];
  /** Text after the options: exit status, examples, environment. */
  epilogue?: string;
  /** `none`: any positional argument is a usage error. Default `any`: the command checks its own. */
  positionals?: 'none' | 'any';
}

export interface OptionGroup {
  /** The line above the group, without its colon. */
  heading: string;
  options: OptionSpecs;
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  /** The whole `--help` text. */
  readonly help: string;
  /**
   * Parses `args`. With `--help` it prints the help; on a usage error it prints the error and the usage. Either way
   * it returns `{ exit }`, the code the command returns. `only` keeps some of the options (a subcommand's).
   */
  parse(args: string[], io: CliIO, only?: readonly string[]): ParsedArgs | { exit: number };
  /** Prints `retro <name>: <message>` and the usage (and, with `pointToHelp`, where the help is); returns EXIT_USAGE. */
  usageError(io: CliIO, message: string, pointToHelp?: boolean): number;
}

const HELP_OPTIONS: OptionSpecs = { help: { type: 'boolean', short: 'h', help: 'Show this help' } };

export function defineCommand(spec: CommandSpec): Command {
  const groups: OptionGroup[] = [{ heading: 'Options', options: spec.options }, ...(spec.optionGroups ?? [])];
  const last = groups.length - 1;
  groups[last] = { ...groups[last], options: { ...groups[last].options, ...HELP_OPTIONS } };
  const options: OptionSpecs = Object.assign({}, ...groups.map((g) => g.options));
  const synopsis = (spec.synopsis ?? [spec.usage]).join('\n       ');
  const optionsText = groups.map((g) => `${g.heading}:\n${optionsHelp(g.options)}`).join('\n\n');
  const help = `Usage: ${synopsis}\n\n${spec.about.trimEnd()}\n\n${optionsText}\n${spec.epilogue ? `\n${spec.epilogue.trimEnd()}\n` : ''}`;
  const usageError = (io: CliIO, message: string, pointToHelp = false): number => {
    const hint = pointToHelp ? `Run 'retro ${spec.name} --help' for details.\n` : '';
    io.stderr.write(`retro ${spec.name}: ${message}\nUsage: ${spec.usage}\n${hint}`);
    return EXIT_USAGE;
  };
  return {
    name: spec.name,
    usage: spec.usage,
    help,
    usageError,
    parse(args, io, only) {
      const accepted = only ? Object.fromEntries(Object.entries(options).filter(([name]) => name === 'help' || only.includes(name))) : options;
      const parsed = parseCommandArgs(spec.name, args, accepted, spec.usage, io);
      if (!parsed) return { exit: EXIT_USAGE };
      if (parsed.values.help) {
        io.stdout.write(help);
        return { exit: EXIT_OK };
      }
      if (spec.positionals === 'none' && parsed.positionals.length > 0) return { exit: usageError(io, `unexpected argument '${parsed.positionals[0]}'`) };
      return parsed;
    },
  };
}
