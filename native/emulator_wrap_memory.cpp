// EmulatorWrap's methods over the core's memory and save states: zero-copy views of the memory regions and
// descriptors, the bus address space scenarios read, and states. Construction, running and the rest are in
// emulator_wrap.cpp.
#include <algorithm>

#include "emulator_wrap.h"
#include "errors.h"
#include "napi_args.h"
#include "napi_guard.h"

namespace rgym {

Napi::ArrayBuffer EmulatorWrap::externalView(const Napi::Env& env, uint8_t* data, size_t size) {
  auto* keepAlive = new std::shared_ptr<Owner>(owner_);
  Napi::ArrayBuffer view = Napi::ArrayBuffer::New(
      env, data, size, [](Napi::Env /*env*/, void* /*data*/, std::shared_ptr<Owner>* hint) { delete hint; }, keepAlive);
  externalViews_.push_back(Napi::Reference<Napi::ArrayBuffer>::New(view, 0));
  return view;
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
      const unsigned wordBytes = b.Has("wordBytes") ? b.Get("wordBytes").As<Napi::Number>().Uint32Value() : 1;
      if (wordBytes != 1 && wordBytes != 2 && wordBytes != 4 && wordBytes != 8) {
        throw EmulatorError("INVALID_ARGUMENT", "wordBytes must be 1, 2, 4 or 8");
      }
      for (const MemoryRegionInfo& r : regions) {
        if (r.id != region || offset >= static_cast<double>(r.size)) continue;
        const uint64_t usable = std::min<uint64_t>(static_cast<uint64_t>(length), r.size - static_cast<uint64_t>(offset));
        space.add({static_cast<uint64_t>(start), usable - usable % wordBytes, r.data + static_cast<uint64_t>(offset), wordBytes});
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
    const MemoryLocation memory = emu.addressSpace().require(address, length);
    Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(info.Env(), length);
    memory.read(out.Data(), length);
    return out;
  });
}

Napi::Value EmulatorWrap::WriteAddress(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    Emulator& emu = open(info.Env());
    const uint32_t address = uintArg(info, 0, "address");
    Napi::Uint8Array bytes = bytesArg(info, 1, "bytes");
    emu.addressSpace().require(address, bytes.ByteLength()).write(bytes.Data(), bytes.ByteLength());
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

Napi::Value EmulatorWrap::SetStateSizeSlack(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) throw EmulatorError("INVALID_ARGUMENT", "bytes must be a number");
    const double bytes = info[0].As<Napi::Number>().DoubleValue();
    if (!(bytes >= 0 && bytes <= 1048576)) throw EmulatorError("INVALID_ARGUMENT", "bytes must be in [0, 1048576]");
    open(info.Env()).setStateSizeSlack(static_cast<size_t>(bytes));
    return info.Env().Undefined();
  });
}

}  // namespace rgym
