/** `retro play <game>`: play a game in the browser, served from this machine (see lib/play/). */

import { resolve } from 'node:path';
import { RetroError } from '../errors.ts';
import { openBrowser } from '../play/open-browser.ts';
import { startPlayServer, type PlayServer } from '../play/server.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, LOOKUP_HELP, LOOKUP_OPTIONS, lookupOptions, parseCommandArgs, processIO, type CliIO } from './io.ts';

export const PLAY_USAGE = 'retro play <game> [--state S] [--scenario S] [--record out.bk2] [--port N] [--no-open] [options]';

export const PLAY_HELP = `Usage: ${PLAY_USAGE}

Serves a page on 127.0.0.1 where you play the game with the keyboard or a
gamepad, and see its variables, reward, episode return and done live. The
game runs while a page is open. The address printed carries a random token;
nothing without it gets in. Ctrl+C stops (and writes the recording).

Options:
  --state <name>            Start state (default: the game's default_state)
  --scenario <name|file>    Reward and done from this scenario (default: scenario)
  --record <out.bk2>        Record every frame's buttons to a .bk2 movie; each reset
                            starts a new one (out-2.bk2, ...). Replay: retro playback
  --port <n>                Port to try first (default: any free one)
  --no-open                 Print the address only; do not open a browser
${LOOKUP_HELP}
  -h, --help                Show this help
`;

const OPTIONS = {
  ...LOOKUP_OPTIONS,
  state: { type: 'string' },
  scenario: { type: 'string' },
  record: { type: 'string' },
  port: { type: 'string' },
  'no-open': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs until `stop` resolves (by default: SIGINT or SIGTERM). */
export async function runPlay(args: string[], io: CliIO = processIO(), stop: (server: PlayServer) => Promise<void> = untilSignal): Promise<number> {
  const parsed = parseCommandArgs('play', args, OPTIONS, PLAY_USAGE, io);
  if (!parsed) return EXIT_USAGE;
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(PLAY_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    io.stderr.write(`retro play: give one game\nUsage: ${PLAY_USAGE}\n`);
    return EXIT_USAGE;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr.write(`retro play: --port must be an integer in [0, 65535], got '${String(values.port)}'\n`);
    return EXIT_USAGE;
  }
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

export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
