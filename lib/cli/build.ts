/**
 * `retro build`: compiles the native addon from source into the package's own build/ folder (inside
 * node_modules), for machines no prebuilt addon fits. The loader prefers that build to the prebuilt one.
 */

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sourceBuildPaths } from '../addon-location.ts';
import { aptInstallLine } from '../doctor/apt.ts';
import { missingBuildRequirements, packagesFor } from '../doctor/build-tools.ts';
import { isRoot } from '../doctor/system.ts';
import { packageRoot } from '../package-root.ts';
import { defineCommand } from './command.ts';
import { EXIT_OK, EXIT_PROBLEMS, processIO, type CliIO } from './io.ts';

const BUILD = defineCommand({
  name: 'build',
  usage: 'retro build',
  about: `Builds libretro-gym's native addon from source, for a machine the prebuilt
addon does not fit (another CPU, musl, an older glibc). It needs a C++17
compiler, cmake, pkg-config and Debian's retroarch-dev and liblua5.4-dev
('npx retro doctor' lists what is missing). The build goes into the package's
build/ folder and is used from then on, before the prebuilt addon. When
cmake-js is not installed, npm fetches it into its cache first.`,
  options: {},
  positionals: 'none',
});

interface Command {
  file: string;
  args: string[];
}

/** cmake-js from the package's own node_modules (a clone), else through `npm exec` at our pinned range. */
function cmakeJs(root: string): Command {
  const compile = ['compile', '--out', 'build', '--log-level', 'warn'];
  try {
    const manifest = createRequire(join(root, 'package.json')).resolve('cmake-js/package.json');
    return { file: process.execPath, args: [join(dirname(manifest), 'bin', 'cmake-js'), ...compile] };
  } catch {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    const range = pkg.devDependencies?.['cmake-js'] ?? 'latest';
    return { file: 'npm', args: ['exec', '--yes', `--package=cmake-js@${range}`, '--', 'cmake-js', ...compile] };
  }
}

function run(command: Command, cwd: string, io: CliIO): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command.file, command.args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    child.on('error', (error) => {
      io.stderr.write(`retro build: cannot run ${command.file}: ${error.message}\n`);
      resolve(EXIT_PROBLEMS);
    });
    child.on('close', (code) => resolve(code ?? EXIT_PROBLEMS));
  });
}

/** Loads the new addon in a fresh process: a build that links but cannot load is no build. */
function verify(path: string): { ok: true; info: { lua?: string; napiVersion?: number } } | { ok: false; error: string } {
  const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(path)}).buildInfo()))`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) return { ok: false, error: (result.stderr || result.error?.message || 'it does not load').trim() };
  return { ok: true, info: JSON.parse(result.stdout) as { lua?: string; napiVersion?: number } };
}

export async function runBuild(args: string[], io: CliIO = processIO()): Promise<number> {
  const parsed = BUILD.parse(args, io);
  if ('exit' in parsed) return parsed.exit;
  const missing = missingBuildRequirements(io.env);
  if (missing.length > 0) {
    const line = aptInstallLine(packagesFor(missing), isRoot());
    io.stderr.write(`retro build: missing ${missing.map((r) => r.what).join(', ')}. Install with:\n  ${line}\n`);
    return EXIT_PROBLEMS;
  }
  const root = packageRoot();
  io.stdout.write(`retro build: compiling the native addon in ${root} (a minute or two)\n`);
  const code = await run(cmakeJs(root), root, io);
  if (code !== 0) {
    io.stderr.write(`retro build: the build failed (exit ${code}); its output is above\n`);
    return EXIT_PROBLEMS;
  }
  const built = sourceBuildPaths(root)[0];
  const check = verify(built);
  if (!check.ok) {
    io.stderr.write(`retro build: ${built} was built but does not load: ${check.error}\n`);
    return EXIT_PROBLEMS;
  }
  io.stdout.write(`retro build: built ${built} (${check.info.lua ?? 'Lua'}, Node-API ${check.info.napiVersion ?? '?'}); libretro-gym uses it from now on\n`);
  return EXIT_OK;
}
