/** `retro cores list | install | remove`: which libretro cores run each system, and getting the ones users expect. */

import { benchCore, shippedRom, type BenchResult } from '../core/core-bench.ts';
import { listCores, type CoreCandidate, type SystemCores } from '../core/core-catalog.ts';
import { probeCore } from '../core/core-info.ts';
import { loadCoreDescriptor } from '../core/descriptor.ts';
import { coresBaseUrl, DEFAULT_CORES_URL, installCore, removeCore } from '../core/install.ts';
import { userCoresDir } from '../core/user-cores.ts';
import { RetroError } from '../errors.ts';
import { defineCommand } from './command.ts';
import { count, displayPath, EXIT_OK, EXIT_PROBLEMS, processIO, type CliIO } from './io.ts';
import { progressBar } from './progress.ts';

const CORES = defineCommand({
  name: 'cores',
  usage: 'retro cores list [--bench] [--json] | install <name...> [--url <base>] | remove <name...>',
  synopsis: ['retro cores list [--bench] [--bench-seconds <s>] [--json]', 'retro cores install <name...> [--url <base>]', 'retro cores remove <name...>'],
  about: `list     Per system, the candidate cores in preference order (the first one
         found runs, unless RETRO_CORE_<SYSTEM> forces one), where each was
         found, its name and version, and which one stable-retro uses (its
         integrations' states load only in that core). --bench runs a ROM we
         ship on every found core and prints frames per CPU-second.
install  Downloads cores by name (fceumm, snes9x, genesis_plus_gx, ...) from
         the libretro buildbot's nightly builds, checks the zip and that the
         file is a libretro core for this machine, and installs it into
         ${'$'}XDG_DATA_HOME/libretro-gym/cores, searched before Debian's folders.
remove   Removes cores that install put there.`,
  options: {
    bench: { type: 'boolean', help: "list: also measure each found core's speed" },
    'bench-seconds': { type: 'string', value: '<s>', help: 'list: CPU seconds per core for --bench (default 2)' },
    json: { type: 'boolean', help: 'list: print JSON instead of a table' },
    url: { type: 'string', value: '<base>', help: `install: download from <base>/<name>_libretro.so.zip\n(default RETRO_CORES_URL, else\n${DEFAULT_CORES_URL})` },
  },
  epilogue: `Environment:
  RETRO_CORE_<SYSTEM>       Force a system's core: a name (RETRO_CORE_NES=fceumm)
                            or the path of a core file
  RETRO_CORES_PATH          Colon-separated folders searched for cores first
  RETRO_CORES_URL           Base URL for install (a mirror)`,
});

interface BenchedCandidate extends CoreCandidate {
  bench?: BenchResult;
  benchError?: string;
}

interface ListedSystem extends SystemCores {
  candidates: BenchedCandidate[];
  /** Why --bench measured nothing for this system. */
  benchSkipped?: string;
}

function usage(io: CliIO, message: string): number {
  return CORES.usageError(io, message, true);
}

function benchSystem(system: SystemCores, seconds: number): ListedSystem {
  const descriptor = loadCoreDescriptor(system.system);
  const rom = shippedRom(descriptor);
  if (!rom) return { ...system, benchSkipped: `no ${system.system} ROM ships with the package` };
  const candidates = system.candidates.map((candidate): BenchedCandidate => {
    if (candidate.path === undefined || candidate.loadError !== undefined) return candidate;
    try {
      return { ...candidate, bench: benchCore(descriptor, candidate.path, rom, seconds) };
    } catch (error) {
      if (!(error instanceof RetroError)) throw error;
      return { ...candidate, benchError: error.message };
    }
  });
  return { ...system, candidates };
}

function candidateLine(c: BenchedCandidate, io: CliIO, nameWidth: number): string {
  const mark = c.selected ? '*' : ' ';
  const tag = c.stableRetro ? 'stable-retro' : '';
  let detail: string;
  if (c.path === undefined) detail = `not found (npx retro cores install ${c.name})`;
  else if (c.loadError !== undefined) detail = `${displayPath(c.path, io)}: does not load: ${c.loadError}`;
  else {
    const identity = c.identity ? `${c.identity.libraryName} ${c.identity.libraryVersion}`.trim() : '';
    detail = `${displayPath(c.path, io)}${identity ? `  (${identity})` : ''}`;
  }
  let line = `  ${mark} ${c.name.padEnd(nameWidth)}  ${tag.padEnd(12)}  ${detail}`;
  if (c.bench) line += `\n      ${count(Math.round(c.bench.fpsPerCpuSecond))} frames/CPU-s (${count(Math.round(c.bench.fps))} frames/s wall) on ${c.bench.rom}`;
  if (c.benchError) line += `\n      bench failed: ${c.benchError}`;
  return line.trimEnd() + '\n';
}

