/** `retro states build <game> [state...]`: run an integration's boot recipes on the user's ROM. */

import { RetroError } from '../errors.ts';
import { buildStates } from '../env/boot-recipe.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, LOOKUP_HELP, LOOKUP_OPTIONS, lookupOptions, parseCommandArgs, processIO, type CliIO } from './io.ts';

export const STATES_USAGE = 'retro states build <game> [state...] [options]';

export const STATES_HELP = `Usage: ${STATES_USAGE}

Builds start states from the boot recipes in a game's metadata.json: each recipe
presses buttons from power-on on your imported ROM, checks RAM, and writes
<data dir>/states/<game>/<state>.state. A recipe whose check fails writes nothing.
Without state names, every state that has a recipe is built.

Options:
${LOOKUP_HELP}
  -h, --help                Show this help
`;

export async function runStates(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = parseCommandArgs('states', args, { ...LOOKUP_OPTIONS, help: { type: 'boolean', short: 'h' } }, STATES_USAGE, io);
  if (!parsed) return EXIT_USAGE;
  if (parsed.values.help) {
    io.stdout.write(STATES_HELP);
    return EXIT_OK;
  }
  const [action, game, ...names] = parsed.positionals;
  if (action !== 'build' || game === undefined) {
    io.stderr.write(`Usage: ${STATES_USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    const written = buildStates(game, names.length > 0 ? names : undefined, lookupOptions(parsed.values, io));
    for (const path of written) io.stdout.write(`built ${displayPath(path, io)}\n`);
    io.stdout.write(`${written.length} state${written.length === 1 ? '' : 's'} built for ${game}\n`);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof RetroError)) throw e;
    io.stderr.write(`retro states: ${e.message}\n`);
    return EXIT_PROBLEMS;
  }
}
