/**
 * `retro integrate <rom-or-game>`: the play page with the integration builder beside the game. A ROM file no
 * integration knows gets a new folder first (as `retro integrate new` makes one), then opens in the builder.
 */

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createIntegration } from '../integrate/new-integration.ts';
import { importRoms } from '../integration/rom-import.ts';
import type { LookupOptions } from '../integration/paths.ts';
import { integratePanel } from '../play/integrate-api.ts';
import { openBrowser } from '../play/open-browser.ts';
import { startPlayServer, type PlayServer } from '../play/server.ts';
import { displayPath, EXIT_OK, LOOKUP_OPTIONS, lookupOptions, type CliIO, type OptionSpecs, type ParsedArgs } from './io.ts';
import { GAME_START_OPTIONS, portOption, SERVE_OPTIONS } from './page-options.ts';

/** Options of the page form, on top of `retro integrate new`'s --name and --dir. */
export const INTEGRATE_PAGE_OPTIONS: OptionSpecs = { ...GAME_START_OPTIONS, ...SERVE_OPTIONS, ...LOOKUP_OPTIONS };

/** The game to open: `target` itself, the game a ROM file is, or a new folder made for the ROM. */
function gameFor(target: string, values: ParsedArgs['values'], lookup: LookupOptions, io: CliIO): { game: string; lookup: LookupOptions } {
  const path = resolve(io.cwd, target);
  if (!existsSync(path) || !statSync(path).isFile()) return { game: target, lookup };
  const known = importRoms([path], lookup).games[0];
  if (known) {
    io.stdout.write(`${displayPath(path, io)} is ${known.game}\n`);
    return { game: known.game, lookup };
  }
  const created = createIntegration(path, {
    name: values.name as string | undefined,
    dir: resolve(io.cwd, (values.dir as string | undefined) ?? '.'),
    dataDir: lookup.dataDir,
    env: lookup.env,
  });
  io.stdout.write(`created ${displayPath(created.dir, io)} (${created.system}, rom.sha ${created.sha1})\n`);
  return { game: created.name, lookup: { ...lookup, integrationPaths: [dirname(created.dir), ...(lookup.integrationPaths ?? [])] } };
}

/**
 * Serves the builder until `stop` resolves.
 * @throws RetroError for a game or ROM that cannot be opened (the caller prints it).
 */
export async function runIntegratePage(target: string, values: ParsedArgs['values'], io: CliIO, stop: (server: PlayServer) => Promise<void>): Promise<number> {
  const port = portOption(values, 'integrate', io);
  if (typeof port !== 'number') return port.exit;
  const { game, lookup } = gameFor(target, values, lookupOptions(values, io), io);
  const scenario = values.scenario as string | undefined;
  const server = await startPlayServer({
    ...lookup,
    game,
    state: values.state as string | undefined,
    scenario: scenario?.endsWith('.json') ? resolve(io.cwd, scenario) : scenario,
    port,
    extension: integratePanel,
  });
  io.stdout.write(`Integrating ${game} (${displayPath(server.session.env.integration.dir, io)}) at ${server.url}\n`);
  if (!values['no-open'] && openBrowser(server.url)) io.stdout.write('Opened it in your browser.\n');
  io.stdout.write('Press Ctrl+C to stop.\n');
  await stop(server);
  await server.close();
  return EXIT_OK;
}
