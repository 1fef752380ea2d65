/** `retro play <game>`: play a game in the browser, served from this machine (see lib/play/). */

import { resolve } from 'node:path';
import { RetroError } from '../errors.ts';
import { openBrowser } from '../play/open-browser.ts';
import { startPlayServer, type PlayServer } from '../play/server.ts';
import { defineCommand } from './command.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, LOOKUP_OPTIONS, lookupOptions, processIO, type CliIO } from './io.ts';
import { GAME_START_OPTIONS, portOption, SERVE_OPTIONS, untilSignal } from './page-options.ts';

const PLAY = defineCommand({
  name: 'play',
  usage: 'retro play <game> [--state S] [--scenario S] [--record out.bk2] [--port N] [--no-open] [options]',
  about: `Serves a page on 127.0.0.1 where you play the game with the keyboard or a
gamepad, and see its variables, reward, episode return and done live. The
game runs while a page is open. The address printed carries a random token;
nothing without it gets in. Ctrl+C stops (and writes the recording).`,
  options: {
    ...GAME_START_OPTIONS,
    record: {
      type: 'string',
      value: '<out.bk2>',
      help: "Record every frame's buttons to a .bk2 movie; each reset\nstarts a new one (out-2.bk2, ...). Replay: retro playback",
    },
    ...SERVE_OPTIONS,
    ...LOOKUP_OPTIONS,
  },
});

/** Runs until `stop` resolves (by default: SIGINT or SIGTERM). */
export async function runPlay(args: string[], io: CliIO = processIO(), stop: (server: PlayServer) => Promise<void> = untilSignal): Promise<number> {
  const parsed = PLAY.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return PLAY.usageError(io, 'give one game');
  const port = portOption(values, PLAY.name, io);
  if (typeof port !== 'number') return port.exit;
  const scenario = values.scenario as string | undefined;
  const record = values.record === undefined ? undefined : resolve(io.cwd, values.record as string);
  let server: PlayServer;
  try {
    server = await startPlayServer({
      ...lookupOptions(values, io),
      game: positionals[0],
      state: values.state as string | undefined,
      scenario: scenario?.endsWith('.json') ? resolve(io.cwd, scenario) : scenario,
      record,
      port,
    });
  } catch (e) {
    if (!(e instanceof RetroError)) throw e;
    io.stderr.write(`retro play: ${e.message}\n`);
    return EXIT_PROBLEMS;
  }
  io.stdout.write(`Playing ${positionals[0]} at ${server.url}\n`);
  if (record) io.stdout.write(`Recording to ${displayPath(record, io)}\n`);
  if (!values['no-open'] && openBrowser(server.url)) io.stdout.write('Opened it in your browser.\n');
  io.stdout.write('Press Ctrl+C to stop.\n');
  await stop(server);
  await server.close();
  for (const movie of server.session.movies) io.stdout.write(`wrote ${displayPath(movie, io)}\n`);
  return EXIT_OK;
}
