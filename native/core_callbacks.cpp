#include "core_callbacks.h"

#include <cstdarg>
#include <cstdio>

#include "emulator.h"

namespace rgym {
namespace {

thread_local Emulator* tlsCurrent = nullptr;

bool environmentCallback(unsigned cmd, void* data) {
  return tlsCurrent != nullptr && tlsCurrent->onEnvironment(cmd, data);
}

void videoCallback(const void* data, unsigned width, unsigned height, size_t pitch) {
  if (tlsCurrent != nullptr) tlsCurrent->onVideo(data, width, height, pitch);
}

void audioSampleCallback(int16_t left, int16_t right) {
  const int16_t frame[2] = {left, right};
  if (tlsCurrent != nullptr) tlsCurrent->onAudio(frame, 1);
}

size_t audioBatchCallback(const int16_t* samples, size_t frames) {
  if (tlsCurrent != nullptr) tlsCurrent->onAudio(samples, frames);
  return frames;
}

void inputPollCallback() {}

int16_t inputStateCallback(unsigned port, unsigned device, unsigned index, unsigned id) {
  return tlsCurrent != nullptr ? tlsCurrent->onInputState(port, device, index, id) : 0;
}

}  // namespace

CoreCallScope::CoreCallScope(Emulator* emulator) : previous_(tlsCurrent) { tlsCurrent = emulator; }

CoreCallScope::~CoreCallScope() { tlsCurrent = previous_; }

void connectCallbacks(CoreLibrary& core) {
  core.retro_set_environment(environmentCallback);
  core.retro_set_video_refresh(videoCallback);
  core.retro_set_audio_sample(audioSampleCallback);
  core.retro_set_audio_sample_batch(audioBatchCallback);
  core.retro_set_input_poll(inputPollCallback);
  core.retro_set_input_state(inputStateCallback);
}

void coreLogCallback(retro_log_level level, const char* format, ...) {
  char message[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  if (tlsCurrent != nullptr) tlsCurrent->onLog(level, message);
}

}  // namespace rgym
