// N-API entry points for convolutions, matmul and batch norm, and the module's registration. Each
// binding checks every array length against the geometry before touching memory.
#include <napi.h>

#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "addon.h"
#include "args.h"
#include "batch-norm.h"
#include "conv3d.h"
#include "direct-conv.h"
#include "matmul.h"
#include "workspace.h"

namespace csfnet {
namespace {

/** Geometry from an Int32Array in Conv3dGeometry field order, checked for consistency. */
ConvGeom convGeom(const Args& a, size_t i) {
  const int32_t* v = a.i32(i, "geometry", 18);
  ConvGeom g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17]};
  const int64_t dims[] = {g.n, g.cin, g.cout, g.id, g.ih, g.iw, g.kd, g.kh, g.kw, g.sd, g.sh, g.sw, g.od, g.oh, g.ow};
  for (int64_t d : dims) {
    if (d < 1) a.fail("geometry sizes, kernel, stride and output must be >= 1");
  }
  if (g.pd < 0 || g.ph < 0 || g.pw < 0) a.fail("padding must be >= 0");
  const auto out = [](int64_t in, int64_t k, int64_t s, int64_t p) { return (in + 2 * p - k) / s + 1; };
  if (g.od != out(g.id, g.kd, g.sd, g.pd) || g.oh != out(g.ih, g.kh, g.sh, g.ph) || g.ow != out(g.iw, g.kw, g.sw, g.pw)) {
    a.fail("output size does not match floor((in + 2p - k) / s) + 1");
  }
  return g;
}

Napi::Value Conv3dForward(const Napi::CallbackInfo& info) {
  const Args a{info, "conv3dForward"};
  a.count(6);
  const ConvGeom g = convGeom(a, 4);
  const float* x = a.f32(0, "x", g.n * g.cin * g.inPlane());
  const float* w = a.f32(1, "w", g.cout * g.cin * g.taps());
  const float* bias = a.f32OrNull(2, "bias", g.cout);
  float* y = a.f32(3, "y", g.n * g.cout * g.outPlane());
  conv3dForward(x, w, bias, y, g, a.flag(5));
  trimWorkspaces();
  return info.Env().Undefined();
}

Napi::Value Conv3dBackwardData(const Napi::CallbackInfo& info) {
  const Args a{info, "conv3dBackwardData"};
  a.count(4);
  const ConvGeom g = convGeom(a, 3);
  const float* dy = a.f32(0, "dy", g.n * g.cout * g.outPlane());
  const float* w = a.f32(1, "w", g.cout * g.cin * g.taps());
  float* dx = a.f32(2, "dx", g.n * g.cin * g.inPlane());
  conv3dBackwardData(dy, w, dx, g);
  trimWorkspaces();
  return info.Env().Undefined();
}

Napi::Value Conv3dBackwardWeight(const Napi::CallbackInfo& info) {
  const Args a{info, "conv3dBackwardWeight"};
  a.count(5);
  const ConvGeom g = convGeom(a, 4);
  const float* x = a.f32(0, "x", g.n * g.cin * g.inPlane());
  const float* dy = a.f32(1, "dy", g.n * g.cout * g.outPlane());
  float* dw = a.f32(2, "dw", g.cout * g.cin * g.taps());
  float* db = a.f32OrNull(3, "db", g.cout);
  conv3dBackwardWeight(x, dy, dw, db, g);
  trimWorkspaces();
  return info.Env().Undefined();
}

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  const Args a{info, "matmul"};
  a.count(11);
  const int64_t batch = a.size(3, "batch"), m = a.size(4, "m"), k = a.size(5, "k"), n = a.size(6, "n");
  const bool transA = a.flag(7), transB = a.flag(8);
  const int64_t strideA = a.size(9, "strideA"), strideB = a.size(10, "strideB");
  const float* pa = a.f32(0, "a", -1);
  const float* pb = a.f32(1, "b", -1);
  float* pc = a.f32(2, "c", batch * m * n);
  if (batch > 0 && a.length(0) < (batch - 1) * strideA + m * k) a.fail("a is shorter than (batch-1)*strideA + m*k");
  if (batch > 0 && a.length(1) < (batch - 1) * strideB + k * n) a.fail("b is shorter than (batch-1)*strideB + k*n");
  matmul(pa, pb, pc, batch, m, k, n, transA, transB, strideA, strideB);
  trimWorkspaces();
  return info.Env().Undefined();
}

