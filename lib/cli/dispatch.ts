/** Maps `retro <command> ...` to the command's function. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RetroError } from '../errors.ts';
import { packageRoot } from '../integration/paths.ts';
import { runBuild } from './build.ts';
import { runCores } from './cores.ts';
import { runDataset } from './dataset.ts';
import { runDoctor } from './doctor.ts';
import { runImport } from './import.ts';
import { runIntegrate } from './integrate.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, processIO, type CliIO } from './io.ts';
import { runList } from './list.ts';
import { runPlay } from './play.ts';
import { runPlayback } from './playback.ts';
import { runStates } from './states.ts';
import { runEval, runTrain } from './train.ts';
import { runValidate } from './validate.ts';

interface Command {
  summary: string;
  run(args: string[], io: CliIO): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  import: { summary: 'Copy the ROMs of known games into the data dir', run: runImport },
  list: { summary: 'List games, whether their ROM is available, and their states', run: runList },
  validate: { summary: 'Check integration folders against the schemas', run: runValidate },
  states: { summary: 'Build start states from boot recipes (retro states build <game>)', run: runStates },
  train: { summary: 'Train a PPO agent on a game (needs @tensorflow/tfjs)', run: runTrain },
  eval: { summary: 'Play a trained policy from a run dir or checkpoint, optionally to a GIF', run: runEval },
  cores: { summary: 'List, benchmark, install and remove libretro cores', run: runCores },
  play: { summary: 'Play a game in the browser (local page; --record out.bk2)', run: runPlay },
  playback: { summary: 'Replay a .bk2 movie, optionally to a GIF, with per-frame variables (--info)', run: runPlayback },
  dataset: { summary: 'Turn a .bk2 movie into a behavioural-cloning data set (readDataset)', run: runDataset },
  integrate: { summary: 'Build an integration in the browser: RAM search, variables, rules (retro integrate <rom-or-game>)', run: runIntegrate },
  doctor: { summary: 'Check what this machine has (addon, cores, Lua, ...) and what to apt-get', run: runDoctor },
  build: { summary: 'Build the native addon from source (where no prebuilt one fits)', run: runBuild },
};

export const MAIN_HELP = `Usage: retro <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}

Run 'retro <command> --help' for a command's options.

Environment:
  RETRO_DATA_DIR            Data dir for imported ROMs (default $XDG_DATA_HOME/libretro-gym)
  RETRO_INTEGRATION_PATHS   Colon-separated folders searched for integrations
`;

function version(): string {
  try {
    return String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0])) return COMMANDS[rest[0]].run(['--help'], io);
    (first === undefined ? io.stderr : io.stdout).write(MAIN_HELP);
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`libretro-gym ${version()}\n`);
    return EXIT_OK;
  }
  if (!Object.hasOwn(COMMANDS, first)) {
    io.stderr.write(`retro: unknown command '${first}'\n\n${MAIN_HELP}`);
    return EXIT_USAGE;
  }
  try {
    return await COMMANDS[first].run(rest, io);
  } catch (error) {
    // Expected failures (a broken core descriptor, an unreadable folder) get one line, not a stack trace.
    if (!(error instanceof RetroError)) throw error;
    io.stderr.write(`retro ${first}: ${error.message}\n`);
    return EXIT_PROBLEMS;
  }
}
