// Super Mario Kart: the reward and done of scenario.json, written as a TypeScript scenario script.
//
// The three scenarios (scenario.json, scenario-lua.json, scenario-ts.json) must give the same reward and done for
// the same RAM, so this module computes exactly what the JSON rules say; see README.md ("Reward") for the
// reasoning and for where the rules depart from the public PPO guide.
//
// `reset` runs at every env reset with the start state's variables: it sets the baseline of the two per-step
// differences (progress and collision), as the JSON engine's `delta` measurement has. `state` is private to one
// env and emptied at each reset.

type Data = Readonly<Record<string, number>>;
type Scenario = { frame: number; timestep: number };
type State = { progress?: number; collision?: number };

/** Per checkpoint gained; the same amount is taken per checkpoint lost. */
const CHECKPOINT_REWARD = 300;
/** Per rise of the collision counter. */
const WALL_HIT_REWARD = -10;
/** Per step on a surface code >= OFF_ROAD_SURFACE. */
const OFF_ROAD_REWARD = -15;
/** Per step with the game's reverse flag up. */
const BACKWARD_REWARD = -2;
/** Per step. */
const TIME_REWARD = -1;
/** Mario Circuit's off-road (84) and every slower surface code, walls included. */
const OFF_ROAD_SURFACE = 84;
/** 128 + 5: the lap byte after the fifth crossing of the line. */
const FINISH_LAPS = 133;

export function reset(data: Data, _scenario: Scenario, state: State): void {
  state.progress = data.progress;
  state.collision = data.collision;
}

export function reward(data: Data, _scenario: Scenario, state: State): number {
  const progressChange = data.progress - state.progress!;
  const collisionChange = data.collision - state.collision!;
  state.progress = data.progress;
  state.collision = data.collision;

  let r = TIME_REWARD + CHECKPOINT_REWARD * Math.sign(progressChange);
  if (collisionChange > 0) r += WALL_HIT_REWARD;
  if (data.surface >= OFF_ROAD_SURFACE) r += OFF_ROAD_REWARD;
  if (data.backward !== 0) r += BACKWARD_REWARD;
  return r;
}

export function done(data: Data): boolean {
  return data.laps >= FINISH_LAPS || data.backward !== 0;
}
