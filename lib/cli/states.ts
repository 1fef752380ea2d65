/** `retro states build <game> [state...]`: run an integration's boot recipes on the user's ROM. */

import { RetroError } from '../errors.ts';
import { buildStates } from '../env/boot-recipe.ts';
import { defineCommand } from './command.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, LOOKUP_OPTIONS, lookupOptions, processIO, type CliIO } from './io.ts';

const STATES = defineCommand({
  name: 'states',
  usage: 'retro states build <game> [state...] [options]',
  about: `Builds start states from the boot recipes in a game's metadata.json: each recipe
presses buttons from power-on on your imported ROM, checks RAM, and writes
<data dir>/states/<game>/<state>.state. A recipe whose check fails writes nothing.
Without state names, every state that has a recipe is built.`,
  options: LOOKUP_OPTIONS,
});

export async function runStates(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = STATES.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const [action, game, ...names] = parsed.positionals;
  if (action !== 'build' || game === undefined) {
    io.stderr.write(`Usage: ${STATES.usage}\n`);
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
