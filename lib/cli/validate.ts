/** `retro validate <dir|game>...`: checks integration folders against the schemas and each other. */

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RetroError } from '../errors.ts';
import { listGameLocations, locateGame } from '../integration/game-index.ts';
import { inspectIntegration } from '../integration/integration.ts';
import { runCoreChecks } from './core-checks.ts';
import { formatProblem } from '../integration/problems.ts';
import { defineCommand } from './command.ts';
import { displayPath, EXIT_OK, EXIT_PROBLEMS, LOOKUP_OPTIONS, lookupOptions, plural, processIO, type CliIO } from './io.ts';

const VALIDATE = defineCommand({
  name: 'validate',
  usage: 'retro validate [options] <dir|game>...',
  about: `Checks integration folders: data.json, every scenario and metadata.json against
their JSON Schemas (data/*.schema.json), rom.sha, and that the names they use
exist (variables in data.json, buttons of the system, scripts and their
functions, start states). When the game's ROM is imported and its core is
installed, it also runs the game: every .state file must load, every crop must
fit the frame and every variable must be memory the core exposes. Each problem
is printed as

  path/to/file.json#/json/pointer: message

An argument is a folder, or the name of a game found in the integration paths.`,
  options: {
    all: { type: 'boolean', help: 'Validate every game found in the integration paths' },
    'no-core': { type: 'boolean', help: 'Check the files only, without running the game' },
    ...LOOKUP_OPTIONS,
  },
  epilogue: `Exit status: 0 no problems, 1 problems found, 2 usage error.

Example:
  npx retro validate integrations/TinyKart-Nes`,
});

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function runValidate(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = VALIDATE.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const lookup = lookupOptions(parsed.values, io);
  const targets = [...parsed.positionals];
  if (parsed.values.all) targets.push(...listGameLocations(lookup).map((g) => g.dir));
  if (targets.length === 0) return VALIDATE.usageError(io, 'name at least one folder or game, or use --all');

  let problemCount = 0;
  let checked = 0;
  for (const target of targets) {
    const asPath = resolve(io.cwd, target);
    let dir: string;
    if (isDirectory(asPath)) {
      dir = asPath;
    } else {
      try {
        dir = locateGame(target, lookup).dir;
      } catch (error) {
        if (!(error instanceof RetroError)) throw error;
        io.stdout.write(`${target}: ${error.message}\n`);
        problemCount++;
        continue;
      }
    }
    checked++;
    const { integration, problems } = inspectIntegration(dir);
    let skipped: string | undefined;
    if (integration && !parsed.values['no-core']) {
      const core = runCoreChecks(integration, lookup);
      if ('skipped' in core) skipped = core.skipped;
      else problems.push(...core.problems);
    }
    for (const problem of problems) io.stdout.write(formatProblem(problem, displayPath(problem.file, io)) + '\n');
    problemCount += problems.length;
    if (problems.length === 0) io.stdout.write(`ok ${displayPath(dir, io)}${skipped ? ` (files only; core checks skipped: ${skipped})` : ''}\n`);
  }
  io.stdout.write(`Checked ${plural(checked, 'integration')}: ${problemCount === 0 ? 'no problems' : plural(problemCount, 'problem')}\n`);
  return problemCount > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