function systemBlock(s: ListedSystem, io: CliIO): string {
  const nameWidth = Math.max(8, ...s.candidates.map((c) => c.name.length));
  let text = `${s.system}  ${s.name}${s.forcedBy ? `  [${s.forcedBy}]` : ''}\n`;
  text += s.candidates.map((c) => candidateLine(c, io, nameWidth)).join('');
  if (s.problem) text += `  ! ${s.problem}\n`;
  if (s.benchSkipped) text += `  bench: skipped, ${s.benchSkipped}\n`;
  return text;
}

async function runCoresList(args: string[], io: CliIO): Promise<number> {
  const parsed = CORES.parse(args, io, ['bench', 'bench-seconds', 'json']);
  if ('exit' in parsed) return parsed.exit;
  if (parsed.positionals.length > 0) return usage(io, `unexpected argument '${parsed.positionals[0]}'`);
  const seconds = Number(parsed.values['bench-seconds'] ?? 2);
  if (!(seconds > 0 && seconds <= 600)) return usage(io, `--bench-seconds takes a number of seconds in (0, 600], not '${parsed.values['bench-seconds']}'`);
  const env = io.env as NodeJS.ProcessEnv;
  let systems: ListedSystem[] = listCores(env);
  if (parsed.values.bench) systems = systems.map((s) => benchSystem(s, seconds));
  if (parsed.values.json) {
    io.stdout.write(`${JSON.stringify({ userCoresDir: userCoresDir(env), systems }, null, 2)}\n`);
  } else {
    io.stdout.write(systems.map((s) => systemBlock(s, io)).join('\n'));
    io.stdout.write(`\n* the core that runs.  Installed cores go to ${userCoresDir(env)}.\n`);
  }
  return systems.some((s) => s.problem !== undefined && !optionalSystem(s)) ? EXIT_PROBLEMS : EXIT_OK;
}

/** A system no Debian package brings a core for, and none is forced: only its own games need one (Genesis, ...). */
function optionalSystem(s: SystemCores): boolean {
  return s.forcedBy === undefined && !loadCoreDescriptor(s.system).cores.some((c) => c.debianPackage !== undefined);
}

/** "name version" of a core just installed, or '' when the addon cannot load it here. */
function describeInstalled(path: string): string {
  try {
    const { libraryName, libraryVersion } = probeCore(path);
    return ` (${libraryName} ${libraryVersion})`;
  } catch (error) {
    if (!(error instanceof RetroError)) throw error;
    return '';
  }
}

async function runCoresInstall(args: string[], io: CliIO): Promise<number> {
  const parsed = CORES.parse(args, io, ['url']);
  if ('exit' in parsed) return parsed.exit;
  if (parsed.positionals.length === 0) return usage(io, 'install needs the name of a core, e.g. retro cores install fceumm');
  const env = io.env as NodeJS.ProcessEnv;
  const url = coresBaseUrl({ url: parsed.values.url as string | undefined, env });
  let failed = 0;
  for (const name of parsed.positionals) {
    const bar = io.stderr.isTTY ? progressBar(io.stderr, { unit: `KiB ${name}` }) : undefined;
    try {
      const installed = await installCore(name, {
        url,
        env,
        onProgress: (received, total) => bar?.update(Math.round(received / 1024), Math.round((total ?? received) / 1024)),
      });
      bar?.finish();
      io.stdout.write(`installed ${name}${describeInstalled(installed.path)}: ${displayPath(installed.path, io)} (${count(installed.bytes)} bytes from ${installed.url})\n`);
    } catch (error) {
      bar?.finish();
      if (!(error instanceof RetroError)) throw error;
      io.stderr.write(`retro cores install: ${name}: ${error.message}\n`);
      failed++;
    }
  }
  return failed > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

async function runCoresRemove(args: string[], io: CliIO): Promise<number> {
  const parsed = CORES.parse(args, io, []);
  if ('exit' in parsed) return parsed.exit;
  if (parsed.positionals.length === 0) return usage(io, 'remove needs the name of a core, e.g. retro cores remove fceumm');
  let failed = 0;
  for (const name of parsed.positionals) {
    try {
      io.stdout.write(`removed ${name}: ${displayPath(removeCore(name, io.env as NodeJS.ProcessEnv), io)}\n`);
    } catch (error) {
      if (!(error instanceof RetroError)) throw error;
      io.stderr.write(`retro cores remove: ${error.message}\n`);
      failed++;
    }
  }
  return failed > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

const SUBCOMMANDS: Record<string, (args: string[], io: CliIO) => Promise<number>> = {
  list: runCoresList,
  install: runCoresInstall,
  remove: runCoresRemove,
};

export async function runCores(args: string[], io: CliIO = processIO()): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '-h' || sub === '--help' || rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(CORES.help);
    return EXIT_OK;
  }
  if (sub === undefined) return usage(io, 'which one: list, install or remove?');
  if (!Object.hasOwn(SUBCOMMANDS, sub)) return usage(io, `unknown subcommand '${sub}'`);
  return SUBCOMMANDS[sub](rest, io);
}

