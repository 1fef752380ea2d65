// The N-API face of Emulator: argument checking, Buffer/TypedArray plumbing and error translation. No emulation
// logic lives here.
#pragma once

#include <napi.h>

#include <memory>
#include <vector>

#include "emulator.h"
#include "napi_guard.h"

namespace rgym {

class EmulatorWrap : public Napi::ObjectWrap<EmulatorWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit EmulatorWrap(const Napi::CallbackInfo& info);
  ~EmulatorWrap() override;

  // For the batch stepper: the emulator behind a JS object, or nullptr when closed.
  Emulator* emulator() { return owner_ ? owner_->emulator.get() : nullptr; }
  // Gives the emulator a frame sink that writes into `out`, which then lives as long as the emulator (or until the
  // next call), so a sink never writes into freed memory whoever goes first. An empty `sink` removes it.
  void setFrameSink(std::unique_ptr<FrameSink> sink, Napi::Uint8Array out);

 private:
  Emulator& open(const Napi::Env& env);
  void release();

  Napi::Value LoadGame(const Napi::CallbackInfo& info);
  Napi::Value SystemInfo(const Napi::CallbackInfo& info);
  Napi::Value AvInfo(const Napi::CallbackInfo& info);
  Napi::Value SetControllerPortDevice(const Napi::CallbackInfo& info);
  Napi::Value SetInput(const Napi::CallbackInfo& info);
  Napi::Value SetAnalog(const Napi::CallbackInfo& info);
  Napi::Value SetVideoEnabled(const Napi::CallbackInfo& info);
  Napi::Value SetStateTrial(const Napi::CallbackInfo& info);
  Napi::Value Run(const Napi::CallbackInfo& info);
  Napi::Value RunRawBenchmark(const Napi::CallbackInfo& info);
  Napi::Value Reset(const Napi::CallbackInfo& info);
  Napi::Value SetFrameBuffer(const Napi::CallbackInfo& info);
  Napi::Value FrameSize(const Napi::CallbackInfo& info);
  Napi::Value SetAudioCapture(const Napi::CallbackInfo& info);
  Napi::Value TakeAudio(const Napi::CallbackInfo& info);
  Napi::Value Options(const Napi::CallbackInfo& info);
  Napi::Value SetOption(const Napi::CallbackInfo& info);
  Napi::Value RecentLog(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  // Memory and states, in emulator_wrap_memory.cpp.
  Napi::Value MemoryRegions(const Napi::CallbackInfo& info);
  Napi::Value MemoryDescriptors(const Napi::CallbackInfo& info);
  Napi::Value SetAddressBlocks(const Napi::CallbackInfo& info);
  Napi::Value ReadAddress(const Napi::CallbackInfo& info);
  Napi::Value WriteAddress(const Napi::CallbackInfo& info);
  Napi::Value SaveState(const Napi::CallbackInfo& info);
  Napi::Value LoadState(const Napi::CallbackInfo& info);
  Napi::Value SetStateSizeSlack(const Napi::CallbackInfo& info);
  Napi::ArrayBuffer externalView(const Napi::Env& env, uint8_t* data, size_t size);

  // The emulator, shared with every zero-copy view of its memory: close() detaches the views and destroys it at
  // once, but a wrapper collected without close() cannot detach them, so the views keep it (core and RAM) alive
  // until the last of them is collected too, instead of pointing into an unloaded core.
  struct Owner {
    std::unique_ptr<Emulator> emulator;
  };
  std::shared_ptr<Owner> owner_;
  Napi::Reference<Napi::Uint8Array> frameBuffer_;
  Napi::Reference<Napi::Uint8Array> sinkOutput_;  // what the frame sink writes into
  // Zero-copy views handed to JS; detached on close so a stale view reads as empty instead of freed memory.
  std::vector<Napi::Reference<Napi::ArrayBuffer>> externalViews_;
};

}  // namespace rgym
