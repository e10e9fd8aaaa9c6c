// N-API entry points for element-wise kernels, reductions, pooling, Adam, and the controls
// (threads, instruction set). Op names arrive as strings and are mapped once per call.
#include <string>
#include <vector>

#include "addon.h"
#include "args.h"
#include "cpu-features.h"
#include "elementwise.h"
#include "optim.h"
#include "pool.h"
#include "resample.h"
#include "thread-pool.h"

namespace csfnet {
namespace {

UnaryOp unaryOp(const Args& a, size_t i) {
  const std::string name = a.info[i].ToString().Utf8Value();
  static const char* names[] = {"neg", "exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh"};
  for (int k = 0; k < 8; k++) {
    if (name == names[k]) return static_cast<UnaryOp>(k);
  }
  a.fail("unknown unary op " + name);
}

BinaryOp binaryOp(const Args& a, size_t i) {
  const std::string name = a.info[i].ToString().Utf8Value();
  static const char* names[] = {"add", "sub", "mul", "div", "max", "min"};
  for (int k = 0; k < 6; k++) {
    if (name == names[k]) return static_cast<BinaryOp>(k);
  }
  a.fail("unknown binary op " + name);
}

Napi::Value Unary(const Napi::CallbackInfo& info) {
  const Args a{info, "unary"};
  a.count(3);
  const UnaryOp op = unaryOp(a, 0);
  const float* x = a.f32(1, "x", -1);
  const int64_t size = a.length(1);
  unary(op, x, a.f32(2, "y", size), size);
  return info.Env().Undefined();
}

Napi::Value UnaryBackward(const Napi::CallbackInfo& info) {
  const Args a{info, "unaryBackward"};
  a.count(5);
  const UnaryOp op = unaryOp(a, 0);
  const float* dy = a.f32(3, "dy", -1);
  const int64_t size = a.length(3);
  unaryBackward(op, a.f32(1, "x", size), a.f32(2, "y", size), dy, a.f32(4, "dx", size), size);
  return info.Env().Undefined();
}

/** A Float64Array of integers (shape or strides) of the given rank. */
std::vector<int64_t> ints(const Args& a, size_t i, const char* name, int64_t rank) {
  if (!a.info[i].IsTypedArray() || a.info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) a.fail(std::string(name) + " must be a Float64Array");
  Napi::Float64Array v = a.info[i].As<Napi::Float64Array>();
  if (rank >= 0 && static_cast<int64_t>(v.ElementLength()) != rank) a.fail(std::string(name) + " must have one entry per output axis");
  std::vector<int64_t> out(v.ElementLength());
  for (size_t k = 0; k < v.ElementLength(); k++) {
    if (v[k] < 0 || v[k] != static_cast<double>(static_cast<int64_t>(v[k]))) a.fail(std::string(name) + " entries must be non-negative integers");
    out[k] = static_cast<int64_t>(v[k]);
  }
  return out;
}

Napi::Value Binary(const Napi::CallbackInfo& info) {
  const Args a{info, "binary"};
  a.count(7);
  const BinaryOp op = binaryOp(a, 0);
  const std::vector<int64_t> shape = ints(a, 6, "outShape", -1);
  const int64_t rank = static_cast<int64_t>(shape.size());
  if (rank > 8) a.fail("rank above 8");
  const std::vector<int64_t> as = ints(a, 2, "aStrides", rank), bs = ints(a, 4, "bStrides", rank);
  int64_t total = 1, aMax = 0, bMax = 0;
  for (int64_t d = 0; d < rank; d++) {
    total *= shape[d];
    if (shape[d] > 0) {
      aMax += (shape[d] - 1) * as[d];
      bMax += (shape[d] - 1) * bs[d];
    }
  }
  const float* pa = a.f32(1, "a", -1);
  const float* pb = a.f32(3, "b", -1);
  float* out = a.f32(5, "out", total);
  if (total > 0 && (a.length(1) <= aMax || a.length(3) <= bMax)) a.fail("a stride reaches past the end of its input");
  binary(op, pa, as.data(), pb, bs.data(), out, shape.data(), static_cast<int>(rank));
  return info.Env().Undefined();
}

Napi::Value Axpby(const Napi::CallbackInfo& info) {
  const Args a{info, "axpby"};
  a.count(4);
  float* y = a.f32(3, "y", -1);
  const int64_t size = a.length(3);
  axpby(static_cast<float>(a.num(0, "alpha")), a.f32(1, "x", size), static_cast<float>(a.num(2, "beta")), y, size);
  return info.Env().Undefined();
}

Napi::Value ReduceSum(const Napi::CallbackInfo& info) {
  const Args a{info, "reduceSum"};
  a.count(5);
  const int64_t outer = a.size(2, "outer"), r = a.size(3, "r"), inner = a.size(4, "inner");
  reduceSum(a.f32(0, "x", outer * r * inner), a.f32(1, "y", outer * inner), outer, r, inner);
  return info.Env().Undefined();
}

Napi::Value ReduceMax(const Napi::CallbackInfo& info) {
  const Args a{info, "reduceMax"};
  a.count(6);
  const int64_t outer = a.size(3, "outer"), r = a.size(4, "r"), inner = a.size(5, "inner");
  reduceMax(a.f32(0, "x", outer * r * inner), a.f32(1, "y", outer * inner), a.i32(2, "arg", outer * inner), outer, r, inner);
  return info.Env().Undefined();
}

PoolGeom poolGeom(const Args& a, size_t i) {
  const int32_t* v = a.i32(i, "geometry", 16);
  PoolGeom g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
  const int64_t dims[] = {g.id, g.ih, g.iw, g.kd, g.kh, g.kw, g.sd, g.sh, g.sw, g.od, g.oh, g.ow};
  for (int64_t d : dims) {
    if (d < 1) a.fail("geometry sizes, window, stride and output must be >= 1");
  }
  if (g.planes < 0 || g.pd < 0 || g.ph < 0 || g.pw < 0) a.fail("planes and padding must be >= 0");
  if ((g.od - 1) * g.sd - g.pd >= g.id || (g.oh - 1) * g.sh - g.ph >= g.ih || (g.ow - 1) * g.sw - g.pw >= g.iw) a.fail("output larger than the input allows");
  return g;
}

Napi::Value MaxPoolForward(const Napi::CallbackInfo& info) {
  const Args a{info, "maxPool3dForward"};
  a.count(4);
  const PoolGeom g = poolGeom(a, 3);
  const int64_t out = g.planes * g.od * g.oh * g.ow;
  maxPool3dForward(a.f32(0, "x", g.planes * g.id * g.ih * g.iw), a.f32(1, "y", out), a.i32(2, "arg", out), g);
  return info.Env().Undefined();
}

Napi::Value MaxPoolBackward(const Napi::CallbackInfo& info) {
  const Args a{info, "maxPool3dBackward"};
  a.count(4);
  const PoolGeom g = poolGeom(a, 3);
  const int64_t out = g.planes * g.od * g.oh * g.ow, inPlane = g.id * g.ih * g.iw;
  const int32_t* arg = a.i32(1, "arg", out);
  for (int64_t i = 0; i < out; i++) {
    if (arg[i] >= inPlane) a.fail("arg holds an index outside its input plane");
  }
  maxPool3dBackward(a.f32(0, "dy", out), arg, a.f32(2, "dx", g.planes * inPlane), g);
  return info.Env().Undefined();
}

Napi::Value AvgPoolForward(const Napi::CallbackInfo& info) {
  const Args a{info, "avgPool3dForward"};
  a.count(3);
  const PoolGeom g = poolGeom(a, 2);
  avgPool3dForward(a.f32(0, "x", g.planes * g.id * g.ih * g.iw), a.f32(1, "y", g.planes * g.od * g.oh * g.ow), g);
  return info.Env().Undefined();
}

Napi::Value AvgPoolBackward(const Napi::CallbackInfo& info) {
  const Args a{info, "avgPool3dBackward"};
  a.count(3);
  const PoolGeom g = poolGeom(a, 2);
  avgPool3dBackward(a.f32(0, "dy", g.planes * g.od * g.oh * g.ow), a.f32(1, "dx", g.planes * g.id * g.ih * g.iw), g);
  return info.Env().Undefined();
}

ResampleGeom resampleGeom(const Args& a, size_t i) {
  const int32_t* v = a.i32(i, "geometry", 7);
  ResampleGeom g{v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
  if (g.planes < 0 || g.id < 1 || g.ih < 1 || g.iw < 1 || g.od < 1 || g.oh < 1 || g.ow < 1) a.fail("geometry sizes must be >= 1 (planes >= 0)");
  return g;
}

Napi::Value AdaptiveForward(const Napi::CallbackInfo& info) {
  const Args a{info, "adaptiveAvgPool3dForward"};
  a.count(3);
  const ResampleGeom g = resampleGeom(a, 2);
  adaptiveAvgPool3dForward(a.f32(0, "x", g.planes * g.id * g.ih * g.iw), a.f32(1, "y", g.planes * g.od * g.oh * g.ow), g);
  return info.Env().Undefined();
}

Napi::Value AdaptiveBackward(const Napi::CallbackInfo& info) {
  const Args a{info, "adaptiveAvgPool3dBackward"};
  a.count(3);
  const ResampleGeom g = resampleGeom(a, 2);
  adaptiveAvgPool3dBackward(a.f32(0, "dy", g.planes * g.od * g.oh * g.ow), a.f32(1, "dx", g.planes * g.id * g.ih * g.iw), g);
  return info.Env().Undefined();
}

Napi::Value TrilinearForward(const Napi::CallbackInfo& info) {
  const Args a{info, "upsampleTrilinearForward"};
  a.count(4);
  const ResampleGeom g = resampleGeom(a, 2);
  upsampleTrilinearForward(a.f32(0, "x", g.planes * g.id * g.ih * g.iw), a.f32(1, "y", g.planes * g.od * g.oh * g.ow), g, a.flag(3));
  return info.Env().Undefined();
}

Napi::Value TrilinearBackward(const Napi::CallbackInfo& info) {
  const Args a{info, "upsampleTrilinearBackward"};
  a.count(4);
  const ResampleGeom g = resampleGeom(a, 2);
  upsampleTrilinearBackward(a.f32(0, "dy", g.planes * g.od * g.oh * g.ow), a.f32(1, "dx", g.planes * g.id * g.ih * g.iw), g, a.flag(3));
  return info.Env().Undefined();
}

Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  const Args a{info, "adamStep"};
  a.count(11);
  float* p = a.f32(0, "p", -1);
  const int64_t size = a.length(0);
  adamStep(p, a.f32(1, "grad", size), a.f32(2, "m", size), a.f32(3, "v", size), size, a.num(4, "lr"), a.num(5, "beta1"), a.num(6, "beta2"), a.num(7, "eps"), a.num(8, "weightDecay"),
           a.num(9, "step"), a.flag(10));
  return info.Env().Undefined();
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const Args a{info, "setThreads"};
  a.count(1);
  const int64_t n = a.size(0, "threads");
  if (n < 1 || n > 1024) a.fail("threads must be in 1..1024");
  setThreadCount(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value Threads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), threadCount()); }

Napi::Value Isa(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), currentIsa()); }

