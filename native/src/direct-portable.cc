// The direct-convolution slab kernels (direct-conv-kernels.h) in portable C++: an 8-lane GCC/Clang
// vector type that the compiler lowers to the build's baseline instructions (two SSE2 vectors on
// x86-64). Used when the native backend is forced to the portable level, and as a cross-check.
#include <cstdint>
#include <cstring>

#include "direct-conv.h"

namespace csfnet {
namespace {

struct V {
  typedef float T __attribute__((vector_size(32)));
  static constexpr int W = 8;
  static constexpr int kRegs = 16;
  static T zero() { return T{}; }
  static T set1(float f) { return T{f, f, f, f, f, f, f, f}; }
  static T load(const float* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static T loadPartial(const float* p, int n) {
    T v{};
    for (int i = 0; i < n; i++) v[i] = p[i];
    return v;
  }
  static void store(float* p, T v) { std::memcpy(p, &v, sizeof v); }
  static void storePartial(float* p, T v, int n) {
    for (int i = 0; i < n; i++) p[i] = v[i];
  }
  static T fma(T a, T b, T c) { return a * b + c; }
  static T relu(T v) {
    for (int i = 0; i < W; i++) v[i] = v[i] <= 0.0f ? 0.0f : v[i];
    return v;
  }
  static float hsum(T v) { return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])); }
};

#include "direct-conv-kernels.h"

}  // namespace

const DirectKernels kDirectPortable = {forwardSlab, weightSlab};

}  // namespace csfnet
