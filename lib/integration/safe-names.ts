/**
 * Names and paths that come from integration files (which may be downloaded from anywhere) must not lead outside
 * their folder: a state name becomes `<dir>/<name>.state` and a script name `<dir>/<script>`.
 */
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * A state name: no path separator, no NUL, does not start with a dot (so never `.` or `..`), at most 200
 * characters. stable-retro's names (`Level1`, `TimeTrial.MarioCircuit1`, `_Debug`, `1Player.Level1-1`) all pass.
 */
export const STATE_NAME_PATTERN = '^(?!\\.)[^/\\\\\\u0000]{1,200}$';
const stateName = new RegExp(STATE_NAME_PATTERN, 'u');

export function isSafeStateName(name: string): boolean {
  return stateName.test(name);
}

/** Why a state name is refused, for error messages. */
export const STATE_NAME_RULE = "a state name may not contain '/', '\\\\' or NUL, start with '.', or exceed 200 characters";

/** `dir/name` when it stays inside `dir` (after resolving `..` and absolute paths), else undefined. */
export function pathInside(dir: string, name: string): string | undefined {
  const base = resolve(dir);
  const full = resolve(base, name);
  const rel = relative(base, full);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? full : undefined;
}
