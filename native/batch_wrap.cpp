// N-API face of BatchStepper: new NativeBatch(sessions, startStates, options, outputs).
#include <napi.h>

#include <memory>

#include "batch_stepper.h"
#include "emulator_wrap.h"
#include "errors.h"
#include "napi_guard.h"
#include "observation_pipeline.h"
#include "session_wrap.h"

namespace rgym {
namespace {

class BatchWrap : public Napi::ObjectWrap<BatchWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeBatch",
                       {InstanceMethod("send", &BatchWrap::Send), InstanceMethod("sendReset", &BatchWrap::SendReset),
                        InstanceMethod("recv", &BatchWrap::Recv), InstanceMethod("close", &BatchWrap::Close)});
  }

  explicit BatchWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BatchWrap>(info) {
    guarded(info.Env(), [&]() -> Napi::Value {
      if (info.Length() < 4 || !info[0].IsArray() || !info[1].IsArray() || !info[2].IsObject() || !info[3].IsObject()) {
        throw EmulatorError("INVALID_ARGUMENT", "NativeBatch(sessions, startStates, options, outputs)");
      }
      const Napi::Array sessions = info[0].As<Napi::Array>();
      const Napi::Array states = info[1].As<Napi::Array>();
      const Napi::Object options = info[2].As<Napi::Object>();
      const Napi::Object outputs = info[3].As<Napi::Object>();
      const unsigned threads = options.Get("threads").As<Napi::Number>().Uint32Value();
      const bool pinThreads = options.Get("pinThreads").ToBoolean().Value();
      const unsigned frameskip = options.Get("frameskip").As<Napi::Number>().Uint32Value();
      ports_ = options.Get("ports").As<Napi::Number>().Uint32Value();
      // Analog sticks per pad (0 for pads without): send() then takes their axes beside the masks.
      const Napi::Value sticks = options.Get("sticks");
      stickAxes_ = sticks.IsNumber() ? 2 * sticks.As<Napi::Number>().Uint32Value() : 0;
      if (stickAxes_ > BatchJob::kStickAxes) throw EmulatorError("INVALID_ARGUMENT", "a pad has at most 2 sticks");
      const size_t observationBytes = options.Get("observationBytes").As<Napi::Number>().Uint32Value();
      const bool maxPool = options.Get("maxPool").ToBoolean().Value();
      // preprocess: { gray, width, height, frameWidth, frameHeight } or undefined for raw RGB frames.
      const Napi::Value preprocess = options.Get("preprocess");
      ObservationSpec spec;
      unsigned frameWidth = 0, frameHeight = 0;
      if (preprocess.IsObject()) {
        const Napi::Object p = preprocess.As<Napi::Object>();
        spec.gray = p.Get("gray").ToBoolean().Value();
        spec.width = p.Get("width").As<Napi::Number>().Uint32Value();
        spec.height = p.Get("height").As<Napi::Number>().Uint32Value();
        frameWidth = p.Get("frameWidth").As<Napi::Number>().Uint32Value();
        frameHeight = p.Get("frameHeight").As<Napi::Number>().Uint32Value();
      }
      const Autoreset autoreset =
          options.Get("autoreset").As<Napi::String>().Utf8Value() == "same-step" ? Autoreset::SameStep : Autoreset::NextStep;
      if (ports_ < 1 || ports_ > Emulator::kMaxPorts || frameskip < 1) throw EmulatorError("INVALID_ARGUMENT", "bad ports or frameskip");

      auto observations = keep<Napi::Uint8Array>(outputs, "observations");
      auto values = keep<Napi::Float64Array>(outputs, "values");
      auto rewards = keep<Napi::Float64Array>(outputs, "rewards");
      auto terminated = keep<Napi::Uint8Array>(outputs, "terminated");
      const bool sameStep = autoreset == Autoreset::SameStep;
      Napi::Uint8Array finalObservations = sameStep ? keep<Napi::Uint8Array>(outputs, "finalObservations") : Napi::Uint8Array();
      Napi::Float64Array finalValues = sameStep ? keep<Napi::Float64Array>(outputs, "finalValues") : Napi::Float64Array();
      Napi::Uint8Array hasFinal = sameStep ? keep<Napi::Uint8Array>(outputs, "hasFinal") : Napi::Uint8Array();

      const size_t n = sessions.Length();
      std::vector<BatchStepper::Env> envs;
      for (uint32_t i = 0; i < n; ++i) {
        Napi::Object sessionObject = sessions.Get(i).As<Napi::Object>();
        SessionWrap* wrap = SessionWrap::Unwrap(sessionObject);
        if (wrap == nullptr || wrap->session() == nullptr) throw EmulatorError("EMULATOR_CLOSED", "a session is closed");
        GameSession* session = wrap->session();
        const size_t vars = session->variableCount(), players = session->playerCount();
        if (observations.ByteLength() < n * observationBytes || values.ElementLength() < n * vars ||
            rewards.ElementLength() < n * players || terminated.ElementLength() < n) {
          throw EmulatorError("INVALID_ARGUMENT", "batch output buffers are too small for " + std::to_string(n) + " envs");
        }
        Napi::Uint8Array state = states.Get(i).As<Napi::Uint8Array>();
        BatchStepper::Env env{session, &session->emulator(), std::vector<uint8_t>(state.Data(), state.Data() + state.ByteLength()), {}, observationBytes, preprocess.IsObject()};
        env.slot.observation = observations.Data() + i * observationBytes;
        std::unique_ptr<ObservationPipeline> pipeline;
        if (env.preprocessed) {
          pipeline = std::make_unique<ObservationPipeline>(spec, frameWidth, frameHeight, env.slot.observation);
          if (pipeline->outputBytes() != observationBytes) throw EmulatorError("INVALID_ARGUMENT", "observationBytes does not match preprocess");
        }
        // The sink (or none, for RGB straight into the slot) keeps the batch buffer alive as long as the emulator.
        wrap->emulatorWrap()->setFrameSink(std::move(pipeline), observations);
        env.slot.values = values.Data() + i * vars;
        env.slot.rewards = rewards.Data() + i * players;
        env.slot.terminated = terminated.Data() + i;
        if (sameStep) {
          env.slot.finalObservation = finalObservations.Data() + i * observationBytes;
          env.slot.finalValues = finalValues.Data() + i * vars;
          env.slot.hasFinal = hasFinal.Data() + i;
        }
        envs.push_back(std::move(env));
        sessionRefs_.push_back(Napi::Persistent(sessionObject));
      }
      stepper_ = std::make_unique<BatchStepper>(std::move(envs), threads, frameskip, maxPool, autoreset, pinThreads);
      return info.Env().Undefined();
    });
  }

 private:
  template <typename T>
  T keep(const Napi::Object& outputs, const char* name) {
    const Napi::Value v = outputs.Get(name);
    if (!v.IsTypedArray()) throw EmulatorError("INVALID_ARGUMENT", std::string("outputs.") + name + " must be a typed array");
    T array = v.As<T>();
    bufferRefs_.push_back(Napi::Persistent(array.template As<Napi::Object>()));
    return array;
  }

  BatchStepper& open() {
    if (!stepper_) throw EmulatorError("ENV_CLOSED", "the batch env is closed");
    return *stepper_;
  }

  std::vector<uint32_t> ids(const Napi::Value& v) {
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
      throw EmulatorError("INVALID_ARGUMENT", "env ids must be a Uint32Array");
    }
    Napi::Uint32Array a = v.As<Napi::Uint32Array>();
    return std::vector<uint32_t>(a.Data(), a.Data() + a.ElementLength());
  }

  Napi::Value Send(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      BatchStepper& stepper = open();
      const std::vector<uint32_t> envIds = ids(info[0]);
      if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint16_array) {
        throw EmulatorError("INVALID_ARGUMENT", "masks must be a Uint16Array");
      }
      Napi::Uint16Array masks = info[1].As<Napi::Uint16Array>();
      if (masks.ElementLength() != envIds.size() * ports_) throw EmulatorError("INVALID_ARGUMENT", "one mask per env and port");
      std::vector<int16_t> axes;
      if (stickAxes_ > 0) {
        // sticks: libretro's axes (y positive down), per env, port and stick: x, y.
        if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_int16_array) {
          throw EmulatorError("INVALID_ARGUMENT", "sticks must be an Int16Array");
        }
        Napi::Int16Array sticks = info[2].As<Napi::Int16Array>();
        if (sticks.ElementLength() != envIds.size() * ports_ * stickAxes_) {
          throw EmulatorError("INVALID_ARGUMENT", "sticks needs " + std::to_string(stickAxes_) + " axes per env and port");
        }
        axes.assign(sticks.Data(), sticks.Data() + sticks.ElementLength());
      }
      stepper.send(envIds, std::vector<uint16_t>(masks.Data(), masks.Data() + masks.ElementLength()), ports_, axes, stickAxes_);
      return info.Env().Undefined();
    });
  }

  Napi::Value SendReset(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      open().sendReset(ids(info[0]));
      return info.Env().Undefined();
    });
  }

  Napi::Value Recv(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() -> Napi::Value {
      const std::vector<uint32_t> ready = open().recv(info[0].As<Napi::Number>().Uint32Value());
      Napi::Uint32Array out = Napi::Uint32Array::New(info.Env(), ready.size());
      std::copy(ready.begin(), ready.end(), out.Data());
      return out;
    });
  }

  // Joins the workers (after their current jobs) before anything they use can go away.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    stepper_.reset();
    sessionRefs_.clear();
    bufferRefs_.clear();
    return info.Env().Undefined();
  }

  unsigned ports_ = 1;
  unsigned stickAxes_ = 0;  // per port
  std::unique_ptr<BatchStepper> stepper_;
  std::vector<Napi::ObjectReference> sessionRefs_;
  std::vector<Napi::ObjectReference> bufferRefs_;
};

}  // namespace

void registerBatch(Napi::Env env, Napi::Object exports) { exports.Set("NativeBatch", BatchWrap::Define(env)); }

}  // namespace rgym
