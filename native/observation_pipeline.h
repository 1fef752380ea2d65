// Turns the pictures a core hands over into the observation an agent sees — optionally grey, optionally
// area-resized, optionally the max of the step's last two frames — natively, straight from the core's buffer, so
// batched envs preprocess on their worker threads and nothing is converted that is not observed.
//
// The order is Gymnasium's AtariPreprocessing: each frame is converted (grey or RGB) at full size, the last two of
// a step are max-pooled, and the pooled picture is resized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "frame_ops.h"
#include "frame_sink.h"

namespace rgym {

struct ObservationSpec {
  bool gray = false;
  unsigned width = 0, height = 0;  // 0 = the frame's own size
};

class ObservationPipeline final : public FrameSink {
 public:
  // Writes each shown observation into `out` (outputBytes() long, owned by the caller).
  ObservationPipeline(ObservationSpec spec, unsigned frameWidth, unsigned frameHeight, uint8_t* out);
  size_t outputBytes() const { return static_cast<size_t>(outWidth_) * outHeight_ * channels(); }
  unsigned channels() const { return spec_.gray ? 1 : 3; }

  void hold(const RawFrame& frame) noexcept override;
  void show(const RawFrame& frame, bool poolWithHeld) noexcept override;
  // A frame of another size than the pipeline was made for (a core switching resolution) is refused here.
  void throwIfFailed() override;

 private:
  size_t workingBytes() const { return static_cast<size_t>(frameWidth_) * frameHeight_ * channels(); }
  // Converts a frame to grey or RGB24 at full size; false (and a kept error) if its size is not the expected one.
  bool convert(const RawFrame& frame, uint8_t* dst) noexcept;

  ObservationSpec spec_;
  unsigned frameWidth_, frameHeight_, outWidth_, outHeight_;
  uint8_t* out_;
  std::vector<uint8_t> held_, current_;
  bool haveHeld_ = false;
  std::optional<AreaResizer> resizer_;  // set when the output size differs from the frame's
  std::string error_;
};

}  // namespace rgym
