#include "observation_pipeline.h"

#include <algorithm>

#include "errors.h"

namespace rgym {

ObservationPipeline::ObservationPipeline(ObservationSpec spec, unsigned frameWidth, unsigned frameHeight, uint8_t* out)
    : spec_(spec),
      target_{out, 0},
      frameWidth_(frameWidth),
      frameHeight_(frameHeight),
      outWidth_(spec.width != 0 ? spec.width : frameWidth),
      outHeight_(spec.height != 0 ? spec.height : frameHeight) {
  if (frameWidth == 0 || frameHeight == 0 || frameWidth > 4096 || frameHeight > 4096 || outWidth_ > 4096 || outHeight_ > 4096) {
    throw EmulatorError("INVALID_ARGUMENT", "bad observation size");
  }
  target_.capacity = outputBytes();
  held_.resize(workingBytes());
  if (outWidth_ != frameWidth_ || outHeight_ != frameHeight_) {
    current_.resize(workingBytes());  // without a resize the picture is made in the output itself
    resizer_.emplace(frameWidth_, frameHeight_, outWidth_, outHeight_, channels());
  }
}

ObservationPipeline::ObservationPipeline(FrameTarget target) : followsCore_(true), target_(target) {}

void ObservationPipeline::hold(const RawFrame& frame) noexcept {
  if (!followsCore_) {
    haveHeld_ = convertFixed(frame, held_.data());
    return;
  }
  // Only the rows that will be shown are kept; the size is remembered, so a frame of another size is not pooled.
  haveHeld_ = target_.data != nullptr;
  if (!haveHeld_) return;
  frameWidth_ = frame.width;
  frameHeight_ = rowsThatFit(frame);
  held_.resize(static_cast<size_t>(frameWidth_) * frameHeight_ * 3);
  convertToRgb24(frame.data, frameWidth_, frameHeight_, frame.pitch, frame.format, held_.data());
}

void ObservationPipeline::show(const RawFrame& frame, bool poolWithHeld) noexcept {
  const bool pool = poolWithHeld && haveHeld_;
  haveHeld_ = false;
  if (followsCore_) {
    showFollowing(frame, pool);
  } else {
    showFixed(frame, pool);
  }
}

unsigned ObservationPipeline::rowsThatFit(const RawFrame& frame) const {
  return static_cast<unsigned>(std::min<size_t>(frame.height, target_.capacity / (size_t{frame.width} * 3)));
}

void ObservationPipeline::showFollowing(const RawFrame& frame, bool pool) noexcept {
  if (target_.data == nullptr) return;
  const unsigned rows = rowsThatFit(frame);
  convertToRgb24(frame.data, frame.width, rows, frame.pitch, frame.format, target_.data);
  outWidth_ = frame.width;
  outHeight_ = rows;
  // A held frame of another width (the core switched resolution between the two) is not pooled.
  if (pool && frameWidth_ == frame.width && frameHeight_ >= rows) {
    maxPool(target_.data, held_.data(), target_.data, static_cast<size_t>(frame.width) * rows * 3);
  }
}

void ObservationPipeline::showFixed(const RawFrame& frame, bool pool) noexcept {
  // Without a resize the picture can be made in the output itself.
  uint8_t* picture = resizer_ ? current_.data() : target_.data;
  if (!convertFixed(frame, picture)) return;
  if (pool) maxPool(picture, held_.data(), picture, workingBytes());
  if (resizer_) resizer_->apply(picture, target_.data);
}

bool ObservationPipeline::convertFixed(const RawFrame& frame, uint8_t* dst) noexcept {
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

void ObservationPipeline::throwIfFailed() {
  if (error_.empty()) return;
  std::string message;
  message.swap(error_);
  throw EmulatorError("INVALID_ARGUMENT", message);
}

}  // namespace rgym
