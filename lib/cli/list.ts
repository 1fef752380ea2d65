/** `retro list`: the games found, whether their ROM is available, and their states. */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCoreDescriptor } from '../core/descriptor.ts';
import { findCore } from '../core/find-core.ts';
import { RetroError } from '../errors.ts';
import { listGameLocations } from '../integration/game-index.ts';
import { isScenarioFile } from '../integration/integration.ts';
import { romStatus, type RomStatus } from '../integration/rom-location.ts';
import { readRomSha } from '../integration/rom-sha.ts';
import { stateNames } from '../integration/state-names.ts';
import { defineCommand } from './command.ts';
import { count, EXIT_OK, LOOKUP_OPTIONS, lookupOptions, plural, processIO, type CliIO } from './io.ts';

const LIST = defineCommand({
  name: 'list',
  usage: 'retro list [options]',
  about: `Lists the games found in the integration folders, whether each one's ROM is
available, and its states (hidden states, starting with _, are left out).

ROM column: bundled  the ROM ships with the integration
            imported the ROM was imported with 'retro import'
            missing  no ROM yet: run 'npx retro import <dir>'
            mismatch a ROM file is there but is not a dump listed in rom.sha`,
  options: {
    ...LOOKUP_OPTIONS,
    available: { type: 'boolean', help: 'Only games whose ROM is available' },
    json: { type: 'boolean', help: 'Print a JSON array instead of a table' },
  },
  positionals: 'none',
});

interface GameRow {
  game: string;
  system: string;
  dir: string;
  rom: RomStatus['state'];
  romPath?: string;
  /** The core file make() would run the game on now, or null when the system has none. */
  core: string | null;
  states: string[];
  scenarios: string[];
}

/** The core file each system would run on (no core is loaded: only the search), looked up once per system. */
function systemCoreFiles(io: CliIO): (system: string) => string | null {
  const found = new Map<string, string | null>();
  return (system) => {
    if (!found.has(system)) {
      let file: string | null = null;
      try {
        file = findCore(loadCoreDescriptor(system), io.env as NodeJS.ProcessEnv).file;
      } catch (error) {
        if (!(error instanceof RetroError)) throw error;
      }
      found.set(system, file);
    }
    return found.get(system)!;
  };
}

export async function runList(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = LIST.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const lookup = lookupOptions(parsed.values, io);

  const coreOf = systemCoreFiles(io);
  let rows: GameRow[] = listGameLocations(lookup).map((game) => {
    let files: string[] = [];
    try {
      files = readdirSync(game.dir).sort();
    } catch {
      // listed a moment ago; if it vanished, show it without states
    }
    let status: RomStatus = { state: 'missing' };
    try {
      status = romStatus(game, readRomSha(join(game.dir, 'rom.sha')).shas, lookup);
    } catch (error) {
      if (!(error instanceof RetroError)) throw error;
    }
    const row: GameRow = {
      game: game.name,
      system: game.system.system,
      dir: game.dir,
      rom: status.state,
      core: coreOf(game.system.system),
      states: stateNames(game.dir, files),
      scenarios: files.filter(isScenarioFile).map((f) => f.slice(0, -'.json'.length)),
    };
    if (status.state === 'bundled' || status.state === 'imported') row.romPath = status.path;
    return row;
  });
  if (parsed.values.available) rows = rows.filter((r) => r.rom === 'bundled' || r.rom === 'imported');

  if (parsed.values.json) {
    io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return EXIT_OK;
  }
  if (rows.length === 0) {
    io.stdout.write('No games found. Add integration folders with --integration-path or RETRO_INTEGRATION_PATHS.\n');
    return EXIT_OK;
  }
  const gameWidth = Math.max(4, ...rows.map((r) => r.game.length));
  const line = (game: string, rom: string, states: string): string => `${game.padEnd(gameWidth)}  ${rom.padEnd(8)}  ${states}`.trimEnd() + '\n';
  io.stdout.write(line('GAME', 'ROM', 'STATES'));
  for (const row of rows) io.stdout.write(line(row.game, row.rom, row.states.join(', ') || '-'));
  const available = rows.filter((r) => r.rom === 'bundled' || r.rom === 'imported').length;
  let summary = `${plural(rows.length, 'game')}, ${count(available)} with a ROM available.`;
  if (available < rows.length) summary += ' Import ROMs with: npx retro import <dir>';
  io.stdout.write(summary + '\n');
  return EXIT_OK;
}