Napi::Value SetDirectConv(const Napi::CallbackInfo& info) {
  const Args a{info, "setDirectConv"};
  a.count(1);
  setDirectConv(a.flag(0));
  return info.Env().Undefined();
}

Napi::Value DirectConv(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), directConvEnabled()); }

BnGeom bnGeom(const Args& a, size_t i) {
  return BnGeom{a.size(i, "n"), a.size(i + 1, "c"), a.size(i + 2, "spatial")};
}

Napi::Value BatchNormStats(const Napi::CallbackInfo& info) {
  const Args a{info, "batchNormStats"};
  a.count(6);
  const BnGeom g = bnGeom(a, 3);
  batchNormStats(a.f32(0, "x", g.n * g.c * g.spatial), a.f32(1, "mean", g.c), a.f32(2, "variance", g.c), g);
  return info.Env().Undefined();
}

Napi::Value BatchNormApply(const Napi::CallbackInfo& info) {
  const Args a{info, "batchNormApply"};
  a.count(9);
  const BnGeom g = bnGeom(a, 6);
  const int64_t size = g.n * g.c * g.spatial;
  batchNormApply(a.f32(0, "x", size), a.f32(1, "mean", g.c), a.f32(2, "invstd", g.c), a.f32OrNull(3, "gamma", g.c), a.f32OrNull(4, "beta", g.c), a.f32(5, "y", size), g);
  return info.Env().Undefined();
}

Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  const Args a{info, "batchNormBackward"};
  a.count(12);
  const BnGeom g = bnGeom(a, 8);
  const int64_t size = g.n * g.c * g.spatial;
  batchNormBackward(a.f32(0, "x", size), a.f32(1, "dy", size), a.f32(2, "mean", g.c), a.f32(3, "invstd", g.c), a.f32OrNull(4, "gamma", g.c), a.f32(5, "dx", size),
                    a.f32OrNull(6, "dgamma", g.c), a.f32OrNull(7, "dbeta", g.c), g, a.flag(11));
  return info.Env().Undefined();
}

/**
 * Every op allocates its output afresh, so with glibc's defaults tensors of a few MB come from new
 * mmap'd pages (or a heap trimmed back to the OS) and every kernel first pays the page faults of
 * its output, which in a VM cost more than the arithmetic of element-wise kernels (measured: 100
 * relu calls on 16 MB tensors, 20 ms each by default, 11 ms with this). Allocations below 64 MB
 * therefore come from the heap and freed memory is kept up to 512 MB. CSFNET_MALLOC_TUNE=0 leaves
 * malloc alone.
 */
bool tuneMalloc() {
#if defined(__GLIBC__)
  const char* flag = std::getenv("CSFNET_MALLOC_TUNE");
  if (flag != nullptr && std::strcmp(flag, "0") == 0) return false;
  return mallopt(M_MMAP_THRESHOLD, 64 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 512 << 20) == 1;
#else
  return false;
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("mallocTuned", Napi::Boolean::New(env, tuneMalloc()));
  exports.Set("conv3dForward", Napi::Function::New(env, guarded<Conv3dForward>));
  exports.Set("conv3dBackwardData", Napi::Function::New(env, guarded<Conv3dBackwardData>));
  exports.Set("conv3dBackwardWeight", Napi::Function::New(env, guarded<Conv3dBackwardWeight>));
  exports.Set("setDirectConv", Napi::Function::New(env, guarded<SetDirectConv>));
  exports.Set("directConv", Napi::Function::New(env, guarded<DirectConv>));
  exports.Set("matmul", Napi::Function::New(env, guarded<Matmul>));
  exports.Set("batchNormStats", Napi::Function::New(env, guarded<BatchNormStats>));
  exports.Set("batchNormApply", Napi::Function::New(env, guarded<BatchNormApply>));
  exports.Set("batchNormBackward", Napi::Function::New(env, guarded<BatchNormBackward>));
  registerMisc(env, exports);
  return exports;
}

}  // namespace
}  // namespace csfnet

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return csfnet::Init(env, exports); }

NODE_API_MODULE(csfnet_native, InitModule)
