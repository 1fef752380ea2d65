// The N-API face of N64Machine, shaped like NativeEmulator (emulator_wrap.h) so lib/emulator.ts drives either one:
// argument checks, N64 addressing of RDRAM, the VI scan-out into the caller's frame buffer, error translation.
#include <dlfcn.h>
#include <malloc.h>
#include <napi.h>

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>

#include "../errors.h"
#include "../napi_guard.h"
#include "n64_machine.h"
#include "vi_scanout.h"

namespace rgym::n64 {
namespace {

uint32_t uintArg(const Napi::CallbackInfo& info, size_t index, const char* name, double max = 4294967295.0) {
  const double value = (info.Length() > index && info[index].IsNumber()) ? info[index].As<Napi::Number>().DoubleValue() : -1;
  if (!(value >= 0) || value > max || value != static_cast<double>(static_cast<uint32_t>(value))) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be an integer in [0, " + std::to_string(static_cast<uint64_t>(max)) + "]");
  }
  return static_cast<uint32_t>(value);
}

int stickArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  const double value = (info.Length() > index && info[index].IsNumber()) ? info[index].As<Napi::Number>().DoubleValue() : 1e9;
  if (!(value >= -128 && value <= 127) || value != static_cast<double>(static_cast<int>(value))) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be an integer in [-128, 127]");
  }
  return static_cast<int>(value);
}

std::string stringProperty(const Napi::Object& object, const char* key) {
  Napi::Value value = object.Get(key);
  if (!value.IsString()) throw EmulatorError("INVALID_ARGUMENT", std::string(key) + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

Napi::Uint8Array bytesArg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (info.Length() <= index || !info[index].IsTypedArray() ||
      info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw EmulatorError("INVALID_ARGUMENT", std::string(name) + " must be a Uint8Array or Buffer");
  }
  return info[index].As<Napi::Uint8Array>();
}

// Our plugins are built next to the addon (cmake-js), or in its lib.target folder (node-gyp).
std::string besideAddon(const char* file) {
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&besideAddon), &self) == 0 || self.dli_fname == nullptr) return file;
  const std::filesystem::path folder = std::filesystem::path(self.dli_fname).parent_path();
  std::error_code ec;
  if (!std::filesystem::exists(folder / file, ec) && std::filesystem::exists(folder / "lib.target" / file, ec)) {
    return (folder / "lib.target" / file).string();
  }
  return (folder / file).string();
}

