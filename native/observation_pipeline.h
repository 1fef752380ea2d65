// The one place where a core's picture becomes an observation. A pipeline takes the pictures a core hands over
// and writes what an agent (or a screen) sees, natively, straight from the core's buffer, so batched envs work on
// their worker threads and nothing is converted that is not shown. It comes in two shapes:
//
// - preprocessed: gray or RGB, optionally area-resized, at a size fixed when it is made (observation spaces have
//   one shape); a frame of any other size is refused. The order is Gymnasium's AtariPreprocessing: each frame is
//   converted at full size, the last two of a step are max-pooled, and the pooled picture is resized.
// - the core's own picture: RGB24 at whatever size the core draws, which may change mid-run (SNES switches
//   between 256 and 512 wide); the rows that do not fit in the target are cut.
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

// A writable destination owned by the caller (a JS buffer, or a slot of a batch buffer).
struct FrameTarget {
  uint8_t* data = nullptr;
  size_t capacity = 0;
};

class ObservationPipeline final : public FrameSink {
 public:
  // Preprocessed observations of a fixed size, written into `out` (outputBytes() long, owned by the caller).
  ObservationPipeline(ObservationSpec spec, unsigned frameWidth, unsigned frameHeight, uint8_t* out);
  // The core's own picture as RGB24, at its current size, into `target`. Nothing is written while it has no data.
  explicit ObservationPipeline(FrameTarget target);

  size_t outputBytes() const { return static_cast<size_t>(outWidth_) * outHeight_ * channels(); }
  unsigned channels() const { return spec_.gray ? 1 : 3; }
  // The core's own picture: where it goes, and the size of the last one written (0 × 0 before the first).
  void setTarget(FrameTarget target) { target_ = target; }
  unsigned width() const { return outWidth_; }
  unsigned height() const { return outHeight_; }

  void hold(const RawFrame& frame) noexcept override;
  void show(const RawFrame& frame, bool poolWithHeld) noexcept override;
  // Preprocessed: a frame of another size than the pipeline was made for (a core switching resolution) is
  // refused here.
  void throwIfFailed() override;
  // Drops the held frame, so the next show() is not pooled with a frame from before (a switch of sinks).
  void forgetHeld() { haveHeld_ = false; }

 private:
  size_t workingBytes() const { return static_cast<size_t>(frameWidth_) * frameHeight_ * channels(); }
  // The rows of a frame of this width that fit in the target.
  unsigned rowsThatFit(const RawFrame& frame) const;
  // Converts a fixed-size frame to gray or RGB24 at full size; false (and a kept error) if its size is another.
  bool convertFixed(const RawFrame& frame, uint8_t* dst) noexcept;
  void showFixed(const RawFrame& frame, bool pool) noexcept;
  void showFollowing(const RawFrame& frame, bool pool) noexcept;

  ObservationSpec spec_;
  bool followsCore_ = false;  // the core's own picture, at its own size
  FrameTarget target_;        // preprocessed: data only (outputBytes() long)
  unsigned frameWidth_ = 0, frameHeight_ = 0;  // the frame size: fixed, or that of the held frame when following
  unsigned outWidth_ = 0, outHeight_ = 0;
  std::vector<uint8_t> held_, current_;
  bool haveHeld_ = false;
  std::optional<AreaResizer> resizer_;  // set when the output size differs from the frame's
  std::string error_;
};

}  // namespace rgym
