#include "observation_pipeline.h"

#include "errors.h"

namespace rgym {

ObservationPipeline::ObservationPipeline(ObservationSpec spec, unsigned frameWidth, unsigned frameHeight, uint8_t* out)
    : spec_(spec),
      frameWidth_(frameWidth),
      frameHeight_(frameHeight),
      outWidth_(spec.width != 0 ? spec.width : frameWidth),
      outHeight_(spec.height != 0 ? spec.height : frameHeight),
      out_(out) {
  if (frameWidth == 0 || frameHeight == 0 || frameWidth > 4096 || frameHeight > 4096 || outWidth_ > 4096 || outHeight_ > 4096) {
    throw EmulatorError("INVALID_ARGUMENT", "bad observation size");
  }
  held_.resize(workingBytes());
  if (outWidth_ != frameWidth_ || outHeight_ != frameHeight_) {
    current_.resize(workingBytes());  // without a resize the picture is made in the output itself
    resizer_.emplace(frameWidth_, frameHeight_, outWidth_, outHeight_, channels());
  }
}

bool ObservationPipeline::convert(const RawFrame& frame, uint8_t* dst) noexcept {
  if (frame.width != frameWidth_ || frame.height != frameHeight_) {
    if (error_.empty()) {
      error_ = "the core changed its picture size to " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
               "; preprocessed observations need a fixed size (" + std::to_string(frameWidth_) + "x" +
               std::to_string(frameHeight_) + ")";
    }
    return false;
  }
  if (spec_.gray) {
    convertToGray(frame, dst);
  } else {
    convertToRgb24(frame, dst);
  }
  return true;
}

void ObservationPipeline::hold(const RawFrame& frame) noexcept { haveHeld_ = convert(frame, held_.data()); }

void ObservationPipeline::show(const RawFrame& frame, bool poolWithHeld) noexcept {
  const bool pool = poolWithHeld && haveHeld_;
  haveHeld_ = false;
  // Without a resize the picture can be made in the output itself.
  uint8_t* picture = resizer_ ? current_.data() : out_;
  if (!convert(frame, picture)) return;
  if (pool) maxPool(picture, held_.data(), picture, workingBytes());
  if (resizer_) resizer_->apply(picture, out_);
}

void ObservationPipeline::throwIfFailed() {
  if (error_.empty()) return;
  std::string message;
  message.swap(error_);
  throw EmulatorError("INVALID_ARGUMENT", message);
}

}  // namespace rgym
