/** `retro dataset <movie.bk2> --out <dir>`: a movie's frames, actions, rewards and dones as a data set. */

import { resolve } from 'node:path';
import { RetroError } from '../errors.ts';
import { writeDataset } from '../dataset/write-dataset.ts';
import { parseWrapperList } from '../dataset/wrapper-spec.ts';
import { defineCommand } from './command.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, LOOKUP_OPTIONS, lookupOptions, plural, processIO, type CliIO } from './io.ts';

const DATASET = defineCommand({
  name: 'dataset',
  usage: 'retro dataset <movie.bk2> --out <dir> [--wrappers gray,resize=84,stack=4] [--scenario S] [options]',
  about: `Replays a .bk2 movie on its game and writes a demonstration data set for
behavioural cloning: <dir>/data.bin (observations, actions, rewards, dones and
the integration's variables, back to back) and <dir>/index.json (shapes,
dtypes, offsets, game, movie, wrappers). Load it with readDataset(dir).

Step t pairs what was on screen after movie frame t with the buttons of frame
t + 1 and the reward and done they led to.`,
  options: {
    out: { type: 'string', short: 'o', value: '<dir>', help: 'Folder to write (created when missing)' },
    wrappers: { type: 'string', value: '<list>', help: 'Observation preprocessing, in order: gray,\nresize=<n> or resize=<w>x<h> (:bilinear), stack=<n>' },
    scenario: { type: 'string', value: '<name|file>', help: 'Rewards and dones from this scenario (default: scenario)' },
    ...LOOKUP_OPTIONS,
  },
});

export async function runDataset(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = DATASET.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || typeof values.out !== 'string') return DATASET.usageError(io, 'give one movie file and --out <dir>');
  let wrappers;
  try {
    wrappers = parseWrapperList((values.wrappers as string | undefined) ?? '');
  } catch (e) {
    if (!(e instanceof RetroError)) throw e;
    io.stderr.write(`retro dataset: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const scenario = values.scenario as string | undefined;
  try {
    const { dir, index, bytes } = writeDataset(resolve(io.cwd, positionals[0]), resolve(io.cwd, values.out), {
      ...lookupOptions(values, io),
      scenario: scenario?.endsWith('.json') ? resolve(io.cwd, scenario) : scenario,
      wrappers,
    });
    const shape = index.arrays.observations.shape.slice(1).join('×');
    io.stdout.write(`wrote ${displayPath(dir, io)}: ${plural(index.steps, 'step')} of ${index.game}, observations ${shape} uint8, ${plural(bytes, 'byte')}\n`);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof RetroError)) throw e;
    io.stderr.write(`retro dataset: ${e.message}\n`);
    return EXIT_PROBLEMS;
  }
}
