-- TinyKart reward and done, identical to scenario.json and script.ts.
-- Every term is a delta-measured counter: a rise pays `weight` per unit, a
-- fall pays nothing (no penalty), exactly as the JSON rules do. The weights
-- are sums of powers of two, so float and double arithmetic agree.
-- This file runs afresh at every reset, so its top level sees the start
-- state: that is the baseline of the first step's deltas.

weights = {
  progress = 1.0,              -- each checkpoint passed in order
  finished = 8.0,              -- completing lap 3
  collision = -0.5,            -- each wall hit
  offroad_frames = -0.03125,   -- each frame on grass
  backward_frames = -0.03125,  -- each frame driving the wrong way
  race_timer = -0.0078125,     -- each frame of racing
}
-- A fixed order, so the sum rounds the same way in every formulation.
order = { "progress", "finished", "collision", "offroad_frames", "backward_frames", "race_timer" }

previous = {}
for _, name in ipairs(order) do
  previous[name] = data[name]
end

function reward()
  local total = 0.0
  for _, name in ipairs(order) do
    local value = data[name]
    local delta = value - previous[name]
    previous[name] = value
    if delta > 0 then
      total = total + delta * weights[name]
    end
  end
  return total
end

function done()
  return data.finished == 1 or data.stall_timer > 600
end
