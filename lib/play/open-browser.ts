/** Opens a URL in the user's browser, when this machine has a way to (a desktop session, `open`, `start`). */

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The command that opens a URL here, or undefined (no desktop: a server, a container, SSH without X). */
export function browserCommand(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] | undefined {
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""'];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return onPath('xdg-open', env) ? ['xdg-open'] : undefined;
}

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Starts the browser on `url` and does not wait for it; true when a command was started. */
export function openBrowser(url: string): boolean {
  const command = browserCommand();
  if (!command) return false;
  const [program, ...args] = command;
  try {
    const child = spawn(program, [...args, url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);  // no browser after all: the printed URL still works
    child.unref();
    return true;
  } catch {
    return false;
  }
}
