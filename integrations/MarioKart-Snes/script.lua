-- Super Mario Kart: the reward and done of scenario.json, written as a Lua scenario script.
--
-- The three scenarios (scenario.json, scenario-lua.json, scenario-ts.json) must give the same reward and done
-- for the same RAM, so this file computes exactly what the JSON rules say; see README.md ("Reward") for why the
-- rules look the way they do and where they depart from the public PPO guide.
--
-- The file runs afresh at every reset, so the top level below sees the start state: it is the baseline of the
-- two per-step differences (progress and collision), as the JSON engine's `delta` measurement has.

local CHECKPOINT_REWARD = 300   -- per checkpoint gained; the same amount is taken per checkpoint lost
local WALL_HIT_REWARD = -10     -- per rise of the collision counter
local OFF_ROAD_REWARD = -15     -- per step on a surface code >= OFF_ROAD_SURFACE
local BACKWARD_REWARD = -2      -- per step with the game's reverse flag up
local TIME_REWARD = -1          -- per step
local OFF_ROAD_SURFACE = 84     -- Mario Circuit off-road and every slower surface, walls included
local FINISH_LAPS = 133         -- 128 + 5: the lap byte after the fifth crossing of the line

local last_progress = data.progress
local last_collision = data.collision

local function sign(v)
  if v > 0 then return 1 elseif v < 0 then return -1 else return 0 end
end

function reward()
  local progress_change = data.progress - last_progress
  local collision_change = data.collision - last_collision
  last_progress = data.progress
  last_collision = data.collision

  local r = TIME_REWARD + CHECKPOINT_REWARD * sign(progress_change)
  if collision_change > 0 then r = r + WALL_HIT_REWARD end
  if data.surface >= OFF_ROAD_SURFACE then r = r + OFF_ROAD_REWARD end
  if data.backward ~= 0 then r = r + BACKWARD_REWARD end
  return r
end

function done()
  return data.laps >= FINISH_LAPS or data.backward ~= 0
end
