// TinyKart reward and done, identical to scenario.json and script.lua.
// Every term is a delta-measured counter: a rise pays `weight` per unit, a
// fall pays nothing (no penalty), exactly as the JSON rules do. The weights
// are sums of powers of two, so float and double arithmetic agree.
// `reset` runs at every env reset with the start state's variables: that is
// the baseline of the first step's deltas. `state` is private to one env.

type Data = Readonly<Record<string, number>>;
type Scenario = { frame: number; timestep: number };
type State = Record<string, unknown>;

/** Weight per unit of rise, in a fixed order so the sum rounds the same way everywhere. */
const WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['progress', 1.0], // each checkpoint passed in order
  ['finished', 8.0], // completing lap 3
  ['collision', -0.5], // each wall hit
  ['offroad_frames', -0.03125], // each frame on grass
  ['backward_frames', -0.03125], // each frame driving the wrong way
  ['race_timer', -0.0078125], // each frame of racing
];

export function reset(data: Data, _scenario: Scenario, state: State): void {
  for (const [name] of WEIGHTS) state[name] = data[name];
}

export function reward(data: Data, _scenario: Scenario, state: State): number {
  let total = 0;
  for (const [name, weight] of WEIGHTS) {
    const value = data[name];
    const delta = value - (state[name] as number);
    state[name] = value;
    if (delta > 0) total += delta * weight;
  }
  return total;
}

export function done(data: Data, _scenario: Scenario, _state: State): boolean {
  return data.finished === 1 || data.stall_timer > 600;
}
