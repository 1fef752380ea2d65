/**
 * What the commands that serve the play page share (`retro play`, `retro integrate <game>`): the options that
 * pick the start and the port, the --port check, and waiting for Ctrl+C.
 */

import { EXIT_USAGE, type CliIO, type OptionSpecs, type ParsedArgs } from './io.ts';

/** Where the game starts: --state and --scenario. */
export const GAME_START_OPTIONS: OptionSpecs = {
  state: { type: 'string', value: '<name>', help: "Start state (default: the game's default_state)" },
  scenario: { type: 'string', value: '<name|file>', help: 'Reward and done from this scenario (default: scenario)' },
};

/** How the page is served: --port and --no-open. */
export const SERVE_OPTIONS: OptionSpecs = {
  port: { type: 'string', value: '<n>', help: 'Port to try first (default: any free one)' },
  'no-open': { type: 'boolean', help: 'Print the address only; do not open a browser' },
};

/** --port as a number (0: any free port), or `{ exit }` after printing why it is not one. */
export function portOption(values: ParsedArgs['values'], command: string, io: CliIO): number | { exit: number } {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  io.stderr.write(`retro ${command}: --port must be an integer in [0, 65535], got '${String(values.port)}'\n`);
  return { exit: EXIT_USAGE };
}

/** Resolves at the first SIGINT or SIGTERM (Ctrl+C), and stops listening for them. */
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
