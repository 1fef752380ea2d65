-- Mario Kart 64: the reward of scenario.json plus the two early stops JSON rules cannot keep, in Lua.
--
-- scenario.json's terms are reproduced exactly (same amounts, same per-frame evaluation); on top of them:
--   * stuck: the race is running but the kart has gained no new ground (no new maximum of `progress`) for
--     STUCK_FRAMES frames: -20 on that frame and the episode ends (TorchKart's stuck termination);
--   * reversing for long: the game's wrong-way flag has been up for REVERSE_FRAMES frames in a row (scenario.json
--     ends the episode as soon as the flag goes up; here a short turn-around only costs the per-frame penalty).
-- See README.md ('Reward') for the sources and the reasoning.
--
-- The session calls done() before reward() on every frame (stable-retro's order), so done() keeps the counters
-- and reward() reads them. The file runs afresh at every reset: the top level sees the start state.

local PATH_POINT_REWARD = 0.5      -- per path point gained; the same amount is taken per path point lost
local LAP_REWARD = 100             -- per crossing of the finish line (lap counter going up)
local FAST_REWARD = 0.05           -- per frame with the speedometer at FAST_SPEED_BITS or more
local FAST_SPEED_BITS = 1109393408 -- 40.0 as an IEEE-754 single, the way data.json reads speed_f32
local OFF_ROAD_REWARD = -0.1       -- per frame farther than the road's half-width from the path
local ROAD_EDGE_BITS = 1065353216  -- 1.0 as an IEEE-754 single: |track offset| above it is off the road
local WRONG_WAY_REWARD = -0.5      -- per frame with the game's wrong-way flag up
local TIME_REWARD = -0.025         -- per frame
local STUCK_REWARD = -20           -- once, on the frame the stuck stop fires
local STUCK_FRAMES = 300           -- 5 s at 60 frames a second without new ground while racing
local REVERSE_FRAMES = 60          -- 1 s of wrong-way flag in a row
local FINISH_LAPS = 3              -- the lap counter reads 3 once the third lap is done
local RACE_IN_PROGRESS = 3         -- race_state while the race runs (not during the countdown or after the finish)

local last_progress = data.progress
local last_lap = data.lap
local best_progress = data.progress
local stalled = 0
local reversing = 0

function done()
  if data.progress > best_progress then
    best_progress = data.progress
    stalled = 0
  elseif data.race_state == RACE_IN_PROGRESS then
    stalled = stalled + 1
  end
  if data.wrong_way ~= 0 then reversing = reversing + 1 else reversing = 0 end
  return data.lap >= FINISH_LAPS or stalled >= STUCK_FRAMES or reversing >= REVERSE_FRAMES
end

function reward()
  local r = TIME_REWARD + PATH_POINT_REWARD * (data.progress - last_progress)
  if data.lap > last_lap then r = r + LAP_REWARD end
  if data.speed_f32 >= FAST_SPEED_BITS then r = r + FAST_REWARD end
  if data.track_offset_abs_f32 > ROAD_EDGE_BITS then r = r + OFF_ROAD_REWARD end
  if data.wrong_way ~= 0 then r = r + WRONG_WAY_REWARD end
  if stalled == STUCK_FRAMES then r = r + STUCK_REWARD end
  last_progress = data.progress
  last_lap = data.lap
  return r
end
