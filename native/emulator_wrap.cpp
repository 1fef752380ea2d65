#include "emulator_wrap.h"

#include <malloc.h>

#include <chrono>

#include "errors.h"
#include "napi_args.h"
#include "napi_guard.h"

namespace rgym {

Napi::Function EmulatorWrap::Define(Napi::Env env) {
  return DefineClass(env, "NativeEmulator",
                     {
                         InstanceMethod("loadGame", &EmulatorWrap::LoadGame),
                         InstanceMethod("systemInfo", &EmulatorWrap::SystemInfo),
                         InstanceMethod("avInfo", &EmulatorWrap::AvInfo),
                         InstanceMethod("setControllerPortDevice", &EmulatorWrap::SetControllerPortDevice),
                         InstanceMethod("setInput", &EmulatorWrap::SetInput),
                         InstanceMethod("setAnalog", &EmulatorWrap::SetAnalog),
                         InstanceMethod("setVideoEnabled", &EmulatorWrap::SetVideoEnabled),
                         InstanceMethod("setStateTrial", &EmulatorWrap::SetStateTrial),
                         InstanceMethod("run", &EmulatorWrap::Run),
                         InstanceMethod("runRawBenchmark", &EmulatorWrap::RunRawBenchmark),
                         InstanceMethod("reset", &EmulatorWrap::Reset),
                         InstanceMethod("setFrameBuffer", &EmulatorWrap::SetFrameBuffer),
                         InstanceMethod("frameSize", &EmulatorWrap::FrameSize),
                         InstanceMethod("setAudioCapture", &EmulatorWrap::SetAudioCapture),
                         InstanceMethod("setStateSizeSlack", &EmulatorWrap::SetStateSizeSlack),
                         InstanceMethod("takeAudio", &EmulatorWrap::TakeAudio),
                         InstanceMethod("memoryRegions", &EmulatorWrap::MemoryRegions),
                         InstanceMethod("memoryDescriptors", &EmulatorWrap::MemoryDescriptors),
                         InstanceMethod("setAddressBlocks", &EmulatorWrap::SetAddressBlocks),
                         InstanceMethod("readAddress", &EmulatorWrap::ReadAddress),
                         InstanceMethod("writeAddress", &EmulatorWrap::WriteAddress),
                         InstanceMethod("saveState", &EmulatorWrap::SaveState),
                         InstanceMethod("loadState", &EmulatorWrap::LoadState),
                         InstanceMethod("options", &EmulatorWrap::Options),
                         InstanceMethod("setOption", &EmulatorWrap::SetOption),
                         InstanceMethod("recentLog", &EmulatorWrap::RecentLog),
                         InstanceMethod("close", &EmulatorWrap::Close),
                     });
}

EmulatorWrap::EmulatorWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EmulatorWrap>(info) {
  guarded(info.Env(), [&]() -> Napi::Value {
    const std::string corePath = stringArg(info, 0, "corePath");
    const std::string workDir = stringArg(info, 1, "workDir");
    // Optional: false keeps this emulator's core copy out of the core pool (a descriptor's "reusable": false).
    const bool reusable = info.Length() < 3 || info[2].IsUndefined() || info[2].ToBoolean().Value();
    owner_ = std::make_shared<Owner>();
    owner_->emulator = std::make_unique<Emulator>(corePath, workDir, reusable);
    return info.Env().Undefined();
  }, "CORE_LOAD_FAILED");
}

// Collected without close(): the emulator goes now, unless views of its memory still hold it (see Owner).
EmulatorWrap::~EmulatorWrap() { owner_.reset(); }

Emulator& EmulatorWrap::open(const Napi::Env& /*env*/) {
  Emulator* emulator = this->emulator();
  if (emulator == nullptr) throw EmulatorError("EMULATOR_CLOSED", "the emulator is closed");
  return *emulator;
}

void EmulatorWrap::setFrameSink(std::unique_ptr<FrameSink> sink, Napi::Uint8Array out) {
  Emulator* emulator = this->emulator();
  if (emulator == nullptr) return;
  const bool attach = sink != nullptr;
  emulator->setFrameSink(std::move(sink));
  if (attach) {
    sinkOutput_ = Napi::Persistent(out);
  } else {
    sinkOutput_.Reset();
  }
}

void EmulatorWrap::release() {
  for (auto& ref : externalViews_) {
    if (!ref.IsEmpty()) {
      Napi::ArrayBuffer view = ref.Value();
      if (!view.IsEmpty() && !view.IsDetached()) view.Detach();
    }
  }
  externalViews_.clear();
  frameBuffer_.Reset();
  // The views are detached, so nothing can read the core's memory: unload it now, whoever still holds the owner.
  if (owner_) owner_->emulator.reset();
  owner_.reset();
  sinkOutput_.Reset();
  // A closed core frees megabytes at once; hand them back to the OS so long runs that open and close many
  // emulators keep a flat footprint.
  malloc_trim(0);
}

Napi::Value EmulatorWrap::LoadGame(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    const std::string path = stringArg(info, 0, "romPath");
    std::vector<uint8_t> bytes;
    if (info.Length() > 1 && !info[1].IsUndefined()) {
      Napi::Uint8Array data = bytesArg(info, 1, "romBytes");
      bytes.assign(data.Data(), data.Data() + data.ByteLength());
    }
    emu.loadGame(path, bytes);
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::SystemInfo(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const rgym::SystemInfo& s = open(info.Env()).systemInfo();
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("libraryName", s.libraryName);
    out.Set("libraryVersion", s.libraryVersion);
    out.Set("validExtensions", s.validExtensions);
    out.Set("needFullpath", s.needFullpath);
    out.Set("blockExtract", s.blockExtract);
    return out;
  });
}

