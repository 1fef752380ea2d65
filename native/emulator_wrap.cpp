#include "emulator_wrap.h"

#include <malloc.h>

#include <chrono>

#include "errors.h"
#include "napi_guard.h"

namespace rgym {

namespace {

uint32_t uintArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a number");
  }
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!(value >= 0) || value > 4294967295.0 || value != static_cast<double>(static_cast<uint32_t>(value))) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a non-negative integer");
  }
  return static_cast<uint32_t>(value);
}

std::string stringArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsString()) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a string");
  }
  return info[index].As<Napi::String>().Utf8Value();
}

Napi::Uint8Array bytesArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a Uint8Array or Buffer");
  }
  return info[index].As<Napi::Uint8Array>();
}

}  // namespace

Napi::Function EmulatorWrap::Define(Napi::Env env) {
  return DefineClass(env, "NativeEmulator",
                     {
                         InstanceMethod("loadGame", &EmulatorWrap::LoadGame),
                         InstanceMethod("systemInfo", &EmulatorWrap::SystemInfo),
                         InstanceMethod("avInfo", &EmulatorWrap::AvInfo),
                         InstanceMethod("setControllerPortDevice", &EmulatorWrap::SetControllerPortDevice),
                         InstanceMethod("setInput", &EmulatorWrap::SetInput),
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

Napi::ArrayBuffer EmulatorWrap::externalView(const Napi::Env& env, uint8_t* data, size_t size) {
  auto* keepAlive = new std::shared_ptr<Owner>(owner_);
  Napi::ArrayBuffer view = Napi::ArrayBuffer::New(
      env, data, size, [](Napi::Env /*env*/, void* /*data*/, std::shared_ptr<Owner>* hint) { delete hint; }, keepAlive);
  externalViews_.push_back(Napi::Reference<Napi::ArrayBuffer>::New(view, 0));
  return view;
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

Napi::Value EmulatorWrap::SetStateSizeSlack(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw EmulatorError("INVALID_ARGUMENT", "bytes must be a number");
    const double bytes = info[0].As<Napi::Number>().DoubleValue();
    if (!(bytes >= 0 && bytes <= 1048576)) throw EmulatorError("INVALID_ARGUMENT", "bytes must be in [0, 1048576]");
    open(info.Env()).setStateSizeSlack(static_cast<size_t>(bytes));
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

Napi::Value EmulatorWrap::MemoryRegions(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Napi::Object out = Napi::Object::New(info.Env());
    for (const MemoryRegionInfo& region : open(info.Env()).memoryRegions()) {
      out.Set(region.id, externalView(info.Env(), region.data, region.size));
    }
    return out;
  });
}

Napi::Value EmulatorWrap::MemoryDescriptors(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const auto& descriptors = open(info.Env()).memoryDescriptors();
    Napi::Array out = Napi::Array::New(info.Env(), descriptors.size());
    for (size_t i = 0; i < descriptors.size(); ++i) {
      const retro_memory_descriptor& d = descriptors[i];
      Napi::Object o = Napi::Object::New(info.Env());
      o.Set("flags", static_cast<double>(d.flags));
      o.Set("start", static_cast<double>(d.start));
      o.Set("select", static_cast<double>(d.select));
      o.Set("disconnect", static_cast<double>(d.disconnect));
      o.Set("length", static_cast<double>(d.len));
      o.Set("offset", static_cast<double>(d.offset));
      o.Set("addressSpace", d.addrspace != nullptr ? Napi::String::New(info.Env(), d.addrspace) : info.Env().Null());
      if (d.ptr != nullptr && d.len > 0) {
        o.Set("data", externalView(info.Env(), static_cast<uint8_t*>(d.ptr) + d.offset, d.len));
      } else {
        o.Set("data", info.Env().Null());
      }
      out.Set(static_cast<uint32_t>(i), o);
    }
    return out;
  });
}

// blocks: [{start, length, region (RETRO_MEMORY_* id), offset}] in bus-address order of preference. Blocks over a
// region the core does not expose are skipped; a block longer than its region is cut to fit. Returns the mapped
// blocks as [{start, length}].
Napi::Value EmulatorWrap::SetAddressBlocks(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    if (info.Length() < 1 || !info[0].IsArray()) throw EmulatorError("INVALID_ARGUMENT", "blocks must be an array");
    Napi::Array blocks = info[0].As<Napi::Array>();
    const std::vector<MemoryRegionInfo> regions = emu.memoryRegions();
    AddressSpace& space = emu.addressSpace();
    space.clear();
    Napi::Array mapped = Napi::Array::New(info.Env());
    for (uint32_t i = 0; i < blocks.Length(); ++i) {
      Napi::Object b = blocks.Get(i).As<Napi::Object>();
      const double start = b.Get("start").As<Napi::Number>().DoubleValue();
      const double length = b.Get("length").As<Napi::Number>().DoubleValue();
      const unsigned region = b.Get("region").As<Napi::Number>().Uint32Value();
      const double offset = b.Has("offset") ? b.Get("offset").As<Napi::Number>().DoubleValue() : 0;
      for (const MemoryRegionInfo& r : regions) {
        if (r.id != region || offset >= static_cast<double>(r.size)) continue;
        const uint64_t usable = std::min<uint64_t>(static_cast<uint64_t>(length), r.size - static_cast<uint64_t>(offset));
        space.add({static_cast<uint64_t>(start), usable, r.data + static_cast<uint64_t>(offset)});
        Napi::Object m = Napi::Object::New(info.Env());
        m.Set("start", start);
        m.Set("length", static_cast<double>(usable));
        mapped.Set(mapped.Length(), m);
      }
    }
    return mapped;
  });
}

Napi::Value EmulatorWrap::ReadAddress(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    const uint32_t address = uintArg(info, 0, "address");
    const uint32_t length = uintArg(info, 1, "length");
    const uint8_t* data = emu.addressSpace().require(address, length);
    return Napi::Buffer<uint8_t>::Copy(info.Env(), data, length);
  });
}

Napi::Value EmulatorWrap::WriteAddress(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    const uint32_t address = uintArg(info, 0, "address");
    Napi::Uint8Array bytes = bytesArg(info, 1, "bytes");
    uint8_t* data = emu.addressSpace().require(address, bytes.ByteLength());
    std::copy(bytes.Data(), bytes.Data() + bytes.ByteLength(), data);
    return info.Env().Undefined();
  });
}

Napi::Value EmulatorWrap::SaveState(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    const std::vector<uint8_t> state = open(info.Env()).saveState();
    return Napi::Buffer<uint8_t>::Copy(info.Env(), state.data(), state.size());
  });
}

Napi::Value EmulatorWrap::LoadState(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    Napi::Uint8Array state = bytesArg(info, 0, "state");
    emu.loadState(state.Data(), state.ByteLength());
    return info.Env().Undefined();
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
