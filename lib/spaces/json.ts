import { ArgumentError } from '../errors.ts';
import { Box } from './box.ts';
import { Dict } from './dict.ts';
import { Discrete } from './discrete.ts';
import { MultiBinary } from './multi-binary.ts';
import { MultiDiscrete } from './multi-discrete.ts';
import type { AnySpace, JSONBound, SpaceJSON } from './space.ts';
import { Tuple } from './tuple.ts';

/**
 * Rebuilds a space from the plain description its `toJSON()` returned (for example after it crossed a worker
 * boundary or was read from a file). The result `equals` the original; its generator is fresh (unseeded).
 *
 * @example
 * ```ts
 * import { Box, spaceFromJSON } from './spaces/index.ts';
 * const box = new Box(-Infinity, Infinity, [3]);
 * const text = JSON.stringify(box);   // '{"type":"Box","low":"-inf","high":"inf","shape":[3],"dtype":"float32"}'
 * spaceFromJSON(JSON.parse(text)).equals(box);  // true
 * ```
 */
export function spaceFromJSON(json: unknown): AnySpace {
  return fromJSON(json, '');
}

function fromJSON(json: unknown, path: string): AnySpace {
  const fail = (message: string): never => {
    throw new ArgumentError('INVALID_ARGUMENT', `invalid space description at '${path || '/'}': ${message}`, {
      field: path || '/',
    });
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return fail('not an object');
  const j = json as Partial<Record<string, unknown>>;
  // Constructors validate the numbers; wrapping keeps the location of the bad description in the message.
  const build = (make: () => AnySpace): AnySpace => {
    try {
      return make();
    } catch (err) {
      if (err instanceof ArgumentError) return fail(err.message);
      throw err;
    }
  };
  switch (j.type as SpaceJSON['type']) {
    case 'Discrete':
      return build(() => new Discrete(j.n as number, (j.start as number | undefined) ?? 0));
    case 'MultiBinary':
      return build(() => new MultiBinary(j.n as number));
    case 'MultiDiscrete':
      return build(() => new MultiDiscrete(j.nvec as number[], j.start as number[] | undefined));
    case 'Box':
      return build(
        () =>
          new Box(
            boundFromJSON(j.low, fail),
            boundFromJSON(j.high, fail),
            j.shape as number[],
            j.dtype as 'uint8' | 'int32' | 'float32',
          ),
      );
    case 'Tuple':
      if (!Array.isArray(j.spaces)) return fail('spaces must be an array');
      return new Tuple(j.spaces.map((s, i) => fromJSON(s, `${path}/spaces/${i}`)));
    case 'Dict': {
      const spaces = j.spaces;
      if (spaces === null || typeof spaces !== 'object' || Array.isArray(spaces)) {
        return fail('spaces must be an object');
      }
      const out: { [key: string]: AnySpace } = {};
      for (const [key, s] of Object.entries(spaces)) out[key] = fromJSON(s, `${path}/spaces/${key}`);
      return build(() => new Dict(out));
    }
    default:
      return fail(`unknown type ${JSON.stringify(j.type)}`);
  }
}

function boundFromJSON(b: unknown, fail: (message: string) => never): number | number[] {
  const one = (v: unknown): number => {
    if (v === 'inf') return Infinity;
    if (v === '-inf') return -Infinity;
    if (typeof v === 'number') return v;
    return fail(`bound ${JSON.stringify(v)} is not a number, 'inf' or '-inf'`);
  };
  return Array.isArray(b) ? b.map(one) : one(b as JSONBound);
}