class N64Wrap : public Napi::ObjectWrap<N64Wrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeN64Emulator",
                       {
                           InstanceMethod("systemInfo", &N64Wrap::SystemInfo),
                           InstanceMethod("avInfo", &N64Wrap::AvInfo),
                           InstanceMethod("setInput", &N64Wrap::SetInput),
                           InstanceMethod("setAnalog", &N64Wrap::SetAnalog),
                           InstanceMethod("run", &N64Wrap::Run),
                           InstanceMethod("runRawBenchmark", &N64Wrap::RunRawBenchmark),
                           InstanceMethod("reset", &N64Wrap::Reset),
                           InstanceMethod("setFrameBuffer", &N64Wrap::SetFrameBuffer),
                           InstanceMethod("frameSize", &N64Wrap::FrameSize),
                           InstanceMethod("readAddress", &N64Wrap::ReadAddress),
                           InstanceMethod("writeAddress", &N64Wrap::WriteAddress),
                           InstanceMethod("saveState", &N64Wrap::SaveState),
                           InstanceMethod("loadState", &N64Wrap::LoadState),
                           InstanceMethod("recentLog", &N64Wrap::RecentLog),
                           InstanceMethod("close", &N64Wrap::Close),
                       });
  }

  // new NativeN64Emulator({ core, rsp, dataDir }, workDir, romBytes)
  explicit N64Wrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<N64Wrap>(info) {
    guarded(info.Env(), [&]() -> Napi::Value {
      if (info.Length() < 1 || !info[0].IsObject()) throw EmulatorError("INVALID_ARGUMENT", "files must be an object");
      const Napi::Object files = info[0].As<Napi::Object>();
      PluginFiles paths{stringProperty(files, "core"), stringProperty(files, "rsp"), besideAddon("rgym_n64_input.so"),
                        besideAddon("rgym_n64_video.so"), stringProperty(files, "dataDir")};
      if (info.Length() < 2 || !info[1].IsString()) throw EmulatorError("INVALID_ARGUMENT", "workDir must be a string");
      Napi::Uint8Array rom = bytesArg(info, 2, "romBytes");
      machine_ = std::make_unique<N64Machine>(paths, info[1].As<Napi::String>().Utf8Value(),
                                              std::vector<uint8_t>(rom.Data(), rom.Data() + rom.ByteLength()));
      return info.Env().Undefined();
    }, "CORE_LOAD_FAILED");
  }

 private:
  N64Machine& open() {
    if (!machine_) throw EmulatorError("EMULATOR_CLOSED", "the emulator is closed");
    return *machine_;
  }

  // N64 addressing: KSEG0/KSEG1 (0x80000000 / 0xA0000000) or physical, RDRAM only.
  size_t rdramOffset(uint32_t address, size_t length) {
    const size_t physical = address >= 0x80000000u && address < 0xC0000000u ? (address & 0x1FFFFFFFu) : address;
    if (physical + length > open().rdramSize()) {
      throw EmulatorError("ADDRESS_UNMAPPED", "N64 address range is outside RDRAM (0x80000000-based, " +
                                                  std::to_string(open().rdramSize()) + " bytes)");
    }
    return physical;
  }

  Napi::Value SystemInfo(const Napi::CallbackInfo& info) {
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("libraryName", "mupen64plus");
    out.Set("libraryVersion", "2");
    out.Set("validExtensions", "z64|n64|v64");
    out.Set("needFullpath", false);
    out.Set("blockExtract", false);
    return out;
  }

  Napi::Value AvInfo(const Napi::CallbackInfo& info) {
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("baseWidth", 320);
    out.Set("baseHeight", 240);
    out.Set("maxWidth", kMaxScanoutWidth);
    out.Set("maxHeight", kMaxScanoutHeight);
    out.Set("aspectRatio", 4.0 / 3.0);
    out.Set("fps", 60.0);
    out.Set("sampleRate", 0);
    return out;
  }

  void pushKeys(unsigned port) {
    const uint32_t word = buttons_[port] | (static_cast<uint32_t>(static_cast<uint8_t>(stickX_[port])) << 16) |
                          (static_cast<uint32_t>(static_cast<uint8_t>(stickY_[port])) << 24);
    open().setKeys(port, word);
  }

  Napi::Value SetInput(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const uint32_t port = uintArg(info, 0, "port", 3);
      buttons_[port] = uintArg(info, 1, "buttons", 0x3FFF);
      pushKeys(port);
      return info.Env().Undefined();
    });
  }

  Napi::Value SetAnalog(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const uint32_t port = uintArg(info, 0, "port", 3);
      stickX_[port] = stickArg(info, 1, "x");
      stickY_[port] = stickArg(info, 2, "y");
      pushKeys(port);
      return info.Env().Undefined();
    });
  }

  Napi::Value Run(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      open().run(uintArg(info, 0, "frames"));
      frameStale_ = true;
      return info.Env().Undefined();
    });
  }

  Napi::Value RunRawBenchmark(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const uint32_t frames = uintArg(info, 0, "frames");
      const auto start = std::chrono::steady_clock::now();
      open().run(frames);
      frameStale_ = true;
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
      return Napi::Number::New(info.Env(), elapsed.count());
    });
  }

  Napi::Value Reset(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      open().reset();
      frameStale_ = true;
      return info.Env().Undefined();
    });
  }

  Napi::Value SetFrameBuffer(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Napi::Uint8Array target = bytesArg(info, 0, "frameBuffer");
      if (target.ByteLength() < kMaxScanoutWidth * kMaxScanoutHeight * 3) {
        throw EmulatorError("INVALID_ARGUMENT", "the N64 frame buffer needs room for 640x480 RGB24");
      }
      frameBuffer_ = Napi::Reference<Napi::Uint8Array>::New(target, 1);
      frameStale_ = true;
      return info.Env().Undefined();
    });
  }

  // The picture is scanned out when asked for, not at every step: most steps never look at it.
  Napi::Value FrameSize(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      N64Machine& machine = open();
      if (frameStale_ && !frameBuffer_.IsEmpty()) {
        frameSize_ = scanOut(machine.gfx(), machine.rdramSize(), frameBuffer_.Value().Data());
        frameStale_ = false;
      }
      Napi::Array out = Napi::Array::New(info.Env(), 2);
      out.Set(0u, frameSize_.width);
      out.Set(1u, frameSize_.height);
      return out;
    });
  }

  Napi::Value ReadAddress(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const uint32_t address = uintArg(info, 0, "address");
      const uint32_t length = uintArg(info, 1, "length", 0x800000);
      const size_t offset = rdramOffset(address, length);
      const uint8_t* rdram = open().rdram();
      Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(info.Env(), length);
      // RDRAM holds host-order 32-bit words: big-endian byte address a is at a ^ 3.
      for (size_t i = 0; i < length; i++) out.Data()[i] = rdram[(offset + i) ^ 3];
      return out;
    });
  }

  Napi::Value WriteAddress(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const uint32_t address = uintArg(info, 0, "address");
      Napi::Uint8Array bytes = bytesArg(info, 1, "bytes");
      const size_t offset = rdramOffset(address, bytes.ByteLength());
      uint8_t* rdram = open().rdram();
      for (size_t i = 0; i < bytes.ByteLength(); i++) rdram[(offset + i) ^ 3] = bytes.Data()[i];
      return info.Env().Undefined();
    });
  }

  Napi::Value SaveState(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const std::vector<uint8_t> state = open().saveState();
      return Napi::Buffer<uint8_t>::Copy(info.Env(), state.data(), state.size());
    });
  }

  Napi::Value LoadState(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      Napi::Uint8Array state = bytesArg(info, 0, "state");
      open().loadState(state.Data(), state.ByteLength());
      frameStale_ = true;
      return info.Env().Undefined();
    });
  }

  Napi::Value RecentLog(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const std::vector<std::string> lines = open().recentLog();
      Napi::Array out = Napi::Array::New(info.Env(), lines.size());
      for (size_t i = 0; i < lines.size(); i++) out.Set(static_cast<uint32_t>(i), lines[i]);
      return out;
    });
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    machine_.reset();
    frameBuffer_.Reset();
    // The core frees tens of megabytes (RDRAM, state buffers): give them back to the OS now, as EmulatorWrap does.
    malloc_trim(0);
    return info.Env().Undefined();
  }

  std::unique_ptr<N64Machine> machine_;
  std::array<uint16_t, 4> buttons_{};
  std::array<int, 4> stickX_{}, stickY_{};
  Napi::Reference<Napi::Uint8Array> frameBuffer_;
  bool frameStale_ = true;
  ScanoutSize frameSize_;
};

}  // namespace

void registerN64(Napi::Env env, Napi::Object exports) { exports.Set("NativeN64Emulator", N64Wrap::Define(env)); }

}  // namespace rgym::n64