Napi::Value AvailableIsas(const Napi::CallbackInfo& info) {
  const std::vector<std::string> levels = availableIsas();
  Napi::Array out = Napi::Array::New(info.Env(), levels.size());
  for (size_t i = 0; i < levels.size(); i++) out.Set(static_cast<uint32_t>(i), levels[i]);
  return out;
}

Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  const Args a{info, "setIsa"};
  a.count(1);
  const std::string name = info[0].ToString().Utf8Value();
  if (!selectIsa(name)) a.fail("instruction set " + name + " is not available on this CPU or build");
  return info.Env().Undefined();
}

Napi::Value HasAvx2Fma(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), hasAvx2Fma()); }

}  // namespace

void registerMisc(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Napi::Function::New(env, guarded<Unary>));
  exports.Set("unaryBackward", Napi::Function::New(env, guarded<UnaryBackward>));
  exports.Set("binary", Napi::Function::New(env, guarded<Binary>));
  exports.Set("axpby", Napi::Function::New(env, guarded<Axpby>));
  exports.Set("reduceSum", Napi::Function::New(env, guarded<ReduceSum>));
  exports.Set("reduceMax", Napi::Function::New(env, guarded<ReduceMax>));
  exports.Set("maxPool3dForward", Napi::Function::New(env, guarded<MaxPoolForward>));
  exports.Set("maxPool3dBackward", Napi::Function::New(env, guarded<MaxPoolBackward>));
  exports.Set("avgPool3dForward", Napi::Function::New(env, guarded<AvgPoolForward>));
  exports.Set("avgPool3dBackward", Napi::Function::New(env, guarded<AvgPoolBackward>));
  exports.Set("adaptiveAvgPool3dForward", Napi::Function::New(env, guarded<AdaptiveForward>));
  exports.Set("adaptiveAvgPool3dBackward", Napi::Function::New(env, guarded<AdaptiveBackward>));
  exports.Set("upsampleTrilinearForward", Napi::Function::New(env, guarded<TrilinearForward>));
  exports.Set("upsampleTrilinearBackward", Napi::Function::New(env, guarded<TrilinearBackward>));
  exports.Set("adamStep", Napi::Function::New(env, guarded<AdamStep>));
  exports.Set("setThreads", Napi::Function::New(env, guarded<SetThreads>));
  exports.Set("threads", Napi::Function::New(env, guarded<Threads>));
  exports.Set("isa", Napi::Function::New(env, guarded<Isa>));
  exports.Set("availableIsas", Napi::Function::New(env, guarded<AvailableIsas>));
  exports.Set("setIsa", Napi::Function::New(env, guarded<SetIsa>));
  exports.Set("hasAvx2Fma", Napi::Function::New(env, guarded<HasAvx2Fma>));
}

}  // namespace csfnet
