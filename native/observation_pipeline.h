// Turns an emulator's RGB frame into the observation an agent sees — optionally grey, optionally area-resized —
// natively, so batched envs preprocess on their worker threads. Scratch buffers are sized once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rgym {

struct ObservationSpec {
  bool gray = false;
  unsigned width = 0, height = 0;  // 0 = the frame's own size
};

class ObservationPipeline {
 public:
  ObservationPipeline(ObservationSpec spec, unsigned frameWidth, unsigned frameHeight);
  size_t outputBytes() const { return static_cast<size_t>(outWidth_) * outHeight_ * channels(); }
  unsigned channels() const { return spec_.gray ? 1 : 3; }
  // `rgb` is a packed width × height RGB24 frame; a frame of another size (a core switching resolution) is refused.
  void apply(const uint8_t* rgb, unsigned width, unsigned height, uint8_t* out);

 private:
  ObservationSpec spec_;
  unsigned frameWidth_, frameHeight_, outWidth_, outHeight_;
  std::vector<uint8_t> gray_;
  std::vector<uint32_t> accumulators_;
};

}  // namespace rgym
