// Mario Kart 64: the reward and done of script.lua (scenario-lua.json), written as a TypeScript scenario script.
//
// scenario.json's per-frame terms plus the stuck and reversing-for-long early stops; see script.lua for the rules
// and README.md ('Reward') for the reasoning. The session calls done() before reward() on every frame, so done()
// keeps the counters and reward() reads them. `reset` runs at every env reset with the start state's variables;
// `state` is private to one env and emptied at each reset.

type Data = Readonly<Record<string, number>>;
type Scenario = { frame: number; timestep: number };
type State = { lastProgress?: number; lastLap?: number; bestProgress?: number; stalled?: number; reversing?: number };

/** Per path point gained; the same amount is taken per path point lost. */
const PATH_POINT_REWARD = 0.5;
/** Per crossing of the finish line (lap counter going up). */
const LAP_REWARD = 100;
/** Per frame with the speedometer at FAST_SPEED_BITS or more. */
const FAST_REWARD = 0.05;
/** 40.0 as an IEEE-754 single, the way data.json reads speed_f32. */
const FAST_SPEED_BITS = 1109393408;
/** Per frame farther than the road's half-width from the path. */
const OFF_ROAD_REWARD = -0.1;
/** 1.0 as an IEEE-754 single: |track offset| above it is off the road. */
const ROAD_EDGE_BITS = 1065353216;
/** Per frame with the game's wrong-way flag up. */
const WRONG_WAY_REWARD = -0.5;
/** Per frame. */
const TIME_REWARD = -0.025;
/** Once, on the frame the stuck stop fires. */
const STUCK_REWARD = -20;
/** 5 s at 60 frames a second without new ground while racing. */
const STUCK_FRAMES = 300;
/** 1 s of wrong-way flag in a row. */
const REVERSE_FRAMES = 60;
/** The lap counter reads 3 once the third lap is done. */
const FINISH_LAPS = 3;
/** race_state while the race runs (not during the countdown or after the finish). */
const RACE_IN_PROGRESS = 3;

export function reset(data: Data, _scenario: Scenario, state: State): void {
  state.lastProgress = data.progress;
  state.lastLap = data.lap;
  state.bestProgress = data.progress;
  state.stalled = 0;
  state.reversing = 0;
}

export function done(data: Data, _scenario: Scenario, state: State): boolean {
  if (data.progress > state.bestProgress!) {
    state.bestProgress = data.progress;
    state.stalled = 0;
  } else if (data.race_state === RACE_IN_PROGRESS) {
    state.stalled! += 1;
  }
  state.reversing = data.wrong_way !== 0 ? state.reversing! + 1 : 0;
  return data.lap >= FINISH_LAPS || state.stalled! >= STUCK_FRAMES || state.reversing >= REVERSE_FRAMES;
}

export function reward(data: Data, _scenario: Scenario, state: State): number {
  let r = TIME_REWARD + PATH_POINT_REWARD * (data.progress - state.lastProgress!);
  if (data.lap > state.lastLap!) r += LAP_REWARD;
  if (data.speed_f32 >= FAST_SPEED_BITS) r += FAST_REWARD;
  if (data.track_offset_abs_f32 > ROAD_EDGE_BITS) r += OFF_ROAD_REWARD;
  if (data.wrong_way !== 0) r += WRONG_WAY_REWARD;
  if (state.stalled === STUCK_FRAMES) r += STUCK_REWARD;
  state.lastProgress = data.progress;
  state.lastLap = data.lap;
  return r;
}
