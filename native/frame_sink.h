// Where an emulator's pictures go: an ObservationPipeline, either the core's own picture as RGB24 or native
// observation preprocessing. The emulator calls it from inside the core's video callback, with the core's own
// buffer, so a sink can work on the picture without first copying it.
#pragma once

#include "frame.h"

namespace rgym {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // A frame to be pooled with the next one. Must not throw: it runs inside the core; problems are kept for
  // throwIfFailed().
  virtual void hold(const RawFrame& frame) noexcept = 0;
  // A frame to show; with `poolWithHeld`, max-pooled with the frame held just before it.
  virtual void show(const RawFrame& frame, bool poolWithHeld) noexcept = 0;
  // Throws (and forgets) the first problem since the last call; the emulator calls it after every frame.
  virtual void throwIfFailed() = 0;
};

}  // namespace rgym
