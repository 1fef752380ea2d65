/**
 * The observation preprocessing of a data set, written as `retro dataset --wrappers` takes it
 * (`gray,resize=84,stack=4`) and applied with the library's own wrappers, in the order given.
 */

import type { Env } from '../env/env.ts';
import { ArgumentError } from '../errors.ts';
import type { AnySpace } from '../spaces/space.ts';
import { FrameStack } from '../wrappers/frame-stack.ts';
import { GrayScale } from '../wrappers/gray-scale.ts';
import { Resize } from '../wrappers/resize.ts';

/** One preprocessing step, JSON as the data set's index records it. */
export type WrapperSpec =
  | { name: 'gray' }
  | { name: 'resize'; width: number; height: number; interpolation?: 'area' | 'bilinear' }
  | { name: 'stack'; n: number };

export type ImageEnv = Env<Uint8Array, any, AnySpace, AnySpace>;

const USAGE = 'wrappers are a comma-separated list of gray, resize=<n> or resize=<w>x<h> (add :bilinear for bilinear), stack=<n>';

function positive(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new ArgumentError('INVALID_ARGUMENT', `${what} must be a positive integer, got '${text}'; ${USAGE}`, { field: 'wrappers' });
  return n;
}

/** Parses `gray,resize=84,stack=4` (empty: no preprocessing). @throws ArgumentError `INVALID_ARGUMENT`. */
export function parseWrapperList(text: string): WrapperSpec[] {
  const specs: WrapperSpec[] = [];
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, arg] = raw.split('=', 2) as [string, string | undefined];
    if (name === 'gray' && arg === undefined) specs.push({ name: 'gray' });
    else if (name === 'resize' && arg !== undefined) {
      const [size, interpolation] = arg.split(':', 2);
      if (interpolation !== undefined && interpolation !== 'area' && interpolation !== 'bilinear') {
        throw new ArgumentError('INVALID_ARGUMENT', `resize interpolation is area or bilinear, got '${interpolation}'`, { field: 'wrappers' });
      }
      const [w, h = w] = size.split('x');
      const spec: WrapperSpec = { name: 'resize', width: positive(w, 'resize width'), height: positive(h, 'resize height') };
      if (interpolation !== undefined) spec.interpolation = interpolation;
      specs.push(spec);
    } else if (name === 'stack' && arg !== undefined) specs.push({ name: 'stack', n: positive(arg, 'stack size') });
    else throw new ArgumentError('INVALID_ARGUMENT', `unknown wrapper '${raw}'; ${USAGE}`, { field: 'wrappers' });
  }
  return specs;
}

/** `env` wrapped by each spec in turn. */
export function applyWrappers(env: ImageEnv, specs: readonly WrapperSpec[]): ImageEnv {
  let wrapped: ImageEnv = env;
  for (const spec of specs) {
    if (spec.name === 'gray') wrapped = new GrayScale(wrapped);
    else if (spec.name === 'resize') wrapped = new Resize(wrapped, { width: spec.width, height: spec.height, interpolation: spec.interpolation });
    else wrapped = new FrameStack(wrapped, { n: spec.n }) as ImageEnv;
  }
  return wrapped;
}
