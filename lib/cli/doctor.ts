/** `retro doctor`: what this machine has for libretro-gym, and the apt-get line for what it lacks. */

import { aptInstallLine, runAptInstall } from '../doctor/apt.ts';
import { packagesOf, runChecks, type Check } from '../doctor/checks.ts';
import { isRoot } from '../doctor/system.ts';
import { defineCommand } from './command.ts';
import { EXIT_OK, EXIT_PROBLEMS, LOOKUP_OPTIONS, lookupOptions, processIO, type CliIO } from './io.ts';

const DOCTOR = defineCommand({
  name: 'doctor',
  usage: 'retro doctor [--install] [options]',
  about: `Checks what this machine has for libretro-gym: Node.js, the native addon
(prebuilt or built from source), Lua, a libretro core for each system, the
tools to build the addon from source, Chromium (for the browser tools), the
data dir, and which games have their ROM. Prints a table, then the apt-get
line that installs what is missing. Exits 1 when something needed is missing.

STATUS column: ok        there
               missing   needed; the apt-get line (or npx retro build) fixes it
               optional  not there, but only some tools need it
               problem   needs a fix by hand (see the detail)
               note      for information`,
  options: {
    install: { type: 'boolean', help: 'Install the missing Debian packages (as root),\nthen check again' },
    json: { type: 'boolean', help: 'Print the checks as JSON instead of a table' },
    ...LOOKUP_OPTIONS,
  },
  positionals: 'none',
});

function table(checks: readonly Check[]): string {
  const nameWidth = Math.max(5, ...checks.map((c) => c.name.length));
  const line = (name: string, status: string, detail: string) => `${name.padEnd(nameWidth)}  ${status.padEnd(8)}  ${detail}`.trimEnd() + '\n';
  return line('CHECK', 'STATUS', 'DETAIL') + checks.map((c) => line(c.name, c.status, c.detail)).join('');
}

/** What to do next, after the table. */
function advice(checks: readonly Check[], asRoot: boolean): string {
  const needed = packagesOf(checks, 'missing');
  const optional = packagesOf(checks, 'optional').filter((p) => !needed.includes(p));
  const addonMissing = checks.some((c) => c.name === 'Native addon' && c.status !== 'ok');
  let text = '';
  if (needed.length > 0) {
    text += `\nInstall what is missing with:\n  ${aptInstallLine(needed, asRoot)}\n`;
    text += asRoot ? '(or run: npx retro doctor --install)\n' : '(or, as root: npx retro doctor --install)\n';
  }
  if (addonMissing) text += '\nThen build the native addon with: npx retro build\n';
  if (optional.length > 0) text += `\nOptional, for the tools that need them:\n  ${aptInstallLine(optional, asRoot)}\n`;
  const broken = checks.filter((c) => c.status === 'missing' || c.status === 'problem');
  if (broken.length === 0) text += '\nlibretro-gym has everything it needs.\n';
  return text;
}

export async function runDoctor(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = DOCTOR.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const lookup = lookupOptions(parsed.values, io);
  const asRoot = isRoot();
  let checks = runChecks(lookup);

  if (parsed.values.install) {
    const needed = packagesOf(checks, 'missing');
    if (needed.length === 0) {
      io.stdout.write('Nothing to install.\n');
    } else if (!asRoot) {
      io.stderr.write(`retro doctor --install: apt-get needs root. Run:\n  ${aptInstallLine(needed, false)}\n`);
      return EXIT_PROBLEMS;
    } else {
      const code = await runAptInstall(needed, io);
      if (code !== 0) {
        io.stderr.write(`retro doctor --install: apt-get failed (exit ${code})\n`);
        return EXIT_PROBLEMS;
      }
      checks = runChecks(lookup);
    }
  }

  if (parsed.values.json) {
    const needed = packagesOf(checks, 'missing');
    io.stdout.write(JSON.stringify({ checks, missingPackages: needed, optionalPackages: packagesOf(checks, 'optional') }, null, 2) + '\n');
  } else {
    io.stdout.write(table(checks) + advice(checks, asRoot));
  }
  return checks.some((c) => c.status === 'missing' || c.status === 'problem') ? EXIT_PROBLEMS : EXIT_OK;
}
