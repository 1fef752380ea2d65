/** Installing Debian packages: the command line shown to users, and running scripts/apt-install.sh (as root). */

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';

/** `sudo apt-get install -y a b` (without sudo for root). */
export function aptInstallLine(packages: readonly string[], asRoot: boolean): string {
  return `${asRoot ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`;
}

/**
 * Installs the missing ones of `packages` through scripts/apt-install.sh, the installer `npm run setup` uses too.
 * Its output goes to the given streams; resolves to its exit code.
 */
export function runAptInstall(packages: readonly string[], output: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } }): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(packageRoot(), 'scripts', 'apt-install.sh'), ...packages], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.stdout.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.stderr.write(chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