Napi::Value EmulatorWrap::AvInfo(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const rgym::AvInfo& a = open(info.Env()).avInfo();
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("baseWidth", a.baseWidth);
    out.Set("baseHeight", a.baseHeight);
    out.Set("maxWidth", a.maxWidth);
    out.Set("maxHeight", a.maxHeight);
    out.Set("aspectRatio", a.aspectRatio);
    out.Set("fps", a.fps);
    out.Set("sampleRate", a.sampleRate);
    return out;
  });
}

Napi::Value EmulatorWrap::SetControllerPortDevice(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    open(info.Env()).setControllerPortDevice(uintArg(info, 0, "port"), uintArg(info, 1, "device"));
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::SetInput(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    const uint32_t port = uintArg(info, 0, "port");
    const uint32_t mask = uintArg(info, 1, "buttons");
    if (port >= Emulator::kMaxPorts) throw EmulatorError("INVALID_ARGUMENT", "port out of range");
    if (mask > 0xffff) throw EmulatorError("INVALID_ARGUMENT", "button mask must fit in 16 bits");
    emu.setInput(port, static_cast<uint16_t>(mask));
    return info.Env().Undefined();
  });
}

// setAnalog(port, stick, x, y): libretro's analog axes, y positive down.
Napi::Value EmulatorWrap::SetAnalog(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    const uint32_t port = uintArg(info, 0, "port");
    const uint32_t stick = uintArg(info, 1, "stick");
    if (port >= Emulator::kMaxPorts) throw EmulatorError("INVALID_ARGUMENT", "port out of range");
    if (stick > 1) throw EmulatorError("INVALID_ARGUMENT", "stick must be 0 (left) or 1 (right)");
    emu.setAnalog(port, stick, static_cast<int16_t>(intArg(info, 2, "x", -32768, 32767)),
                  static_cast<int16_t>(intArg(info, 3, "y", -32768, 32767)));
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::SetStateTrial(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsBoolean()) throw EmulatorError("INVALID_ARGUMENT", "enabled must be a boolean");
    open(info.Env()).setStateTrial(info[0].As<Napi::Boolean>().Value());
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::SetVideoEnabled(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsBoolean()) throw EmulatorError("INVALID_ARGUMENT", "enabled must be a boolean");
    open(info.Env()).setVideoEnabled(info[0].As<Napi::Boolean>().Value());
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::Run(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    open(info.Env()).run(uintArg(info, 0, "frames"));
    return info.Env().Undefined();
  });
}

// Runs `frames` frames in a tight native loop with no frame conversion: the core's own speed, for benchmarks.
Napi::Value EmulatorWrap::RunRawBenchmark(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    const uint32_t frames = uintArg(info, 0, "frames");
    const auto start = std::chrono::steady_clock::now();
    emu.runUnobserved(frames);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    return Napi::Number::New(info.Env(), elapsed.count());
  });
}

Napi::Value EmulatorWrap::Reset(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    open(info.Env()).reset();
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::SetFrameBuffer(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    Napi::Uint8Array target = bytesArg(info, 0, "frameBuffer");
    frameBuffer_ = Napi::Reference<Napi::Uint8Array>::New(target, 1);
    emu.setFrameTarget({target.Data(), target.ByteLength()});
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::FrameSize(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    emu.syncFrameTarget();  // JS reads the frame buffer next: bring it up to date if a frame sink skipped it
    Napi::Array out = Napi::Array::New(info.Env(), 2);
    out.Set(0u, emu.frameWidth());
    out.Set(1u, emu.frameHeight());
    return out;
  });
}

Napi::Value EmulatorWrap::SetAudioCapture(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsBoolean()) throw EmulatorError("INVALID_ARGUMENT", "enabled must be a boolean");
    open(info.Env()).setAudioCapture(info[0].As<Napi::Boolean>().Value());
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::TakeAudio(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::vector<int16_t> samples = open(info.Env()).takeAudio();
    Napi::Int16Array out = Napi::Int16Array::New(info.Env(), samples.size());
    std::copy(samples.begin(), samples.end(), out.Data());
    return out;
  });
}

Napi::Value EmulatorWrap::Options(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::vector<CoreOption> options = open(info.Env()).options();
    Napi::Array out = Napi::Array::New(info.Env(), options.size());
    for (size_t i = 0; i < options.size(); ++i) {
      Napi::Object o = Napi::Object::New(info.Env());
      o.Set("key", options[i].key);
      o.Set("description", options[i].description);
      o.Set("defaultValue", options[i].defaultValue);
      o.Set("value", options[i].value);
      Napi::Array choices = Napi::Array::New(info.Env(), options[i].choices.size());
      for (size_t c = 0; c < options[i].choices.size(); ++c) choices.Set(static_cast<uint32_t>(c), options[i].choices[c]);
      o.Set("choices", choices);
      out.Set(static_cast<uint32_t>(i), o);
    }
    return out;
  });
}

Napi::Value EmulatorWrap::SetOption(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    open(info.Env()).setOption(stringArg(info, 0, "key"), stringArg(info, 1, "value"));
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::RecentLog(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const auto& lines = open(info.Env()).recentLog();
    Napi::Array out = Napi::Array::New(info.Env(), lines.size());
    for (size_t i = 0; i < lines.size(); ++i) out.Set(static_cast<uint32_t>(i), lines[i]);
    return out;
  });
}

Napi::Value EmulatorWrap::Close(const Napi::CallbackInfo& info) {
  release();
  return info.Env().Undefined();
}

}  // namespace rgym
