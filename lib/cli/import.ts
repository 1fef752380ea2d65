/** `retro import [paths...]`: copies the ROMs integrations know (by SHA-1) into the data dir. */

import { resolve } from 'node:path';
import { dataDir } from '../integration/paths.ts';
import { importRoms } from '../integration/rom-import.ts';
import { defineCommand } from './command.ts';
import { count, displayPath, EXIT_OK, EXIT_PROBLEMS, LOOKUP_OPTIONS, lookupOptions, plural, processIO, type CliIO } from './io.ts';
import { progressBar } from './progress.ts';

const IMPORT = defineCommand({
  name: 'import',
  usage: 'retro import [options] [paths...]',
  about: `Finds the ROMs of known games and copies them into the data dir, as
roms/<Game>-<System>/rom.<ext>. A file is a game's ROM when its SHA-1 is listed in
the game's rom.sha (for NES files, without their 16-byte iNES header).

Paths default to the current directory. Folders are searched recursively (hidden
folders and node_modules are skipped unless named), .zip archives are opened,
nested ones too (up to 4 deep), and every file up to 32 MiB is hashed. Files
matching no game are counted and left alone; a ROM already imported is never
replaced by a different file. Damaged archives, and zip bombs (entries sharing
bytes, or inflating far beyond what ROMs compress to), are skipped and reported.`,
  options: {
    ...LOOKUP_OPTIONS,
    quiet: { type: 'boolean', short: 'q', help: 'Print only the total line and problems' },
  },
  epilogue: `Exit status: 0 done, 1 a path is missing or a ROM could not be written, 2 usage error.

Example:
  npx retro import ~/roms`,
});

const MAX_SKIPS_SHOWN = 5;
/** Below this many files the import is quick enough that a bar would only flicker. */
const PROGRESS_MIN_FILES = 20;

export async function runImport(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = IMPORT.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const quiet = parsed.values.quiet === true;
  const paths = (parsed.positionals.length > 0 ? parsed.positionals : ['.']).map((p) => resolve(io.cwd, p));
  const lookup = lookupOptions(parsed.values, io);

  const bar = io.stderr.isTTY && !quiet ? progressBar(io.stderr, { unit: 'files' }) : undefined;
  const report = importRoms(paths, {
    ...lookup,
    onProgress: bar
      ? (p) => {
          if (p.filesTotal >= PROGRESS_MIN_FILES) bar.update(p.filesDone, p.filesTotal);
        }
      : undefined,
  });
  bar?.finish();

  if (!quiet) {
    for (const rom of report.games) {
      const from = displayPath(rom.source, io);
      io.stdout.write(rom.status === 'imported' ? `Imported ${rom.game} from ${from}\n` : `Already imported ${rom.game} (${from})\n`);
    }
  }
  if (report.knownGames === 0) {
    io.stderr.write('retro import: no integrations found, so no ROM can be recognised; add folders with --integration-path or RETRO_INTEGRATION_PATHS\n');
  }
  for (const path of report.missing) io.stderr.write(`retro import: no such file or directory: ${path}\n`);
  for (const failure of report.failed) {
    io.stderr.write(`retro import: could not import ${failure.game} from ${displayPath(failure.source, io)}: ${failure.reason}\n`);
  }
  if (!quiet) {
    for (const skip of report.skipped.slice(0, MAX_SKIPS_SHOWN)) {
      io.stderr.write(`skipped ${displayPath(skip.source, io)}: ${skip.reason}\n`);
    }
    if (report.skipped.length > MAX_SKIPS_SHOWN) io.stderr.write(`... and ${count(report.skipped.length - MAX_SKIPS_SHOWN)} more skipped\n`);
  }

  const imported = report.games.filter((g) => g.status === 'imported').length;
  const upToDate = report.games.length - imported;
  const details = [`scanned ${plural(report.scanned, 'file')}`, `${count(report.unmatched)} unmatched`];
  if (report.skipped.length > 0) details.push(`${count(report.skipped.length)} skipped`);
  if (report.failed.length > 0) details.push(`${count(report.failed.length)} failed`);
  const already = upToDate > 0 ? `, ${count(upToDate)} already imported` : '';
  io.stdout.write(`Imported ${plural(imported, 'game')}${already} (${details.join(', ')})\n`);
  if (report.games.length > 0 && !quiet) io.stdout.write(`ROMs are in ${resolve(dataDir(lookup), 'roms')}\n`);
  return report.missing.length > 0 || report.failed.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
