#include "observation_pipeline.h"

#include <cstring>

#include "errors.h"
#include "frame_ops.h"

namespace rgym {

ObservationPipeline::ObservationPipeline(ObservationSpec spec, unsigned frameWidth, unsigned frameHeight)
    : spec_(spec),
      frameWidth_(frameWidth),
      frameHeight_(frameHeight),
      outWidth_(spec.width != 0 ? spec.width : frameWidth),
      outHeight_(spec.height != 0 ? spec.height : frameHeight) {
  if (frameWidth == 0 || frameHeight == 0 || outWidth_ > 4096 || outHeight_ > 4096) {
    throw EmulatorError("INVALID_ARGUMENT", "bad observation size");
  }
  if (spec_.gray) gray_.resize(static_cast<size_t>(frameWidth) * frameHeight);
  accumulators_.resize(resizeAreaScratchSize(frameWidth, channels()));
}

void ObservationPipeline::apply(const uint8_t* rgb, unsigned width, unsigned height, uint8_t* out) {
  if (width != frameWidth_ || height != frameHeight_) {
    throw EmulatorError("INVALID_ARGUMENT", "the core changed its picture size to " + std::to_string(width) + "x" +
                                                std::to_string(height) + "; preprocessed observations need a fixed size");
  }
  const uint8_t* source = rgb;
  if (spec_.gray) {
    rgbToGray(rgb, gray_.data(), gray_.size());
    source = gray_.data();
  }
  if (outWidth_ == frameWidth_ && outHeight_ == frameHeight_) {
    std::memcpy(out, source, outputBytes());
    return;
  }
  resizeArea(source, frameWidth_, frameHeight_, channels(), out, outWidth_, outHeight_, accumulators_.data());
}

}  // namespace rgym
