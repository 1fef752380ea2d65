/**
 * `retro integrate new <rom>`: a new integration folder for a ROM no integration knows yet.
 * `retro integrate <rom-or-game>`: the integration builder page (see integrate-page.ts).
 */

import { resolve } from 'node:path';
import { RetroError } from '../errors.ts';
import { createIntegration } from '../integrate/new-integration.ts';
import type { PlayServer } from '../play/server.ts';
import { defineCommand } from './command.ts';
import { INTEGRATE_PAGE_OPTIONS, runIntegratePage } from './integrate-page.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, processIO, type CliIO } from './io.ts';
import { untilSignal } from './page-options.ts';

const INTEGRATE = defineCommand({
  name: 'integrate',
  usage:
    'retro integrate <rom-or-game> [--state S] [--scenario S] [--port N] [--no-open] [--name Game-System] [--dir D]\n' +
    '       retro integrate new <rom> [--name Game-System] [--dir D] [--no-import]',
  about: `retro integrate <rom-or-game> serves the 'retro play' page with the integration
builder beside the game: RAM search, a watch list, "add as variable" into
data.json, reward and done rules with a live preview, and saving start states.
Every write is validated as 'retro validate' checks it and is atomic. A ROM file
no integration knows gets a new folder first (as below), in --dir.

retro integrate new <rom>:

Creates <D>/<Game>-<System>/ for a ROM: rom.sha (its SHA-1), and a data.json,
scenario.json and metadata.json with nothing in them yet, which 'retro validate'
accepts. The system comes from the ROM's extension. The ROM is then imported into
the data dir (as 'retro import' does) so make('<Game>-<System>') finds it.`,
  options: {
    name: { type: 'string', value: '<Game-System>', help: "Folder name (default: from the ROM's file name)" },
    dir: { type: 'string', value: '<D>', help: 'Where to create it (default: the current directory)' },
    'no-import': { type: 'boolean', help: 'Do not copy the ROM into the data dir' },
  },
  optionGroups: [{ heading: 'Page options', options: INTEGRATE_PAGE_OPTIONS }],
});

export async function runIntegrate(args: string[], io: CliIO = processIO(), stop: (server: PlayServer) => Promise<void> = untilSignal): Promise<number> {
  const parsed = INTEGRATE.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals } = parsed;
  if (positionals[0] !== 'new' && positionals.length === 1) {
    try {
      return await runIntegratePage(positionals[0], values, io, stop);
    } catch (e) {
      if (!(e instanceof RetroError)) throw e;
      io.stderr.write(`retro integrate: ${e.message}\n`);
      return EXIT_PROBLEMS;
    }
  }
  if (positionals[0] !== 'new' || positionals.length !== 2) return INTEGRATE.usageError(io, "give one ROM or game, or 'new' and one ROM file");
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
