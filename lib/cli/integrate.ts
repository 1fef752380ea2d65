/**
 * `retro integrate new <rom>`: a new integration folder for a ROM no integration knows yet.
 * `retro integrate <rom-or-game>`: the integration builder page (see integrate-page.ts).
 */

import { RetroError } from '../errors.ts';
import { createIntegration } from '../integrate/new-integration.ts';
import type { PlayServer } from '../play/server.ts';
import { INTEGRATE_PAGE_OPTIONS, runIntegratePage } from './integrate-page.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, LOOKUP_HELP, parseCommandArgs, processIO, type CliIO } from './io.ts';
import { untilSignal } from './play.ts';
import { resolve } from 'node:path';

export const INTEGRATE_USAGE =
  'retro integrate <rom-or-game> [--state S] [--scenario S] [--port N] [--no-open] [--name Game-System] [--dir D]\n' +
  '       retro integrate new <rom> [--name Game-System] [--dir D] [--no-import]';

export const INTEGRATE_HELP = `Usage: ${INTEGRATE_USAGE}

retro integrate <rom-or-game> serves the 'retro play' page with the integration
builder beside the game: RAM search, a watch list, "add as variable" into
data.json, reward and done rules with a live preview, and saving start states.
Every write is validated as 'retro validate' checks it and is atomic. A ROM file
no integration knows gets a new folder first (as below), in --dir.

retro integrate new <rom>:

Creates <D>/<Game>-<System>/ for a ROM: rom.sha (its SHA-1), and a data.json,
scenario.json and metadata.json with nothing in them yet, which 'retro validate'
accepts. The system comes from the ROM's extension. The ROM is then imported into
the data dir (as 'retro import' does) so make('<Game>-<System>') finds it.

Options:
  --name <Game-System>      Folder name (default: from the ROM's file name)
  --dir <D>                 Where to create it (default: the current directory)
  --no-import               Do not copy the ROM into the data dir

Page options:
  --state <name>            Start state (default: the game's default_state)
  --scenario <name|file>    Reward and done from this scenario (default: scenario)
  --port <n>                Port to try first (default: any free one)
  --no-open                 Print the address only; do not open a browser
${LOOKUP_HELP}
  -h, --help                Show this help
`;

const OPTIONS = {
  ...INTEGRATE_PAGE_OPTIONS,
  name: { type: 'string' },
  dir: { type: 'string' },
  'no-import': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runIntegrate(args: string[], io: CliIO = processIO(), stop: (server: PlayServer) => Promise<void> = untilSignal): Promise<number> {
  const parsed = parseCommandArgs('integrate', args, OPTIONS, INTEGRATE_USAGE, io);
  if (!parsed) return EXIT_USAGE;
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(INTEGRATE_HELP);
    return EXIT_OK;
  }
  if (positionals[0] !== 'new' && positionals.length === 1) {
    try {
      return await runIntegratePage(positionals[0], values, io, stop);
    } catch (e) {
      if (!(e instanceof RetroError)) throw e;
      io.stderr.write(`retro integrate: ${e.message}\n`);
      return EXIT_PROBLEMS;
    }
  }
  if (positionals[0] !== 'new' || positionals.length !== 2) {
    io.stderr.write(`retro integrate: give one ROM or game, or 'new' and one ROM file\nUsage: ${INTEGRATE_USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    const created = createIntegration(resolve(io.cwd, positionals[1]), {
      name: values.name as string | undefined,
      dir: resolve(io.cwd, (values.dir as string | undefined) ?? '.'),
      importRom: values['no-import'] !== true,
      env: io.env,
    });
    io.stdout.write(`created ${displayPath(created.dir, io)} (${created.system}, rom.sha ${created.sha1})\n`);
    if (created.romPath) io.stdout.write(`imported the ROM to ${created.romPath}\n`);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof RetroError)) throw e;
    io.stderr.write(`retro integrate: ${e.message}\n`);
    return EXIT_PROBLEMS;
  }
}
